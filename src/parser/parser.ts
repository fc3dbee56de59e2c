/**
 * Chevrotain parser for Falco conditions, following libsinsp's parser
 * (falcosecurity/libs `userspace/libsinsp/filter/parser.cpp`) function by function, so that
 * the same texts are accepted and rejected, the same trees come out, and every error is
 * libsinsp's, raised where libsinsp raises it:
 *
 *   Expr      ::= AndExpr ('or' (blank AndExpr | '(' Expr ')'))*
 *   AndExpr   ::= NotExpr ('and' (blank NotExpr | '(' Expr ')'))*
 *   NotExpr   ::= ('not' blank)* ('not(' Expr ')' | Check)
 *   Check     ::= '(' Expr ')' | Field Condition | Transformer Condition | Identifier
 *   Condition ::= 'exists' | NumOp (Number | Transformer) | StrOp (Value | Transformer)
 *               | StrOp Modifier (List | Identifier) | ListOp (List | Transformer | Identifier)
 *
 * libsinsp has no lexer: at each step it matches a regular expression or a keyword at its
 * cursor and takes the longest prefix that fits, so `10and x` reads as `10`, `and`, `x` and
 * `existsx` as `exists` then `x`. The lexer here splits the text into maximal words (see
 * lexer.ts); where libsinsp would take only part of a word, the parser splits that word in
 * two before deciding (`split`). Adjacent pieces are glued back where libsinsp reads one
 * bare string (`a!b`, `x[1]`).
 *
 * Recursion is counted as libsinsp's depth_guard counts it: one level for each libsinsp
 * function that has a guard, entered where that function is (`enter`, `probe`).
 *
 * The cursor, the splitting of words, the depth count and the errors are in parser-cursor.ts.
 *
 * Decisions are taken by the gates, and every error by the rule where libsinsp raises it.
 * Chevrotain also checks an alternative's first token, and does not count a rule's final
 * error alternative as taking any: a rule that an enclosing decision must reach whatever
 * comes (`check`, `transformerListItem`) therefore has never-taken alternatives for every
 * token and the end of input (`everyToken`).
 */

import type {
  BinaryOperator,
  Expr,
  FieldExpr,
  ListExpr,
  ListRefExpr,
  Operand,
  OperatorModifier,
  RightHandSide,
  SourcePosition,
  TransformerArg,
  TransformerExpr,
  TransformerListExpr,
  TransformerListItem,
  TransformerName,
  ValueExpr,
} from './ast.js';
import { type IToken, tokenMatcher } from './chevrotain.js';
import { HINTS, SYNTAX } from './errors.js';
import {
  BareStringPiece,
  Comma,
  Eq,
  EqEq,
  FieldArgPiece,
  Gt,
  GtEq,
  LBracket,
  LParen,
  Lt,
  LtEq,
  NotEq,
  QuotedString,
  RBracket,
  RParen,
  StrayCharacter,
  Word,
} from './lexer.js';
import { CursorParser, SyntaxFailure } from './parser-cursor.js';
import { isWord, touches, wordPrefix } from './tokens.js';
import {
  DEFAULT_MAX_DEPTH,
  FIELD_NAME,
  fieldNamePrefix,
  IDENTIFIER,
  identifierPrefix,
  LIST_OPERATORS_BY_PRIORITY,
  NUMBER,
  numberPrefix,
  POSIX_SPACES,
} from './words.js';

export class ConditionParser extends CursorParser {
  constructor(options: { validate?: boolean } = {}) {
    super(options);
    this.performSelfAnalysis();
  }

  /** Parses `text`; throws SyntaxFailure on the first error. */
  parseText(text: string, tokens: IToken[], maxDepth = DEFAULT_MAX_DEPTH): Expr {
    this.begin(text, tokens, maxDepth);
    const ast = this.condition();
    // parser::parse checks the depth count first, then that the whole text was read.
    if (this.depth !== 0) throw new SyntaxFailure(SYNTAX.unbalanced, this.source.startOf(this.LA(1)), HINTS.depth(this.maxDepth));
    const [error] = this.errors;
    if (error) {
      if (error.name !== 'NotAllInputParsedException') throw new Error(`condition parser: unexpected ${error.name}: ${error.message}`);
      this.fail(SYNTAX.trailing(this.lexemes.get(this.LA(0)) ?? this.LA(0).image), error.token);
    }
    return ast;
  }

