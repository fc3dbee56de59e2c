import type { SourcePosition } from './ast.js';

/** A syntax error in a condition, positioned at the offending token (or the end of input). */
export interface ConditionSyntaxError {
  code: 'CONDITION_SYNTAX';
  /** What was expected and what was found, e.g. `expected a ')' but found end of condition`. */
  message: string;
  position: SourcePosition;
}

/** `1:17: message` as printed to a person. */
export function formatSyntaxError(error: ConditionSyntaxError): string {
  return `${error.position.line}:${error.position.column}: ${error.message}`;
}
