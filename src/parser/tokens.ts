/** Questions about the condition lexer's tokens that the grammar's gates ask. */
import { EOF, tokenMatcher, type IToken } from './chevrotain.js';
import type { BinaryOperator } from './ast.js';
import { Word } from './lexer.js';
import { IDENTIFIER, LIST_OPERATORS_BY_PRIORITY } from './words.js';

export function isWord(token: IToken, image: string): boolean {
  return tokenMatcher(token, Word) && token.image === image;
}

/** True when `next` starts right where `token` ends, with no blank in between. */
export function touches(token: IToken, next: IToken): boolean {
  return !tokenMatcher(next, EOF) && next.startOffset === token.endOffset! + 1;
}

export type ListOperatorMatch = { operator: BinaryOperator; rest: string };

/** A list operator at the start of a word (`in`, or `inx` read as `in x`, as libsinsp does). */
export function listOperatorAt(token: IToken): ListOperatorMatch | undefined {
  if (!tokenMatcher(token, Word)) return undefined;
  for (const operator of LIST_OPERATORS_BY_PRIORITY) {
    if (!token.image.startsWith(operator)) continue;
    const rest = token.image.slice(operator.length);
    // libsinsp takes the operator as a prefix; what touches it must then read as a list name.
    return rest === '' || IDENTIFIER.test(rest) ? { operator, rest } : undefined;
  }
  return undefined;
}

/** A token as an error message names it. */
export function describeToken(token: IToken): string {
  if (tokenMatcher(token, EOF)) return 'the end of the condition';
  // Control characters are shown escaped, so the message says what is really there.
  return /[\x00-\x1f]/.test(token.image) ? `the character ${JSON.stringify(token.image)}` : `'${token.image}'`;
}
