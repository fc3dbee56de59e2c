import { parseArgs } from 'node:util';
import { FieldCatalogue } from '../../fields/catalogue.js';
import { FlatEventSource } from '../../fields/flat-source.js';
import { eventJson, expandCapturePaths, readCaptureBatches, type CaptureProblem } from '../../evaluator/captures.js';
import { BAD_LINES_LISTED, CaptureProblemLog } from '../../evaluator/capture-problems.js';
import { ConditionCompiler } from '../../evaluator/compile.js';
import { Replayer, type Alert, type ReplayStats } from '../../evaluator/replay.js';
import { parseFormat } from '../../output/format.js';
import { renderFormat } from '../../output/render.js';
import { codeFrame } from '../../diagnostics/codeframe.js';
import { formatSyntaxError, parseCondition } from '../../parser/index.js';
import { ConditionChecker } from '../../rules/condition-check.js';
import { loadRulesFiles } from '../../rules/loader.js';
import { parsePriority, PRIORITIES, type Priority } from '../../rules/priority.js';
import { formatDiagnostic } from '../../rules/report.js';
import { UsageError, type CliIO } from '../io.js';

export const replayUsage = `kestrel replay -r RULES... CAPTURE...   |   kestrel replay --filter 'CONDITION' CAPTURE...

Replays JSONL captures (files, directories, globs, gzipped, '-' for stdin) against Falco
rules and prints alerts in event order; a summary goes to stderr.
  -r, --rules PATH       rules file, directory or glob (repeatable)
  --filter CONDITION     print the events matching one bare condition (no rules file)
  -o KEY=VALUE           Falco options: json_output, time_format_iso_8601,
                         json_include_output_property, json_include_tags_property,
                         priority, rule_matching (first|all)
  --json                 JSON alerts (json_output=true); with --filter: matching events as JSON
  --iso8601              ISO 8601 times (time_format_iso_8601=true)
  -p FORMAT              append FORMAT to every rule output; with --filter: print FORMAT per event
  -t TAG / -T TAG        only rules with TAG / skip rules with TAG (repeatable)
  -D SUBSTRING           disable rules whose name contains SUBSTRING (repeatable)
  --min-priority P       skip rules below priority P
  -A                     consider every event type (Falco ignores some by default)
  --no-suggested-output  do not append the container plugin's suggested fields
                         (container_id=… k8s_ns_name=…) to outputs, as Falco does by default
  --strict               stop at the first bad line (exit status 1)
  --quiet                no summary`;

export async function runReplay(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      rules: { type: 'string', short: 'r', multiple: true },
      filter: { type: 'string' },
      option: { type: 'string', short: 'o', multiple: true },
      json: { type: 'boolean' },
      iso8601: { type: 'boolean' },
      print: { type: 'string', short: 'p' },
      tag: { type: 'string', short: 't', multiple: true },
      'skip-tag': { type: 'string', short: 'T', multiple: true },
      disable: { type: 'string', short: 'D', multiple: true },
      'min-priority': { type: 'string' },
      'all-events': { type: 'boolean', short: 'A' },
      'no-suggested-output': { type: 'boolean' },
      strict: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('give at least one capture (a .jsonl file, a directory, a glob, or - for stdin)');
  const falco = parseFalcoOptions(values.option ?? []);
  const { files, missing } = expandCapturePaths(positionals, io.cwd);
  if (missing.length > 0) {
    io.err(`kestrel replay: no such capture: ${missing.join(', ')}\n`);
    return 1;
  }
  let stopped = false;
  const problems: CaptureProblem[] = [];
  const log = new CaptureProblemLog((text) => io.err(text), { strict: Boolean(values.strict) });
  const onProblem = (p: CaptureProblem) => {
    if (p.kind === 'line') problems.push(p);
    if (log.report(p)) stopped = true;
  };

  if (values.filter !== undefined) {
    const code = await runFilter(values.filter, files, io, onProblem, () => stopped, { json: Boolean(values.json), format: values.print });
    log.finish();
    return log.failed ? 1 : code;
  }

  const rulePaths = values.rules ?? [];
  if (rulePaths.length === 0) throw new UsageError('give rules with -r, or a condition with --filter');
  const loaded = loadRulesFiles(rulePaths, { cwd: io.cwd, suggestedOutput: !values['no-suggested-output'] });
  if (!loaded.output) {
    for (const r of loaded.results) for (const d of r.errors) io.err(formatDiagnostic(d, loaded.contents) + '\n');
    io.err('kestrel replay: the rules did not load\n');
    return 1;
  }
  const minPriority = values['min-priority'] ?? falco.priority;
  let priority: Priority | undefined;
  if (minPriority !== undefined) {
    priority = parsePriority(minPriority);
    if (!priority) throw new UsageError(`unknown priority '${minPriority}' (one of ${PRIORITIES.join(', ')})`);
  }
  const matching = falco.rule_matching ?? 'first';
  if (matching !== 'first' && matching !== 'all') throw new UsageError(`rule_matching must be 'first' or 'all', not '${matching}'`);
  const replayer = new Replayer(loaded.output.rules, {
    matching,
    selection: {
      ...(values.tag ? { onlyTags: values.tag } : {}),
      ...(values['skip-tag'] ? { skipTags: values['skip-tag'] } : {}),
      ...(values.disable ? { disableSubstrings: values.disable } : {}),
      ...(priority ? { minPriority: priority } : {}),
    },
    allEvents: Boolean(values['all-events']),
    alerts: {
      json: Boolean(values.json) || falco.json_output === 'true',
      iso8601: Boolean(values.iso8601) || falco.time_format_iso_8601 === 'true',
      includeOutput: falco.json_include_output_property !== 'false',
      includeTags: falco.json_include_tags_property !== 'false',
      ...(values.print ? { appendOutput: values.print } : {}),
      ...(io.env['FALCO_HOSTNAME'] ? { hostname: io.env['FALCO_HOSTNAME'] } : {}),
    },
  });
  // Events are read only through the field source, so long integers can wait until read.
  const batches = readCaptureBatches(
    files,
    io.stdin,
    (p) => {
      replayer.problem(p);
      onProblem(p);
    },
    { exactWhenRead: true },
  );
  const start = process.hrtime.bigint();
  // On a terminal, long replays show their progress on stderr (overwritten in place).
  const progress = io.stderrIsTTY && !values.quiet;
  let shown = false;
  const onAlert = (alert: Alert) => io.out(alert.line + '\n');
  for await (const batch of batches) {
    for (const item of batch) {
      if (stopped) break;
      replayer.process(item, onAlert);
      if (progress && (replayer.stats.eventsRead & 0x1ffff) === 0) {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        io.err(`\r${replayer.stats.eventsRead} events, ${(replayer.stats.bytes / 1e6).toFixed(1)} MB, ${replayer.stats.alerts} alerts, ${Math.round(replayer.stats.eventsRead / seconds)} events/s`);
        shown = true;
      }
    }
    if (stopped) break;
  }
  if (shown) io.err('\r\x1b[K');
  replayer.stats.seconds = Number(process.hrtime.bigint() - start) / 1e9;
  log.finish();
  if (!values.quiet) io.err(summary(replayer.stats, problems));
  return stopped || log.failed ? 1 : 0;
}

