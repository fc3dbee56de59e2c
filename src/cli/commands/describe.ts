import { parseArgs } from 'node:util';
import { formatSemver } from '../../rules/semver.js';
import { describeRule, type RuleDescription } from '../../rules/describe.js';
import { loadRulesFiles } from '../../rules/loader.js';
import { formatDiagnostic } from '../../rules/report.js';
import { printCondition } from '../../parser/index.js';
import { UsageError, type CliIO } from '../io.js';

export const describeUsage = `kestrel describe -r PATH... [--json] [RULE]

Describes the loaded rules (all, or the one named): expanded condition, event types,
condition and output fields, macros and lists used, tags, priority, source, enabled.
The JSON follows Falco's -L output ({"rules": [{"info": ..., "details": ...}], ...}).
  -r, --rules PATH   rules file, directory or glob (repeatable)
  --json             JSON output`;

export function runDescribe(argv: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { rules: { type: 'string', short: 'r', multiple: true }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const paths = values.rules ?? [];
  if (paths.length === 0) throw new UsageError('give at least one rules file with -r');
  if (positionals.length > 1) throw new UsageError('name at most one rule');
  const loaded = loadRulesFiles(paths, { cwd: io.cwd });
  if (!loaded.output) {
    for (const r of loaded.results) for (const d of r.errors) io.err(formatDiagnostic(d, loaded.contents) + '\n');
    io.err('kestrel describe: the rules did not load; run kestrel validate for details\n');
    return 1;
  }
  const output = loaded.output;
  const wanted = positionals[0];
  const rules = output.rules.filter((r) => wanted === undefined || r.name === wanted);
  if (wanted !== undefined && rules.length === 0) {
    io.err(`kestrel describe: rule "${wanted}" is not loaded\n`);
    return 1;
  }
  const described = rules.map((r) => describeRule(r, r.rawCondition, output));
  if (values.json) {
    const json =
      wanted === undefined
        ? {
            required_engine_version: formatSemver(loaded.requiredEngineVersion),
            rules: described,
            macros: output.macros.map((m) => ({ info: { name: m.name }, details: { used: m.used, condition_compiled: printCondition(m.condition) } })),
            lists: output.lists.map((l) => ({ info: { name: l.name, items: l.items }, details: { used: l.used } })),
          }
        : { rules: described };
    io.out(JSON.stringify(json, null, 2) + '\n');
    return 0;
  }
  io.out(described.map(renderRule).join('\n') + '\n');
  return 0;
}

function renderRule(d: RuleDescription): string {
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : '-');
  return [
    `${d.info.name}`,
    `  priority: ${d.info.priority}   source: ${d.info.source}   enabled: ${d.info.enabled}`,
    `  tags: ${list(d.info.tags)}`,
    `  events: ${d.details.events.length ? d.details.events.join(', ') : 'all'}`,
    `  macros: ${list(d.details.macros)}`,
    `  lists: ${list(d.details.lists)}`,
    `  condition fields: ${list(d.details.condition_fields)}`,
    `  output fields: ${list(d.details.output_fields)}`,
    `  condition: ${d.details.condition_compiled}`,
  ].join('\n');
}
