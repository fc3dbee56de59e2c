import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandCases, runTestFile } from '../../src/testing/index.js';
import { runKestrel } from '../helpers/cli.js';
import { ownRuleTestRuns, UPSTREAM_RULE_FILES } from '../helpers/upstream.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-tests-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
write(
  'rules.yaml',
  `- rule: Shell in container
  desc: d
  condition: evt.type = execve and container.id != host and proc.name in (bash, sh)
  output: "shell %proc.name in %container.id"
  priority: NOTICE
- rule: Any execve
  desc: d
  condition: evt.type = execve
  output: "exec %proc.name"
  priority: DEBUG
`,
);

describe("kestrel's own rule tests", () => {
  it('pass (test/rule-tests)', async () => {
    let passed = 0;
    for (const args of ownRuleTestRuns(ROOT)) {
      const run = await runKestrel(['test', ...args], { cwd: ROOT });
      expect(run.stdout).toMatch(/\n(\d+) passed, 0 failed\n$/);
      passed += Number(/(\d+) passed/.exec(run.stdout)![1]);
      expect(run.code).toBe(0);
    }
    expect(passed).toBeGreaterThanOrEqual(20);
  });
});

describe('the test runner', () => {
  it('reports failing expectations with the event and what was false', async () => {
    const file = write(
      'failing.kestrel-test.yaml',
      `rules: [rules.yaml]
tests:
  - name: expects a shell alert on the host
    rule: Shell in container
    events: [{ evt.type: execve, proc.name: bash, container.id: host }]
    expect: { fires: true }
  - name: wrong count, priority and field
    rule: Shell in container
    events: [{ evt.type: execve, proc.name: bash, container.id: c1 }]
    expect: { fires: true, count: 2, priority: Critical, outputFields: { proc.name: sh } }
  - name: another rule fires
    rule: Shell in container
    events: [{ evt.type: execve, proc.name: ls, container.id: c1 }]
    expect: { fires: false, noOtherRule: true }
`,
    );
    const result = await runTestFile(file);
    expect(result.errors).toEqual([]);
    const [host, wrong, other] = result.results;
    expect(host!.passed).toBe(false);
    expect(host!.failures[0]).toContain("expected 'Shell in container' to fire, it did not.");
    expect(host!.failures[0]).toContain("'container.id != host' did not match");
    expect(wrong!.failures).toEqual([
      "expected 'Shell in container' to fire 2 time(s), it fired 1",
      'expected priority Critical, the alert has Notice',
      'expected output field proc.name = "sh", the alert has "bash"',
    ]);
    expect(other!.failures).toEqual(['expected no other rule to fire; these fired: Any execve']);
    const cli = await runKestrel(['test', file]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/0 passed, 3 failed\n$/);
  });

  it('rejects bad test files with positions', async () => {
    const file = write(
      'bad.kestrel-test.yaml',
      `rules: [rules.yaml]\ntests:\n  - name: x\n    rule: Shell in container\n    events: [{ evt.type: execve }]\n    expect: { fire: true }\n`,
    );
    const result = await runTestFile(file);
    expect(result.results).toEqual([]);
    expect(result.errors.join('\n')).toMatch(/bad\.kestrel-test\.yaml:6:13: tests\.0\.expect: /);
    const yamlError = write('broken.kestrel-test.yaml', 'tests: [\n');
    expect((await runTestFile(yamlError)).errors[0]).toMatch(/broken\.kestrel-test\.yaml:2:1: /);
  });

  it('expands vector and matrix cases', () => {
    const base = { name: 'n %{ item.a }', rule: 'r', events: [{ x: '%{ item.a }', y: 'b=%{ item.b }' }], expect: { fires: true } };
    const vector = expandCases({ ...base, cases: { strategy: 'vector', values: { a: [1, 2], b: ['p', 'q'] } } });
    expect(vector.map((t) => t.name)).toEqual(['n 1 [case 0]', 'n 2 [case 1]']);
    expect(vector[1]!.events).toEqual([{ x: 2, y: 'b=q' }]);
    const matrix = expandCases({ ...base, cases: { strategy: 'matrix', values: { a: [1, 2], b: ['p', 'q', 'r'] } } });
    expect(matrix).toHaveLength(6);
    expect(matrix[5]!.events).toEqual([{ x: 2, y: 'b=r' }]);
    expect(() => expandCases({ ...base, cases: { strategy: 'vector', values: { a: [1, 2], b: ['p'] } } })).toThrow(/one length/);
  });

  it('writes JUnit XML', async () => {
    const file = write(
      'mixed.kestrel-test.yaml',
      `rules: [rules.yaml]\ntests:\n  - name: ok & good\n    rule: Shell in container\n    events: [{ evt.type: execve, proc.name: sh, container.id: c1 }]\n    expect: { fires: true }\n  - name: "bad <one>"\n    rule: Shell in container\n    events: [{ evt.type: execve, proc.name: ls, container.id: c1 }]\n    expect: { fires: true }\n`,
    );
    const run = await runKestrel(['test', file, '--reporter', 'junit']);
    const xml = run.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kestrel" tests="2" failures="1" errors="0">')).toBe(true);
    expect(xml).toContain('<testcase name="ok &amp; good" classname="Shell in container" time="');
    expect(xml).toMatch(
      /<testcase name="bad &lt;one&gt;" classname="Shell in container" time="[0-9.]+"><failure message="expected &apos;Shell in container&apos; to fire, it did not.">/,
    );
    // Valid against the JUnit schema (xmllint; CI installs libxml2-utils).
    const out = path.join(dir, 'report.xml');
    writeFileSync(out, xml);
    const xsd = fileURLToPath(new URL('../fixtures/junit/junit.xsd', import.meta.url));
    const check = spawnSync('xmllint', ['--noout', '--schema', xsd, out], { encoding: 'utf8' });
    if (check.error) throw new Error('xmllint is not installed: apt-get install libxml2-utils (the CI script does)');
    expect(check.stderr).toContain('validates');
    expect(check.status).toBe(0);
    // And a broken report is caught.
    writeFileSync(out, xml.replace('classname="Shell in container"', ''));
    expect(spawnSync('xmllint', ['--noout', '--schema', xsd, out]).status).not.toBe(0);
  });
});

