import { convertUsage, runConvert } from './commands/convert.js';
import { describeUsage, runDescribe } from './commands/describe.js';
import { fieldsUsage, runFields } from './commands/fields.js';
import { parseUsage, runParse } from './commands/parse.js';
import { profileUsage, runProfile } from './commands/profile.js';
import { replayUsage, runReplay } from './commands/replay.js';
import { runTest, testUsage } from './commands/test.js';
import { runValidate, validateUsage } from './commands/validate.js';
import { type CliIO, InputError, UsageError } from './io.js';
import { packageVersion } from './version.js';

type Command = { usage: string; run: (argv: string[], io: CliIO) => number | Promise<number> };

const COMMANDS: Record<string, Command> = {
  parse: { usage: parseUsage, run: runParse },
  validate: { usage: validateUsage, run: runValidate },
  describe: { usage: describeUsage, run: runDescribe },
  replay: { usage: replayUsage, run: runReplay },
  fields: { usage: fieldsUsage, run: runFields },
  profile: { usage: profileUsage, run: runProfile },
  test: { usage: testUsage, run: runTest },
  convert: { usage: convertUsage, run: runConvert },
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
    return await command.run(rest, io);
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
