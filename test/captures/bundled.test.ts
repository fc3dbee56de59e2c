/**
 * Every bundled recording gives exactly its expected alerts: with kestrel's default rules
 * (all recordings, negative cases included) and, for the event-generator recordings, with the
 * upstream stable rules. Expectations sit beside each recording (NAME.expect.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKestrel } from '../helpers/cli.js';
import { UPSTREAM_RULE_FILES } from '../helpers/upstream.js';

const CAPTURES = fileURLToPath(new URL('../../captures/', import.meta.url));
const RULES = fileURLToPath(new URL('../../rules/', import.meta.url));

interface Expected {
  rule: string;
  priority: string;
  count: number;
  fields: Record<string, unknown>;
}

const recordings = ['event-generator', 'labs'].flatMap((group) =>
  readdirSync(CAPTURES + group)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => ({ group, name: f.replace(/\.jsonl$/, ''), file: `${CAPTURES}${group}/${f}` })),
);

async function alertsOf(rules: string, file: string) {
  const run = await runKestrel(['replay', '-r', rules, file, '--json', '--quiet']);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { rule: string; priority: string; output_fields: Record<string, unknown> });
}

function check(alerts: Awaited<ReturnType<typeof alertsOf>>, expected: Expected[]) {
  const byRule = new Map<string, typeof alerts>();
  for (const a of alerts) byRule.set(a.rule, [...(byRule.get(a.rule) ?? []), a]);
  expect([...byRule.keys()].sort()).toEqual(expected.map((e) => e.rule).sort());
  for (const e of expected) {
    const fired = byRule.get(e.rule)!;
    expect(fired).toHaveLength(e.count);
    for (const a of fired) {
      expect(a.priority).toBe(e.priority);
      expect(a.output_fields).toMatchObject(e.fields);
    }
  }
}

describe('bundled recordings', () => {
  it('include event-generator actions and the labs', () => {
    expect(recordings.filter((r) => r.group === 'event-generator').length).toBeGreaterThanOrEqual(20);
    expect(recordings.filter((r) => r.group === 'labs').length).toBeGreaterThanOrEqual(2);
  });

  it.each(recordings)('$group/$name with the default rules', async ({ group, name, file }) => {
    const expect_ = JSON.parse(readFileSync(`${CAPTURES}${group}/${name}.expect.json`, 'utf8')) as { default: Expected[] };
    check(await alertsOf(RULES, file), expect_.default);
  });

  it.each(recordings.filter((r) => r.group === 'event-generator'))('$name with the upstream stable rules', async ({ group, name, file }) => {
    const expect_ = JSON.parse(readFileSync(`${CAPTURES}${group}/${name}.expect.json`, 'utf8')) as { stable: Expected[] };
    check(await alertsOf(UPSTREAM_RULE_FILES[0]!, file), expect_.stable);
  });

  it('the default rules validate clean', async () => {
    const run = await runKestrel(['validate', '-r', RULES]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: Ok \(0 error\(s\), 0 warning\(s\)\)/);
  });
});
