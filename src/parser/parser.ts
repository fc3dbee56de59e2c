/**
 * Chevrotain parser for Falco conditions, following libsinsp's grammar
 * (falcosecurity/libs `userspace/libsinsp/filter/parser.h`) decision by decision,
 * so that the same texts are accepted and rejected and the same ASTs come out:
 *
 *   Expr      ::= AndExpr ('or' (blank AndExpr | '(' Expr ')'))*
 *   AndExpr   ::= NotExpr ('and' (blank NotExpr | '(' Expr ')'))*
 *   NotExpr   ::= ('not' blank)* ('not(' Expr ')' | Check)
 *   Check     ::= '(' Expr ')' | Field Condition | Transformer Condition | Identifier
 *   Condition ::= 'exists' | NumOp (Number | Transformer) | StrOp (Value | Transformer)
 *               | StrOp Modifier (List | Identifier) | ListOp (List | Transformer | Identifier)
 *
 * Words are classified by shape and position (see lexer.ts), so every decision is a
 * gated alternative; the recursion depth is capped as in libsinsp (100).
 */
import { EmbeddedActionsParser, tokenMatcher, type IToken } from './chevrotain.js';
import {
  OPERATOR_MODIFIERS,
  type BinaryOperator,
  type Expr,
  type FieldExpr,
  type ListExpr,
  type ListRefExpr,
  type OperatorModifier,
  type Operand,
  type RightHandSide,
  type SourcePosition,
  type TransformerArg,
  type TransformerExpr,
  type TransformerListExpr,
  type TransformerListItem,
  type TransformerName,
  type ValueExpr,
} from './ast.js';
import {
  allTokens,
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
  UnterminatedString,
  Word,
} from './lexer.js';
import { SourceText } from './source-text.js';
import { describeToken, isWord, listOperatorAt, touches } from './tokens.js';
import { EscapeError, unescapeQuoted } from './unescape.js';
import {
  EXPECTATION_BY_RULE,
  EXPECTED_CHECK,
  EXPECTED_OPERATOR,
  FIELD_NAME,
  IDENTIFIER,
  MAX_DEPTH,
  NUMBER,
  TRANSFORMERS,
  WORD_STRING_OPERATORS,
} from './words.js';

/** Thrown inside the parser; converted to a ConditionSyntaxError by parseCondition. */
export class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
  }
}

export class ConditionParser extends EmbeddedActionsParser {
  private source = new SourceText('');
  private depth = 0;

