/**
 * The engine against libsinsp (sysdig) on a real capture: after each event, the fd the
 * event uses must have the name sysdig prints for it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ScapStateEngine } from '../../../../src/sources/scap/state/engine.js';
import { BufferScapEvent, EVENTS_FOR_TESTS } from '../../../../src/sources/scap/synth/index.js';
import { requireSysdig } from '../../../helpers/sysdig.js';
import { CAPTURES, captureEvents } from './capture-events.js';

describe('state engine against sysdig', () => {
  it('gives every fd of single_ipv6_conn.scap the name sysdig gives it', () => {
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
