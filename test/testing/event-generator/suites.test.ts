/**
 * kestrel's event-generator suites for the upstream stable rules (test/event-generator-suites/):
 * they load with the loader, every stable rule that the format can trigger has one, and each
 * expected outcome is consistent with its rule in ../shared/falcosecurity-rules/falco_rules.yaml.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { eventCodes } from '../../../src/fields/events.js';
import { loadRulesFiles } from '../../../src/rules/loader.js';
import { isEventGeneratorSuite, loadSuiteFiles } from '../../../src/testing/event-generator/index.js';
import { UPSTREAM_RULES_DIR } from '../../helpers/upstream.js';

const SUITES_DIR = fileURLToPath(new URL('../../event-generator-suites/', import.meta.url));
const files = readdirSync(SUITES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ file: f, text: readFileSync(SUITES_DIR + f, 'utf8') }));
/** kestrel's near misses of the suites: simulated tests that must not fire (and their positive twins). */
const SIMULATED_FILE = fileURLToPath(new URL('../../rule-tests/upstream-stable-simulated.kestrel-test.yaml', import.meta.url));

/**
 * The rules (of `rules`) without a negative in a kestrel test file's text: a `simulate:` test
 * with `expect: { fires: false }`. Templates are counted as written (cases expand in the runner).
 */
function rulesWithoutNegative(text: string, rules: string[]): string[] {
  const spec = parse(text) as { tests?: { rule?: unknown; simulate?: unknown; expect?: { fires?: unknown } }[] };
  const negated = new Set((spec.tests ?? []).filter((t) => t.simulate !== undefined && t.expect?.fires === false).map((t) => t.rule));
  return rules.filter((rule) => !negated.has(rule));
}

/**
 * Stable rules without a suite, and why (docs/event-generator.md says the same). A test that
 * event-generator cannot report as passing on a real host is not written.
 */
const NOT_COVERED: Record<string, string> = {
  'Terminal shell in container': 'needs a controlling terminal (proc.tty != 0); event-generator gives its processes none',
  'Contact K8S API Server From Container': 'needs fd.sip.name = kubernetes.default.svc.cluster.local, a name only cluster DNS resolves',
  'Linux Kernel Module Injection Detected': 'init_module/finit_module must succeed for event-generator to report the test, which loads a real module',
  'PTRACE attached to process': 'event-generator has no ptrace step',
  'PTRACE anti-debug attempt': 'event-generator has no ptrace step',
};

const rules = loadRulesFiles([`${UPSTREAM_RULES_DIR}falco_rules.yaml`]).output!.rules;

describe('event-generator suites for the stable rules', () => {
  const results = loadSuiteFiles(files);

  it('every suite file loads, under `suite test` rules (a rule per test), without warnings', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const [i, result] of results.entries()) {
      expect(isEventGeneratorSuite(files[i]!.text), result.file).toBe(true);
      expect(result.errors, result.file).toEqual([]);
      expect(result.warnings, result.file).toEqual([]);
      expect(result.tests.length, result.file).toBeGreaterThan(0);
    }
  });

  it('every stable rule has a suite, except those the format cannot trigger', () => {
    const covered = new Set(results.flatMap((r) => r.tests.map((t) => t.rule)));
    for (const rule of rules) {
      if (NOT_COVERED[rule.name]) expect(covered.has(rule.name), rule.name).toBe(false);
      else expect(covered.has(rule.name), `no suite for '${rule.name}'`).toBe(true);
    }
    expect(
      rules
        .filter((r) => NOT_COVERED[r.name])
        .map((r) => r.name)
        .sort(),
    ).toEqual(Object.keys(NOT_COVERED).sort());
  });

  it('each expected outcome matches its rule: source, priority, output fields, event type', () => {
    for (const result of results) {
      for (const test of result.tests) {
        const rule = rules.find((r) => r.name === test.rule);
        expect(rule, `${result.file}: ${test.name}: rule '${test.rule}' is not a stable rule`).toBeDefined();
        const outcome = test.expectedOutcome!;
        expect(outcome, `${test.name}: no expectedOutcome`).toBeDefined();
        expect(outcome.source).toBe(rule!.source);
        // event-generator lower-cases the alert's priority before comparing.
        expect(outcome.priority, test.name).toBe(rule!.priority.toLowerCase());
        const fields = Object.keys(outcome.outputFields ?? {});
        expect(fields.length, test.name).toBeGreaterThanOrEqual(2);
        for (const field of fields) expect(rule!.outputFields, `${test.name}: ${field} is not in the output of '${rule!.name}'`).toContain(field);
        const type = outcome.outputFields?.['evt.type'];
        if (type !== undefined) {
          expect(
            eventCodes(type).some((c) => rule!.eventTypes.codes.has(c)),
            `${test.name}: '${rule!.name}' does not take ${type}`,
          ).toBe(true);
          // The event comes from a step, or from starting the process chain.
          const fromSteps = test.steps.some((s) => s.syscall === type);
          const startsProcess = test.context.processes.length > 0 || test.resources.some((r) => r.type === 'process');
          expect(fromSteps || (type === 'execve' && startsProcess), `${test.name}: nothing issues ${type}`).toBe(true);
        }
        const name = outcome.outputFields?.['proc.name'];
        if (name !== undefined) expect(test.context.processes.at(-1)!.name, test.name).toBe(name);
      }
    }
  });

  it('every rule with a suite has a simulated near miss that must not fire (upstream-stable-simulated.kestrel-test.yaml)', () => {
    const suiteRules = [...new Set(results.flatMap((r) => r.tests.map((t) => t.rule!)))].sort();
    expect(suiteRules.length).toBeGreaterThanOrEqual(20);
    const text = readFileSync(SIMULATED_FILE, 'utf8');
    expect(rulesWithoutNegative(text, suiteRules)).toEqual([]);
    // Every simulated test is of a rule with a suite (no misspelt rule names).
    const tests = (parse(text) as { tests: { name: string; rule: string; simulate?: unknown }[] }).tests;
    expect(tests.filter((t) => t.simulate === undefined || !suiteRules.includes(t.rule)).map((t) => t.name)).toEqual([]);
    // The check fails when a rule loses its negatives: here they become positives.
    const rule = 'Clear Log Activities';
    const doc = parse(text) as { tests: { rule: string; expect: { fires: boolean } }[] };
    for (const t of doc.tests) if (t.rule === rule) t.expect.fires = true;
    expect(rulesWithoutNegative(JSON.stringify(doc), suiteRules)).toEqual([rule]);
  });
});
