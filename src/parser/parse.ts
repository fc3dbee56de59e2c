import type { Expr } from './ast.js';
import type { ConditionSyntaxError } from './errors.js';
import { tokenize } from './lexer.js';
import { ConditionParser, SyntaxFailure } from './parser.js';
import { SourceText } from './source-text.js';

export type ParseResult = { ok: true; ast: Expr } | { ok: false; error: ConditionSyntaxError };

let sharedParser: ConditionParser | undefined;

/** Parses one condition. Never throws: syntax errors come back as data with their position. */
export function parseCondition(text: string): ParseResult {
  if (text.length === 0) {
    return { ok: false, error: { code: 'CONDITION_SYNTAX', message: 'the condition is empty', position: { offset: 0, line: 1, column: 1 } } };
  }
  const { tokens, errors } = tokenize(text);
  const [lexError] = errors;
  if (lexError) {
    return {
      ok: false,
      error: {
        code: 'CONDITION_SYNTAX',
        message: `unexpected character ${JSON.stringify(text[lexError.offset])}`,
        position: new SourceText(text).position(lexError.offset),
      },
    };
  }
  sharedParser ??= new ConditionParser();
  try {
    return { ok: true, ast: sharedParser.parseText(text, tokens) };
  } catch (error) {
    if (error instanceof SyntaxFailure) {
      return { ok: false, error: { code: 'CONDITION_SYNTAX', message: error.message, position: error.position } };
    }
    throw error;
  }
}
