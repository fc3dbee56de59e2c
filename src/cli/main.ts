#!/usr/bin/env node
import { processIO } from './io.js';
import { runCli } from './run.js';

// A closed pipe (`kestrel fields | head`) ends the output quietly, as command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const io = processIO();
try {
  process.exitCode = await runCli(process.argv.slice(2), io);
  io.flush?.();
} catch (error) {
  io.flush?.();
  // A bug in kestrel, not bad input: say so in one line; the stack only on request.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kestrel: internal error: ${message}\n`);
  if (process.env['KESTREL_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 70;
}
