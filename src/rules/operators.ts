import { ALL_OPERATORS, OPERATOR_MODIFIERS, operatorSpec } from '../operators/registry.js';

/** Every comparison operator of the condition language (libsinsp's list). */
export const LOAD_OPERATORS: readonly string[] = ALL_OPERATORS;

/** `startswith oneof`, `= anyof`, `contains allof`: a string operator with a list modifier. */
export function isStringOperatorWithModifier(op: string): boolean {
  const parts = op.trim().split(/\s+/);
  return parts.length === 2 && operatorSpec(parts[0]!)?.modifiable === true && (OPERATOR_MODIFIERS as readonly string[]).includes(parts[1]!);
}

/** Operators whose right-hand side is a parenthesised list. */
export function isListOperatorText(op: string): boolean {
  return operatorSpec(op)?.rhs === 'list' || isStringOperatorWithModifier(op);
}