  // ---- grammar ------------------------------------------------------------------------------

  private condition = this.RULE('condition', (): Expr => this.SUBRULE(this.orExpr));

  /** parse_or */
  private orExpr = this.RULE('orExpr', (): Expr => {
    this.ACTION(() => this.enter());
    const children: Expr[] = [this.SUBRULE(this.andExpr)];
    this.ACTION(() => this.splitKeyword('or'));
    this.MANY({
      GATE: () => isWord(this.LA(1), 'or'),
      DEF: () => {
        const keyword = this.CONSUME(Word);
        children.push(this.SUBRULE(this.connectiveOperand, { ARGS: [keyword, 'or'] }));
        this.ACTION(() => this.splitKeyword('or'));
      },
    });
    return this.ACTION(() => this.leave(this.nary('or', children)));
  });

  /** parse_and */
  private andExpr = this.RULE('andExpr', (): Expr => {
    this.ACTION(() => this.enter());
    const children: Expr[] = [this.SUBRULE(this.notExpr)];
    this.ACTION(() => this.splitKeyword('and'));
    this.MANY({
      GATE: () => isWord(this.LA(1), 'and'),
      DEF: () => {
        const keyword = this.CONSUME(Word);
        children.push(this.SUBRULE(this.connectiveOperand, { ARGS: [keyword, 'and'] }));
        this.ACTION(() => this.splitKeyword('and'));
      },
    });
    return this.ACTION(() => this.leave(this.nary('and', children)));
  });

