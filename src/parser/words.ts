/**
 * The shapes of words the condition parser works with: libsinsp's token regular
 * expressions (parser.cpp's RGX_* macros). libsinsp matches them at its cursor and takes
 * the longest prefix they match, so the parser reads `10and` as `10` then `and`; the
 * prefix forms say how much of a word each one takes.
 */
import { STRING_OPERATORS } from '../operators/registry.js';
import { FIELD_TRANSFORMERS } from '../operators/transformers.js';

export { LIST_OPERATORS_BY_PRIORITY } from './errors.js';

/** RGX_FIELDNAME */
export const FIELD_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+$/;
const FIELD_NAME_PREFIX = /^[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+/;
/** RGX_IDENTIFIER */
export const IDENTIFIER = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const IDENTIFIER_PREFIX = /^[a-zA-Z]+[a-zA-Z0-9_]*/;
/** RGX_HEXNUM, then RGX_NUMBER: decimal with sign, fraction and exponent. */
export const NUMBER = /^(0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?)$/;
const HEX_PREFIX = /^0[xX][0-9a-fA-F]+/;
const DECIMAL_PREFIX = /^[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?/;
/** The string operators written as words; libsinsp wants a blank after each. */
export const WORD_STRING_OPERATORS: readonly string[] = STRING_OPERATORS.filter((op) => /^[a-z]/.test(op));
export const TRANSFORMERS: readonly string[] = FIELD_TRANSFORMERS;
/** The default of libsinsp's parser (parser::parser): sysdig filters, `kestrel parse`. */
export const DEFAULT_MAX_DEPTH = 100;
/** What Falco's rule loader sets (rule_loader_compiler.cpp parse_condition: p.set_max_depth(1000)). */
export const RULES_MAX_DEPTH = 1000;
/** lex_blank: what libsinsp skips between tokens. */
export const BLANKS = ' \t\b\r\n';
/** `[[:space:]]` of RGX_NOTBLANK (`not` and the blanks after it): no backspace, but form feed and vertical tab. */
export const POSIX_SPACES = ' \t\n\v\f\r';

/** How many characters of `word` a prefix pattern takes (0: none). */
function prefixLength(pattern: RegExp, word: string): number {
  return pattern.exec(word)?.[0].length ?? 0;
}

export const fieldNamePrefix = (word: string): number => prefixLength(FIELD_NAME_PREFIX, word);
export const identifierPrefix = (word: string): number => prefixLength(IDENTIFIER_PREFIX, word);
/** lex_hex_num || lex_num */
export const numberPrefix = (word: string): number => prefixLength(HEX_PREFIX, word) || prefixLength(DECIMAL_PREFIX, word);
