/** `kestrel test` on event-generator suite files: kestrel's reporters and event-generator's. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runKestrel } from '../helpers/cli.js';
import { EVENT_GENERATOR_DIR } from '../helpers/json-schema.js';
import { UPSTREAM_RULES_DIR } from '../helpers/upstream.js';

const RULES = `${UPSTREAM_RULES_DIR}falco_rules.yaml`;
const SAMPLE = path.resolve(`${EVENT_GENERATOR_DIR}samples/expected_outcome.yaml`);
const SHM = path.resolve('test/event-generator-suites/execution_from_dev_shm.yaml');

describe('kestrel test on event-generator suites', () => {
  it("runs them beside kestrel tests, with kestrel's text report and exit status", async () => {
    const ok = await runKestrel(['test', '-r', RULES, SHM]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`PASS ${SHM} › execute_from_dev_shm_testCase#3`);
    expect(ok.stdout).toContain('4 passed, 0 failed');
    const sample = await runKestrel(['test', '-r', RULES, SAMPLE]);
    expect(sample.code).toBe(1);
    expect(sample.stdout).toContain(`FAIL ${SAMPLE} › test_expected_outcome_strict`);
    expect(sample.stdout).toContain(`alert 1 of 'Read sensitive file untrusted' differs: priority expected "WARNING", got "warning"`);
    expect(sample.stdout).toContain('1 passed, 1 failed');
  });

  it("--report-format text: event-generator's report, and its exit status (0: tests ran)", async () => {
    const run = await runKestrel(['test', '-r', RULES, SAMPLE, '--report-format', 'text']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Test Suite: Read sensitive file untrusted\n' +
        '   Test: test_expected_outcome_strict\n' +
        '      Successful matches: 0\n' +
        '      Generated warnings: 1\n' +
        '         Warning 0\n' +
        '            Field: priority, Expected: WARNING, Got: warning\n' +
        '\n' +
        '   Test: test_expected_outcome_loose\n' +
        '      Successful matches: 1\n' +
        '      Generated warnings: 0\n' +
        '\n',
    );
  });

  it('--report-format json and yaml', async () => {
    const json = await runKestrel(['test', '-r', RULES, SHM, '--report-format', 'json']);
    const doc = JSON.parse(json.stdout.trim()) as {
      suite: string;
      testReports: { test: string; originatingTestCase: Record<string, string>; successfulMatches: number }[];
    };
    expect(doc.suite).toBe('Execution from /dev/shm');
    expect(doc.testReports).toHaveLength(4);
    expect(doc.testReports[0]).toEqual({
      test: 'execute_from_dev_shm_testCase#0',
      originatingTestCase: {
        args: '--run',
        cmdline: 'payload --run',
        exe: '/dev/shm/kestrel-eg/payload',
        exePath: '/dev/shm/kestrel-eg/payload',
        name: 'payload',
      },
      successfulMatches: 1,
    });
    const yaml = await runKestrel(['test', '-r', RULES, SAMPLE, '--report-format', 'yaml']);
    expect(yaml.stdout).toContain('testReports:\n    - test: test_expected_outcome_strict\n');
    const docs = parseAllDocuments(yaml.stdout).map((d) => d.toJS());
    expect(docs).toEqual([
      {
        suite: 'Read sensitive file untrusted',
        testReports: [
          {
            test: 'test_expected_outcome_strict',
            successfulMatches: 0,
            generatedWarnings: [{ fieldWarnings: [{ field: 'priority', expected: 'WARNING', got: 'warning' }] }],
          },
          { test: 'test_expected_outcome_loose', successfulMatches: 1 },
        ],
      },
    ]);
  });

  it('--arch: tests whose runIf is false are reported skipped (text, JUnit), left out of event-generator reports, and do not fail the run', async () => {
    const suite = path.resolve('test/event-generator-suites/clear_log_activities.yaml');
    const amd = await runKestrel(['test', '-r', RULES, suite]);
    expect(amd.stdout).toContain(`PASS ${suite} › truncate_log_file_testCase#0`);
    const arm = await runKestrel(['test', '-r', RULES, suite, '--arch', 'aarch64']);
    expect(arm.code).toBe(0);
    expect(arm.stdout).toContain(`SKIP ${suite} › truncate_log_file_testCase#0\n     runIf: arch ne arm64 is false on the simulated arm64`);
    expect(arm.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped/);
    const junit = await runKestrel(['test', '-r', RULES, suite, '--arch', 'arm64', '--reporter', 'junit']);
    expect(junit.stdout).toContain(
      '<testcase name="truncate_log_file_testCase#0" classname="Clear Log Activities" time="0.000"><skipped message="runIf: arch ne arm64 is false on the simulated arm64"/></testcase>',
    );
    const json = await runKestrel(['test', '-r', RULES, suite, '--arch', 'arm64', '--report-format', 'json']);
    expect(json.stdout).not.toContain('truncate_log_file');
    const bad = await runKestrel(['test', '-r', RULES, suite, '--arch', 'riscv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`unknown architecture 'riscv' (amd64, arm64, or x86_64, aarch64)`);
  });

  it('needs -r: the suites name no rules file', async () => {
    const run = await runKestrel(['test', SHM]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ERROR event-generator suites name no rules file: pass the rules with -r');
  });

  it('-o rule_matching=all, and an unknown -o', async () => {
    const debugfs = path.resolve('test/event-generator-suites/debugfs_launched_in_privileged_container.yaml');
    const all = await runKestrel(['test', '-r', RULES, debugfs, '-o', 'rule_matching=all', '--json']);
    const results = JSON.parse(all.stdout) as { files: { results: { otherAlerts: string[] }[] }[] };
    expect(results.files[0]!.results[0]!.otherAlerts).toEqual(['Drop and execute new binary in container']);
    const first = await runKestrel(['test', '-r', RULES, debugfs, '--json']);
    expect((JSON.parse(first.stdout) as typeof results).files[0]!.results[0]!.otherAlerts).toEqual([]);
    const bad = await runKestrel(['test', '-r', RULES, debugfs, '-o', 'json_output=true']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`unsupported option '-o json_output=true' (rule_matching=first|all)`);
  });

  it("--dump-events writes every test's synthesized events as JSONL", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-eg-'));
    const out = path.join(dir, 'events.jsonl');
    const run = await runKestrel(['test', '-r', RULES, SHM, '--dump-events', out]);
    expect(run.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => 'test' in l).map((l) => l['test'])).toEqual([0, 1, 2, 3].map((i) => `execute_from_dev_shm_testCase#${i}`));
    expect(lines.some((l) => l['evt.type'] === 'execve' && l['proc.name'] === 'payload' && l['monitored'] === true)).toBe(true);
  });
});

describe('coverage of event-generator suites', () => {
  it('--coverage-json and --lcov count the suite tests: the rule fired, its checks seen on the synthesized events', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-eg-coverage-'));
    const json = path.join(dir, 'coverage.json');
    const lcov = path.join(dir, 'coverage.lcov');
    const run = await runKestrel(['test', '-r', RULES, SHM, '--coverage-json', json, '--lcov', lcov]);
    expect(run.code, run.stdout).toBe(0);
    const coverage = JSON.parse(readFileSync(json, 'utf8')) as { rule: string; fired: boolean; leaves: { seenTrue: number; seenFalse: number }[] }[];
    const shm = coverage.find((r) => r.rule === 'Execution from /dev/shm');
    expect(shm?.fired).toBe(true);
    // The rule's checks met the test processes' events, true on some and false on others.
    expect(shm!.leaves.some((l) => l.seenTrue > 0)).toBe(true);
    expect(shm!.leaves.some((l) => l.seenFalse > 0)).toBe(true);
    // Rules no suite exercises are listed too, unfired.
    expect(coverage.filter((r) => !r.fired).length).toBeGreaterThan(10);
    expect(readFileSync(lcov, 'utf8')).toMatch(/FNDA:[1-9]\d*,Execution from \/dev\/shm/);
  });
});