async function runFilter(
  condition: string,
  files: string[],
  io: CliIO,
  onProblem: (p: CaptureProblem) => void,
  stopped: () => boolean,
  options: { json: boolean; format: string | undefined },
): Promise<number> {
  const parsed = parseCondition(condition);
  if (!parsed.ok) {
    io.err(`error: ${formatSyntaxError(parsed.error)}\n${codeFrame(condition, parsed.error.position.line, parsed.error.position.column)}\n`);
    return 1;
  }
  const catalogue = FieldCatalogue.syscall();
  const checker = new ConditionChecker(catalogue);
  checker.check(parsed.ast);
  const [problem] = checker.problems;
  if (problem) {
    const pos = problem.node.range.start;
    io.err(`error: ${pos.line}:${pos.column}: ${problem.message}\n${codeFrame(condition, pos.line, pos.column)}\n`);
    return 1;
  }
  const source = new FlatEventSource();
  const predicate = new ConditionCompiler(source, catalogue).compile(parsed.ast);
  const format = parseFormat(options.format ?? DEFAULT_FILTER_FORMAT, catalogue);
  const tokens = format.tokens.map((t) =>
    t.kind === 'text' ? { text: t.text, width: 0 } : { text: t.text, width: t.width, read: t.field ? source.accessor(t.field) : () => undefined },
  );
  let matched = 0;
  for await (const batch of readCaptureBatches(files, io.stdin, onProblem, { exactWhenRead: true })) {
    if (stopped()) return 1;
    for (const item of batch) {
      if (!predicate(item.event)) continue;
      matched++;
      io.out((options.json && !options.format ? eventJson(item.event) : renderFormat(tokens, item.event)) + '\n');
    }
  }
  io.err(`${matched} event(s) matched\n`);
  return stopped() ? 1 : 0;
}

/** sysdig's default line: number, time, cpu, process, thread, direction, type, arguments. */
const DEFAULT_FILTER_FORMAT = '*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args';

function parseFalcoOptions(options: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const known = new Set(['json_output', 'time_format_iso_8601', 'json_include_output_property', 'json_include_tags_property', 'priority', 'rule_matching']);
  for (const o of options) {
    const eq = o.indexOf('=');
    if (eq < 0) throw new UsageError(`-o takes KEY=VALUE, got '${o}'`);
    const key = o.slice(0, eq);
    if (!known.has(key)) throw new UsageError(`unsupported option '${key}' (supported: ${[...known].join(', ')})`);
    out[key] = o.slice(eq + 1);
  }
  return out;
}

function summary(stats: ReplayStats, problems: CaptureProblem[]): string {
  const rate = stats.seconds > 0 ? Math.round(stats.eventsRead / stats.seconds) : 0;
  const rows = [...stats.byRule.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const width = Math.max(4, ...rows.map(([rule]) => rule.length));
  const lines = [
    '',
    `${'rule'.padEnd(width)}  ${'priority'.padEnd(13)} alerts`,
    ...rows.map(([rule, { priority, count }]) => `${rule.padEnd(width)}  ${priority.padEnd(13)} ${String(count).padStart(6)}`),
    `${'total'.padEnd(width)}  ${''.padEnd(13)} ${String(stats.alerts).padStart(6)}`,
    '',
    `events: ${stats.eventsRead} read, ${stats.eventsEvaluated} evaluated, ${stats.eventsIgnored} ignored (event types Falco skips without -A), ${stats.badLines} bad line(s) skipped`,
    `throughput: ${rate} events/s (${stats.seconds.toFixed(3)} s)`,
  ];
  if (problems.length > 0) lines.push(`bad lines: ${problems.length} (${problems.length > BAD_LINES_LISTED ? `the first ${BAD_LINES_LISTED}` : 'all'} listed above)`);
  return lines.join('\n') + '\n';
}
