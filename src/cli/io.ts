/** Where a command writes, so commands run the same from the shell and from tests. */
export interface CliIO {
  out(text: string): void;
  /** Writes what `out` may still hold (called once the command is done). */
  flush?(): void;
  err(text: string): void;
  /** Standard input, for `-` arguments. */
  stdin: NodeJS.ReadableStream;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Output held before a write: one write per 64 KB of alerts or matches rather than one per line. */
const OUT_BUFFER = 1 << 16;

export function processIO(): CliIO {
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    process.stdout.write(pending);
    pending = '';
  };
  // A terminal sees each line as it comes; a pipe or a file gets them in blocks, and at least
  // every 100 ms during a long run (a timer that does not keep the process alive).
  if (!process.stdout.isTTY) setInterval(flush, 100).unref();
  return {
    out: process.stdout.isTTY
      ? (text) => process.stdout.write(text)
      : (text) => {
          pending += text;
          if (pending.length >= OUT_BUFFER) flush();
        },
    flush,
    // What is held goes first: the two streams merged (2>&1) keep their order.
    err: (text) => {
      flush();
      process.stderr.write(text);
    },
    stdin: process.stdin,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A usage mistake on the command line: printed with the command's usage, exit status 2. */
export class UsageError extends Error {}

/**
 * Input that cannot be run as given (conflicting options, a bad option value, a format with
 * an unknown field): printed with its message alone, exit status 1, as Falco exits.
 */
export class InputError extends Error {}

/** Standard input can be read once: `- -` would replay it once and then nothing. */
export function checkStdinOnce(captures: string[]): void {
  if (captures.filter((c) => c === '-').length > 1) throw new InputError("standard input ('-') is given more than once; it can be read only once");
}
