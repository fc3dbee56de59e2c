import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RuleCoverage } from '../../src/testing/index.js';
import { runKestrel } from '../helpers/cli.js';
import { ownRuleTestRuns } from '../helpers/upstream.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-coverage-'));

describe('coverage', () => {
  it('figures for a small rule set match a count by hand', async () => {
    const rules = path.join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      [
        '- rule: Shell',
        '  desc: d',
        '  condition: evt.type = execve and proc.name in (bash, sh)',
        '  output: "shell %proc.name"',
        '  priority: NOTICE',
        '  exceptions:',
        '    - name: admin',
        '      fields: [user.name]',
        '      values: [[admin]]',
        '- rule: Never tested',
        '  desc: d',
        '  condition: evt.type = openat and fd.name = /x',
        '  output: o',
        '  priority: INFO',
        '',
      ].join('\n'),
    );
    const tests = path.join(dir, 'shell.kestrel-test.yaml');
    writeFileSync(
      tests,
      `rules: [rules.yaml]
tests:
  - name: bash fires
    rule: Shell
    events: [{ evt.type: execve, proc.name: bash, user.name: bob }]
    expect: { fires: true }
  - name: ls and admin do not
    rule: Shell
    events:
      - { evt.type: execve, proc.name: ls, user.name: bob }
      - { evt.type: execve, proc.name: sh, user.name: admin }
    expect: { fires: false }
`,
    );
    const json = path.join(dir, 'coverage.json');
    const lcov = path.join(dir, 'coverage.lcov');
    const run = await runKestrel(['test', tests, '--coverage', '--coverage-json', json, '--lcov', lcov]);
    expect(run.code).toBe(0);
    const coverage = JSON.parse(readFileSync(json, 'utf8')) as RuleCoverage[];
    const shell = coverage.find((r) => r.rule === 'Shell')!;
    expect(shell).toMatchObject({ fired: true, checkedNotFiring: true, file: rules, line: 1 });
    // Three execve events: evt.type true 3 times; proc.name in (bash, sh) true for bash and sh, false for ls;
    // the exception's user.name = admin true once (admin), false twice.
    expect(shell.leaves.map((l) => [l.text, l.exception ?? null, l.seenTrue, l.seenFalse, l.line])).toEqual([
      ['evt.type = execve', null, 3, 0, 3],
      ['proc.name in (bash, sh)', null, 2, 1, 3],
      ['user.name = admin', 'admin', 1, 2, 7],
    ]);
    const never = coverage.find((r) => r.rule === 'Never tested')!;
    expect(never).toMatchObject({ fired: false, checkedNotFiring: false, line: 10 });
    expect(never.leaves.every((l) => l.seenTrue === 0 && l.seenFalse === 0)).toBe(true);
    expect(run.stdout).toMatch(/Shell +yes +yes +3\/2\/2 of 3/);
    expect(run.stdout).toMatch(/rules fired by a test: 1\/2; checks seen both true and false: 2\/5/);
    const text = readFileSync(lcov, 'utf8');
    expect(text).toContain(`SF:${rules}\nFN:1,Shell\nFN:10,Never tested\nFNDA:1,Shell\nFNDA:0,Never tested\nFNF:2\nFNH:1\n`);
    expect(text).toContain('BRDA:3,1,0,2\nBRDA:3,1,1,1\n');
    expect(text).toContain('BRDA:7,2,0,1\nBRDA:7,2,1,2\n');
    expect(text).toMatch(/BRF:10\nBRH:5\nDA:3,6\nDA:7,3\nDA:12,0\nLF:3\nLH:2\nend_of_record\n$/);
  });

  it("kestrel's own tests fire every bundled rule", async () => {
    const json = path.join(dir, 'own.json');
    // The files that test the bundled rules (the upstream file tests upstream rules only).
    const run = await runKestrel(['test', ...ownRuleTestRuns(ROOT)[0]!, '--coverage-json', json], { cwd: ROOT });
    expect(run.code).toBe(0);
    const coverage = JSON.parse(readFileSync(json, 'utf8')) as RuleCoverage[];
    const bundled = coverage.filter((r) => r.file?.includes(`${path.sep}rules${path.sep}`));
    expect(bundled.length).toBeGreaterThanOrEqual(20);
    expect(bundled.filter((r) => !r.fired).map((r) => r.rule)).toEqual([]);
  });
});