  constructor() {
    // One token of lookahead: every alternative then keeps its whole first set and the gates decide.
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  /** Parses `text`; throws SyntaxFailure on the first error. */
  parseText(text: string, tokens: IToken[]): Expr {
    this.source = new SourceText(text);
    this.depth = 0;
    this.input = tokens;
    const ast = this.condition();
    const [error] = this.errors;
    if (error) {
      if (error.name === 'NotAllInputParsedException') this.fail(`expected 'and', 'or' or the end of the condition`, error.token);
      const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? 'check';
      this.fail(EXPECTATION_BY_RULE[rule] ?? EXPECTED_CHECK, error.token);
    }
    return ast;
  }

  // ---- grammar ------------------------------------------------------------------------------

  private condition = this.RULE('condition', (): Expr => this.SUBRULE(this.orExpr));

  private orExpr = this.RULE('orExpr', (): Expr => {
    this.ACTION(() => this.enter());
    const children: Expr[] = [this.SUBRULE(this.andExpr)];
    this.MANY({
      GATE: () => isWord(this.LA(1), 'or'),
      DEF: () => {
        const keyword = this.CONSUME(Word);
        children.push(this.SUBRULE(this.connectiveOperand, { ARGS: [keyword, 'or'] }));
      },
    });
    return this.ACTION(() => this.leave(this.nary('or', children)));
  });

  private andExpr = this.RULE('andExpr', (): Expr => {
    this.ACTION(() => this.enter());
    const children: Expr[] = [this.SUBRULE(this.notExpr)];
    this.MANY({
      GATE: () => isWord(this.LA(1), 'and'),
      DEF: () => {
        const keyword = this.CONSUME(Word);
        children.push(this.SUBRULE(this.connectiveOperand, { ARGS: [keyword, 'and'] }));
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
      {
        ALT: () =>
          this.ACTION(() =>
            this.fail(this.source.blankAfter(keyword) ? EXPECTED_CHECK : `expected a blank or '(' after '${which}'`, this.LA(1)),
          ),
      },
    ]);
  });

  private notExpr = this.RULE('notExpr', (): Expr => {
    this.ACTION(() => this.enter());
    const start = this.LA(1);
    let negate = false;
    this.MANY({
      GATE: () => isWord(this.LA(1), 'not') && this.source.blankAfter(this.LA(1)),
      DEF: () => {
        this.CONSUME(Word);
        negate = !negate;
      },
    });
    const child = this.OR([
      {
        GATE: () => isWord(this.LA(1), 'not') && touches(this.LA(1), this.LA(2)) && tokenMatcher(this.LA(2), LParen),
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

  /** The rest of a parenthesised expression, after its '('. */
  private embeddedRemainder = this.RULE('embeddedRemainder', (): Expr => {
    this.ACTION(() => this.enter());
    const expr = this.SUBRULE(this.orExpr);
    this.OR([
      { ALT: () => this.CONSUME(RParen) },
      { ALT: () => this.ACTION(() => this.fail(`expected a ')'`, this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(expr));
  });

  private check = this.RULE('check', (): Expr => {
    this.ACTION(() => this.enter());
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
      {
        ALT: () =>
          this.ACTION(() => this.fail(EXPECTED_CHECK, this.LA(1))),
      },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /** A field name and its optional argument; the name token is known to have a field's shape. */
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

  /** `[arg]` written right after a field or transformer, with no blank in between. */
  private optionalFieldArg = this.RULE(
    'optionalFieldArg',
    (previous: IToken): { value: string; end: SourcePosition } | undefined => {
      let result: { value: string; end: SourcePosition } | undefined;
      this.OPTION({
        GATE: () => touches(previous, this.LA(1)),
        DEF: () => {
          const open = this.CONSUME(LBracket);
          const value = this.OR([
            {
              GATE: () => touches(open, this.LA(1)),
              ALT: () => {
                const quoted = this.CONSUME(QuotedString);
                return this.ACTION(() => this.unquote(quoted));
              },
            },
            {
              GATE: () => touches(open, this.LA(1)),
              ALT: () => this.SUBRULE(this.bareFieldArg),
            },
            {
              ALT: () =>
                this.ACTION(() => this.fail('expected a field argument (a quoted or bare string) after \'[\'', this.LA(1))),
            },
          ]);
          const close = this.OR2([
            { GATE: () => touches(this.LA(0), this.LA(1)), ALT: () => this.CONSUME(RBracket) },
            { ALT: () => this.ACTION(() => this.fail(`expected a ']' closing the field argument`, this.LA(1))) },
          ]);
          this.ACTION(() => {
            result = { value, end: this.source.end(close) };
          });
        },
      });
      return result;
    },
  );

  /** An unquoted field argument: touching pieces up to the ']' (`/var/run/docker.sock`, `a(b)`). */
  private bareFieldArg = this.RULE('bareFieldArg', (): string => {
    let image = this.CONSUME(FieldArgPiece).image;
    this.MANY({
      GATE: () => touches(this.LA(0), this.LA(1)) && tokenMatcher(this.LA(1), FieldArgPiece),
      DEF: () => {
        image += this.CONSUME2(FieldArgPiece).image;
      },
    });
    return image;
  });

  /** A bare string: touching pieces with no blank, quote, parenthesis, '=' or ',' (`/usr/bin/*`, `a!b`). */
  private bareString = this.RULE('bareString', (): string => {
    let image = this.CONSUME(BareStringPiece).image;
    this.MANY({
      GATE: () => touches(this.LA(0), this.LA(1)) && tokenMatcher(this.LA(1), BareStringPiece),
      DEF: () => {
        image += this.CONSUME2(BareStringPiece).image;
      },
    });
    return image;
  });

  /** `name(arg, …)` with an optional `[arg]`; the name token is known to be a transformer. */
  private transformer = this.RULE('transformer', (): TransformerExpr => {
    const name = this.CONSUME(Word);
    return this.SUBRULE(this.transformerRemainder, { ARGS: [name.image, this.ACTION(() => this.source.startOf(name))] });
  });

  /** What follows a transformer's name: `(arg, …)` and an optional `[arg]`. */
  private transformerRemainder = this.RULE('transformerRemainder', (name: string, start: SourcePosition): TransformerExpr => {
    this.ACTION(() => this.enter());
    this.CONSUME(LParen);
    const args: TransformerArg[] = [this.SUBRULE(this.transformerArg)];
    this.MANY(() => {
      this.CONSUME(Comma);
      args.push(this.SUBRULE2(this.transformerArg));
    });
    const close = this.OR([
      { ALT: () => this.CONSUME(RParen) },
      { ALT: () => this.ACTION(() => this.fail(`expected ',' or a ')' closing '${name}('`, this.LA(1))) },
    ]);
    const arg = this.SUBRULE(this.optionalFieldArg, { ARGS: [close] });
    return this.ACTION(() => this.leave(this.transformerNode(name as TransformerName, args, start, close, arg)));
  });

  private transformerArg = this.RULE('transformerArg', (): TransformerArg => {
    this.ACTION(() => this.enter());
    const result = this.OR([
      { GATE: () => NUMBER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.numberValue), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.quotedValue) },
      { ALT: () => this.SUBRULE(this.transformerList) },
      { GATE: () => this.transformerFollows(false), ALT: () => this.SUBRULE(this.transformer), IGNORE_AMBIGUITIES: true },
      { GATE: () => FIELD_NAME.test(this.LA(1).image), ALT: () => this.SUBRULE(this.field), IGNORE_AMBIGUITIES: true },
      {
        ALT: () =>
          this.ACTION(() =>
            this.fail('expected a transformer argument: a field, a transformer, a quoted string, a number or a list', this.LA(1)),
          ),
      },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  private transformerList = this.RULE('transformerList', (): TransformerListExpr => {
    const open = this.CONSUME(LParen);
    const items: TransformerListItem[] = [];
    this.OPTION(() => {
      items.push(this.SUBRULE(this.transformerListItem));
      this.MANY(() => {
        this.CONSUME(Comma);
        items.push(this.SUBRULE2(this.transformerListItem));
      });
    });
    const close = this.OR([
      { ALT: () => this.CONSUME(RParen) },
      { ALT: () => this.ACTION(() => this.fail(`expected ',' or a ')' closing the list`, this.LA(1))) },
    ]);
    return this.ACTION(() => ({ kind: 'transformer_list', items, range: this.source.span(open, this.source.end(close)) }));
  });

  private transformerListItem = this.RULE('transformerListItem', (): TransformerListItem => {
    return this.OR([
      { GATE: () => FIELD_NAME.test(this.LA(1).image), ALT: () => this.SUBRULE(this.field), IGNORE_AMBIGUITIES: true },
      { GATE: () => this.transformerFollows(false), ALT: () => this.SUBRULE(this.transformer), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.quotedValue) },
      { GATE: () => NUMBER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.numberValue), IGNORE_AMBIGUITIES: true },
      {
        ALT: () =>
          this.ACTION(() =>
            this.fail('expected a list item: a field, a transformer, a quoted string or a number', this.LA(1)),
          ),
      },
    ]);
  });

  /** The operator and right-hand side that follow a field or transformer. */
  private comparison = this.RULE('comparison', (left: Operand): Expr => {
    this.ACTION(() => this.enter());
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
          const op = this.OR3([
            { ALT: () => this.CONSUME(EqEq) },
            { ALT: () => this.CONSUME(Eq) },
            { ALT: () => this.CONSUME(NotEq) },
          ]);
          return this.SUBRULE(this.stringComparison, { ARGS: [left, op, this.source.blankAfter(op)] });
        },
      },
      {
        GATE: () => WORD_STRING_OPERATORS.includes(this.LA(1).image) && this.source.blankAfter(this.LA(1)),
        ALT: () => {
          const op = this.CONSUME2(Word);
          return this.SUBRULE2(this.stringComparison, { ARGS: [left, op, true] });
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => listOperatorAt(this.LA(1)) !== undefined,
        ALT: () => {
          const word = this.CONSUME3(Word);
          return this.SUBRULE(this.listComparison, { ARGS: [left, word] });
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        ALT: () =>
          this.ACTION(() =>
            this.fail(EXPECTED_OPERATOR, this.LA(1)),
          ),
      },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  private stringComparison = this.RULE(
    'stringComparison',
    (left: Operand, op: IToken, blankAfterOperator: boolean): Expr => {
      return this.OR([
        {
          GATE: () => blankAfterOperator && this.modifierFollows(),
          ALT: () => {
            const modifier = this.CONSUME(Word);
            const right = this.SUBRULE(this.listOrName);
            return this.ACTION(() =>
              this.binary(left, op.image as BinaryOperator, right, modifier.image as OperatorModifier),
            );
          },
          IGNORE_AMBIGUITIES: true,
        },
        {
          ALT: () => {
            const right = this.SUBRULE(this.stringOrTransformer);
            return this.ACTION(() => this.binary(left, op.image as BinaryOperator, right));
          },
        },
      ]);
    },
  );

  /** After `in`/`intersects`/`pmatch`. libsinsp reads `inx` as `in x`, so the operator may be a word's prefix. */
  private listComparison = this.RULE('listComparison', (left: Operand, word: IToken): Expr => {
    const match = this.ACTION(() => listOperatorAt(word)!);
    let right: RightHandSide | undefined;
    this.OPTION({
      GATE: () => match.rest === '',
      DEF: () => {
        right = this.SUBRULE(this.listOrTransformer);
      },
    });
    // libsinsp also reads `intolower(f)` as `in tolower(f)`: the rest of the word names a
    // transformer (or `val`) touching its '('.
    this.OPTION2({
      GATE: () =>
        (TRANSFORMERS.includes(match.rest) || match.rest === 'val') && tokenMatcher(this.LA(1), LParen) && touches(word, this.LA(1)),
      DEF: () => {
        const start = this.ACTION(() => this.source.position(word.startOffset + match.operator.length));
        right = this.OR2([
          { GATE: () => match.rest === 'val', ALT: () => this.SUBRULE(this.valRemainder, { ARGS: [start] }), IGNORE_AMBIGUITIES: true },
          { ALT: () => this.SUBRULE(this.transformerRemainder, { ARGS: [this.ACTION(() => match.rest), start] }), IGNORE_AMBIGUITIES: true },
        ]);
      },
    });
    return this.ACTION((): Expr => {
      if (match.rest !== '' && right === undefined) {
        const start = this.source.position(word.startOffset + match.operator.length);
        right = { kind: 'list_ref', name: match.rest, range: { start, end: this.source.end(word) } };
      }
      if (!right) this.fail(EXPECTATION_BY_RULE['listComparison']!, this.LA(1));
      return this.binary(left, match.operator, right);
    });
  });

  private numberOrTransformer = this.RULE('numberOrTransformer', (): RightHandSide => {
    this.ACTION(() => this.enter());
    const result = this.OR([
      { GATE: () => this.transformerFollows(true), ALT: () => this.SUBRULE(this.transformerOrVal), IGNORE_AMBIGUITIES: true },
      { GATE: () => NUMBER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.numberValue), IGNORE_AMBIGUITIES: true },
      {
        ALT: () =>
          this.ACTION(() => this.fail('expected a number or a field with a transformer (val(), tolower(), …)', this.LA(1))),
      },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  private stringOrTransformer = this.RULE('stringOrTransformer', (): RightHandSide => {
    this.ACTION(() => this.enter());
    const result = this.OR([
      { GATE: () => this.transformerFollows(true), ALT: () => this.SUBRULE(this.transformerOrVal), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.stringValue), IGNORE_AMBIGUITIES: true },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  /** A quoted or bare string; `what` names it in the error message. */
  private stringValue = this.RULE('stringValue', (): ValueExpr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.quotedValue) },
      {
        ALT: () => {
          const first = this.LA(1);
          const image = this.SUBRULE(this.bareString);
          return this.ACTION((): ValueExpr => ({ kind: 'value', value: image, range: this.source.span(first, this.source.end(this.LA(0))) }));
        },
      },
      { ALT: () => this.ACTION(() => this.fail('expected a value (a quoted or bare string)', this.LA(1))) },
    ]);
  });

  private quotedValue = this.RULE('quotedValue', (): ValueExpr => {
    const token = this.CONSUME(QuotedString);
    return this.ACTION(() => ({ kind: 'value', value: this.unquote(token), range: this.source.tokenRange(token) }));
  });

  private numberValue = this.RULE('numberValue', (): ValueExpr => {
    const token = this.CONSUME(Word);
    return this.ACTION(() => ({ kind: 'value', value: token.image, range: this.source.tokenRange(token) }));
  });

  /** After a modifier: a literal list or a list name. */
  private listOrName = this.RULE('listOrName', (): ListExpr | ListRefExpr => {
    this.ACTION(() => this.enter());
    const result = this.OR([
      { ALT: () => this.SUBRULE(this.list) },
      { GATE: () => IDENTIFIER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.listRef), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail('expected a list or a list name', this.LA(1))) },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  private listOrTransformer = this.RULE('listOrTransformer', (): RightHandSide => {
    this.ACTION(() => this.enter());
    const result = this.OR([
      { ALT: () => this.SUBRULE(this.list) },
      { GATE: () => this.transformerFollows(true), ALT: () => this.SUBRULE(this.transformerOrVal), IGNORE_AMBIGUITIES: true },
      { GATE: () => IDENTIFIER.test(this.LA(1).image), ALT: () => this.SUBRULE(this.listRef), IGNORE_AMBIGUITIES: true },
      {
        ALT: () =>
          this.ACTION(() => this.fail('expected a list, a list name or a field with a transformer (val(), tolower(), …)', this.LA(1))),
      },
    ]);
    return this.ACTION(() => this.leave(result));
  });

  private listRef = this.RULE('listRef', (): ListRefExpr => {
    const token = this.CONSUME(Word);
    return this.ACTION(() => ({ kind: 'list_ref', name: token.image, range: this.source.tokenRange(token) }));
  });

  private list = this.RULE('list', (): ListExpr => {
    const open = this.CONSUME(LParen);
    const items: ValueExpr[] = [];
    this.OPTION({
      GATE: () => this.listItemFollows(),
      DEF: () => {
        items.push(this.SUBRULE(this.stringValue));
        this.MANY(() => {
          this.CONSUME(Comma);
          items.push(this.SUBRULE2(this.stringValue));
        });
      },
    });
    const close = this.OR([
      { ALT: () => this.CONSUME(RParen) },
      { ALT: () => this.ACTION(() => this.fail(`expected ',' or a ')' closing the list`, this.LA(1))) },
    ]);
    return this.ACTION(() => ({ kind: 'list', items, range: this.source.span(open, this.source.end(close)) }));
  });

  /** `val(field)` or a transformer, on a right-hand side. */
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
    const field = this.OR([
      { GATE: () => FIELD_NAME.test(this.LA(1).image), ALT: () => this.SUBRULE(this.field), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.ACTION(() => this.fail(`expected a field inside 'val('`, this.LA(1))) },
    ]);
    const close = this.OR2([
      { ALT: () => this.CONSUME(RParen) },
      { ALT: () => this.ACTION(() => this.fail(`expected a ')' closing 'val('`, this.LA(1))) },
    ]);
    const arg = this.SUBRULE(this.optionalFieldArg, { ARGS: [close] });
    return this.ACTION(() => this.transformerNode('val', [field], start, close, arg));
  });

  // ---- helpers ------------------------------------------------------------------------------

  private enter(): void {
    this.depth++;
    if (this.depth >= MAX_DEPTH) {
      throw new SyntaxFailure(`the condition nests too deeply (libsinsp's limit is ${MAX_DEPTH})`, this.source.startOf(this.LA(1)));
    }
  }

  private leave<T>(value: T): T {
    this.depth--;
    return value;
  }

  private fail(expected: string, found: IToken): never {
    if (tokenMatcher(found, UnterminatedString)) {
      throw new SyntaxFailure('unterminated quoted string: add the closing quote', this.source.startOf(found));
    }
    throw new SyntaxFailure(`${expected} but found ${describeToken(found)}`, this.source.startOf(found));
  }

  /** A transformer (or, on a right-hand side, `val`) name touching its '('. */
  private transformerFollows(allowVal: boolean): boolean {
    const name = this.LA(1);
    const paren = this.LA(2);
    return (
      tokenMatcher(name, Word) &&
      (TRANSFORMERS.includes(name.image) || (allowVal && name.image === 'val')) &&
      tokenMatcher(paren, LParen) &&
      touches(name, paren)
    );
  }

  /** libsinsp's test for `= oneof (…)`: a modifier, a blank, then a list or a name that is not and/or/not. */
  private modifierFollows(): boolean {
    const modifier = this.LA(1);
    if (!tokenMatcher(modifier, Word) || !(OPERATOR_MODIFIERS as readonly string[]).includes(modifier.image)) return false;
    if (!this.source.blankAfter(modifier)) return false;
    const next = this.LA(2);
    if (tokenMatcher(next, LParen)) return true;
    if (!tokenMatcher(next, Word) || !/^[a-zA-Z]/.test(next.image)) return false;
    return !/^(and|or|not)([^a-zA-Z0-9]|$)/.test(next.image);
  }

  private listItemFollows(): boolean {
    const next = this.LA(1);
    return tokenMatcher(next, QuotedString) || tokenMatcher(next, BareStringPiece);
  }

  private unquote(token: IToken): string {
    try {
      return unescapeQuoted(token.image);
    } catch (error) {
      if (error instanceof EscapeError) {
        throw new SyntaxFailure(error.message, this.source.position(token.startOffset + error.offsetInToken));
      }
      throw error;
    }
  }

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
