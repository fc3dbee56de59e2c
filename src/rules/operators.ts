import { OPERATOR_MODIFIERS } from '../parser/ast.js';

/** Every comparison operator of the condition language (libsinsp's list). */
export const LOAD_OPERATORS: readonly string[] = [
  'exists',
  '<=',
  '<',
  '>=',
  '>',
  '==',
  '=',
  '!=',
  'glob',
  'iglob',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'regex',
  'intersects',
  'in',
  'pmatch',
];

/** String operators that accept a list modifier (`startswith oneof`). */
const MODIFIABLE = new Set(['=', '==', '!=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex']);

/** `startswith oneof`, `= anyof`, `contains allof`: a string operator with a list modifier. */
export function isStringOperatorWithModifier(op: string): boolean {
  const parts = op.trim().split(/\s+/);
  return parts.length === 2 && MODIFIABLE.has(parts[0]!) && (OPERATOR_MODIFIERS as readonly string[]).includes(parts[1]!);
}

/** Operators whose right-hand side is a parenthesised list. */
export function isListOperatorText(op: string): boolean {
  return op === 'in' || op === 'intersects' || op === 'pmatch' || isStringOperatorWithModifier(op);
}