  /** What follows `and`/`or`: a blank then the next operand, or a parenthesised expression. */
  private connectiveOperand = this.RULE('connectiveOperand', (keyword: IToken, which: 'and' | 'or'): Expr => {
    return this.OR([
      {
        GATE: () => this.source.blankAfter(keyword),
        ALT: () =>
          this.OR2([
            { GATE: () => which === 'or', ALT: () => this.SUBRULE(this.andExpr), IGNORE_AMBIGUITIES: true },
            { ALT: () => this.SUBRULE(this.notExpr), IGNORE_AMBIGUITIES: true },
          ]),
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => touches(keyword, this.LA(1)),
        ALT: () => {
          this.CONSUME(LParen);
          return this.SUBRULE(this.embeddedRemainder);
        },
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.blankAfter(which), this.LA(1))) },
    ]);
  });

  /** parse_not */
  private notExpr = this.RULE('notExpr', (): Expr => {
    this.ACTION(() => this.enter());
    const start = this.LA(1);
    let negate = false;
    let first = true;
    this.MANY({
      // RGX_NOTBLANK, `not[[:space:]]+`, matched where the previous one stopped.
      GATE: () => isWord(this.LA(1), 'not') && this.notAtCursor(first) && POSIX_SPACES.includes(this.source.text[this.LA(1).endOffset! + 1] ?? 'x'),
      DEF: () => {
        this.CONSUME(Word);
        negate = !negate;
        first = false;
        // [[:space:]] takes form feeds and vertical tabs too, which are no blanks anywhere else.
        this.MANY2({
          GATE: () => tokenMatcher(this.LA(1), StrayCharacter) && this.source.onlyBetween(this.LA(0), this.LA(1), POSIX_SPACES),
          DEF: () => this.CONSUME(StrayCharacter),
        });
      },
    });
    const child = this.OR([
      {
        GATE: () => isWord(this.LA(1), 'not') && this.notAtCursor(first) && touches(this.LA(1), this.LA(2)) && tokenMatcher(this.LA(2), LParen),
        ALT: () => {
          this.CONSUME2(Word);
          this.CONSUME(LParen);
          negate = !negate;
          return this.SUBRULE(this.embeddedRemainder);
        },
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.SUBRULE(this.check), IGNORE_AMBIGUITIES: true },
    ]);
    return this.ACTION(() => {
      // As in libsinsp, an even number of `not` cancels out.
      const result: Expr = negate ? { kind: 'not', child, range: this.source.span(start, child.range.end) } : child;
      return this.leave(result);
    });
  });

  /** parse_embedded_remainder: the rest of a parenthesised expression, after its '('. */
  private embeddedRemainder = this.RULE('embeddedRemainder', (): Expr => {
    this.ACTION(() => this.enter());
    const expr = this.SUBRULE(this.orExpr);
    this.OR([{ ALT: () => this.CONSUME(RParen) }, { ALT: () => this.ACTION(() => this.fail(SYNTAX.closeParen, this.LA(1))) }]);
    return this.ACTION(() => this.leave(expr));
  });

  /** parse_check: tries '(', a field name, a transformer, an identifier, in this order. */
  private check = this.RULE('check', (): Expr => {
    this.ACTION(() => {
      this.enter();
      if (this.fieldNameAhead() || this.transformerFollows(false)) return;
      this.split(identifierPrefix(this.wordAhead()));
    });
    const result = this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          return this.SUBRULE(this.embeddedRemainder);
        },
      },
      {
        GATE: () => FIELD_NAME.test(this.LA(1).image),
        ALT: () => {
          const field = this.SUBRULE(this.field);
          return this.SUBRULE(this.comparison, { ARGS: [field] });
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => this.transformerFollows(false),
        ALT: () => {
          const transformer = this.SUBRULE(this.transformer);
          return this.SUBRULE2(this.comparison, { ARGS: [transformer] });
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => IDENTIFIER.test(this.LA(1).image),
        ALT: (): Expr => {
          const word = this.CONSUME(Word);
          return this.ACTION(() => ({ kind: 'identifier', name: word.image, range: this.source.tokenRange(word) }));
        },
        IGNORE_AMBIGUITIES: true,
      },
      ...this.everyToken<Expr>(),
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.check, this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /** parse_field_remainder: a field name (known to be one) and its optional argument. */
  private field = this.RULE('field', (): FieldExpr => {
    this.ACTION(() => this.enter());
    const name = this.CONSUME(Word);
    const arg = this.SUBRULE(this.optionalFieldArg, { ARGS: [name] });
    return this.ACTION(() => {
      const node: FieldExpr = { kind: 'field', name: name.image, range: this.source.span(name, arg ? arg.end : this.source.end(name)) };
      if (arg) node.arg = arg.value;
      return this.leave(node);
    });
  });

  /** parse_optional_field_arg: `[arg]` written right after a field or transformer. */
  private optionalFieldArg = this.RULE('optionalFieldArg', (previous: IToken): { value: string; end: SourcePosition } | undefined => {
    let result: { value: string; end: SourcePosition } | undefined;
    this.OPTION({
      GATE: () => touches(previous, this.LA(1)),
      DEF: () => {
        const open = this.CONSUME(LBracket);
        // No blank is read after '[': backspaces there start a bare argument (see bareFieldArg).
        const lead = this.ACTION(() => this.backspacesAfter(open.endOffset! + 1));
        const value = this.OR([
          {
            GATE: () => touches(open, this.LA(1)),
            ALT: () => {
              const quoted = this.CONSUME(QuotedString);
              return this.ACTION(() => ({ text: this.unquote(quoted), end: quoted.endOffset! + 1 }));
            },
          },
          {
            GATE: () => this.LA(1).startOffset === open.endOffset! + 1 + lead.length,
            ALT: () => this.SUBRULE(this.bareFieldArg, { ARGS: [lead] }),
          },
          { ALT: () => this.ACTION(() => (lead ? { text: lead, end: open.endOffset! + 1 + lead.length } : this.fail(SYNTAX.fieldArgument, this.LA(1)))) },
        ]);
        const close = this.OR2([
          { GATE: () => this.LA(1).startOffset === value.end, ALT: () => this.CONSUME(RBracket) },
          { ALT: () => this.ACTION(() => this.fail(SYNTAX.closeBracket, this.LA(1))) },
        ]);
        this.ACTION(() => {
          result = { value: value.text, end: this.source.end(close) };
        });
      },
    });
    return result;
  });

  /**
   * RGX_FIELDARGBARESTR: touching pieces up to the ']' (`/var/run/docker.sock`, `a(b)`).
   * Backspaces are blanks between tokens but belong to a bare string: they are kept.
   */
  private bareFieldArg = this.RULE('bareFieldArg', (lead: string): { text: string; end: number } => {
    const first = this.CONSUME(FieldArgPiece);
    let text = this.ACTION(() => lead + first.image + this.backspacesAfter(first.endOffset! + 1));
    let end = this.ACTION(() => first.startOffset + text.length - lead.length);
    this.MANY({
      GATE: () => this.LA(1).startOffset === end && tokenMatcher(this.LA(1), FieldArgPiece),
      DEF: () => {
        const piece = this.CONSUME2(FieldArgPiece);
        this.ACTION(() => {
          const run = piece.image + this.backspacesAfter(piece.endOffset! + 1);
          text += run;
          end = piece.startOffset + run.length;
        });
      },
    });
    return { text, end };
  });

  /** RGX_BARESTR: touching pieces with no blank, quote, parenthesis, '=' or ',' (`/usr/bin/*`, `a!b`); backspaces kept. */
  private bareString = this.RULE('bareString', (): { text: string; end: number } => {
    const first = this.CONSUME(BareStringPiece);
    let text = this.ACTION(() => first.image + this.backspacesAfter(first.endOffset! + 1));
    let end = this.ACTION(() => first.startOffset + text.length);
    this.MANY({
      GATE: () => {
        if (this.LA(1).startOffset !== end) return false;
        this.splitBareThenEq();
        return tokenMatcher(this.LA(1), BareStringPiece);
      },
      DEF: () => {
        const piece = this.CONSUME2(BareStringPiece);
        this.ACTION(() => {
          const run = piece.image + this.backspacesAfter(piece.endOffset! + 1);
          text += run;
          end = piece.startOffset + run.length;
        });
      },
    });
    this.ACTION(() => this.lexemes.set(this.LA(0), text));
    return { text, end };
  });

  /** `name(arg, …)` with an optional `[arg]`; the name token is known to be a transformer. */
  private transformer = this.RULE('transformer', (): TransformerExpr => {
    const name = this.CONSUME(Word);
    return this.SUBRULE(this.transformerRemainder, { ARGS: [name.image, this.ACTION(() => this.source.startOf(name))] });
  });

  /** parse_field_or_transformer_remainder: `(arg, …)` and an optional `[arg]`. */
  private transformerRemainder = this.RULE('transformerRemainder', (name: string, start: SourcePosition): TransformerExpr => {
    this.ACTION(() => this.enter());
    this.CONSUME(LParen);
    const args: TransformerArg[] = [this.SUBRULE(this.transformerArg)];
    this.MANY(() => {
      this.CONSUME(Comma);
      args.push(this.SUBRULE2(this.transformerArg));
    });
    const close = this.OR([{ ALT: () => this.CONSUME(RParen) }, { ALT: () => this.ACTION(() => this.fail(SYNTAX.closeTransformer, this.LA(1))) }]);
    const arg = this.SUBRULE(this.optionalFieldArg, { ARGS: [close] });
    return this.ACTION(() => this.leave(this.transformerNode(name as TransformerName, args, start, close, arg)));
  });

  /** parse_field_transformer_arg: a number, a quoted string, a list, a transformer or a field, in this order. */
  private transformerArg = this.RULE('transformerArg', (): TransformerArg => {
    this.ACTION(() => {
      this.enter();
      const word = this.wordAhead();
      if (numberPrefix(word) > 0) this.split(numberPrefix(word));
      else if (!this.transformerFollows(false)) this.split(fieldNamePrefix(word));
    });
    const result = this.OR([
      { GATE: () => NUMBER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.numberValue), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.quotedValue) },
      { ALT: () => this.SUBRULE(this.transformerList) },
      { GATE: () => this.transformerFollows(false), ALT: () => this.SUBRULE(this.transformer), IGNORE_AMBIGUITIES: true },
      { GATE: () => FIELD_NAME.test(this.LA(1).image), ALT: () => this.SUBRULE(this.field), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.transformerArgument, this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /** parse_transformer_list (no depth guard in libsinsp). */
  private transformerList = this.RULE('transformerList', (): TransformerListExpr => {
    const open = this.CONSUME(LParen);
    const items: TransformerListItem[] = [];
    this.OPTION({
      GATE: () => !tokenMatcher(this.LA(1), RParen),
      DEF: () => {
        items.push(this.SUBRULE(this.transformerListItem));
        this.MANY(() => {
          this.CONSUME(Comma);
          items.push(this.SUBRULE2(this.transformerListItem));
        });
      },
    });
    const close = this.OR([{ ALT: () => this.CONSUME(RParen) }, { ALT: () => this.ACTION(() => this.fail(SYNTAX.closeTransformerList, this.LA(1))) }]);
    return this.ACTION(() => ({ kind: 'transformer_list', items, range: this.source.span(open, this.source.end(close)) }));
  });

  /** parse_transformer_list_arg: a field, a transformer, a quoted string or a number, in this order. */
  private transformerListItem = this.RULE('transformerListItem', (): TransformerListItem => {
    this.ACTION(() => {
      const word = this.wordAhead();
      if (this.fieldNameAhead() || this.transformerFollows(false)) return;
      this.split(numberPrefix(word));
    });
    return this.OR([
      { GATE: () => FIELD_NAME.test(this.LA(1).image), ALT: () => this.SUBRULE(this.field), IGNORE_AMBIGUITIES: true },
      { GATE: () => this.transformerFollows(false), ALT: () => this.SUBRULE(this.transformer), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.quotedValue) },
      { GATE: () => NUMBER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.numberValue), IGNORE_AMBIGUITIES: true },
      ...this.everyToken<TransformerListItem>(),
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.transformerListArgument, this.LA(1))) },
    ]);
  });

  /** parse_condition: the operator and right-hand side after a field or transformer. */
  private comparison = this.RULE('comparison', (left: Operand): Expr => {
    this.ACTION(() => {
      this.enter();
      const word = this.LA(1);
      // `exists` and the list operators are matched as prefixes: `existsx` is `exists` then `x`.
      const prefix = wordPrefix(word, ['exists']) ?? (this.wordStringOperatorAhead() ? undefined : wordPrefix(word, LIST_OPERATORS_BY_PRIORITY));
      if (prefix) this.split(prefix.length);
    });
    const result = this.OR([
      {
        GATE: () => isWord(this.LA(1), 'exists'),
        ALT: (): Expr => {
          const op = this.CONSUME(Word);
          return this.ACTION(() => ({
            kind: 'unary',
            left,
            operator: 'exists',
            range: this.source.span(left.range.start, this.source.end(op)),
          }));
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        ALT: () => {
          const op = this.OR2([
            { ALT: () => this.CONSUME(LtEq) },
            { ALT: () => this.CONSUME(Lt) },
            { ALT: () => this.CONSUME(GtEq) },
            { ALT: () => this.CONSUME(Gt) },
          ]);
          const right = this.SUBRULE(this.numberOrTransformer);
          return this.ACTION(() => this.binary(left, op.image as BinaryOperator, right));
        },
      },
      {
        ALT: () => {
          const op = this.OR3([{ ALT: () => this.CONSUME(EqEq) }, { ALT: () => this.CONSUME(Eq) }, { ALT: () => this.CONSUME(NotEq) }]);
          return this.SUBRULE(this.stringComparison, { ARGS: [left, op, this.source.blankAfter(op)] });
        },
      },
      {
        GATE: () => this.wordStringOperatorAhead(),
        ALT: () => {
          const op = this.CONSUME2(Word);
          return this.SUBRULE2(this.stringComparison, { ARGS: [left, op, true] });
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => tokenMatcher(this.LA(1), Word) && (LIST_OPERATORS_BY_PRIORITY as readonly string[]).includes(this.LA(1).image),
        ALT: () => {
          const op = this.CONSUME3(Word);
          const right = this.SUBRULE(this.listOrTransformer);
          return this.ACTION(() => this.binary(left, op.image as BinaryOperator, right));
        },
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.operator, this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /**
   * After a string operator: `oneof`/`anyof`/`allof` and a list (parse_list_value), or else
   * parse_str_value_or_transformer: a transformer or `val()`, a quoted or a bare string.
   */
  private stringComparison = this.RULE('stringComparison', (left: Operand, op: IToken, hadBlank: boolean): Expr => {
    const modifier = this.ACTION(() => {
      const found = hadBlank && this.modifierFollows();
      if (!found) {
        this.enter();
        if (!this.transformerFollows(true)) {
          this.probe();
          this.splitBareThenEq();
        }
      }
      return found;
    });
    const right = this.OR([
      {
        GATE: () => modifier,
        ALT: () => {
          const word = this.CONSUME(Word);
          return { modifier: word.image as OperatorModifier, value: this.SUBRULE(this.listOrName) as RightHandSide };
        },
        IGNORE_AMBIGUITIES: true,
      },
      { GATE: () => this.transformerFollows(true), ALT: () => ({ value: this.SUBRULE(this.transformerOrVal) }), IGNORE_AMBIGUITIES: true },
      { ALT: () => ({ value: this.SUBRULE(this.quotedValue) }) },
      { GATE: () => this.bareStringAhead(), ALT: () => ({ value: this.SUBRULE(this.bareValue) }), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.stringOrTransformer, this.LA(1))) },
    ]);
    return this.ACTION(() => {
      if (!modifier) this.leave(undefined);
      return this.binary(left, op.image as BinaryOperator, right.value, right.modifier);
    });
  });

  /** parse_num_value_or_transformer */
  private numberOrTransformer = this.RULE('numberOrTransformer', (): RightHandSide => {
    this.ACTION(() => {
      this.enter();
      if (this.transformerFollows(true)) return;
      this.probe();
      this.split(numberPrefix(this.wordAhead()));
    });
    const result = this.OR([
      { GATE: () => this.transformerFollows(true), ALT: () => this.SUBRULE(this.transformerOrVal), IGNORE_AMBIGUITIES: true },
      { GATE: () => NUMBER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.numberValue), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.number, this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /** A quoted or bare string (a list item), or the error `message`. */
  private stringValue = this.RULE('stringValue', (message: string): ValueExpr => {
    this.ACTION(() => this.splitBareThenEq());
    return this.OR([
      { ALT: () => this.SUBRULE(this.quotedValue) },
      { GATE: () => this.bareStringAhead(), ALT: () => this.SUBRULE(this.bareValue) },
      { ALT: () => this.ACTION(() => this.fail(message, this.LA(1))) },
    ]);
  });

  private bareValue = this.RULE('bareValue', (): ValueExpr => {
    const first = this.LA(1);
    const bare = this.SUBRULE(this.bareString);
    return this.ACTION((): ValueExpr => ({ kind: 'value', value: bare.text, range: this.source.span(first, this.source.position(bare.end)) }));
  });

  private quotedValue = this.RULE('quotedValue', (): ValueExpr => {
    const token = this.CONSUME(QuotedString);
    return this.ACTION(() => {
      const value = this.unquote(token);
      this.lexemes.set(token, value);
      return { kind: 'value', value, range: this.source.tokenRange(token) };
    });
  });

  private numberValue = this.RULE('numberValue', (): ValueExpr => {
    const token = this.CONSUME(Word);
    return this.ACTION(() => ({ kind: 'value', value: token.image, range: this.source.tokenRange(token) }));
  });

  /** parse_list_value, after a modifier: a literal list or a list name. */
  private listOrName = this.RULE('listOrName', (): ListExpr | ListRefExpr => {
    this.ACTION(() => {
      this.enter();
      this.split(identifierPrefix(this.wordAhead()));
    });
    const result = this.OR([
      { ALT: () => this.SUBRULE(this.list) },
      { GATE: () => IDENTIFIER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.listRef), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.listOrIdentifier, this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /** parse_list_value_or_transformer, after `in`/`intersects`/`pmatch`. */
  private listOrTransformer = this.RULE('listOrTransformer', (): RightHandSide => {
    this.ACTION(() => {
      this.enter();
      if (tokenMatcher(this.LA(1), LParen) || this.transformerFollows(true)) return;
      this.probe();
      this.split(identifierPrefix(this.wordAhead()));
    });
    const result = this.OR([
      { ALT: () => this.SUBRULE(this.list) },
      { GATE: () => this.transformerFollows(true), ALT: () => this.SUBRULE(this.transformerOrVal), IGNORE_AMBIGUITIES: true },
      { GATE: () => IDENTIFIER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.listRef), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.listOrTransformer, this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  private listRef = this.RULE('listRef', (): ListRefExpr => {
    const token = this.CONSUME(Word);
    return this.ACTION(() => ({ kind: 'list_ref', name: token.image, range: this.source.tokenRange(token) }));
  });

  /**
   * try_parse_list_expr. libsinsp reads the first item inside a try block and takes any
   * error there for an empty list: an invalid escape in a quoted first item, or the depth
   * limit reached by it, is not reported (the quoted item is skipped; a depth error leaves
   * libsinsp's depth count one too high, see parseText).
   */
  private list = this.RULE('list', (): ListExpr => {
    const open = this.CONSUME(LParen);
    const items: ValueExpr[] = [];
    const head = this.ACTION(() => this.listHead());
    this.OPTION({
      GATE: () => head === 'item',
      DEF: () => {
        items.push(this.SUBRULE(this.listItem));
        this.MANY(() => {
          this.CONSUME(Comma);
          items.push(this.SUBRULE2(this.listItem));
        });
      },
    });
    this.OPTION2({ GATE: () => head === 'skip', DEF: () => this.CONSUME(QuotedString) });
    const close = this.OR([
      // After a skipped item libsinsp reads no blank before the ')'.
      { GATE: () => head !== 'skip' || touches(this.LA(0), this.LA(1)), ALT: () => this.CONSUME(RParen) },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.closeParen, this.LA(1))) },
    ]);
    return this.ACTION(() => ({ kind: 'list', items, range: this.source.span(open, this.source.end(close)) }));
  });

  /** parse_str_value_or_transformer with no transformer: one item of a list. */
  private listItem = this.RULE('listItem', (): ValueExpr => {
    this.ACTION(() => this.enter());
    const value = this.SUBRULE(this.stringValue, { ARGS: [SYNTAX.string] });
    return this.ACTION(() => this.leave(value));
  });

  /** try_parse_transformer_or_val: `val(field)` or a transformer, on a right-hand side. */
  private transformerOrVal = this.RULE('transformerOrVal', (): TransformerExpr => {
    this.ACTION(() => this.enter());
    const result = this.OR([
      {
        GATE: () => this.LA(1).image === 'val',
        ALT: () => {
          const name = this.CONSUME(Word);
          return this.SUBRULE(this.valRemainder, { ARGS: [this.ACTION(() => this.source.startOf(name))] });
        },
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.SUBRULE(this.transformer), IGNORE_AMBIGUITIES: true },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /** What follows `val`: `(field)` and an optional `[arg]`. */
  private valRemainder = this.RULE('valRemainder', (start: SourcePosition): TransformerExpr => {
    this.CONSUME(LParen);
    this.ACTION(() => this.split(fieldNamePrefix(this.wordAhead())));
    const field = this.OR([
      { GATE: () => FIELD_NAME.test(this.LA(1).image), ALT: () => this.SUBRULE(this.field), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail(SYNTAX.valField('val'), this.LA(1))) },
    ]);
    const close = this.OR2([{ ALT: () => this.CONSUME(RParen) }, { ALT: () => this.ACTION(() => this.fail(SYNTAX.closeTransformer, this.LA(1))) }]);
    const arg = this.SUBRULE(this.optionalFieldArg, { ARGS: [close] });
    return this.ACTION(() => this.transformerNode('val', [field], start, close, arg));
  });

  // ---- nodes ------------------------------------------------------------------------------

  private binary(left: Operand, operator: BinaryOperator, right: RightHandSide, modifier?: OperatorModifier): Expr {
    const node: Expr = { kind: 'binary', left, operator, right, range: this.source.span(left.range.start, right.range.end) };
    if (modifier) node.modifier = modifier;
    return node;
  }

  /** A transformer node from its name's start to its ')' or the `[arg]` after it. */
  private transformerNode(
    name: TransformerName,
    args: TransformerArg[],
    start: SourcePosition,
    close: IToken,
    arg: { value: string; end: SourcePosition } | undefined,
  ): TransformerExpr {
    const node: TransformerExpr = { kind: 'transformer', name, args, range: this.source.span(start, arg ? arg.end : this.source.end(close)) };
    if (arg) node.arg = arg.value;
    return node;
  }

  private nary(kind: 'and' | 'or', children: Expr[]): Expr {
    if (children.length === 1) return children[0]!;
    return { kind, children, range: this.source.span(children[0]!.range.start, children[children.length - 1]!.range.end) };
  }
}
