import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bench } from 'tinybench';
import { loadRulesContents } from '../../src/rules/loader.js';
import { loadSuite } from '../../src/testing/event-generator/loader.js';
import { EgRunner } from '../../src/testing/event-generator/run.js';
import { simulateTest } from '../../src/testing/event-generator/sim/simulate.js';
import { SHARED_DIR } from '../shared.js';
import type { Registration, Suite } from '../types.js';

const SUITES_DIR = path.resolve(process.cwd(), 'test/event-generator-suites');
const TARGET_TESTS_PER_SECOND = 1_000;

/**
 * The kestrel event-generator suites run offline against the stable rules: each concrete
 * test is simulated, replayed through the scap state engine and the rules, and checked.
 * Loading the suites and compiling the rules happen once, outside the timing.
 */
export const eventGeneratorSuite: Suite = {
  name: 'event-generator',
  register(bench: Bench): Registration {
    const rulesFile = path.join(SHARED_DIR, 'falcosecurity-rules', 'falco_rules.yaml');
    const loaded = loadRulesContents([{ name: rulesFile, text: readFileSync(rulesFile, 'utf8') }]);
    if (!loaded.output) throw new Error('the stable rules do not load');
    const runner = new EgRunner(loaded.output.rules);
    const tests = readdirSync(SUITES_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => loadSuite(readFileSync(path.join(SUITES_DIR, f), 'utf8'), f).tests.map((t) => ({ t, f })));
    const run = `run the ${tests.length} concrete tests of the event-generator suites (simulate + replay + check)`;
    bench.add(run, () => {
      for (const { t, f } of tests) if (!runner.runTest(t, f).passed) throw new Error(`${f}: ${t.name} failed`);
    });
    const simulate = `simulate the ${tests.length} concrete tests (events only)`;
    bench.add(simulate, () => {
      for (const { t } of tests) simulateTest(t);
    });
    return {
      throughputs: [
        { name: 'event-generator tests run', unit: 'tests/s', task: run, perIteration: tests.length, atLeast: TARGET_TESTS_PER_SECOND },
        { name: 'event-generator tests simulated', unit: 'tests/s', task: simulate, perIteration: tests.length },
      ],
    };
  },
};
