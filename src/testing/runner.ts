/**
 * Runs rule tests: each test replays its events against the rules and checks what fired.
 * A failing "fires" expectation explains which part of the rule's expanded condition was
 * false for each event.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { ProgramBuilder } from '../evaluator/program-builder.js';
import { FieldCatalogue } from '../fields/catalogue.js';
import { type Alert, Replayer, type ReplayOptions } from '../replay/replay.js';
import { replayScap, scapErrorReason } from '../replay/scap.js';
import { loadRulesFiles } from '../rules/loader.js';
import type { CompiledRule } from '../rules/model.js';
import { formatDiagnostic } from '../rules/report.js';
import { type CaptureProblem, readCaptures } from '../sources/jsonl/captures.js';
import { type FlatEvent, FlatEventSource } from '../sources/jsonl/flat-source.js';
import { ScapEventSource } from '../sources/scap/source.js';
import { CoverageTracker } from './coverage.js';
import { loadSuite } from './event-generator/loader.js';
import { EgRunner } from './event-generator/run.js';
import { explain } from './explain.js';
import { type Expectation, type TestCase, TestFileSchema } from './schema.js';
import { expandCases } from './templates.js';

export interface TestResult {
  file: string;
  name: string;
  rule: string;
  passed: boolean;
  /** Set when the test was not run, saying why (an event-generator test's `runIf`); not passed, not failed. */
  skipped?: string;
  /** What went wrong, one entry per unmet expectation. */
  failures: string[];
  /** Alerts of the rule under test. */
  alerts: { rule: string; priority: string; output_fields: Record<string, unknown> }[];
  /** Alerts of other rules. */
  otherAlerts: string[];
  durationMs: number;
}

export interface TestFileResult {
  file: string;
  /** Problems with the file itself (bad YAML, bad shape, rules that do not load). */
  errors: string[];
  results: TestResult[];
}

export interface RunOptions {
  /** Rules to test against, overriding the file's `rules`. */
  rules?: string[];
  cwd?: string;
  /** Coverage trackers by rule set, shared across files when given. */
  coverage?: Map<string, CoverageTracker>;
}

export async function runTestFile(file: string, options: RunOptions = {}): Promise<TestFileResult> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  const text = readFileSync(absolute, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    return { file, errors: [`${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`], results: [] };
  }
  const parsed = TestFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
      const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
      const where = issue.path.length ? issue.path.join('.') : 'the file';
      return `${file}:${pos.line}:${pos.col}: ${where}: ${issue.message}`;
    });
    return { file, errors, results: [] };
  }
  const spec = parsed.data;
  const baseDir = path.dirname(absolute);
  const rulePaths = options.rules ?? (spec.rules ?? []).map((r) => path.resolve(baseDir, r));
  if (rulePaths.length === 0) return { file, errors: [`${file}: no rules to test: add 'rules:' to the file or pass -r`], results: [] };
  const loaded = loadRulesFiles(rulePaths, { cwd: options.cwd ?? process.cwd() });
  if (!loaded.output) {
    const errors = loaded.results.flatMap((r) => r.errors.map((d) => formatDiagnostic(d, loaded.contents)));
    return { file, errors: [`${file}: the rules do not load`, ...errors], results: [] };
  }
  const rules = loaded.output.rules;
  const coverageKey = rulePaths.join('\n');
  let tracker = options.coverage?.get(coverageKey);
  if (options.coverage && !tracker) {
    tracker = new CoverageTracker(loaded.output);
    options.coverage.set(coverageKey, tracker);
  }
  const results: TestResult[] = [];
  const errors: string[] = [];
  let simulator: EgRunner | undefined;
  for (const template of spec.tests) {
    let tests: TestCase[];
    try {
      tests = expandCases(template);
    } catch (error) {
      errors.push(`${file}: test '${template.name}': ${(error as Error).message}`);
      continue;
    }
    for (const test of tests) {
      if (test.simulate !== undefined) {
        simulator ??= new EgRunner(rules, { matching: spec.matching ?? 'first' });
        results.push(runSimulated(file, test, simulator, tracker));
      } else results.push(await runTest(file, baseDir, test, rules, spec.matching ?? 'first', tracker));
    }
  }
  return { file, errors, results };
}

async function runTest(
  file: string,
  baseDir: string,
  test: TestCase,
  rules: CompiledRule[],
  matching: 'first' | 'all',
  coverage: CoverageTracker | undefined,
): Promise<TestResult> {
  const start = process.hrtime.bigint();
  const rule = rules.find((r) => r.name === test.rule);
  const result: TestResult = { file, name: test.name, rule: test.rule, passed: false, failures: [], alerts: [], otherAlerts: [], durationMs: 0 };
  if (!rule) {
    result.failures.push(`rule '${test.rule}' is not in the loaded rules (or is disabled by its source)`);
    return result;
  }
  const events: FlatEvent[] = (test.events ?? []).map((e) => ({ ...(test.defaults ?? {}), ...e }));
  const options: ReplayOptions = { matching, alerts: { json: true } };
  const onAlert = (alert: Alert) => {
    coverage?.fired(alert.rule);
    if (alert.rule === test.rule) result.alerts.push(JSON.parse(alert.line));
    else result.otherAlerts.push(alert.rule);
  };
  if (test.capture) {
    // A scap capture is replayed as it is read, with fields from its own state; a JSONL one
    // joins the inline events.
    const scap = async (bytes: AsyncIterable<Buffer>, capture: string, path?: string) => {
      const source = new ScapEventSource();
      const { error } = await replayScap(path ?? bytes, capture, new Replayer(rules, options, FieldCatalogue.syscall(), source), source, onAlert);
      if (error) result.failures.push(`capture ${capture}: ${scapErrorReason(error)}`);
    };
    const onProblem = (p: CaptureProblem) => result.failures.push(`capture ${p.file}:${p.line}: ${p.reason}`);
    for await (const item of readCaptures([path.resolve(baseDir, test.capture)], process.stdin, onProblem, { scap })) {
      events.push(item.event);
    }
  }
  const replayer = new Replayer(rules, options);
  events.forEach((event, i) => {
    coverage?.observe(event);
    replayer.process({ event, file, line: i + 1, size: 0 }, onAlert);
  });
  if (!test.expect.fires) coverage?.checkedNotFiring(test.rule);
  result.failures.push(...check(test.expect, rule, result, events));
  result.passed = result.failures.length === 0;
  result.durationMs = Number(process.hrtime.bigint() - start) / 1e6;
  return result;
}

