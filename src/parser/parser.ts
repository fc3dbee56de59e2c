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
 * The cursor, the splitting of words, the depth count and the errors are in parser-cursor.ts;
 * the operands (fields, transformers, values, lists) in operand-parser.ts.
 *
 * Decisions are taken by the gates, and every error by the rule where libsinsp raises it.
 * Chevrotain also checks an alternative's first token, and does not count a rule's final
 * error alternative as taking any: a rule that an enclosing decision must reach whatever
 * comes (`check`, `transformerListItem`) therefore has never-taken alternatives for every
 * token and the end of input (`everyToken`).
 */

import type { BinaryOperator, Expr, Operand, OperatorModifier, RightHandSide } from './ast.js';
import { type IToken, tokenMatcher } from './chevrotain.js';
import { HINTS, SYNTAX } from './errors.js';
import { Eq, EqEq, Gt, GtEq, LParen, Lt, LtEq, NotEq, RParen, StrayCharacter, Word } from './lexer.js';
import { OperandParser } from './operand-parser.js';
import { SyntaxFailure } from './parser-cursor.js';
import { isWord, touches, wordPrefix } from './tokens.js';
import { DEFAULT_MAX_DEPTH, FIELD_NAME, IDENTIFIER, identifierPrefix, LIST_OPERATORS_BY_PRIORITY, POSIX_SPACES } from './words.js';

export class ConditionParser extends OperandParser {
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

  // ---- nodes ------------------------------------------------------------------------------

  private binary(left: Operand, operator: BinaryOperator, right: RightHandSide, modifier?: OperatorModifier): Expr {
    const node: Expr = { kind: 'binary', left, operator, right, range: this.source.span(left.range.start, right.range.end) };
    if (modifier) node.modifier = modifier;
    return node;
  }

  private nary(kind: 'and' | 'or', children: Expr[]): Expr {
    if (children.length === 1) return children[0]!;
    return { kind, children, range: this.source.span(children[0]!.range.start, children[children.length - 1]!.range.end) };
  }
}