describe('tests on the simulated host (simulate:)', () => {
  const file = write(
    'simulated.kestrel-test.yaml',
    `tests:
  - name: sshd reads /etc/shadow
    rule: Read sensitive file untrusted
    simulate:
      context: { processes: [{ name: "%{ item.reader }" }] }
      steps:
        - { type: syscall, name: o, syscall: openat, args: { pathname: /etc/shadow, flags: O_RDONLY } }
    cases: { strategy: vector, values: { reader: [sshd, catty] } }
    expect: { fires: false }
  - name: an ancestor matching the rule does not count
    rule: Run shell untrusted
    simulate:
      context: { processes: [{ name: nginx }, { name: bash }, { name: leaf }] }
    expect: { fires: false }
  - name: bad step
    rule: Read sensitive file untrusted
    simulate:
      steps:
        - { type: syscall, name: o, syscall: openat, args: { flags: O_RDONLY } }
    expect: { fires: false }
  - name: gated
    rule: Read sensitive file untrusted
    simulate:
      runIf: { arch: { op: eq, val: arm64 } }
      steps:
        - { type: syscall, name: o, syscall: openat, args: { pathname: /etc/shadow, flags: O_RDONLY } }
    expect: { fires: true }
`,
  );

  it('synthesizes the events of an event-generator test description and checks the expectation on its processes alerts', async () => {
    const result = await runTestFile(file, { rules: [UPSTREAM_RULE_FILES[0]!] });
    expect(result.errors).toEqual([]);
    const [trusted, untrusted, ancestor, bad, gated] = result.results;
    expect(trusted).toMatchObject({ name: 'sshd reads /etc/shadow [case 0]', passed: true, alerts: [] });
    // The negative case fails when the rule fires, with the alert.
    expect(untrusted!.passed).toBe(false);
    expect(untrusted!.alerts).toHaveLength(1);
    expect(untrusted!.alerts[0]!.output_fields['proc.name']).toBe('catty');
    expect(untrusted!.failures[0]).toMatch(/^expected 'Read sensitive file untrusted' not to fire, it fired 1 time\(s\): \{.*"fd.name":"\/etc\/shadow"/);
    // nginx -> bash is what the rule looks for, but bash is not the test's process.
    expect(ancestor).toMatchObject({ passed: true, alerts: [] });
    expect(bad!.passed).toBe(false);
    expect(bad!.failures).toEqual([`simulate: error validating YAML description: at 'simulate/steps/0/args': missing property 'pathname' [EG_SCHEMA]`]);
    expect(gated).toMatchObject({ passed: false, skipped: 'runIf: arch eq arm64 is false on the simulated amd64' });
  });

  it('explains a positive expectation that failed from the synthesized events', async () => {
    const positive = write(
      'simulated-positive.kestrel-test.yaml',
      `tests:
  - name: sshd reads /etc/shadow
    rule: Read sensitive file untrusted
    simulate:
      context: { processes: [{ name: sshd }] }
      steps:
        - { type: syscall, name: o, syscall: openat, args: { pathname: /etc/shadow, flags: O_RDONLY } }
    expect: { fires: true }
`,
    );
    const [r] = (await runTestFile(positive, { rules: [UPSTREAM_RULE_FILES[0]!] })).results;
    expect(r!.passed).toBe(false);
    expect(r!.failures[0]).toBe(`expected 'Read sensitive file untrusted' to fire, it did not.`);
    expect(r!.failures[1]).toMatch(/^ {2}event \d+ \(openat < tid \d+\): false because 'proc.name in \(login, /);
    // The openat enter event updates the state only: rules never see it (sinsp_evt_filter).
    expect(r!.failures[1]).not.toContain('(openat >');
  });

  it('reports a rule that is not loaded, before simulating', async () => {
    const missing = write(
      'simulated-missing-rule.kestrel-test.yaml',
      `tests:
  - name: m
    rule: No such rule
    simulate: { steps: [{ type: syscall, name: o, syscall: openat, args: { pathname: /etc/shadow, flags: O_RDONLY } }] }
    expect: { fires: false }
`,
    );
    const [r] = (await runTestFile(missing, { rules: [UPSTREAM_RULE_FILES[0]!] })).results;
    expect(r).toMatchObject({ passed: false, failures: [`rule 'No such rule' is not in the loaded rules (or is disabled by its source)`] });
  });

  it('refuses simulate beside events, a capture or defaults', async () => {
    const mixed = write(
      'mixed-simulated.kestrel-test.yaml',
      `tests:
  - name: m
    rule: Read sensitive file untrusted
    simulate: { steps: [] }
    events: [{ evt.type: open }]
    expect: { fires: false }
`,
    );
    const result = await runTestFile(mixed, { rules: [UPSTREAM_RULE_FILES[0]!] });
    expect(result.errors).toEqual([`${mixed}:2:5: tests.0: simulate: makes its own events: it takes no events, capture or defaults`]);
  });
});
