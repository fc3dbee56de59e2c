/**
 * What libsinsp's condition parser keeps besides its grammar, for ConditionParser (parser.ts):
 * the cursor over the tokens, where words are split as libsinsp's prefix matches split them,
 * the lookahead tests its gates ask, depth_guard's count, the last token read (for
 * `unexpected token after '…'`), and the errors.
 */

import { OPERATOR_MODIFIERS, type SourcePosition } from './ast.js';
import { EmbeddedActionsParser, EOF, type IToken, type TokenType, tokenMatcher } from './chevrotain.js';
import { HINTS, SYNTAX } from './errors.js';
import { AnyToken, allTokens, Bang, BareStringPiece, Eq, Gt, GtEq, LParen, Lt, LtEq, NotEq, QuotedString, UnterminatedString, Word } from './lexer.js';
import { SourceText } from './source-text.js';
import { touches, wordPrefix } from './tokens.js';
import { EscapeError, unescapeQuoted } from './unescape.js';
import { DEFAULT_MAX_DEPTH, fieldNamePrefix, TRANSFORMERS, WORD_STRING_OPERATORS } from './words.js';

/** Thrown inside the parser; converted to a ConditionSyntaxError by parseCondition. */
export class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The token vector Chevrotain reads (LexerAdapter), which `split` edits ahead of the cursor. */
interface TokenVector {
  tokVector: IToken[];
  tokVectorLength: number;
  currIdx: number;
}

/** `<=`, `>=`, `!=`: libsinsp's bare strings take their first character and stop at the `=`. */
const BARE_THEN_EQ: [TokenType, TokenType][] = [
  [LtEq, Lt],
  [GtEq, Gt],
  [NotEq, Bang],
];

export abstract class CursorParser extends EmbeddedActionsParser {
  protected source = new SourceText('');
  protected depth = 0;
  protected maxDepth = DEFAULT_MAX_DEPTH;
  /** What libsinsp keeps as the text of a token when it differs from the token's image (m_last_token). */
  protected lexemes = new Map<IToken, string>();

