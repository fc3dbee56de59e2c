/**
 * Runs event-generator suites offline: each concrete test is synthesized on the simulated
 * host, its events go through the scap state engine and the rules (Falco's `first` rule
 * matching unless told otherwise), and the alerts are checked as event-generator checks
 * them. A failing test says which expected fields differed and, when no alert of its rule
 * came, which part of the rule's condition was false on each of the leaf's events of the
 * rule's event types.
 */

import type { RuleMatching } from '../../evaluator/engine.js';
import { ProgramBuilder } from '../../evaluator/program-builder.js';
import { FieldCatalogue } from '../../fields/catalogue.js';
import { type Alert, Replayer } from '../../replay/replay.js';
import type { CompiledRule, CompileOutput } from '../../rules/model.js';
import type { ScapEvent } from '../../sources/scap/event.js';
import { ScapEventSource } from '../../sources/scap/source.js';
import { CoverageTracker } from '../coverage.js';
import { explain } from '../explain.js';
import { type Arch, runIfBlocks } from './arch.js';
import { loadSuite } from './loader.js';
import { compareAlert, decodeAlert, type EgAlert, type EgFieldWarning } from './outcome.js';
import { type Simulation, simulateTest } from './sim/simulate.js';
import type { EgDiagnostic, EgTest } from './types.js';

export interface EgRunOptions {
  /** Falco's rule_matching: `first` (the default) or `all`. */
  matching?: RuleMatching;
  /** The simulated machine's hostname (alerts' `hostname`). */
  hostname?: string;
  /** Called with each test's synthesized capture, e.g. to dump it. */
  onSimulation?: (test: EgTest, sim: Simulation, file: string) => void;
  /** Track rule coverage (`kestrel test --coverage`) over the rules these were compiled to. */
  coverage?: CompileOutput;
  /** The simulated architecture (`runIf`, syscalls that exist): amd64 unless told. */
  arch?: Arch;
}

export interface EgTestResult {
  file: string;
  name: string;
  rule: string | undefined;
  line: number;
  column: number;
  /** The case values that generated the test (templates only). */
  testCase: Record<string, unknown> | undefined;
  passed: boolean;
  /** Alerts of the test's rule that matched every expected key (event-generator's successful matches). */
  successfulMatches: number;
  /** The first matching alert. */
  matched: EgAlert | undefined;
  /** For each alert of the rule that did not match: the fields that differed (event-generator's warnings). */
  warnings: EgFieldWarning[][];
  /** Every alert attributed to the test (its rule's and others'). */
  alerts: EgAlert[];
  /** Why the rule did not fire: per event of the leaf, the false part of the condition. */
  explanation: string[];
  /** The test could not run (an argument the simulator cannot use, an unknown rule). */
  error: string | undefined;
  /** Why the test was not run (its `runIf` is false on the simulated architecture). */
  skipped: string | undefined;
  durationMs: number;
}

export interface EgFileResult {
  file: string;
  errors: EgDiagnostic[];
  warnings: EgDiagnostic[];
  results: EgTestResult[];
}

/** A runner bound to one rule set: the engine is compiled once for every test. */
export class EgRunner {
  readonly source = new ScapEventSource();
  /** Rule coverage of the tests run, when asked for: events of the tests' processes, and their alerts. */
  readonly coverage: CoverageTracker<ScapEvent> | undefined;
  private readonly replayer: Replayer<ScapEvent>;
  private readonly hostname: string;
  private readonly arch: Arch;

  constructor(
    private readonly rules: CompiledRule[],
    private readonly options: EgRunOptions = {},
  ) {
    this.hostname = options.hostname ?? 'kestrel-host';
    this.arch = options.arch ?? 'amd64';
    this.coverage = options.coverage ? new CoverageTracker(options.coverage, this.source) : undefined;
    this.replayer = new Replayer<ScapEvent>(
      rules,
      { matching: options.matching ?? 'first', alerts: { json: true, hostname: this.hostname } },
      FieldCatalogue.syscall(),
      this.source,
    );
  }

  /** The loaded rule of that name (undefined when absent or disabled). */
  rule(name: string): CompiledRule | undefined {
    return this.rules.find((r) => r.name === name);
  }