/**
 * A test whose events come from the simulated host: `simulate` is an event-generator test
 * description (its context, resources, steps, scripts), run as `kestrel test` runs suites.
 * As event-generator does, only alerts from the test's own processes count.
 */
function runSimulated(file: string, test: TestCase, simulator: EgRunner, coverage: CoverageTracker | undefined): TestResult {
  const start = process.hrtime.bigint();
  const result: TestResult = { file, name: test.name, rule: test.rule, passed: false, failures: [], alerts: [], otherAlerts: [], durationMs: 0 };
  const text = stringify({ tests: [{ name: test.name, runner: 'HostRunner', ...test.simulate }] });
  const loaded = loadSuite(text, file, { requireRule: false });
  if (loaded.errors.length > 0) {
    // Paths in the messages are of the generated description: name them from `simulate`.
    result.failures.push(...loaded.errors.map((e) => `simulate: ${e.message.replaceAll("'/tests/0", "'simulate")} [${e.code}]`));
    return result;
  }
  const rule = simulator.rule(test.rule);
  if (rule === undefined) {
    result.failures.push(`rule '${test.rule}' is not in the loaded rules (or is disabled by its source)`);
    return result;
  }
  const eg = simulator.runTest({ ...loaded.tests[0]!, rule: test.rule }, file);
  if (eg.skipped !== undefined) {
    result.skipped = eg.skipped;
    return result;
  }
  if (eg.error !== undefined) {
    result.failures.push(`simulate: ${eg.error}`);
    return result;
  }
  for (const a of eg.alerts) {
    coverage?.fired(a.rule);
    if (a.rule === test.rule) result.alerts.push({ rule: a.rule, priority: a.raw.priority, output_fields: a.raw.output_fields ?? {} });
    else result.otherAlerts.push(a.rule);
  }
  if (!test.expect.fires) coverage?.checkedNotFiring(test.rule);
  result.failures.push(...check(test.expect, rule, result, []));
  // The simulated events' explanation stands for the inline events' one.
  if (test.expect.fires && result.alerts.length === 0) result.failures.push(eg.explanation.map((l) => `  ${l}`).join('\n'));
  result.passed = result.failures.length === 0;
  result.durationMs = Number(process.hrtime.bigint() - start) / 1e6;
  return result;
}

function check(expect: Expectation, rule: CompiledRule, result: TestResult, events: FlatEvent[]): string[] {
  const failures: string[] = [];
  const fired = result.alerts.length;
  if (expect.fires && fired === 0) {
    failures.push(`expected '${rule.name}' to fire, it did not.${explainAll(rule, events)}`);
  }
  if (!expect.fires && fired > 0) {
    failures.push(
      `expected '${rule.name}' not to fire, it fired ${fired} time(s): ${result.alerts[0]!.output_fields ? JSON.stringify(result.alerts[0]!.output_fields) : ''}`,
    );
  }
  if (expect.fires && expect.count !== undefined && fired !== expect.count && fired > 0) {
    failures.push(`expected '${rule.name}' to fire ${expect.count} time(s), it fired ${fired}`);
  }
  if (expect.priority !== undefined) {
    for (const a of result.alerts)
      if (a.priority.toLowerCase() !== expect.priority.toLowerCase()) failures.push(`expected priority ${expect.priority}, the alert has ${a.priority}`);
  }
  for (const [field, value] of Object.entries(expect.outputFields ?? {})) {
    for (const a of result.alerts) {
      if (JSON.stringify(a.output_fields[field]) !== JSON.stringify(value)) {
        failures.push(`expected output field ${field} = ${JSON.stringify(value)}, the alert has ${JSON.stringify(a.output_fields[field])}`);
      }
    }
  }
  if (expect.noOtherRule && result.otherAlerts.length > 0) {
    failures.push(`expected no other rule to fire; these fired: ${[...new Set(result.otherAlerts)].join(', ')}`);
  }
  return failures;
}

/** For each event, the parts of the rule's condition that were false. */
function explainAll(rule: CompiledRule, events: FlatEvent[]): string {
  const compiler = new ProgramBuilder(new FlatEventSource(), FieldCatalogue.syscall());
  const lines = events.map(
    (event, i) =>
      `\n  event ${i + 1}: ${JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}` +
      `\n    false because ${explain(rule.condition, event, compiler).join('; ')}`,
  );
  return lines.join('');
}
