import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKestrel } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-profile-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const rule = (name: string, condition: string) => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

const RULES = write('rules.yaml', rule('Opens of etc', 'evt.type = openat and fd.name startswith /etc') + rule('Shells', 'evt.type = execve and proc.name in (sh, bash)') + rule('Any open', 'evt.type = openat'));
const BASELINE = write('baseline.yaml', rule('Shells', 'evt.type = execve and proc.name = sh') + rule('Old rule', 'evt.type = close'));
const events = [
  { 'evt.type': 'openat', 'fd.name': '/etc/passwd' },
  { 'evt.type': 'openat', 'fd.name': '/tmp/x' },
  { 'evt.type': 'openat', 'fd.name': '/etc/hosts' },
  { 'evt.type': 'execve', 'proc.name': 'sh' },
  { 'evt.type': 'execve', 'proc.name': 'bash' },
  { 'evt.type': 'execve', 'proc.name': 'ls' },
  { 'evt.type': 'close' },
];
const CAPTURE = write('capture.jsonl', events.map((e) => JSON.stringify(e)).join('\n') + '\n');

describe('kestrel profile', () => {
  it('counts evaluations and matches per rule exactly, with positive times', async () => {
    const run = await runKestrel(['profile', '-r', RULES, CAPTURE, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.events).toBe(7);
    const byRule = Object.fromEntries(report.rules.map((r: { rule: string }) => [r.rule, r]));
    // Every candidate is evaluated (not only the first match): 3 openat events for both open rules.
    expect(byRule['Opens of etc']).toMatchObject({ evaluations: 3, matches: 2 });
    expect(byRule['Any open']).toMatchObject({ evaluations: 3, matches: 3 });
    expect(byRule['Shells']).toMatchObject({ evaluations: 3, matches: 2 });
    for (const r of report.rules) {
      expect(r.totalNs).toBeGreaterThan(0);
      expect(r.meanNs).toBeGreaterThan(0);
    }
    expect(report.rules.reduce((sum: number, r: { share: number }) => sum + r.share, 0)).toBeCloseTo(1, 5);
    expect(report.eventsPerSecond).toBeGreaterThan(0);
    expect(report.overhead).toBeGreaterThan(0);
    // Sorted by cost.
    const totals = report.rules.map((r: { totalNs: number }) => r.totalNs);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('compares with a baseline rule set, lining rules up by name', async () => {
    const json = JSON.parse((await runKestrel(['profile', '-r', RULES, CAPTURE, '--baseline', BASELINE, '--json'])).stdout);
    expect(json.baseline.rules.map((r: { rule: string }) => r.rule).sort()).toEqual(['Old rule', 'Shells']);
    expect(json.baseline.rules.find((r: { rule: string }) => r.rule === 'Shells')).toMatchObject({ evaluations: 3, matches: 1 });
    const text = (await runKestrel(['profile', '-r', RULES, CAPTURE, '--baseline', BASELINE])).stdout;
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^rule +total µs +baseline µs +difference/);
    // A rule in both sets has both figures; a rule in one set only shows '-' for the other.
    expect(lines.find((l) => l.startsWith('Shells'))).toMatch(/^Shells +[\d.]+ +[\d.]+ +[+-][\d.]+/);
    expect(lines.find((l) => l.startsWith('Old rule'))).toMatch(/^Old rule +- +[\d.]+/);
    expect(lines.find((l) => l.startsWith('Any open'))).toMatch(/^Any open +[\d.]+ +- /);
    expect(text).toMatch(/measuring costs -?\d+% extra time/);
  });

  it('prints a table by default', async () => {
    const run = await runKestrel(['profile', '-r', RULES, CAPTURE]);
    expect(run.stdout.split('\n')[0]).toMatch(/^rule +evaluations +matches +total µs +mean ns +share$/);
    expect(run.stdout).toMatch(/7 events, \d+ events\/s for the whole set/);
  });
});
