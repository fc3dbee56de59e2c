/** Questions about the condition lexer's tokens that the grammar's gates ask. */
import { EOF, type IToken, tokenMatcher } from './chevrotain.js';
import { Word } from './lexer.js';

export function isWord(token: IToken, image: string): boolean {
  return tokenMatcher(token, Word) && token.image === image;
}

/** True when `next` starts right where `token` ends, with no blank in between. */
export function touches(token: IToken, next: IToken): boolean {
  return !tokenMatcher(next, EOF) && next.startOffset === token.endOffset! + 1;
}

/** The first of `candidates` that `token` (a word) starts with, as libsinsp's `strncmp` keyword tests. */
export function wordPrefix<T extends string>(token: IToken, candidates: readonly T[]): T | undefined {
  if (!tokenMatcher(token, Word)) return undefined;
  return candidates.find((c) => token.image.startsWith(c));
}
