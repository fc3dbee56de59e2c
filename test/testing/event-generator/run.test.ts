/**
 * Running event-generator suites offline against the upstream rules: the outcome each test
 * gets is the one event-generator, checking Falco's alerts, would report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRulesFiles } from '../../../src/rules/loader.js';
import type { CompiledRule } from '../../../src/rules/model.js';
import { hasSyscall } from '../../../src/testing/event-generator/arch.js';
import { loadSuite } from '../../../src/testing/event-generator/index.js';
import { goFloat } from '../../../src/testing/event-generator/outcome.js';
import { EgRunner, runSuites } from '../../../src/testing/event-generator/run.js';
import { EVENT_GENERATOR_DIR } from '../../helpers/json-schema.js';
import { UPSTREAM_RULES_DIR } from '../../helpers/upstream.js';

const RULES = `${UPSTREAM_RULES_DIR}falco_rules.yaml`;
const SUITES = 'test/event-generator-suites/';
let rules: CompiledRule[];

beforeAll(() => {
  const loaded = loadRulesFiles([RULES], { cwd: process.cwd() });
  if (!loaded.output) throw new Error('the upstream rules do not load');
  rules = loaded.output.rules;
});

function one(yaml: string, options = {}) {
  const [file] = runSuites([{ file: 'inline.yaml', text: yaml }], rules, options);
  expect(file!.errors).toEqual([]);
  return file!.results;
}

describe('the upstream samples with a rule', () => {
  it('expected_outcome.yaml: the strict test fails on priority (Falco sends "Warning", event-generator lowercases it and compares "WARNING" exactly); the loose one passes', () => {
    const text = readFileSync(`${EVENT_GENERATOR_DIR}samples/expected_outcome.yaml`, 'utf8');
    const [file] = runSuites([{ file: 'expected_outcome.yaml', text }], rules);
    const [strict, loose] = file!.results;
    expect(strict!.name).toBe('test_expected_outcome_strict');
    expect(strict!.passed).toBe(false);
    // The rule fired on the file resource's open (O_RDWR of /etc/shadow by the leaf), once.
    expect(strict!.warnings).toEqual([[{ field: 'priority', expected: 'WARNING', got: 'warning' }]]);
    expect(loose!.passed).toBe(true);
    expect(loose!.matched?.rule).toBe('Read sensitive file untrusted');
    expect(loose!.matched?.outputFields['proc.name']).toBe('event-generator');
    expect(loose!.matched?.outputFields['fd.name']).toBe('/etc/shadow');
  });

  it('no other sample has a rule (they are `suite run` material)', () => {
    const dir = `${EVENT_GENERATOR_DIR}samples/`;
    const withRule = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) =>
        loadSuite(readFileSync(dir + f, 'utf8'), f, { requireRule: false })
          .tests.filter((t) => t.rule)
          .map(() => f),
      );
    expect([...new Set(withRule)]).toEqual(['expected_outcome.yaml']);
  });
});

describe('the kestrel suites for the stable rules', () => {
  const files = readdirSync(SUITES).filter((f) => f.endsWith('.yaml'));
  it('there are 20', () => expect(files).toHaveLength(20));
  for (const f of files) {
    it(`${f}: every concrete test passes`, () => {
      const [result] = runSuites([{ file: f, text: readFileSync(SUITES + f, 'utf8') }], rules);
      expect(result!.errors).toEqual([]);
      expect(result!.results.length).toBeGreaterThan(0);
      for (const r of result!.results) {
        expect({ name: r.name, passed: r.passed, error: r.error, warnings: r.warnings, explanation: r.explanation }).toEqual({
          name: r.name,
          passed: true,
          error: undefined,
          warnings: [],
          explanation: [],
        });
        expect(r.matched?.rule).toBe(r.rule);
      }
    });
  }

  it('on arm64, the tests of syscalls arm64 lacks are skipped by their runIf, and every other test passes', () => {
    const results = runSuites(
      files.map((f) => ({ file: f, text: readFileSync(SUITES + f, 'utf8') })),
      rules,
      { arch: 'arm64' },
    ).flatMap((f) => f.results);
    const skipped = results.filter((r) => r.skipped !== undefined);
    expect(skipped.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.skipped === undefined && !r.passed).map((r) => `${r.name}: ${r.error}`)).toEqual([]);
    // Gated exactly: every skipped test has a step arm64 cannot run.
    const tests = files.flatMap((f) => loadSuite(readFileSync(SUITES + f, 'utf8'), f).tests);
    for (const r of skipped) {
      const test = tests.find((t) => t.name === r.name && t.rule === r.rule)!;
      expect(
        test.steps.some((s) => !hasSyscall('arm64', s.syscall)),
        r.name,
      ).toBe(true);
    }
  });
});

const SHADOW = `tests:
  - name: t
    rule: Read sensitive file untrusted
    runner: HostRunner
    context:
      processes:
        - name: reader
    steps:
      - type: syscall
        name: o
        syscall: open
        args: { pathname: PATH, flags: O_RDONLY }
    expectedOutcome:
      source: syscall
      hostname: HOST
      priority: warning
      outputFields:
        proc.name: reader
        user.uid: "0"
`;

describe('outcome', () => {
  it('passes when one alert of the rule has every declared key', () => {
    const [r] = one(SHADOW.replace('PATH', '/etc/shadow').replace('HOST', 'kestrel-host'));
    expect(r!.passed).toBe(true);
    expect(r!.successfulMatches).toBe(1);
    expect(r!.matched!.outputFields['user.uid']).toBe('0');
  });

  it('says which expected field differed', () => {
    const [r] = one(SHADOW.replace('PATH', '/etc/shadow').replace('HOST', 'other-host').replace('proc.name: reader', 'proc.name: writer'));
    expect(r!.passed).toBe(false);
    expect(r!.warnings).toEqual([
      [
        { field: 'hostname', expected: 'other-host', got: 'kestrel-host' },
        { field: 'proc.name', expected: 'writer', got: 'reader' },
      ],
    ]);
  });

  it('takes the hostname of the simulated machine from the options', () => {
    const [r] = one(SHADOW.replace('PATH', '/etc/shadow').replace('HOST', 'box1'), { hostname: 'box1' });
    expect(r!.passed).toBe(true);
  });

  it("explains a rule that did not fire: which part of its condition was false on the leaf's events", () => {
    const [r] = one(SHADOW.replace('PATH', '/etc/hostname').replace('HOST', 'kestrel-host'));
    expect(r!.passed).toBe(false);
    expect(r!.alerts).toEqual([]);
    const open = r!.explanation.find((l) => l.includes('(open <'));
    expect(open).toBeDefined();
    expect(open).toMatch(/false because .*fd\.name.*did not match/);
  });

  it('counts only alerts of the leaf: an ancestor matching the rule does not make the test pass', () => {
    const yaml = `tests:
  - name: t
    rule: Execution from /dev/shm
    runner: HostRunner
    context:
      processes:
        - { exePath: /dev/shm/x/payload, name: payload }
        - { name: leaf }
    expectedOutcome: {}
`;
    const [r] = one(yaml);
    expect(r!.passed).toBe(false);
    expect(r!.alerts.map((a) => a.rule)).not.toContain('Execution from /dev/shm');
  });

  it('rule_matching: first (the default) stops at the first rule; all reports every matching rule', () => {
    const text = readFileSync(`${SUITES}debugfs_launched_in_privileged_container.yaml`, 'utf8');
    const first = runSuites([{ file: 'd.yaml', text }], rules)[0]!.results[0]!;
    const all = runSuites([{ file: 'd.yaml', text }], rules, { matching: 'all' })[0]!.results[0]!;
    expect(first.alerts.map((a) => a.rule)).toEqual(['Debugfs Launched in Privileged Container']);
    expect(all.alerts.map((a) => a.rule).sort()).toEqual(['Debugfs Launched in Privileged Container', 'Drop and execute new binary in container']);
    expect(first.passed && all.passed).toBe(true);
  });

  it('reports a test whose rule is not loaded', () => {
    const [r] = one(SHADOW.replace('Read sensitive file untrusted', 'No such rule').replace('PATH', '/etc/shadow').replace('HOST', 'h'));
    expect(r!.passed).toBe(false);
    expect(r!.error).toBe(`rule 'No such rule' is not in the loaded rules (or is disabled)`);
  });

  it('reports a step the simulator cannot run as an error of the test', () => {
    const [r] = one(`tests:
  - name: t
    rule: Read sensitive file untrusted
    runner: HostRunner
    steps:
      - { type: syscall, name: o, syscall: open, args: { pathname: /etc/x, flags: O_NOPE } }
`);
    expect(r!.error).toBe(`step 'o': flags: unknown value "O_NOPE"`);
  });

  it('runIf: a test runs only where its condition on the simulated architecture holds (amd64 unless told)', () => {
    const gated = (runIf: string) => `tests:
  - name: t
    rule: Read sensitive file untrusted
    runner: HostRunner
    runIf: ${runIf}
    steps:
      - { type: syscall, name: o, syscall: openat, args: { pathname: /etc/shadow, flags: O_RDONLY } }
`;
    const ne = gated('{ arch: { op: ne, val: arm64 } }');
    expect(one(ne)[0]!).toMatchObject({ passed: true, skipped: undefined });
    expect(one(ne, { arch: 'arm64' })[0]!).toMatchObject({ passed: false, skipped: 'runIf: arch ne arm64 is false on the simulated arm64', alerts: [] });
    // The kernel's names are aliases of Go's.
    expect(one(gated('{ arch: { op: eq, val: x86_64 } }'))[0]!.passed).toBe(true);
    expect(one(gated('{ arch: { op: eq, val: aarch64 } }'))[0]!.skipped).toBeDefined();
    expect(one(gated('null'))[0]!.passed).toBe(true);
    // A template's runIf comes from its case, null included (as Falco's suites write it).
    const template = `tests:
  - name: t
    rule: Read sensitive file untrusted
    runner: HostRunner
    runIf: %{ item.runIf }
    steps:
      - { type: syscall, name: o, syscall: "%{ item.syscall }", args: { pathname: /etc/shadow, flags: O_RDONLY } }
    cases:
      - strategy: vector
        values: { runIf: { arch: { op: ne, val: arm64 } }, syscall: open }
      - strategy: vector
        values: { runIf: null, syscall: openat }
`;
    expect(one(template, { arch: 'arm64' }).map((r) => [r.name, r.passed, r.skipped !== undefined])).toEqual([
      ['t_testCase#0', false, true],
      ['t_testCase#1', true, false],
    ]);
  });

  it('arm64: a step whose syscall the architecture lacks fails the test, as event-generator refuses to build it', () => {
    const text = SHADOW.replace('PATH', '/etc/shadow').replace('HOST', 'kestrel-host');
    expect(text).toContain('syscall: open\n');
    const [r] = one(text, { arch: 'arm64' });
    expect(r!.passed).toBe(false);
    expect(r!.error).toMatch(/^error building test: error building step "\w+" \(syscall open\): not supported by the architecture \(arm64\)$/);
    expect(r!.alerts).toEqual([]);
  });

  it('Fileless execution via memfd_create fires on a fileLess process resource, attributed to the test', () => {
    const [r] = one(`tests:
  - name: t
    rule: Fileless execution via memfd_create
    runner: HostRunner
    resources:
      - { type: process, name: ghost, procName: ghost, fileLess: true }
    expectedOutcome:
      priority: critical
      outputFields: { evt.arg.flags: EXE_WRITABLE|EXE_FROM_MEMFD, proc.exepath: "/memfd:ghost (deleted)" }
`);
    expect(r!.error).toBeUndefined();
    expect(r!.warnings).toEqual([]);
    expect(r!.passed).toBe(true);
  });

  it('one runner serves many tests with fresh state each time', () => {
    const runner = new EgRunner(rules);
    const text = SHADOW.replace('PATH', '/etc/shadow').replace('HOST', 'kestrel-host');
    expect(runner.runFile(text, 'a.yaml').results[0]!.passed).toBe(true);
    expect(runner.runFile(text, 'b.yaml').results[0]!.passed).toBe(true);
  });
});

describe("Go's %v of JSON numbers", () => {
  it.each([
    [0, '0'],
    [80, '80'],
    [999999, '999999'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.5, '0.5'],
    [0.00001, '1e-05'],
  ])('%d → %s', (n, text) => expect(goFloat(n)).toBe(text));
});
