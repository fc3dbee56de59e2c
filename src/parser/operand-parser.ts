/**
 * The operands of Falco conditions, as libsinsp's parser reads them (parser.cpp: fields and
 * their arguments, transformers and their lists, `val()`, the values and lists on the right of
 * an operator, numbers). ConditionParser (parser.ts) builds the expressions on top of these
 * rules: a Chevrotain grammar may be split over a class and its subclass, analysed once.
 */

import type {
  FieldExpr,
  ListExpr,
  ListRefExpr,
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
import { SYNTAX } from './errors.js';
import { BareStringPiece, Comma, FieldArgPiece, LBracket, LParen, QuotedString, RBracket, RParen, Word } from './lexer.js';
import { CursorParser } from './parser-cursor.js';
import { touches } from './tokens.js';
import { FIELD_NAME, fieldNamePrefix, IDENTIFIER, identifierPrefix, NUMBER, numberPrefix } from './words.js';

export abstract class OperandParser extends CursorParser {
  /** parse_field_remainder: a field name (known to be one) and its optional argument. */
  protected field = this.RULE('field', (): FieldExpr => {
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
  protected optionalFieldArg = this.RULE('optionalFieldArg', (previous: IToken): { value: string; end: SourcePosition } | undefined => {
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
  protected bareFieldArg = this.RULE('bareFieldArg', (lead: string): { text: string; end: number } => {
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
  protected bareString = this.RULE('bareString', (): { text: string; end: number } => {
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
  protected transformer = this.RULE('transformer', (): TransformerExpr => {
    const name = this.CONSUME(Word);
    return this.SUBRULE(this.transformerRemainder, { ARGS: [name.image, this.ACTION(() => this.source.startOf(name))] });
  });

  /** parse_field_or_transformer_remainder: `(arg, …)` and an optional `[arg]`. */
  protected transformerRemainder = this.RULE('transformerRemainder', (name: string, start: SourcePosition): TransformerExpr => {
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
  protected transformerArg = this.RULE('transformerArg', (): TransformerArg => {
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
  protected transformerList = this.RULE('transformerList', (): TransformerListExpr => {
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
  protected transformerListItem = this.RULE('transformerListItem', (): TransformerListItem => {
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

  /** parse_num_value_or_transformer */
  protected numberOrTransformer = this.RULE('numberOrTransformer', (): RightHandSide => {
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
  protected stringValue = this.RULE('stringValue', (message: string): ValueExpr => {
    this.ACTION(() => this.splitBareThenEq());
    return this.OR([
      { ALT: () => this.SUBRULE(this.quotedValue) },
      { GATE: () => this.bareStringAhead(), ALT: () => this.SUBRULE(this.bareValue) },
      { ALT: () => this.ACTION(() => this.fail(message, this.LA(1))) },
    ]);
  });

  protected bareValue = this.RULE('bareValue', (): ValueExpr => {
    const first = this.LA(1);
    const bare = this.SUBRULE(this.bareString);
    return this.ACTION((): ValueExpr => ({ kind: 'value', value: bare.text, range: this.source.span(first, this.source.position(bare.end)) }));
  });

  protected quotedValue = this.RULE('quotedValue', (): ValueExpr => {
    const token = this.CONSUME(QuotedString);
    return this.ACTION(() => {
      const value = this.unquote(token);
      this.lexemes.set(token, value);
      return { kind: 'value', value, range: this.source.tokenRange(token) };
    });
  });

  protected numberValue = this.RULE('numberValue', (): ValueExpr => {
    const token = this.CONSUME(Word);
    return this.ACTION(() => ({ kind: 'value', value: token.image, range: this.source.tokenRange(token) }));
  });

  /** parse_list_value, after a modifier: a literal list or a list name. */
  protected listOrName = this.RULE('listOrName', (): ListExpr | ListRefExpr => {
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
  protected listOrTransformer = this.RULE('listOrTransformer', (): RightHandSide => {
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

  protected listRef = this.RULE('listRef', (): ListRefExpr => {
    const token = this.CONSUME(Word);
    return this.ACTION(() => ({ kind: 'list_ref', name: token.image, range: this.source.tokenRange(token) }));
  });

  /**
   * try_parse_list_expr. libsinsp reads the first item inside a try block and takes any
   * error there for an empty list: an invalid escape in a quoted first item, or the depth
   * limit reached by it, is not reported (the quoted item is skipped; a depth error leaves
   * libsinsp's depth count one too high, see parseText).
   */
  protected list = this.RULE('list', (): ListExpr => {
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
  protected listItem = this.RULE('listItem', (): ValueExpr => {
    this.ACTION(() => this.enter());
    const value = this.SUBRULE(this.stringValue, { ARGS: [SYNTAX.string] });
    return this.ACTION(() => this.leave(value));
  });

  /** try_parse_transformer_or_val: `val(field)` or a transformer, on a right-hand side. */
  protected transformerOrVal = this.RULE('transformerOrVal', (): TransformerExpr => {
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
  protected valRemainder = this.RULE('valRemainder', (start: SourcePosition): TransformerExpr => {
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

  /** A transformer node from its name's start to its ')' or the `[arg]` after it. */
  protected transformerNode(
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
}
