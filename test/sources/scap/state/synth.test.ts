import { describe, expect, it } from 'vitest';
import {
  BufferScapEvent,
  EVENTS_FOR_TESTS,
  encodeEvent,
  encodeSockAddr,
  encodeSockTuple,
  eventByName,
  type Params,
  PPM_AT_FDCWD,
  PPM_O_RDONLY,
  Synth,
} from '../../../../src/sources/scap/synth/index.js';
import { captureEvents } from './capture-events.js';

describe('synthesizer: bytes as a scap file holds them', () => {
  it('re-encodes every event of a real capture byte for byte from its decoded values', () => {
    const events = captureEvents('single_ipv6_conn.scap');
    expect(events.length).toBeGreaterThan(1000);
    let compared = 0;
    for (const { num, bytes } of events) {
      const type = new DataView(bytes.buffer, bytes.byteOffset).getUint16(20, true);
      const info = EVENTS_FOR_TESTS[type]!;
      const ev = new BufferScapEvent(bytes, info.largePayload, num);
      if (ev.paramCount !== info.params.length) continue;
      const params: Params = {};
      info.params.forEach((p, i) => {
        if (ev.paramLength(i) === 0) params[p.name] = null;
        else if (/^PT_(CHARBUF|FSPATH|FSRELPATH)$/.test(p.type)) params[p.name] = ev.paramString(i);
        else if ([1, 2, 4, 8].includes(ev.paramLength(i)) && !/BUF|SOCK|FDLIST|DYN|IPV6/.test(p.type)) params[p.name] = ev.paramBigInt(i);
        else params[p.name] = ev.paramBytes(i).slice();
      });
      const again = encodeEvent(info, { tid: ev.tid, ts: ev.ts() }, params);
      expect(Buffer.from(again).equals(Buffer.from(bytes)), `event ${num} (${info.id})`).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  // sysdig -r single_ipv6_conn.scap: "1153 accept < fd=4(<6t>2001:db8::4:54405->2001:db8::3:1234)
  // tuple=2001:db8::4:54405->2001:db8::3:1234" and "851 bind < res=0 addr=2001:db8::3:1234".
  it('encodes socket tuples and addresses as the driver did in a real capture', () => {
    const events = new Map(captureEvents('single_ipv6_conn.scap').map((e) => [e.num, e.bytes]));
    const accept = new BufferScapEvent(events.get(1153)!, false, 1153);
    expect([...accept.paramBytes(1)]).toEqual([...encodeSockTuple({ family: 'inet6', sip: '2001:db8::4', sport: 54405, dip: '2001:db8::3', dport: 1234 })]);
    const bind = new BufferScapEvent(events.get(851)!, false, 851);
    expect([...bind.paramBytes(1)]).toEqual([...encodeSockAddr({ family: 'inet6', ip: '2001:db8::3', port: 1234 })]);
    // sysdig: "1143 connect < res=-2(ENOENT) tuple=0->ffff94dc817b9400 /var/run/nscd/socket"
    const connect = new BufferScapEvent(events.get(1143)!, false, 1143);
    expect([...connect.paramBytes(1)]).toEqual([...encodeSockTuple({ family: 'unix', source: 0n, dest: 0xffff94dc817b9400n, path: '/var/run/nscd/socket' })]);
  });

  it('builds events from names with typed accessors', () => {
    const synth = new Synth();
    const ev = synth.exit('openat', { tid: 42, ts: 5n }, { fd: 3, dirfd: PPM_AT_FDCWD, name: '/etc/passwd', flags: PPM_O_RDONLY, mode: 0, dev: 0, ino: 7n });
    expect(ev.type).toBe(eventByName('openat', 'exit')!.code);
    expect(ev.tid).toBe(42);
    expect(ev.ts()).toBe(5n);
    expect(ev.paramInt(0)).toBe(3);
    expect(ev.paramInt(1)).toBe(-100);
    expect(ev.paramString(2)).toBe('/etc/passwd');
    expect(ev.paramLength(2)).toBe('/etc/passwd'.length + 1);
    expect(ev.paramBigInt(6)).toBe(7n);
    const exec = synth.exit('execve', { tid: 1 }, { res: 0, args: ['-c', 'ls'] });
    expect(new TextDecoder().decode(exec.paramBytes(2))).toBe('-c\0ls\0');
    expect(exec.paramLength(3)).toBe(0); // not given: empty
  });

  it('encodes fd lists, sockaddrs of every family and 8/16/32-bit integers at their width', () => {
    const synth = new Synth();
    const poll = synth.exit(
      'ppoll',
      { tid: 1 },
      {
        res: 1,
        fds: [
          { fd: 3, flags: 1 },
          { fd: -1, flags: 4 },
        ],
        timeout: 0n,
        sigmask: 0,
      },
    );
    expect([...poll.paramBytes(1)]).toEqual([2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 255, 255, 255, 255, 255, 255, 255, 255, 4, 0]);
    expect([...encodeSockAddr({ family: 'inet', ip: '10.0.0.1', port: 8080 })]).toEqual([2, 10, 0, 0, 1, 0x90, 0x1f]);
    expect([...encodeSockAddr({ family: 'unix', path: '/s' })]).toEqual([1, 0x2f, 0x73, 0]);
    const tuple = encodeSockTuple({ family: 'inet', sip: '1.2.3.4', sport: 1, dip: '5.6.7.8', dport: 2 });
    expect([...tuple]).toEqual([2, 1, 2, 3, 4, 1, 0, 5, 6, 7, 8, 2, 0]);
    const fcntl = synth.exit('fcntl', { tid: 1 }, { res: 0, fd: 3, cmd: 26, arg: 1n });
    expect([fcntl.paramLength(0), fcntl.paramLength(1), fcntl.paramLength(2), fcntl.paramLength(3)]).toEqual([8, 8, 1, 8]);
    expect(fcntl.paramUint(2)).toBe(26);
  });

  it('rejects a parameter name the event does not have', () => {
    const synth = new Synth();
    expect(() => synth.exit('openat', { tid: 1 }, { fd: 3, nmae: 'x' })).toThrow(/no parameter 'nmae'/);
    expect(() => synth.exit('nosuchcall', { tid: 1 })).toThrow(/no exit event named 'nosuchcall'/);
  });

  it('uses 32-bit parameter lengths for large-payload events', () => {
    const synth = new Synth();
    const json = JSON.stringify({ container: { id: 'abc', pad: 'x'.repeat(70000) } });
    const ev = synth.event('PPME_CONTAINER_JSON_2_E', { tid: 0 }, { json });
    expect(ev.paramString(0)).toBe(json);
  });
});
