/**
 * The shapes of words and the expectations the condition parser works with: libsinsp's
 * token regular expressions (matched against whole words here) and, for errors, what each
 * grammar rule expects.
 */
import { LIST_OPERATORS, STRING_OPERATORS } from '../operators/registry.js';
import { FIELD_TRANSFORMERS } from '../operators/transformers.js';

export const FIELD_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+$/;
export const IDENTIFIER = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
/** Decimal (with sign, fraction, exponent) or hexadecimal numbers. */
export const NUMBER = /^(0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?)$/;
/** The string operators written as words; libsinsp wants a blank after each. */
export const WORD_STRING_OPERATORS: readonly string[] = STRING_OPERATORS.filter((op) => /^[a-z]/.test(op));
/** Tried in this order, as libsinsp does: `intersects` before its prefix `in` (the registry's order). */
export const LIST_OPERATORS_BY_PRIORITY = LIST_OPERATORS;
export const TRANSFORMERS: readonly string[] = FIELD_TRANSFORMERS;
export const MAX_DEPTH = 100;
export const BLANKS = ' \t\b\r\n';

export const EXPECTED_CHECK = "expected a '(', a field check or a macro name";
export const EXPECTED_OPERATOR = `expected an operator: exists, <=, <, >=, >, ==, =, !=, ${WORD_STRING_OPERATORS.join(', ')}, ${LIST_OPERATORS_BY_PRIORITY.join(', ')}`;

/**
 * Where Chevrotain itself finds no viable alternative (typically at the end of the input),
 * the innermost rule tells what was expected.
 */
export const EXPECTATION_BY_RULE: Record<string, string> = {
  orExpr: EXPECTED_CHECK,
  andExpr: EXPECTED_CHECK,
  notExpr: EXPECTED_CHECK,
  check: EXPECTED_CHECK,
  connectiveOperand: EXPECTED_CHECK,
  embeddedRemainder: EXPECTED_CHECK,
  comparison: EXPECTED_OPERATOR,
  stringComparison: 'expected a value (a quoted or bare string) or a field with a transformer',
  stringOrTransformer: 'expected a value (a quoted or bare string) or a field with a transformer',
  stringValue: 'expected a value (a quoted or bare string)',
  list: "expected ',' or a ')' closing the list",
  listOrName: 'expected a list or a list name',
  listComparison: 'expected a list, a list name or a field with a transformer (val(), tolower(), …)',
  listOrTransformer: 'expected a list, a list name or a field with a transformer (val(), tolower(), …)',
  numberOrTransformer: 'expected a number or a field with a transformer (val(), tolower(), …)',
  transformer: 'expected a transformer argument',
  transformerRemainder: 'expected a transformer argument',
  valRemainder: "expected a field inside 'val('",
  transformerArg: 'expected a transformer argument: a field, a transformer, a quoted string, a number or a list',
  transformerList: "expected ',' or a ')' closing the list",
  transformerListItem: 'expected a list item: a field, a transformer, a quoted string or a number',
  transformerOrVal: "expected a field inside the transformer",
  optionalFieldArg: "expected a field argument (a quoted or bare string) and a ']'",
};
