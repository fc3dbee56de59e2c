import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { footer } from '../../src/cli/commands/profile.js';
import type { ProfileReport } from '../../src/replay/profile.js';
import { runKestrel } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-profile-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const rule = (name: string, condition: string) => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

const RULES = write(
  'rules.yaml',
  rule('Opens of etc', 'evt.type = openat and fd.name startswith /etc') +
    rule('Shells', 'evt.type = execve and proc.name in (sh, bash)') +
    rule('Any open', 'evt.type = openat'),
);
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
const CAPTURE = write('capture.jsonl', `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);

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
    expect(report.overhead).toBeGreaterThanOrEqual(0);
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
    expect(text).toMatch(/measuring costs \d+% extra time/);
  });

  it('prints a table by default', async () => {
    const run = await runKestrel(['profile', '-r', RULES, CAPTURE]);
    expect(run.stdout.split('\n')[0]).toMatch(/^rule +evaluations +matches +total µs +mean ns +share$/);
    expect(run.stdout).toMatch(/7 events, \d+ events\/s for the whole set/);
  });

  it('reports the overhead of measuring the same way in text and JSON: the extra fraction of time', async () => {
    const report = { events: 1, rules: [], eventsPerSecond: 1, overhead: 0.09, timedNs: 109, untimedNs: 100 } satisfies ProfileReport;
    expect(footer(report)).toContain('measuring costs 9% extra time');
    // The figure is the timed run's extra time relative to the untimed run (never below 0:
    // a negative difference is noise). No assumption on the timings themselves: they depend
    // on the machine and its load.
    const many = write('many.jsonl', `${Array.from({ length: 6000 }, (_, i) => JSON.stringify(events[i % events.length])).join('\n')}\n`);
    const json = JSON.parse((await runKestrel(['profile', '-r', RULES, many, '--json'])).stdout);
    expect(json.timedNs).toBeGreaterThan(0);
    expect(json.untimedNs).toBeGreaterThan(0);
    expect(json.overhead).toBeCloseTo(Math.max(0, json.timedNs / json.untimedNs - 1), 6);
  });

  it('reports bad lines in text mode as replay does', async () => {
    const mixed = write('mixed.jsonl', `${JSON.stringify(events[0])}\nnot json\n${JSON.stringify(events[3])}\n`);
    const run = await runKestrel(['profile', '-r', RULES, mixed]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${mixed}:2: skipped: not valid JSON`);
    expect(run.stderr).toContain('1 bad line(s) skipped');
    expect(run.stdout).toMatch(/^2 events, /m);
  });

  it('streams: a capture far larger than the heap is profiled in constant memory', async () => {
    // 200k events took 573 MB when profile held the capture; here 100k events go through a
    // heap capped at 32 MB, generated into standard input as the child reads them.
    const child = spawn(process.execPath, ['--max-old-space-size=32', BIN, 'profile', '-r', RULES, '-', '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // A child that dies (out of memory) stops the feed instead of leaving it waiting.
    let dead = false;
    void exited.then(() => (dead = true));
    child.stdin.on('error', () => {});
    const total = 100_000;
    const padding = 'x'.repeat(200);
    for (let i = 0; i < total && !dead; i += 1000) {
      let chunk = '';
      for (let j = i; j < i + 1000; j++) chunk += `${JSON.stringify({ ...events[j % events.length], 'evt.num': j, 'proc.cmdline': padding })}\n`;
      if (!child.stdin.write(chunk)) await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), exited]);
    }
    child.stdin.end();
    expect(await exited, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.events).toBe(total);
    const byRule = Object.fromEntries(report.rules.map((r: { rule: string }) => [r.rule, r]));
    let opens = 0;
    for (let j = 0; j < total; j++) if (events[j % events.length]!['evt.type'] === 'openat') opens++;
    expect(byRule['Any open']).toMatchObject({ evaluations: opens, matches: opens });
  });
});
