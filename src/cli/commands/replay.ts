import { parseArgs } from 'node:util';
import { codeFrame } from '../../diagnostics/codeframe.js';
import { FieldCatalogue } from '../../fields/catalogue.js';
import { formatSyntaxError, parseCondition } from '../../parser/index.js';
import { EventFilter } from '../../replay/filter.js';
import { type Alert, Replayer, type ReplayOptions, type ReplayStats } from '../../replay/replay.js';
import { replayScap, scapErrorReason, visitScap } from '../../replay/scap.js';
import { ConditionValidator } from '../../rules/condition-validator.js';
import { FormatError, parseFormat } from '../../rules/output-format.js';
import { PRIORITIES, type Priority, parsePriority } from '../../rules/priority.js';
import { formatDiagnostic } from '../../rules/report.js';
import { type CaptureProblem, expandCapturePaths, readCaptureBatches } from '../../sources/jsonl/captures.js';
import type { ScapEvent } from '../../sources/scap/event.js';
import { FILTER_PIPELINE_MIN_BYTES } from '../../sources/scap/pipeline.js';
import { ScapEventSource } from '../../sources/scap/source.js';
import { BAD_LINES_LISTED, CaptureProblemLog } from '../capture-problems.js';
import { type CliIO, checkStdinOnce, InputError, UsageError } from '../io.js';

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
      'live-event-set': { type: 'boolean' },
      'all-events': { type: 'boolean', short: 'A' },
      'no-suggested-output': { type: 'boolean' },
      strict: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('give at least one capture (a .jsonl file, a directory, a glob, or - for stdin)');
  checkStdinOnce(positionals);
  const falco = parseFalcoOptions(values.option ?? []);
  if (values.tag?.length && (values.disable?.length || values['skip-tag']?.length)) {
    // Falco's own check and words (userspace/falco/app/options.cpp before 0.39).
    throw new InputError('You can not specify both disabled (-D/-T) and enabled (-t) rules');
  }
  if (values.print !== undefined) {
    const problem = formatProblem(values.print);
    if (problem) {
      io.err(problem);
      return 1;
    }
  }
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
  // Loaded here: filtering needs neither the rules loader nor the YAML reader it brings.
  const { loadRulesFiles } = await import('../../rules/loader.js');
  const loaded = loadRulesFiles(rulePaths, { cwd: io.cwd, suggestedOutput: !values['no-suggested-output'] });
  if (!loaded.output) {
    for (const r of loaded.results) for (const d of r.errors) io.err(`${formatDiagnostic(d, loaded.contents)}\n`);
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
  const replayOptions: ReplayOptions = {
    matching,
    selection: {
      ...(values.tag ? { onlyTags: values.tag } : {}),
      ...(values['skip-tag'] ? { skipTags: values['skip-tag'] } : {}),
      ...(values.disable ? { disableSubstrings: values.disable } : {}),
      ...(priority ? { minPriority: priority } : {}),
    },
    // A live Falco with -A receives every event: -A lifts the live event set.
    liveEventSet: Boolean(values['live-event-set']) && !values['all-events'],
    alerts: {
      json: Boolean(values.json) || falco.json_output === true,
      iso8601: Boolean(values.iso8601) || falco.time_format_iso_8601 === true,
      includeOutput: falco.json_include_output_property !== false,
      includeTags: falco.json_include_tags_property !== false,
      ...(values.print ? { appendOutput: values.print } : {}),
      ...(io.env['FALCO_HOSTNAME'] ? { hostname: io.env['FALCO_HOSTNAME'] } : {}),
    },
  };
  const rules = loaded.output.rules;
  const replayer = new Replayer(rules, replayOptions);
  const onAlert = (alert: Alert) => io.out(`${alert.line}\n`);
  // scap captures go through their own source (fields computed from the state engine); one
  // engine serves every scap file of the run, with fresh state per file.
  let scap: { source: ScapEventSource; replayer: Replayer<ScapEvent> } | undefined;
  const readScapFile = async (bytes: AsyncIterable<Buffer>, file: string, path?: string) => {
    if (scap === undefined) {
      const source = new ScapEventSource();
      scap = { source, replayer: new Replayer(rules, replayOptions, FieldCatalogue.syscall(), source) };
    }
    // A regular file is read again by path: on a second thread when there is one.
    const { error } = await replayScap(path ?? bytes, file, scap.replayer, scap.source, onAlert, { stopped: () => stopped });
    if (error) onProblem({ kind: 'file', file, line: 0, reason: scapErrorReason(error) });
  };
  // Events are read only through the field source, so long integers can wait until read.
  const batches = readCaptureBatches(
    files,
    io.stdin,
    (p) => {
      replayer.problem(p);
      onProblem(p);
    },
    { exactWhenRead: true, scap: readScapFile },
  );
  // On a terminal, long replays show their progress on stderr (overwritten in place).
  let shown = false;
  const onProgress =
    io.stderrIsTTY && !values.quiet
      ? (stats: ReplayStats) => {
          io.err(
            `\r${stats.eventsRead} events, ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.alerts} alerts, ${Math.round(stats.eventsRead / stats.seconds)} events/s`,
          );
          shown = true;
        }
      : undefined;
  const stats = await replayer.runBatches(batches, onAlert, { stopped: () => stopped, ...(onProgress ? { onProgress } : {}) });
  if (scap) addStats(stats, scap.replayer.stats);
  if (shown) io.err('\r\x1b[K');
  log.finish();
  if (!values.quiet) io.err(summary(stats, problems, replayer.liveEventSet));
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
  const validator = new ConditionValidator(catalogue);
  validator.validate(parsed.ast);
  const [problem] = validator.problems;
  if (problem) {
    const pos = problem.node.range.start;
    io.err(`error: ${pos.line}:${pos.column}: ${problem.message}\n${codeFrame(condition, pos.line, pos.column)}\n`);
    return 1;
  }
  const filterOptions = { json: options.json, ...(options.format !== undefined ? { format: options.format } : {}) };
  const filter = new EventFilter(parsed.ast, filterOptions, catalogue);
  const onMatch = (line: string) => io.out(`${line}\n`);
  let scap: { source: ScapEventSource; filter: EventFilter<ScapEvent> } | undefined;
  const readScapFile = async (bytes: AsyncIterable<Buffer>, file: string, path?: string) => {
    if (scap === undefined) {
      const source = new ScapEventSource();
      scap = { source, filter: new EventFilter(parsed.ast, filterOptions, catalogue, source) };
    }
    const { filter: scapFilter, source } = scap;
    const { error } = await visitScap(path ?? bytes, file, source, (item) => scapFilter.process(item, onMatch), {
      stopped,
      needs: scapFilter.needs(),
      pipelineMinBytes: FILTER_PIPELINE_MIN_BYTES,
    });
    if (error) onProblem({ kind: 'file', file, line: 0, reason: scapErrorReason(error) });
  };
  const matched = await filter.runBatches(readCaptureBatches(files, io.stdin, onProblem, { exactWhenRead: true, scap: readScapFile }), onMatch, stopped);
  io.err(`${matched + (scap?.filter.matched ?? 0)} event(s) matched\n`);
  return stopped() ? 1 : 0;
}

