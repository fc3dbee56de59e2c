import { type CliIO, InputError, UsageError } from './io.js';
import { convertUsage, describeUsage, fieldsUsage, parseUsage, profileUsage, replayUsage, testUsage, validateUsage } from './usage.js';
import { packageVersion } from './version.js';

type Run = (argv: string[], io: CliIO) => number | Promise<number>;
/**
 * A command's usage, and its code loaded when it runs: a command does not pay for loading
 * the others (the rules loader alone is a tenth of a second, which `replay --filter` does
 * without).
 */
type Command = { usage: string; load: () => Promise<Run> };

const COMMANDS: Record<string, Command> = {
  parse: { usage: parseUsage, load: async () => (await import('./commands/parse.js')).runParse },
  validate: { usage: validateUsage, load: async () => (await import('./commands/validate.js')).runValidate },
  describe: { usage: describeUsage, load: async () => (await import('./commands/describe.js')).runDescribe },
  replay: { usage: replayUsage, load: async () => (await import('./commands/replay.js')).runReplay },
  fields: { usage: fieldsUsage, load: async () => (await import('./commands/fields.js')).runFields },
  profile: { usage: profileUsage, load: async () => (await import('./commands/profile.js')).runProfile },
  test: { usage: testUsage, load: async () => (await import('./commands/test.js')).runTest },
  convert: { usage: convertUsage, load: async () => (await import('./commands/convert.js')).runConvert },
};

const MAIN_USAGE = `kestrel: the Falco rules engine for recorded event streams

Usage: kestrel <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.split('\n')[0]}`)
  .join('\n')}

Run 'kestrel <command> --help' for a command's options, 'kestrel --version' for the version.`;

/** Runs the command line; returns the exit status. Never throws for bad input. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${MAIN_USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`kestrel ${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`kestrel: unknown command '${name}'\n\n${MAIN_USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`kestrel ${name}: ${(error as Error).message}\n\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.err(`kestrel ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
