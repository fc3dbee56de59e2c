import type { Expr } from './ast.js';
import { type ConditionSyntaxError, SYNTAX } from './errors.js';
import { tokenize } from './lexer.js';
import { ConditionParser } from './parser.js';
import { SyntaxFailure } from './parser-cursor.js';
import { DEFAULT_MAX_DEPTH } from './words.js';

export type ParseResult = { ok: true; ast: Expr } | { ok: false; error: ConditionSyntaxError };

export interface ParseOptions {
  /**
   * libsinsp's recursion limit: 100 by default (sysdig filters), 1000 in Falco's rule loader
   * (RULES_MAX_DEPTH).
   */
  maxDepth?: number;
}

let sharedParser: ConditionParser | undefined;

/** Parses one condition. Never throws: syntax errors come back as data with their position. */
export function parseCondition(text: string, options: ParseOptions = {}): ParseResult {
  if (text.length === 0) {
    return { ok: false, error: { code: 'CONDITION_SYNTAX', message: SYNTAX.empty, position: { offset: 0, line: 1, column: 1 } } };
  }
  const { tokens, errors } = tokenize(text);
  const [lexError] = errors;
  if (lexError) {
    // Every character is some token (see lexer.ts): this would be a lexer bug.
    throw new Error(`condition lexer: no token at ${JSON.stringify(text.slice(lexError.offset, lexError.offset + 10))}`);
  }
  sharedParser ??= new ConditionParser();
  try {
    return { ok: true, ast: sharedParser.parseText(text, tokens, options.maxDepth ?? DEFAULT_MAX_DEPTH) };
  } catch (error) {
    if (error instanceof SyntaxFailure) {
      const syntaxError: ConditionSyntaxError = { code: 'CONDITION_SYNTAX', message: error.message, position: error.position };
      if (error.hint) syntaxError.hint = error.hint;
      return { ok: false, error: syntaxError };
    }
    throw error;
  }
}
