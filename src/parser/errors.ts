import { FIELD_TRANSFORMERS, LIST_OPERATORS, NUMERIC_OPERATORS, type SourcePosition, STRING_OPERATORS, UNARY_OPERATORS } from './ast.js';

/** A syntax error in a condition, positioned at the offending token (or the end of input). */
export interface ConditionSyntaxError {
  code: 'CONDITION_SYNTAX';
  /** libsinsp's message, word for word: what Falco and sysdig print for the same text. */
  message: string;
  position: SourcePosition;
  /** kestrel's explanation, when libsinsp's message needs one (an unclosed quote, the depth limit). */
  hint?: string;
}

/** `1:17: message`, and the hint on a line of its own, as printed to a person. */
export function formatSyntaxError(error: ConditionSyntaxError): string {
  const head = `${error.position.line}:${error.position.column}: ${error.message}`;
  return error.hint ? `${head}\nhint: ${error.hint}` : head;
}

/** libsinsp's list operators, in the order its parser tries them (`intersects` before its prefix `in`): the registry's order. */
export const LIST_OPERATORS_BY_PRIORITY = LIST_OPERATORS;

const quoted = (words: readonly string[]) => words.map((w) => `'${w}'`).join(', ');
/** parser::supported_field_transformers(true): `val` first. */
const TRANSFORMER_LIST = quoted(['val', ...FIELD_TRANSFORMERS]);
/** parser::supported_operators(): unary, numeric, string, then list operators. */
const OPERATOR_LIST = quoted([...UNARY_OPERATORS, ...NUMERIC_OPERATORS, ...STRING_OPERATORS, ...LIST_OPERATORS_BY_PRIORITY]);

/**
 * Every message the condition parser gives, in libsinsp's words: `userspace/libsinsp/filter/parser.cpp`
 * (and `escaping.cpp` for quoted strings) of falcosecurity/libs. Each is thrown where
 * libsinsp throws it; the comment names the libsinsp function.
 */
export const SYNTAX = {
  /** parser::parse */
  empty: 'filter input string is empty',
  /** parser::parse: text left after a whole expression; `last` is the last token read. */
  trailing: (last: string) => `unexpected token after '${last}', expecting 'or', 'and'`,
  /** parser::parse: only after a depth error swallowed at the head of a list (see the list rule). */
  unbalanced: 'parser fatal error: recursion is unbalanced',
  /** parse_or / parse_and */
  blankAfter: (keyword: 'and' | 'or') => `expected blank or '(' after '${keyword}'`,
  /** parse_embedded_remainder, try_parse_list_expr */
  closeParen: "expected a ')' token",
  /** parse_check */
  check: "expected a '(' token, a field check, or an identifier",
  /** parse_optional_field_arg */
  fieldArgument: 'expected a valid field argument: a quoted string or a bare string',
  closeBracket: "expected a ']' token",
  /** parse_field_or_transformer_remainder, try_parse_transformer_or_val */
  closeTransformer: "expected a ')' token closing the transformer",
  /** parse_field_transformer_arg */
  transformerArgument: 'expected field transformer argument: field, transformer, quoted string, number, or transformer list',
  /** parse_transformer_list */
  closeTransformerList: "expected ')'",
  /** parse_transformer_list_arg */
  transformerListArgument: 'expected transformer list argument: field, transformer, quoted string, or number',
  /** parse_condition */
  operator: `expected a valid check operator: one of ${OPERATOR_LIST}`,
  /** parse_num_value_or_transformer */
  number: `expected a number value or a field with a valid transformer: ${TRANSFORMER_LIST}`,
  /** parse_str_value_or_transformer, inside a list (no transformer allowed) */
  string: 'expected a string value',
  /** parse_str_value_or_transformer */
  stringOrTransformer: `expected a string value or a field with a valid transformer: ${TRANSFORMER_LIST}`,
  /** parse_list_value (after `oneof`, `anyof`, `allof`) */
  listOrIdentifier: 'expected a list or an identifier',
  /** parse_list_value_or_transformer */
  listOrTransformer: `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMER_LIST}`,
  /** try_parse_transformer_or_val */
  valField: (transformer: string) => `expected a field within '${transformer}' transformer`,
  /** depth_guard */
  depth: (max: number) => `exceeded max depth limit of ${max}`,
  /** escaping.cpp unescape_str: a quote escape of the other quote kind. */
  quoteEscape: (escaped: '"' | "'") => (escaped === '"' ? `invalid \\" escape in '-quoted string` : `invalid \\' escape in "-quoted string`),
  truncatedHex: 'truncated hex char escape sequence',
  badHex: (digits: string) => `invalid hex char escape sequence: ${digits}`,
  unsupportedEscape: (c: string) => `unsupported string escape sequence: \\${c}`,
} as const;

/** kestrel's hints: added to libsinsp's message, never instead of it. */
export const HINTS = {
  unterminated: 'this quoted string has no closing quote',
  depth: (max: number) =>
    `libsinsp's parser gives up after ${max} nested calls, and each pair of parentheses costs 5 ` +
    `(about ${Math.floor((max - 8) / 5)} parentheses around a comparison). Flatten the condition, ` +
    `or move parts of it into macros: macros are expanded after parsing and do not count.`,
} as const;
