/**
 * Chevrotain lexer for Falco conditions.
 *
 * libsinsp's parser is scannerless: what a run of characters means depends on
 * where it stands (`and` is a keyword after a check but a macro name before one;
 * `/usr/bin/*` is one bare string). The lexer therefore only splits the text into
 * context-free pieces: punctuation, comparison symbols, quoted strings and maximal
 * "words". The parser decides what a word is from its position, splits a word where
 * libsinsp reads only a prefix of it (`10and`), and glues adjacent pieces back together
 * where libsinsp reads one bare string (`a!b`, `x[1]`).
 * Whitespace is skipped; adjacency is recovered from token offsets.
 */
import { createToken, type IToken, Lexer, type TokenType } from './chevrotain.js';

export const Whitespace = createToken({
  name: 'Whitespace',
  // libsinsp treats space, tab, backspace, CR and LF as blanks.
  pattern: /[ \t\b\r\n]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/**
 * Every token but EOF: the parser's never-taken alternatives consume it, so that a rule
 * ending in an error is reached by every token (see parser.ts).
 */
export const AnyToken = createToken({ name: 'AnyToken', pattern: Lexer.NA });

/** Pieces that libsinsp reads as part of one bare string when they touch (`/usr/bin/*`, `a!b`, `[x]`). */
export const BareStringPiece = createToken({ name: 'BareStringPiece', pattern: Lexer.NA });
/** Pieces that libsinsp reads as part of an unquoted field argument (`[/var/run/docker.sock]`, `[a(b)=c]`). */
export const FieldArgPiece = createToken({ name: 'FieldArgPiece', pattern: Lexer.NA });

export const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('", categories: [AnyToken, FieldArgPiece] });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'", categories: [AnyToken, FieldArgPiece] });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['", categories: [AnyToken, BareStringPiece] });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'", categories: [AnyToken, BareStringPiece] });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: "','", categories: [AnyToken, FieldArgPiece] });

export const EqEq = createToken({ name: 'EqEq', pattern: '==', label: "'=='", categories: [AnyToken, FieldArgPiece] });
export const NotEq = createToken({ name: 'NotEq', pattern: '!=', label: "'!='", categories: [AnyToken, FieldArgPiece] });
export const LtEq = createToken({ name: 'LtEq', pattern: '<=', label: "'<='", categories: [AnyToken, FieldArgPiece] });
export const GtEq = createToken({ name: 'GtEq', pattern: '>=', label: "'>='", categories: [AnyToken, FieldArgPiece] });
export const Eq = createToken({ name: 'Eq', pattern: '=', label: "'='", categories: [AnyToken, FieldArgPiece] });
export const Lt = createToken({ name: 'Lt', pattern: '<', label: "'<'", categories: [AnyToken, FieldArgPiece, BareStringPiece] });
export const Gt = createToken({ name: 'Gt', pattern: '>', label: "'>'", categories: [AnyToken, FieldArgPiece, BareStringPiece] });
/** A lone `!`: only meaningful as part of a bare string. */
export const Bang = createToken({ name: 'Bang', pattern: '!', label: "'!'", categories: [AnyToken, FieldArgPiece, BareStringPiece] });

/**
 * A quoted string. As in libsinsp, the closing quote is the first quote character
 * of the same kind that is not immediately preceded by a backslash.
 */
function matchQuoted(text: string, offset: number): RegExpExecArray | null {
  const quote = text[offset];
  if (quote !== '"' && quote !== "'") return null;
  for (let i = offset + 1; i < text.length; i++) {
    if (text[i] === quote && text[i - 1] !== '\\') {
      return execResult(text.slice(offset, i + 1));
    }
  }
  return null;
}

function matchUnterminated(text: string, offset: number): RegExpExecArray | null {
  const quote = text[offset];
  if (quote !== '"' && quote !== "'") return null;
  return execResult(text.slice(offset));
}

function execResult(image: string): RegExpExecArray {
  const result = [image] as unknown as RegExpExecArray;
  return result;
}

export const QuotedString = createToken({
  name: 'QuotedString',
  pattern: { exec: matchQuoted },
  line_breaks: true,
  start_chars_hint: ['"', "'"],
  label: 'a quoted string',
  categories: [AnyToken],
});

/** An opening quote with no closing one: reported by the parser with its position. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: { exec: matchUnterminated },
  line_breaks: true,
  start_chars_hint: ['"', "'"],
  label: 'an unterminated quoted string',
  categories: [AnyToken],
});

/** Any maximal run of characters that are not blanks, punctuation, quotes or comparison symbols. */
export const Word = createToken({
  name: 'Word',
  pattern: /[^ \t\b\r\n\f\v()[\],=!<>"']+/,
  label: 'a word',
  categories: [AnyToken, FieldArgPiece, BareStringPiece],
});

/** Form feed and vertical tab: not blanks for libsinsp (except after `not`), and never part of a bare string. */
export const StrayCharacter = createToken({
  name: 'StrayCharacter',
  pattern: /[\f\v]/,
  line_breaks: true,
  label: 'an unexpected character',
  categories: [AnyToken],
});

export const allTokens: TokenType[] = [
  AnyToken,
  BareStringPiece,
  FieldArgPiece,
  Whitespace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Eq,
  Lt,
  Gt,
  Bang,
  QuotedString,
  UnterminatedString,
  Word,
  StrayCharacter,
];

export const conditionLexer = new Lexer(allTokens, {
  positionTracking: 'full',
  ensureOptimizations: false,
  skipValidations: true,
});

export function tokenize(text: string): { tokens: IToken[]; errors: { offset: number; line: number; column: number }[] } {
  const result = conditionLexer.tokenize(text);
  return {
    tokens: result.tokens,
    errors: result.errors.map((e) => ({ offset: e.offset, line: e.line ?? 1, column: e.column ?? 1 })),
  };
}
