import { parseArgs } from 'node:util';
import { Engine, type RuleMatching } from '../../evaluator/engine.js';
import { FieldCatalogue } from '../../fields/catalogue.js';
import { printCondition } from '../../parser/index.js';
import { describeRule, type RuleDescription } from '../../rules/describe.js';
import { loadRulesFiles } from '../../rules/loader.js';
import type { CompiledRule } from '../../rules/model.js';
import { formatDiagnostic } from '../../rules/report.js';
import { formatSemver } from '../../rules/semver.js';
import { FlatEventSource } from '../../sources/jsonl/flat-source.js';
import { type CliIO, UsageError } from '../io.js';
import { programCode, renderProgram } from './describe-code.js';

export function runDescribe(argv: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      rules: { type: 'string', short: 'r', multiple: true },
      json: { type: 'boolean' },
      code: { type: 'boolean' },
      'rule-matching': { type: 'string' },
    },
    allowPositionals: true,
  });
  const paths = values.rules ?? [];
  if (paths.length === 0) throw new UsageError('give at least one rules file with -r');
  if (positionals.length > 1) throw new UsageError(values.code ? 'name at most one event type' : 'name at most one rule');
  const matching = values['rule-matching'] ?? 'first';
  if (matching !== 'first' && matching !== 'all') throw new UsageError(`--rule-matching must be 'first' or 'all', not '${matching}'`);
  if (values['rule-matching'] !== undefined && !values.code) throw new UsageError('--rule-matching goes with --code');
  const loaded = loadRulesFiles(paths, { cwd: io.cwd });
  if (!loaded.output) {
    for (const r of loaded.results) for (const d of r.errors) io.err(`${formatDiagnostic(d, loaded.contents)}\n`);
    io.err('kestrel describe: the rules did not load; run kestrel validate for details\n');
    return 1;
  }
  const output = loaded.output;
  if (values.code) return printCode(output.rules, positionals[0], matching, Boolean(values.json), io);
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
    io.out(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  io.out(`${described.map(renderRule).join('\n')}\n`);
  return 0;
}

function printCode(rules: CompiledRule[], eventType: string | undefined, matching: RuleMatching, json: boolean, io: CliIO): number {
  const engine = new Engine(rules, new FlatEventSource(), FieldCatalogue.syscall(), {}, matching);
  const programs = programCode(engine, eventType);
  if ('error' in programs) {
    io.err(`kestrel describe: ${programs.error}\n`);
    return 1;
  }
  if (json) {
    const out = programs.map((p) => ({ event_types: p.eventTypes, rules: p.rules, refs: p.refs, source: p.source }));
    io.out(`${JSON.stringify({ rule_matching: matching, programs: out }, null, 2)}\n`);
  } else io.out(programs.map((p) => renderProgram(p, matching)).join('\n'));
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
