/**
 * Printing the problems of capture reading for a command: bad lines are listed up to a limit
 * (a file of garbage must not flood the terminal) and counted; a file that is not a capture
 * is one error; under --strict the first bad line stops the run, and the message says so.
 */
import type { CaptureProblem } from '../sources/jsonl/captures.js';

export interface CaptureProblemLogOptions {
  /** Stop at the first bad line (the caller stops reading; the message says it). */
  strict?: boolean;
  /** Bad lines listed; the rest are counted. */
  limit?: number;
}

export const BAD_LINES_LISTED = 20;

export class CaptureProblemLog {
  /** Bad lines, listed or not. */
  badLines = 0;
  /** Files not read (not a capture, or unreadable). */
  failedFiles = 0;
  warnings = 0;
  private readonly limit: number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: CaptureProblemLogOptions = {},
  ) {
    this.limit = options.limit ?? BAD_LINES_LISTED;
  }

  /** Whether the run should stop here (--strict: at the first error). */
  report(p: CaptureProblem): boolean {
    const strict = Boolean(this.options.strict);
    switch (p.kind) {
      case 'warning':
        this.warnings++;
        this.write(`${p.file}:${p.line}: warning: ${p.reason}\n`);
        return false;
      case 'file':
        this.failedFiles++;
        this.write(`${p.line > 1 ? `${p.file}:${p.line}` : p.file}: error: ${p.reason}${strict ? ' (run stopped: --strict)' : ''}\n`);
        return strict;
      case 'line':
        this.badLines++;
        if (strict) this.write(`${p.file}:${p.line}: error: ${p.reason} (run stopped at the first bad line: --strict)\n`);
        else if (this.badLines <= this.limit) this.write(`${p.file}:${p.line}: skipped: ${p.reason}\n`);
        return strict;
    }
  }

  /** Says how many bad lines were not listed, if any. */
  finish(): void {
    const hidden = this.badLines - this.limit;
    if (hidden > 0 && !this.options.strict) this.write(`... and ${hidden} more bad line(s) skipped, not listed (the first ${this.limit} are above)\n`);
  }

  /** Whether the run failed: a file was not read, or --strict stopped it. */
  get failed(): boolean {
    return this.failedFiles > 0 || (Boolean(this.options.strict) && this.badLines > 0);
  }
}
