/**
 * The engine against libsinsp (sysdig) on a real capture: after each event, the fd the
 * event uses must have the name sysdig prints for it.
 */

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ScapStateEngine } from '../../../../src/sources/scap/state/engine.js';
import { ipv4String, ipv6String } from '../../../../src/sources/scap/state/net.js';
import { BufferScapEvent, EVENTS_FOR_TESTS } from '../../../../src/sources/scap/synth/index.js';
import { requireSysdig } from '../../../helpers/sysdig.js';
import { CAPTURES, captureEvents, captureInterfaces } from './capture-events.js';

describe('state engine against sysdig', () => {
  it("gives every fd of single_ipv6_conn.scap the name sysdig gives it (no process list: every fd is the capture's)", () => {
    requireSysdig();
    const file = 'single_ipv6_conn.scap';
    const out = execFileSync('sysdig', ['-r', CAPTURES + file, '-p', '%evt.num|%thread.tid|%fd.num|%fd.name', 'evt.type!=procinfo'], { encoding: 'utf8' });
    const expected = new Map<number, { tid: number; fd: number; name: string }>();
    for (const line of out.split('\n').filter(Boolean)) {
      const [num, tid, fd, name] = line.split('|');
      if (fd === '<NA>' || fd === '') continue;
      expected.set(Number(num), { tid: Number(tid), fd: Number(fd), name: name ?? '' });
    }
    // sysdig 0.29 (older libsinsp) names the fd of a failed connect (1143, 1147: ENOENT);
    // current libsinsp ignores a failed connect (parse_connect_exit returns before naming
    // the fd when the result is negative and not EINPROGRESS): kestrel follows current libsinsp.
    expected.delete(1143);
    expected.delete(1147);
    const engine = new ScapStateEngine();
    let checked = 0;
    for (const { num, bytes } of captureEvents(file)) {
      const code = new DataView(bytes.buffer, bytes.byteOffset).getUint16(20, true);
      const ev = new BufferScapEvent(bytes, EVENTS_FOR_TESTS[code]!.largePayload, num);
      engine.update(ev);
      const want = expected.get(num);
      if (want === undefined) continue;
      const t = engine.thread(want.tid)!;
      expect(engine.fdTable(t)?.get(want.fd)?.name ?? '', `event ${num}`).toBe(want.name);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });
});

/** fd.type prints servers as their family (the typechar is the same). */
const SYSDIG_FD_TYPE: Record<string, string> = { ipv4_server: 'ipv4', ipv6_server: 'ipv6' };

describe('state engine against sysdig, fds opened during the capture', () => {
  // Without the reader the engine is not seeded with the capture's process and fd lists:
  // compare the fds the events themselves created, which must all be named like sysdig names them.
  // Where sysdig 0.29 (libsinsp before 2022) and current libsinsp name an fd differently,
  // that fd is left out from the event on (until it is closed):
  // - test_ipv6_client.scap 231, a second connect of a connected UDP socket to another
  //   address: current libsinsp overwrites the destination (libs commit 3ce014124, "overwrite
  //   fd destination address when safe to do so"), sysdig 0.29 kept the first one.
  const MIN_CHECKED: Record<string, number> = { 'curl_google.scap': 200, 'test_ipv6_client.scap': 10 };
  const VERSION_DIFFERENCES: Record<string, number[]> = { 'test_ipv6_client.scap': [231] };
  for (const file of ['curl_google.scap', 'test_ipv6_client.scap']) {
    it(`names the fds of ${file} as sysdig does`, () => {
      requireSysdig();
      const out = execFileSync(
        'sysdig',
        [
          '-r',
          CAPTURES + file,
          '-p',
          '*%evt.num|%thread.tid|%fd.num|%evt.type|%evt.dir|%evt.rawres|%fd.type|%fd.cip|%fd.cport|%fd.sip|%fd.sport|%fd.l4proto|%fd.name',
          'evt.type!=procinfo',
        ],
        { encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      const expected = new Map<number, { tid: number; fd: number; type: string; name: string; ends: string }>();
      let diverged = new Set<string>();
      for (const line of out.split('\n').filter(Boolean)) {
        const [num, tid, fd, type, dir, res, fdType, cip, cport, sip, sport, l4proto, name] = line.split('|');
        if (fd === '<NA>' || fd === '') continue;
        // A failed connect: sysdig 0.29 names the fd, current libsinsp does not (see above);
        // that fd is left out from there on.
        if (type === 'connect' && dir === '<' && Number(res) < 0 && Number(res) !== -115) diverged.add(`${tid}/${fd}`);
        if ((VERSION_DIFFERENCES[file] ?? []).includes(Number(num))) diverged.add(`${tid}/${fd}`);
        if (type === 'close' && dir === '<') diverged = new Set([...diverged].filter((k) => k !== `${tid}/${fd}`));
        if (diverged.has(`${tid}/${fd}`)) continue;
        expected.set(Number(num), {
          tid: Number(tid),
          fd: Number(fd),
          type: fdType ?? '',
          name: name ?? '',
          ends: [cip, cport, sip, sport, l4proto].join('|'),
        });
      }
      const engine = new ScapStateEngine();
      engine.seed({ interfaces: captureInterfaces(file) });
      let checked = 0;
      let tuples = 0;
      for (const { num, bytes } of captureEvents(file)) {
        const code = new DataView(bytes.buffer, bytes.byteOffset).getUint16(20, true);
        engine.update(new BufferScapEvent(bytes, EVENTS_FOR_TESTS[code]!.largePayload, num));
        const want = expected.get(num);
        if (want === undefined) continue;
        const t = engine.thread(want.tid);
        const got = t === undefined ? undefined : engine.fdTable(t)?.get(want.fd);
        if (got === undefined) continue; // an fd from the process list, unknown without seeding
        expect(got.name, `event ${num}`).toBe(want.name);
        expect(SYSDIG_FD_TYPE[got.type] ?? got.type, `event ${num} type`).toBe(want.type);
        const t4 = got.tuple;
        if ((got.type === 'ipv4' || got.type === 'ipv6') && t4 !== undefined && !want.ends.includes('<NA>')) {
          // fd.cip/cport are the tuple's source (client) end, fd.sip/sport its destination
          // (sysdig gives none before the socket has addresses: that is the extractor's call).
          const ip = (b: Uint8Array): string => (t4.family === 4 ? ipv4String(b) : ipv6String(b));
          expect([ip(t4.sip), t4.sport, ip(t4.dip), t4.dport, t4.l4proto].join('|'), `event ${num} tuple`).toBe(want.ends);
          tuples++;
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(MIN_CHECKED[file]!);
      expect(tuples).toBeGreaterThan(5);
    });
  }
});

describe('state engine against sysdig, threads created during the capture', () => {
  // curl_google.scap: curl (17497, known to sysdig from the process list, a placeholder here)
  // clones a thread (17498). From its clone event on, the caller is complete and the thread
  // must have the process, name and arguments sysdig gives them.
  it('gives the threads of curl_google.scap the pid, name and args sysdig gives them once they are known', () => {
    requireSysdig();
    const file = 'curl_google.scap';
    const out = execFileSync('sysdig', ['-r', CAPTURES + file, '-p', '*%evt.num|%thread.tid|%proc.pid|%proc.name|%proc.args', 'evt.type!=procinfo'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const expected = new Map<number, string>();
    for (const line of out.split('\n').filter(Boolean)) {
      const i = line.indexOf('|');
      expected.set(Number(line.slice(0, i)), line.slice(i + 1));
    }
    const engine = new ScapStateEngine();
    let checked = 0;
    for (const { num, bytes } of captureEvents(file)) {
      const code = new DataView(bytes.buffer, bytes.byteOffset).getUint16(20, true);
      const ev = new BufferScapEvent(bytes, EVENTS_FOR_TESTS[code]!.largePayload, num);
      engine.update(ev);
      const want = expected.get(num);
      const t = engine.thread(ev.tid);
      if (want === undefined || t === undefined || t.pid < 0) continue;
      // No ppid: the parent (3200) is in sysdig's process list only; without it libsinsp too
      // makes the thread an orphan (create_thread_dependencies sets ptid 0).
      expect([t.tid, t.pid, t.comm, t.args.join(' ')].join('|'), `event ${num}`).toBe(want);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
