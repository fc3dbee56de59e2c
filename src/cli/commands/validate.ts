import { parseArgs } from 'node:util';
import { loadRulesFiles } from '../../rules/loader.js';
import { formatDiagnostic, loadResultJson, summaryLine } from '../../rules/report.js';
import { type CliIO, UsageError } from '../io.js';

export function runValidate(argv: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { rules: { type: 'string', short: 'r', multiple: true }, json: { type: 'boolean' }, 'no-warnings': { type: 'boolean' } },
    allowPositionals: true,
  });
  const paths = [...(values.rules ?? []), ...positionals];
  if (paths.length === 0) throw new UsageError('give at least one rules file with -r');
  const loaded = loadRulesFiles(paths, { cwd: io.cwd });
  if (values.json) {
    io.out(`${JSON.stringify({ falco_load_results: loaded.results.map((r) => loadResultJson(r, loaded.contents)) })}\n`);
    return loaded.successful ? 0 : 1;
  }
  for (const result of loaded.results) {
    const shown = values['no-warnings'] ? result.errors : [...result.errors, ...result.warnings];
    for (const d of shown) io.err(`${formatDiagnostic(d, loaded.contents)}\n\n`);
  }
  for (const result of loaded.results) {
    const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
    io.out(`${summaryLine(result)} (${counts})\n`);
  }
  return loaded.successful ? 0 : 1;
}
