import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FieldCatalogue } from '../../fields/catalogue.js';
import { conversionKeys, FieldListError, ScapConverter } from '../../replay/convert.js';
import { loadRulesFiles } from '../../rules/loader.js';
import { formatDiagnostic } from '../../rules/report.js';
import { formatScapError } from '../../sources/scap/errors.js';
import { type CliIO, InputError, UsageError } from '../io.js';

export async function runConvert(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      output: { type: 'string', short: 'o' },
      rules: { type: 'string', short: 'r', multiple: true },
      fields: { type: 'string', multiple: true },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('give one scap capture (a file, or - for stdin)');
  if (values.rules?.length && values.fields?.length) throw new UsageError('give either rules (-r) or --fields, not both');
  const capture = positionals[0]!;
  const catalogue = FieldCatalogue.syscall();

  let fields: string[];
  if (values.fields?.length) {
    fields = values.fields
      .flatMap((f) => f.split(','))
      .map((f) => f.trim())
      .filter(Boolean);
  } else {
    const loaded = loadRulesFiles(values.rules?.length ? values.rules : [bundledRules()], { cwd: io.cwd });
    if (!loaded.output) {
      for (const r of loaded.results) for (const d of r.errors) io.err(`${formatDiagnostic(d, loaded.contents)}\n`);
      return 1;
    }
    const used = new Set<string>();
    for (const rule of loaded.output.rules) for (const f of [...rule.conditionFields, ...rule.outputFields]) used.add(f);
    fields = [...used].sort();
  }
  let converter: ScapConverter;
  try {
    converter = new ScapConverter(conversionKeys(fields, catalogue), catalogue);
  } catch (error) {
    if (error instanceof FieldListError) throw new InputError(error.message);
    throw error;
  }

  const file = capture === '-' ? '<stdin>' : path.resolve(io.cwd, capture);
  if (capture !== '-' && !existsSync(file)) {
    io.err(`kestrel convert: no such capture: ${capture}\n`);
    return 1;
  }
  const shown = capture === '-' ? '<stdin>' : capture;
  let out: number | undefined;
  let write = (text: string) => io.out(text);
  if (values.output !== undefined) {
    try {
      out = openSync(path.resolve(io.cwd, values.output), 'w');
    } catch (error) {
      throw new InputError(`cannot write ${values.output}: ${(error as Error).message}`);
    }
    const fd = out;
    write = (text) => void writeSync(fd, text);
  }
  try {
    const result = await converter.convert(capture === '-' ? io.stdin : file, shown, write);
    if (result.error) {
      const e = result.error;
      if (e.code === 'SCAP_BAD_MAGIC' && e.offset <= 8 && converter.eventsWritten === 0) {
        io.err(`kestrel convert: ${shown}: not a scap capture (${e.message}); JSONL captures are replayed as they are\n`);
      } else {
        io.err(`kestrel convert: ${formatScapError(e)}; ${converter.eventsWritten} event(s) before it were written\n`);
      }
      return 1;
    }
    return 0;
  } finally {
    if (out !== undefined) closeSync(out);
  }
}

/** The rules/ directory shipped with kestrel (found upward from this module: src/ or dist/src/). */
function bundledRules(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kestrel-falco') return path.join(dir, 'rules');
    const up = path.dirname(dir);
    if (up === dir) throw new InputError('cannot find the bundled rules/ directory: give rules with -r or fields with --fields');
    dir = up;
  }
}