/** A `-p` format's first mistake, with its position and a code frame, as condition errors are shown. */
function formatProblem(format: string): string | undefined {
  try {
    parseFormat(format, FieldCatalogue.syscall());
    return undefined;
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    const column = error.offset + 1;
    return `error: -p 1:${column}: ${error.message}\n${codeFrame(format, 1, column)}\n`;
  }
}

const BOOLEAN_OPTIONS = new Set(['json_output', 'time_format_iso_8601', 'json_include_output_property', 'json_include_tags_property']);
// The spellings Falco's YAML configuration reads as booleans (yaml-cpp's conversion).
const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'y', 'Y', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'n', 'N', 'off', 'Off', 'OFF']);

interface FalcoOptions {
  json_output?: boolean;
  time_format_iso_8601?: boolean;
  json_include_output_property?: boolean;
  json_include_tags_property?: boolean;
  priority?: string;
  rule_matching?: string;
}

function parseFalcoOptions(options: string[]): FalcoOptions {
  const out: Record<string, string | boolean> = {};
  const known = new Set([...BOOLEAN_OPTIONS, 'priority', 'rule_matching']);
  for (const o of options) {
    const eq = o.indexOf('=');
    if (eq < 0) throw new UsageError(`-o takes KEY=VALUE, got '${o}'`);
    const key = o.slice(0, eq);
    const value = o.slice(eq + 1);
    if (!known.has(key)) throw new UsageError(`unsupported option '${key}' (supported: ${[...known].join(', ')})`);
    if (BOOLEAN_OPTIONS.has(key)) {
      if (TRUE_WORDS.has(value)) out[key] = true;
      else if (FALSE_WORDS.has(value)) out[key] = false;
      else throw new InputError(`-o ${o}: ${key} takes a boolean (true or false), not '${value}'`);
    } else {
      out[key] = value;
    }
  }
  return out as FalcoOptions;
}

function summary(stats: ReplayStats, problems: CaptureProblem[], liveEventSet: boolean): string {
  const rate = stats.seconds > 0 ? Math.round(stats.eventsRead / stats.seconds) : 0;
  const rows = [...stats.byRule.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const width = Math.max(4, ...rows.map(([rule]) => rule.length));
  const lines = [
    '',
    `${'rule'.padEnd(width)}  ${'priority'.padEnd(13)} alerts`,
    ...rows.map(([rule, { priority, count }]) => `${rule.padEnd(width)}  ${priority.padEnd(13)} ${String(count).padStart(6)}`),
    `${'total'.padEnd(width)}  ${''.padEnd(13)} ${String(stats.alerts).padStart(6)}`,
    '',
    `events: ${stats.eventsRead} read, ${stats.eventsEvaluated} evaluated, ${stats.eventsStateOnly > 0 ? `${stats.eventsStateOnly} for the state only, ` : ''}${liveEventSet ? `${stats.eventsIgnored} outside the live event set, ` : ''}${stats.badLines} bad line(s) skipped`,
    `throughput: ${rate} events/s (${stats.seconds.toFixed(3)} s)`,
  ];
  if (problems.length > 0)
    lines.push(`bad lines: ${problems.length} (${problems.length > BAD_LINES_LISTED ? `the first ${BAD_LINES_LISTED}` : 'all'} listed above)`);
  return `${lines.join('\n')}\n`;
}

/** Adds the counts of a second replayer (the scap one) to the summary's; time is the run's. */
function addStats(into: ReplayStats, from: ReplayStats): void {
  into.eventsRead += from.eventsRead;
  into.eventsEvaluated += from.eventsEvaluated;
  into.eventsIgnored += from.eventsIgnored;
  into.eventsStateOnly += from.eventsStateOnly;
  into.alerts += from.alerts;
  into.bytes += from.bytes;
  for (const [rule, entry] of from.byRule) {
    const known = into.byRule.get(rule);
    if (known) known.count += entry.count;
    else into.byRule.set(rule, { ...entry });
  }
}
