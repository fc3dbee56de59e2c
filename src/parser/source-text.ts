/**
 * A condition's text, for placing tokens in it: offsets to 1-based lines and columns, the
 * ranges of tokens, and what stands right after a token (libsinsp's grammar often needs a
 * blank there).
 */

import type { SourcePosition, SourceRange } from './ast.js';
import { EOF, type IToken, tokenMatcher } from './chevrotain.js';
import { BLANKS } from './words.js';

export class SourceText {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = lineStarts(text);
  }

  /** Line and column (1-based) of an offset. */
  position(offset: number): SourcePosition {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { offset, line: low + 1, column: offset - starts[low]! + 1 };
  }

  /** Where a token starts; the end of input for EOF. */
  startOf(token: IToken): SourcePosition {
    return tokenMatcher(token, EOF) ? this.position(this.text.length) : this.position(token.startOffset);
  }

  /** Just past a token's last character. */
  end(token: IToken): SourcePosition {
    return this.position(token.endOffset! + 1);
  }

  tokenRange(token: IToken): SourceRange {
    return { start: this.position(token.startOffset), end: this.end(token) };
  }

  span(start: IToken | SourcePosition, end: SourcePosition): SourceRange {
    return { start: 'image' in start ? this.startOf(start) : start, end };
  }

  /** Whether every character between two tokens is one of `chars`. */
  onlyBetween(token: IToken, next: IToken, chars: string): boolean {
    for (let i = token.endOffset! + 1; i < next.startOffset; i++) if (!chars.includes(this.text[i]!)) return false;
    return true;
  }

  /** Whether a blank follows the token directly. */
  blankAfter(token: IToken): boolean {
    const next = this.text[token.endOffset! + 1];
    return next !== undefined && BLANKS.includes(next);
  }
}

/** Offsets at which lines start; CR, LF and CRLF each end a line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}
