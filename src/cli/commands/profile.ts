import { parseArgs } from 'node:util';
import { FieldCatalogue } from '../../fields/catalogue.js';
import { unionNeeds } from '../../replay/needs.js';
import { mergeProfileReports, type ProfileReport, Profiler, type RuleProfile } from '../../replay/profile.js';
import { scapErrorReason, visitScap } from '../../replay/scap.js';
import { loadRulesFiles } from '../../rules/loader.js';
import { formatDiagnostic } from '../../rules/report.js';
import { expandCapturePaths, readCaptureBatches } from '../../sources/jsonl/captures.js';
import type { FlatEvent } from '../../sources/jsonl/flat-source.js';
import type { ScapEvent } from '../../sources/scap/event.js';
import { ScapEventSource } from '../../sources/scap/source.js';
import { CaptureProblemLog } from '../capture-problems.js';
import { type CliIO, checkStdinOnce, UsageError } from '../io.js';

export async function runProfile(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { rules: { type: 'string', short: 'r', multiple: true }, baseline: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (!values.rules?.length) throw new UsageError('give rules with -r');
  if (positionals.length === 0) throw new UsageError('give at least one capture');
  checkStdinOnce(positionals);
  const { files, missing } = expandCapturePaths(positionals, io.cwd);
  if (missing.length > 0) {
    io.err(`kestrel profile: no such capture: ${missing.join(', ')}\n`);
    return 1;
  }
  const rules = load(values.rules, io);
  const baseline = values.baseline?.length ? load(values.baseline, io) : undefined;
  if (!rules || (values.baseline?.length && !baseline)) return 1;

  const profiler = new Profiler(rules);
  const base = baseline ? new Profiler(baseline) : undefined;
  const log = new CaptureProblemLog((text) => io.err(text));
  // scap captures: their own source and profilers, measured one event at a time (the state
  // moves on with every event), with fresh state per file.
  let scap: { source: ScapEventSource; profiler: Profiler<ScapEvent>; base: Profiler<ScapEvent> | undefined } | undefined;
  const one: ScapEvent[] = [];
  const readScapFile = async (bytes: AsyncIterable<Buffer>, file: string, path?: string) => {
    if (scap === undefined) {
      const source = new ScapEventSource();
      const catalogue = FieldCatalogue.syscall();
      scap = { source, profiler: new Profiler(rules, catalogue, source), base: baseline ? new Profiler(baseline, catalogue, source) : undefined };
    }
    const { profiler: p, base: b } = scap;
    const needs = b === undefined ? p.needs() : unionNeeds(p.needs(), b.needs());
    const { error } = await visitScap(
      path ?? bytes,
      file,
      scap.source,
      (item) => {
        one[0] = item.event;
        p.addBatch(one);
        b?.addBatch(one);
      },
      { needs },
    );
    if (error) log.report({ kind: 'file', file, line: 0, reason: scapErrorReason(error) });
  };
  const batches = readCaptureBatches(files, io.stdin, (p) => log.report(p), { scap: readScapFile });
  // One chunk of input at a time: memory stays flat however long the capture.
  const events: FlatEvent[] = [];
  for await (const batch of batches) {
    for (const item of batch) events.push(item.event);
    profiler.addBatch(events);
    base?.addBatch(events);
    while (events.length > 0) events.pop();
  }
  log.finish();
  if (log.failed) return 1;
  const bad = log.badLines;
  const combine = (flat: ProfileReport, other: Profiler<ScapEvent> | undefined) => (other ? mergeProfileReports(flat, other.report()) : flat);
  const report = combine(profiler.report(), scap?.profiler);
  const baseReport = base ? combine(base.report(), scap?.base) : undefined;
  if (values.json) {
    io.out(`${JSON.stringify({ ...report, badLines: bad, ...(baseReport ? { baseline: baseReport } : {}) }, null, 2)}\n`);
    return 0;
  }
  io.out(baseReport ? renderComparison(report, baseReport) : renderReport(report));
  if (bad > 0) io.err(`${bad} bad line(s) skipped (listed above)\n`);
  return 0;
}

function load(paths: string[], io: CliIO) {
  const loaded = loadRulesFiles(paths, { cwd: io.cwd });
  if (!loaded.output) {
    for (const r of loaded.results) for (const d of r.errors) io.err(`${formatDiagnostic(d, loaded.contents)}\n`);
    return undefined;
  }
  return loaded.output.rules;
}

const us = (ns: number) => (ns / 1000).toFixed(1);

function renderReport(r: ProfileReport): string {
  const width = Math.max(4, ...r.rules.map((p) => p.rule.length));
  const lines = [`${'rule'.padEnd(width)}  evaluations     matches   total µs  mean ns   share`];
  for (const p of r.rules) {
    lines.push(
      `${p.rule.padEnd(width)}  ${String(p.evaluations).padStart(11)} ${String(p.matches).padStart(11)} ${us(p.totalNs).padStart(10)} ${p.meanNs.toFixed(0).padStart(8)} ${(p.share * 100).toFixed(1).padStart(6)}%`,
    );
  }
  lines.push('', footer(r));
  return `${lines.join('\n')}\n`;
}

function renderComparison(r: ProfileReport, base: ProfileReport): string {
  const byName = new Map<string, { now?: RuleProfile; before?: RuleProfile }>();
  for (const p of r.rules) byName.set(p.rule, { now: p });
  for (const p of base.rules) byName.set(p.rule, { ...byName.get(p.rule), before: p });
  const rows = [...byName.entries()].sort((a, b) => (b[1].now?.totalNs ?? 0) - (a[1].now?.totalNs ?? 0));
  const width = Math.max(4, ...rows.map(([name]) => name.length));
  const lines = [`${'rule'.padEnd(width)}   total µs  baseline µs   difference   mean ns  baseline ns`];
  for (const [name, { now, before }] of rows) {
    const diff = (now?.totalNs ?? 0) - (before?.totalNs ?? 0);
    lines.push(
      `${name.padEnd(width)} ${(now ? us(now.totalNs) : '-').padStart(10)} ${(before ? us(before.totalNs) : '-').padStart(12)} ${`${diff >= 0 ? '+' : ''}${us(diff)}`.padStart(12)} ${(now ? now.meanNs.toFixed(0) : '-').padStart(9)} ${(before ? before.meanNs.toFixed(0) : '-').padStart(12)}`,
    );
  }
  lines.push('', footer(r), `baseline: ${Math.round(base.eventsPerSecond)} events/s`);
  return `${lines.join('\n')}\n`;
}

/** The summary line; `overhead` is the extra fraction, printed as the percentage JSON's figure is. */
export function footer(r: ProfileReport): string {
  return `${r.events} events, ${Math.round(r.eventsPerSecond)} events/s for the whole set; measuring costs ${(r.overhead * 100).toFixed(0)}% extra time (reported times include it)`;
}
