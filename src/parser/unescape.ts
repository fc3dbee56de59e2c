/**
 * Escape handling of quoted strings, as libsinsp's `unescape_str` (filter/escaping.cpp):
 * \b \f \n \r \t \\ \/ \xHH, the quote that delimits the string, and `\ ` (read as a backslash,
 * kept by libsinsp for old rules). Anything else is an error, with libsinsp's message.
 */
import { transformerSpec } from '../operators/transformers.js';
import { SYNTAX } from './errors.js';

export class EscapeError extends Error {
  /** Offset of the backslash inside the quoted token (0 = opening quote). */
  constructor(
    message: string,
    readonly offsetInToken: number,
  ) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  ' ': '\\',
  '/': '/',
};

const HEX_DIGITS = /^[0-9a-fA-F]{2}$/;

/** Turns a quoted token (quotes included) into the string it denotes. */
export function unescapeQuoted(token: string): string {
  const quote = token[0];
  const last = token.length - 1;
  let out = '';
  for (let i = 1; i < last; i++) {
    const c = token[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    // The lexer never ends a quoted string right after a backslash, so an escaped character follows.
    const backslash = i;
    const next = token[++i]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
    } else if (next === '"' || next === "'") {
      if (next !== quote) throw new EscapeError(SYNTAX.quoteEscape(next), backslash);
      out += next;
    } else if (next === 'x') {
      if (i + 2 >= last) throw new EscapeError(SYNTAX.truncatedHex, backslash);
      const digits = token.slice(i + 1, i + 3);
      // std::from_chars must read exactly two hexadecimal digits.
      if (!HEX_DIGITS.test(digits)) throw new EscapeError(SYNTAX.badHex(digits), backslash);
      out += String.fromCharCode(parseInt(digits, 16));
      i += 2;
    } else {
      throw new EscapeError(SYNTAX.unsupportedEscape(next), backslash);
    }
  }
  return out;
}

/** Characters that can stand in a bare (unquoted) string. */
const BARE_STRING = /^[^ \t\b\r\n\f\v()"'=,]+$/;
const KEYWORD_LIKE = /^(and|or|not|oneof|anyof|allof)$/;

/** Whether `value` can be written unquoted as a right-hand side or list item. */
export function canBeBare(value: string): boolean {
  return BARE_STRING.test(value) && !KEYWORD_LIKE.test(value) && transformerSpec(value) === undefined;
}

/** Writes `value` as a double-quoted string that `unescapeQuoted` turns back into `value`. */
export function quote(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    switch (c) {
      case '\\':
        // A backslash right before the closing quote would hide it from the lexer (as in libsinsp).
        out += i === value.length - 1 ? '\\x5c' : '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += c;
    }
  }
  return `${out}"`;
}
