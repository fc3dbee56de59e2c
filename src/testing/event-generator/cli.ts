/**
 * `kestrel test` on event-generator suite files: rules from `-r` (the format names no rules
 * file), compiled once per run; results for kestrel's reporters and event-generator's.
 */

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RuleMatching } from '../../evaluator/engine.js';
import { loadRulesFiles } from '../../rules/loader.js';
import { formatDiagnostic } from '../../rules/report.js';
import type { ScapEvent } from '../../sources/scap/event.js';
import type { CoverageTracker } from '../coverage.js';
import type { TestFileResult } from '../runner.js';
import type { Arch } from './arch.js';
import { dumpSimulation } from './dump.js';
import { toTestFileResult } from './report.js';
import { type EgFileResult, EgRunner } from './run.js';

export interface EgCliOptions {
  rules: string[] | undefined;
  cwd: string;
  matching: RuleMatching;
  /** Where `--dump-events` writes the synthesized streams (JSONL, every test appended). */
  dumpEvents?: string;
  /** Track rule coverage of the suites' tests (`--coverage`, `--coverage-json`, `--lcov`). */
  coverage?: boolean;
  /** The simulated architecture (`--arch`). */
  arch?: Arch;
}

export class EgCliRunner {
  private runner: EgRunner | undefined;
  private rulesError: string[] | undefined;
  private dumpStarted = false;

  constructor(private readonly options: EgCliOptions) {}

  /** The coverage of the suites run so far (undefined without --coverage, or when no suite ran). */
  get coverage(): CoverageTracker<ScapEvent> | undefined {
    return this.runner?.coverage;
  }

  run(file: string): { kestrel: TestFileResult; eg: EgFileResult } {
    const text = readFileSync(path.resolve(this.options.cwd, file), 'utf8');
    const runner = this.ensureRunner();
    if (runner === undefined) {
      const errors = this.rulesError ?? [];
      return { kestrel: { file, errors, results: [] }, eg: { file, errors: [], warnings: [], results: [] } };
    }
    const eg = runner.runFile(text, file);
    return { kestrel: toTestFileResult(eg), eg };
  }

  private ensureRunner(): EgRunner | undefined {
    if (this.runner !== undefined || this.rulesError !== undefined) return this.runner;
    const rules = this.options.rules ?? [];
    if (rules.length === 0) {
      this.rulesError = ['event-generator suites name no rules file: pass the rules with -r'];
      return undefined;
    }
    const loaded = loadRulesFiles(rules, { cwd: this.options.cwd });
    if (!loaded.output) {
      this.rulesError = ['the rules do not load', ...loaded.results.flatMap((r) => r.errors.map((d) => formatDiagnostic(d, loaded.contents)))];
      return undefined;
    }
    const dump = this.options.dumpEvents === undefined ? undefined : path.resolve(this.options.cwd, this.options.dumpEvents);
    this.runner = new EgRunner(loaded.output.rules, {
      matching: this.options.matching,
      ...(this.options.arch ? { arch: this.options.arch } : {}),
      ...(this.options.coverage ? { coverage: loaded.output } : {}),
      ...(dump === undefined
        ? {}
        : {
            onSimulation: (test, sim) => {
              const text = dumpSimulation(test, sim);
              if (this.dumpStarted) appendFileSync(dump, text);
              else writeFileSync(dump, text);
              this.dumpStarted = true;
            },
          }),
    });
    return this.runner;
  }
}
