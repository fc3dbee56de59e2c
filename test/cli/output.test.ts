/**
 * The command line's own output streams (src/cli/io.ts): off a terminal, alerts are written in
 * blocks, yet nothing is lost and, with both streams sent to one place (`2>&1`), the summary
 * on stderr still follows every alert.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the output of a command off a terminal', () => {
  it('keeps every alert, and the summary after them when both streams go to one file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kestrel-output-')), 'both.txt');
    const fd = openSync(file, 'w');
    const merged = spawnSync(process.execPath, [BIN, 'replay', '-r', 'rules/', 'captures/'], { cwd: ROOT, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    expect(merged.status).toBe(0);
    const apart = spawnSync(process.execPath, [BIN, 'replay', '-r', 'rules/', 'captures/'], { cwd: ROOT, encoding: 'utf8' });
    const alerts = apart.stdout.split('\n').filter((l) => l !== '');
    expect(alerts.length).toBeGreaterThan(20);

    const lines = readFileSync(file, 'utf8').split('\n');
    // every alert, in the same order, all of them before the summary's first line
    expect(lines.filter((l) => alerts.includes(l))).toEqual(alerts);
    const summary = lines.findIndex((l) => l.startsWith('events: '));
    expect(summary).toBeGreaterThan(0);
    const lastAlert = lines.reduce((last, l, i) => (alerts.includes(l) ? i : last), -1);
    expect(lastAlert).toBeLessThan(summary);
  });
});
