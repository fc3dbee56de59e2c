import { LIST_OPERATORS, NUMERIC_OPERATORS, OPERATOR_MODIFIERS, STRING_OPERATORS, UNARY_OPERATORS } from '../parser/ast.js';

/** Every comparison operator of the condition language (libsinsp's list). */
export const LOAD_OPERATORS: readonly string[] = [...UNARY_OPERATORS, ...NUMERIC_OPERATORS, ...STRING_OPERATORS, ...LIST_OPERATORS];

/** String operators accept a list modifier (`startswith oneof`). */
const MODIFIABLE: ReadonlySet<string> = new Set(STRING_OPERATORS);

/** `startswith oneof`, `= anyof`, `contains allof`: a string operator with a list modifier. */
export function isStringOperatorWithModifier(op: string): boolean {
  const parts = op.trim().split(/\s+/);
  return parts.length === 2 && MODIFIABLE.has(parts[0]!) && (OPERATOR_MODIFIERS as readonly string[]).includes(parts[1]!);
}

/** Operators whose right-hand side is a parenthesised list. */
export function isListOperatorText(op: string): boolean {
  return op === 'in' || op === 'intersects' || op === 'pmatch' || isStringOperatorWithModifier(op);
}
