/**
 * Which events of a scap capture reach the rules, as sinsp::next decides (libs HEAD,
 * sinsp_evt_filter): every event updates the state, but events a capture marks
 * SCAP_DF_STATE_ONLY, and the enter events of open, openat, openat2, creat, connect, execve
 * and execveat, stop there. Synthesized: no capture at hand has SCAP_DF_STATE_ONLY events.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../../src/fields/catalogue.js';
import { type Alert, Replayer } from '../../../src/replay/replay.js';
import { replayScap } from '../../../src/replay/scap.js';
import { loadRulesContents } from '../../../src/rules/loader.js';
import type { ScapEvent } from '../../../src/sources/scap/event.js';
import { ScapEventSource } from '../../../src/sources/scap/source.js';
import { Synth } from '../../../src/sources/scap/synth/index.js';
import { Bytes, block, concat, machineInfo, shb } from './build.js';

const SCAP_DF_STATE_ONLY = 1;
const synth = new Synth();
/** An EVF_V2 block holding a synthesized event, with the block's dump flags. */
const evf = (e: { bytes: Uint8Array }, flags = 0) => block(0x217, concat(new Bytes().u16(0).u32(flags).bytes(), e.bytes));

const execve = (tid: number, comm: string) =>
  synth.exit(
    'execve',
    { tid },
    {
      res: 0,
      exe: `/usr/bin/${comm}`,
      args: [],
      tid,
      pid: tid,
      ptid: 1,
      cwd: '/',
      fdlimit: 1024,
      comm,
      cgroups: [],
      env: [],
      tty: 0,
      vpgid: tid,
      loginuid: 0,
      flags: 0,
      uid: 0,
      gid: 0,
    },
  );

const RULES = `
- rule: any open or exec
  desc: d
  condition: evt.type in (openat, execve, connect)
  output: "%evt.type %evt.dir %proc.name"
  priority: WARNING
`;

describe('events that reach the rules', () => {
  const rules = loadRulesContents([{ name: 'rules.yaml', text: RULES }]).output!.rules;

  async function alerts(capture: Uint8Array): Promise<string[]> {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kestrel-delivery-')), 'c.scap');
    writeFileSync(file, capture);
    const source = new ScapEventSource();
    const out: string[] = [];
    const replayer = new Replayer<ScapEvent>(rules, { matching: 'all' }, FieldCatalogue.syscall(), source);
    const r = await replayScap(file, file, replayer, source, (a: Alert) => void out.push(a.line.replace(/^.*: Warning /, '').replace(/ container_id=.*$/, '')));
    expect(r.error).toBeUndefined();
    return out;
  }

  it('a SCAP_DF_STATE_ONLY event updates the state but no rule sees it; the enter events libsinsp keeps to itself neither', async () => {
    const capture = concat(
      shb(),
      machineInfo('h'),
      evf(execve(100, 'hidden'), SCAP_DF_STATE_ONLY),
      evf(synth.enter('openat', { tid: 100 }, { dirfd: -100, name: '/etc/shadow', flags: 1, mode: 0 })),
      evf(synth.exit('openat', { tid: 100 }, { fd: 3, dirfd: -100, name: '/etc/shadow', flags: 1, mode: 0, dev: 0, ino: 0n })),
      evf(synth.enter('connect', { tid: 100 }, { fd: 3 })),
      evf(execve(101, 'shown')),
    );
    // The exec of 100 is not seen, yet its name is: the state took it.
    expect(await alerts(capture)).toEqual(['openat < hidden', 'execve < shown']);
  });

  it('the same events without the flag all reach the rules but those enter events', async () => {
    const capture = concat(
      shb(),
      machineInfo('h'),
      evf(execve(100, 'hidden')),
      evf(synth.enter('openat', { tid: 100 }, { dirfd: -100, name: '/etc/shadow', flags: 1, mode: 0 })),
    );
    expect(await alerts(capture)).toEqual(['execve < hidden']);
  });
});

describe('the same rule for flat (JSONL) events', () => {
  const rules = loadRulesContents([{ name: 'rules.yaml', text: RULES }]).output!.rules;

  it('an enter event libsinsp keeps to itself is read, not evaluated; an exit, or an event without a direction, is evaluated', () => {
    const replayer = new Replayer(rules, { matching: 'all' });
    const fired: string[] = [];
    const events = [
      { 'evt.type': 'openat', 'evt.dir': '>', 'proc.name': 'a' },
      { 'evt.type': 'openat', 'evt.dir': '<', 'proc.name': 'b' },
      { 'evt.type': 'execve', 'proc.name': 'c' },
      { 'evt.type': 'connect', 'evt.dir': '>', 'proc.name': 'd' },
    ];
    events.forEach((event, i) => {
      replayer.process({ event, file: 'x.jsonl', line: i + 1, size: 0 }, (a) =>
        fired.push(a.line.replace(/^.*: Warning /, '').replace(/ container_id=.*$/, '')),
      );
    });
    expect(fired).toEqual(['openat < b', 'execve <NA> c']);
    expect(replayer.stats).toMatchObject({ eventsRead: 4, eventsEvaluated: 2, eventsStateOnly: 2 });
  });
});