  /**
   * `validate`: check the grammar itself (ambiguities, left recursion) while it is analysed.
   * The grammar does not change at run time, so only a test asks for it; skipped, every command
   * starts ~7 ms sooner.
   */
  constructor({ validate = false }: { validate?: boolean } = {}) {
    // One token of lookahead: every alternative then keeps its whole first set and the gates decide.
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1, skipValidations: !validate });
  }

  /** Starts reading `text`, with libsinsp's depth limit `maxDepth`. */
  protected begin(text: string, tokens: IToken[], maxDepth: number): void {
    this.source = new SourceText(text);
    this.depth = 0;
    this.maxDepth = maxDepth;
    this.lexemes = new Map();
    this.input = tokens;
  }

  // ---- depth --------------------------------------------------------------------------------

  /** depth_guard's constructor: one more level, an error at the limit. */
  protected enter(): void {
    this.depth++;
    if (this.depth >= this.maxDepth) {
      throw new SyntaxFailure(SYNTAX.depth(this.maxDepth), this.source.startOf(this.LA(1)), HINTS.depth(this.maxDepth));
    }
  }

  protected leave<T>(value: T): T {
    this.depth--;
    return value;
  }

  /** A guarded libsinsp function entered and left without reading anything (try_parse_transformer_or_val finding none). */
  protected probe(): void {
    this.enter();
    this.depth--;
  }

  /** Never-taken alternatives that give a rule every token and the end of input as first token (see the header). */
  protected everyToken<T>(): { GATE: () => boolean; ALT: () => T; IGNORE_AMBIGUITIES: true }[] {
    return [
      { GATE: () => false, ALT: () => this.consume(8, AnyToken) as never, IGNORE_AMBIGUITIES: true },
      { GATE: () => false, ALT: () => this.consume(9, EOF) as never, IGNORE_AMBIGUITIES: true },
    ];
  }

  /**
   * What libsinsp's try block around a list's first item makes of it: 'item' when the item
   * reads, 'skip' for a quoted string with a bad escape (read, then dropped), 'empty' when
   * nothing reads or the depth limit is hit (libsinsp does not undo that level).
   */
  protected listHead(): 'item' | 'skip' | 'empty' {
    if (this.depth + 1 >= this.maxDepth) {
      this.depth++;
      return 'empty';
    }
    this.splitBareThenEq();
    const next = this.LA(1);
    if (tokenMatcher(next, QuotedString)) {
      try {
        unescapeQuoted(next.image);
        return 'item';
      } catch (error) {
        if (error instanceof EscapeError) return 'skip';
        throw error;
      }
    }
    return this.bareStringAhead() ? 'item' : 'empty';
  }

  // ---- splitting words as libsinsp's prefix matches do ----------------------------------------

  /** Splits the word ahead after `length` characters, when that leaves a part after it. */
  protected split(length: number, firstType?: TokenType, restType?: TokenType): void {
    const token = this.LA(1);
    if (length <= 0 || length >= token.image.length) return;
    const parser = this as unknown as TokenVector;
    const first: IToken = { ...token, image: token.image.slice(0, length), endOffset: token.startOffset + length - 1 };
    const rest: IToken = { ...token, image: token.image.slice(length), startOffset: token.startOffset + length };
    if (token.startColumn !== undefined) {
      first.endColumn = token.startColumn + length - 1;
      rest.startColumn = token.startColumn + length;
    }
    if (firstType) Object.assign(first, { tokenType: firstType, tokenTypeIdx: firstType.tokenTypeIdx });
    if (restType) Object.assign(rest, { tokenType: restType, tokenTypeIdx: restType.tokenTypeIdx });
    parser.tokVector.splice(parser.currIdx + 1, 1, first, rest);
    parser.tokVectorLength += 1;
  }

  /** `andx` is `and` then `x`: libsinsp tests the connectives with strncmp. */
  protected splitKeyword(keyword: 'and' | 'or'): void {
    if (wordPrefix(this.LA(1), [keyword])) this.split(keyword.length);
  }

  /** `<=`, `>=` or `!=` where a bare string starts or goes on: it takes the first character. */
  protected splitBareThenEq(): void {
    const pair = BARE_THEN_EQ.find(([type]) => tokenMatcher(this.LA(1), type));
    if (pair) this.split(1, pair[1], Eq);
  }

  /** The backspaces starting at `offset`: blanks for lex_blank, but part of bare strings. */
  protected backspacesAfter(offset: number): string {
    let end = offset;
    while (this.source.text[end] === '\b') end++;
    return this.source.text.slice(offset, end);
  }

  /** The image of the word ahead, or '' when the next token is no word. */
  protected wordAhead(): string {
    return tokenMatcher(this.LA(1), Word) ? this.LA(1).image : '';
  }

  /** RGX_FIELDNAME at the cursor: splits off the field name; false when there is none. */
  protected fieldNameAhead(): boolean {
    const length = fieldNamePrefix(this.wordAhead());
    this.split(length);
    return length > 0;
  }

  // ---- lookahead ----------------------------------------------------------------------------

  /** A transformer (or, on a right-hand side, `val`) name touching its '('. */
  protected transformerFollows(allowVal: boolean): boolean {
    const name = this.LA(1);
    const paren = this.LA(2);
    return (
      tokenMatcher(name, Word) &&
      (TRANSFORMERS.includes(name.image) || (allowVal && name.image === 'val')) &&
      tokenMatcher(paren, LParen) &&
      touches(name, paren)
    );
  }

  /** `glob`, `contains`, …: libsinsp wants the word and then a blank. */
  protected wordStringOperatorAhead(): boolean {
    const word = this.LA(1);
    return tokenMatcher(word, Word) && WORD_STRING_OPERATORS.includes(word.image) && this.source.blankAfter(word);
  }

  /** Where a bare string can start: a bare piece, or a `<=`/`>=`/`!=` whose first character starts one. */
  protected bareStringAhead(): boolean {
    const next = this.LA(1);
    return tokenMatcher(next, BareStringPiece) || BARE_THEN_EQ.some(([type]) => tokenMatcher(next, type));
  }

  /**
   * After the first `not`, the next one must start where RGX_NOTBLANK stopped: a backspace
   * is a blank for lex_blank but not for `[[:space:]]`, so `not \bnot x` has one `not`.
   */
  protected notAtCursor(first: boolean): boolean {
    return first || !this.source.text.slice(this.LA(0).endOffset! + 1, this.LA(1).startOffset).includes('\b');
  }

  /** libsinsp's test for `= oneof (…)`: a modifier, a blank, then a list or a name that is not and/or/not. */
  protected modifierFollows(): boolean {
    const modifier = this.LA(1);
    if (!tokenMatcher(modifier, Word) || !(OPERATOR_MODIFIERS as readonly string[]).includes(modifier.image)) return false;
    if (!this.source.blankAfter(modifier)) return false;
    const next = this.LA(2);
    if (tokenMatcher(next, LParen)) return true;
    if (!tokenMatcher(next, Word) || !/^[a-zA-Z]/.test(next.image)) return false;
    return !/^(and|or|not)([^a-zA-Z0-9]|$)/.test(next.image);
  }

  // ---- errors -------------------------------------------------------------------------------

  protected fail(message: string, found: IToken): never {
    const hint = tokenMatcher(found, UnterminatedString) ? HINTS.unterminated : undefined;
    throw new SyntaxFailure(message, this.source.startOf(found), hint);
  }

  protected unquote(token: IToken): string {
    try {
      return unescapeQuoted(token.image);
    } catch (error) {
      if (error instanceof EscapeError) {
        throw new SyntaxFailure(error.message, this.source.position(token.startOffset + error.offsetInToken));
      }
      throw error;
    }
  }
}
