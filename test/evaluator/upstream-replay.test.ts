/**
 * The upstream stable rules replayed over the real captures, converted with the format
 * `kestrel fields --used --sysdig-format` gives (less the fields sysdig 0.29 does not know).
 */
import { describe, expect, it } from 'vitest';
import { Replayer } from '../../src/replay/replay.js';
import { loadRulesFiles } from '../../src/rules/loader.js';
import { parseEventLine } from '../../src/sources/jsonl/captures.js';
import type { FlatEvent } from '../../src/sources/jsonl/flat-source.js';
import { runKestrel } from '../helpers/cli.js';
import { requireSysdig, sysdigJson, sysdigKnownFields } from '../helpers/sysdig.js';
import { SCAP_DIR, UPSTREAM_RULE_FILES } from '../helpers/upstream.js';

const CAPTURES = ['curl_google.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'];

describe('upstream stable rules over real captures', () => {
  it('replay without errors and fire what Falco fires on them (nothing: curl, and IPv6 test clients on a host)', async () => {
    requireSysdig();
    const known = sysdigKnownFields();
    const stable = UPSTREAM_RULE_FILES[0]!;
    const format = (await runKestrel(['fields', '-r', stable, '--used', '--sysdig-format'])).stdout.trim();
    const tokens = format.slice(1).split(' ');
    expect(tokens.length).toBeGreaterThan(30);
    const convertible = tokens.filter((t) => {
      const name = t.slice(1).replace(/\[.*\]$/, '');
      return known.has(name) || name.startsWith('evt.arg.');
    });
    expect(convertible.length).toBeGreaterThan(25);
    const loaded = loadRulesFiles([stable]);
    for (const capture of CAPTURES) {
      const jsonl = await sysdigJson(SCAP_DIR + capture, `*${convertible.join(' ')}`);
      const events = jsonl.split('\n').filter(Boolean).map(parseEventLine);
      expect(events.filter((e) => typeof e === 'string')).toEqual([]);
      const replayer = new Replayer(loaded.output!.rules);
      const alerts: string[] = [];
      for (const [i, event] of events.entries()) {
        replayer.process({ event: event as FlatEvent, file: capture, line: i + 1, size: 0 }, (a) => alerts.push(`${a.rule}: ${a.line}`));
      }
      expect(replayer.stats.eventsRead).toBe(events.length);
      expect(replayer.stats.eventsEvaluated + replayer.stats.eventsIgnored + replayer.stats.eventsStateOnly).toBe(events.length);
      // sysdig's JSON has the enter events libsinsp keeps for its state: read, not evaluated
      expect(replayer.stats.eventsStateOnly).toBeGreaterThan(0);
      expect(alerts).toEqual([]);
    }
  }, 120_000);
});