  runFile(text: string, file: string): EgFileResult {
    const loaded = loadSuite(text, file);
    return { file, errors: loaded.errors, warnings: loaded.warnings, results: loaded.tests.map((t) => this.runTest(t, file)) };
  }

  runTest(test: EgTest, file: string): EgTestResult {
    const start = process.hrtime.bigint();
    const result: EgTestResult = {
      file,
      name: test.name,
      rule: test.rule,
      line: test.line,
      column: test.column,
      testCase: test.testCase,
      passed: false,
      successfulMatches: 0,
      matched: undefined,
      warnings: [],
      alerts: [],
      explanation: [],
      error: undefined,
      skipped: runIfBlocks(test.runIf, this.arch),
      durationMs: 0,
    };
    if (result.skipped !== undefined) return finish(result, start);
    let sim: Simulation;
    try {
      sim = simulateTest(test, { hostname: this.hostname, file, arch: this.arch });
    } catch (e) {
      result.error = (e as Error).message;
      return finish(result, start);
    }
    this.options.onSimulation?.(test, sim, file);
    const source = this.source;
    source.beginCapture();
    source.state.seed(sim.seed);
    const item = { event: undefined as unknown as ScapEvent, file, line: 0, size: 0 };
    const monitored = sim.monitored;
    // One callback for the whole replay: nothing is allocated per event.
    const coverage = this.coverage;
    const onAlert = (alert: Alert): void => {
      if (!monitored.has(item.event.tid)) return;
      result.alerts.push(decodeAlert(alert.line));
      coverage?.fired(alert.rule);
    };
    for (const ev of sim.events) {
      source.update(ev);
      item.event = ev;
      item.line = ev.num;
      if (coverage && monitored.has(ev.tid)) coverage.observe(ev);
      this.replayer.process(item, onAlert);
    }
    for (const alert of result.alerts) {
      if (alert.rule !== test.rule) continue;
      const diff = compareAlert(alert, test.expectedOutcome);
      if (diff.length > 0) result.warnings.push(diff);
      else {
        result.successfulMatches++;
        result.matched ??= alert;
      }
    }
    result.passed = result.successfulMatches > 0;
    if (!result.passed) {
      const rule = this.rules.find((r) => r.name === test.rule);
      if (rule === undefined) result.error = `rule '${test.rule}' is not in the loaded rules (or is disabled)`;
      else if (!result.alerts.some((a) => a.rule === test.rule)) result.explanation = this.explain(rule, test, file);
    }
    return finish(result, start);
  }

  /** Replays the test again, explaining the rule's condition on the leaf's events of its types. */
  private explain(rule: CompiledRule, test: EgTest, file: string): string[] {
    const sim = simulateTest(test, { hostname: this.hostname, file, arch: this.arch });
    const source = this.source;
    source.beginCapture();
    source.state.seed(sim.seed);
    const compiler = new ProgramBuilder(source, FieldCatalogue.syscall());
    const typeOf = (ev: ScapEvent): string => source.eventType(ev) ?? String(ev.type);
    const out: string[] = [];
    for (const ev of sim.events) {
      source.update(ev);
      if (!source.delivered(ev) || !sim.monitored.has(ev.tid)) continue;
      if (!rule.eventTypes.all && !rule.eventTypes.codes.has(ev.type)) continue;
      const reasons = explain(rule.condition, ev, compiler);
      out.push(`event ${ev.num} (${typeOf(ev)} ${dirOf(ev)} tid ${ev.tid}): false because ${reasons.join('; ')}`);
    }
    if (out.length === 0) out.push(`no event of the test's processes has one of the rule's event types`);
    return out;
  }
}

/** Runs suite files (their text) against compiled rules. */
export function runSuites(files: readonly { file: string; text: string }[], rules: CompiledRule[], options: EgRunOptions = {}): EgFileResult[] {
  const runner = new EgRunner(rules, options);
  return files.map((f) => runner.runFile(f.text, f.file));
}

function finish(r: EgTestResult, start: bigint): EgTestResult {
  r.durationMs = Number(process.hrtime.bigint() - start) / 1e6;
  return r;
}

function dirOf(ev: ScapEvent): string {
  return ev.type % 2 === 0 ? '>' : '<';
}
