/**
 * evt.* extraction from the event and the state. Times are sysdig's for curl_google.scap:
 *   TZ=UTC sysdig -r ../shared/captures/scap/curl_google.scap -p '%evt.num %evt.time|%evt.time.s|%evt.time.iso8601|%evt.datetime|%evt.datetime.s|%evt.rawtime|%evt.rawtime.s|%evt.rawtime.ns|%evt.reltime|%evt.reltime.s|%evt.reltime.ns|%evt.deltatime|%evt.outputtime'
 *   211 17:35:48.514632619|17:35:48|2018-08-17T17:35:48.514632619+0000|2018-08-17 17:35:48.514632619|2018-08-17 17:35:48|1534527348514632619|1534527348|514632619|5514632620|5|514632620|0|17:35:48.514632619
 *   212 17:35:48.514648551|...|15932|...
 * Failed syscalls ('evt.failed=true'): 215 access < -2 ENOENT true.
 * Categories ('%evt.num %evt.type %evt.category %evt.count.exit'): 211 execve process 1,
 * 212 brk memory <NA>, 225 close file 1, 1189 connect net 1.
 * Tests run with TZ=UTC (vitest.config.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ParamRenderer } from '../../../../src/sources/scap/fields/index.js';
import { fakeEvent, fakeState, fd, i64, read, thread, u16, u32 } from './helpers.js';

const curl = thread({
  tid: 17497,
  comm: 'curl',
  cwd: '/home/ubuntu/',
  fds: new Map([
    [3, fd({ fd: 3, type: 'file', name: '/etc/ld.so.cache' })],
    [5, fd({ fd: 5, type: 'directory', name: '/etc' })],
    [6, fd({ fd: 6, type: 'unix', name: '/dev/log' })],
    [7, fd({ fd: 7, type: 'ipv4', role: 'client' })],
  ]),
});
const state = fakeState({ threads: [curl], firstEventTs: 1_534_527_342_999_999_999n, hostname: 'ip-10-0-0-79' });

describe('evt time fields (curl_google.scap events 211, 212)', () => {
  const e211 = fakeEvent({ id: 'PPME_SYSCALL_EXECVE_19_X', tid: 17497, num: 211, ts: 1_534_527_348_514_632_619n, params: { res: i64(0) } });
  const e212 = fakeEvent({ id: 'PPME_SYSCALL_BRK_4_E', tid: 17497, num: 212, ts: 1_534_527_348_514_648_551n });

  it('prints times as sysdig does', () => {
    const v = (f: string) => read(f, e211, state);
    expect(v('evt.num')).toBe(211);
    expect(v('evt.time')).toBe('17:35:48.514632619');
    expect(v('evt.time.s')).toBe('17:35:48');
    expect(v('evt.time.iso8601')).toBe('2018-08-17T17:35:48.514632619+0000');
    expect(v('evt.datetime')).toBe('2018-08-17 17:35:48.514632619');
    expect(v('evt.datetime.s')).toBe('2018-08-17 17:35:48');
    expect(v('evt.rawtime')).toBe(1_534_527_348_514_632_619n);
    expect(v('evt.rawtime.s')).toBe(1_534_527_348);
    expect(v('evt.rawtime.ns')).toBe(514_632_619);
    expect(v('evt.reltime')).toBe(5_514_632_620);
    expect(v('evt.reltime.s')).toBe(5);
    expect(v('evt.reltime.ns')).toBe(514_632_620);
    expect(v('evt.outputtime')).toBe('17:35:48.514632619');
  });

  it('measures evt.deltatime from the previous read of the field', async () => {
    const { FieldCatalogue } = await import('../../../../src/fields/catalogue.js');
    const { extractor } = await import('../../../../src/sources/scap/fields/index.js');
    const r = FieldCatalogue.syscall().resolve('evt.deltatime');
    if (!r.ok) throw new Error(r.message);
    const delta = extractor(r.field);
    expect(delta(e211, state)).toBe(0);
    expect(delta(e212, state)).toBe(15932);
    expect(delta(e212, state)).toBe(0);
  });
});

describe('evt fields of the event and its result', () => {
  it('reads type, direction, cpu, category and counts', () => {
    const execve = fakeEvent({ id: 'PPME_SYSCALL_EXECVE_19_X', tid: 17497, cpu: 3, params: { res: i64(0) } });
    const brk = fakeEvent({ id: 'PPME_SYSCALL_BRK_4_E', tid: 17497 });
    const close = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 17497, params: { res: i64(0), fd: i64(3) } });
    expect(read('evt.type', execve, state)).toBe('execve');
    expect(read('evt.dir', execve, state)).toBe('<');
    expect(read('evt.dir', brk, state)).toBe('>');
    expect(read('evt.cpu', execve, state)).toBe(3);
    expect(read('evt.category', execve, state)).toBe('process');
    expect(read('evt.category', brk, state)).toBe('memory');
    expect(read('evt.category', close, state)).toBe('file');
    expect(read('evt.count.exit', execve, state)).toBe(1);
    expect(read('evt.count.exit', brk, state)).toBeUndefined();
    expect(read('evt.count', brk, state)).toBe(1);
    expect(read('evt.is_wait', brk, state)).toBe(false);
    // Deprecated latency fields are hard-coded to zero in the libs mirror (sysdig 0.29 measured them).
    expect(read('evt.latency', close, state)).toBe(0);
    expect(read('evt.latency.human', close, state)).toBe('0ns');
    expect(read('syscall.type', execve, state)).toBe('execve');
    const open = fakeEvent({ id: 'PPME_SYSCALL_OPEN_X', tid: 17497, params: { fd: i64(3) } });
    expect(read('evt.type.is.open', open, state)).toBe(1);
    expect(read('evt.type.is[2]', open, state)).toBe(0);
    expect(read('evt.type.is[3]', open, state)).toBe(1);
    expect(read('evt.type.is.open', execve, state)).toBe(0);
    // libsinsp matches the first event code of that name and the next one only: the
    // modern execve events are not execve's first codes, so this is 0 in libsinsp too.
    expect(read('evt.type.is.execve', execve, state)).toBe(0);
    expect(read('evt.source', execve, state)).toBe('syscall');
    expect(read('evt.is_async', execve, state)).toBe(false);
    expect(read('evt.asynctype', execve, state)).toBeUndefined();
    expect(read('evt.hostname', execve, state)).toBe('ip-10-0-0-79');
    expect(read('evt.pluginname', execve, state)).toBeUndefined();
  });

  it('names generic and async events by what they carry', () => {
    const generic = fakeEvent({ id: 'PPME_GENERIC_E', tid: 17497, params: [u16(5), u16(2)] });
    expect(read('evt.type', generic, state)).toBe('open');
    const asyncEv = fakeEvent({ id: 'PPME_ASYNCEVENT_E', tid: 17497, params: [u32(0), 'container', new Uint8Array(0)] });
    expect(read('evt.type', asyncEv, state)).toBe('container');
    expect(read('evt.is_async', asyncEv, state)).toBe(true);
    expect(read('evt.asynctype', asyncEv, state)).toBe('container');
    expect(read('syscall.type', asyncEv, state)).toBeUndefined();
  });

  it('reads results as libsinsp (event 215: access < -2 ENOENT true)', () => {
    const failed = fakeEvent({ id: 'PPME_SYSCALL_ACCESS_X', tid: 17497, num: 215, params: { res: i64(-2) } });
    expect(read('evt.rawres', failed, state)).toBe(-2);
    expect(read('evt.res', failed, state)).toBe('ENOENT');
    expect(read('evt.failed', failed, state)).toBe(true);
    expect(read('evt.count.error', failed, state)).toBe(1);
    expect(read('evt.count.error.other', failed, state)).toBe(1);
    expect(read('evt.count.error.file', failed, state)).toBeUndefined();
    const ok = fakeEvent({ id: 'PPME_SYSCALL_READ_X', tid: 17497, params: { res: i64(832), fd: i64(3) } });
    expect(read('evt.res', ok, state)).toBe('SUCCESS');
    expect(read('evt.failed', ok, state)).toBe(false);
    expect(read('evt.buflen', ok, state)).toBe(832);
    expect(read('evt.buflen.file.in', ok, state)).toBe(832);
    expect(read('evt.buflen.net', ok, state)).toBeUndefined();
    expect(read('evt.buflen.out', ok, state)).toBeUndefined();
    expect(read('evt.is_io', ok, state)).toBe(true);
    expect(read('evt.is_io_read', ok, state)).toBe(true);
    expect(read('evt.io_dir', ok, state)).toBe('read');
    expect(read('evt.count.error.file', ok, state)).toBe(0);
    // Enter events have no result: NA (libs mirror; sysdig 0.29 printed evt.failed=false).
    const enter = fakeEvent({ id: 'PPME_SYSCALL_ACCESS_E', tid: 17497, params: [u32(0)] });
    expect(read('evt.res', enter, state)).toBeUndefined();
    expect(read('evt.failed', enter, state)).toBeUndefined();
    const errno = fakeEvent({ id: 'PPME_SOCKET_CONNECT_X', tid: 17497, params: { res: i64(-111), fd: i64(7) } });
    expect(read('evt.res', errno, state)).toBe('ECONNREFUSED');
    expect(read('evt.count.error.net', errno, state)).toBe(1);
  });

  it('tells syslog writes from other writes', () => {
    const write = (fdNum: number) => fakeEvent({ id: 'PPME_SYSCALL_WRITE_X', tid: 17497, params: { res: i64(5), fd: i64(fdNum) } });
    expect(read('evt.is_syslog', write(6), state)).toBe(true);
    expect(read('evt.is_syslog', write(3), state)).toBe(false);
    expect(read('evt.category', write(6), state)).toBe('ipc');
    expect(read('evt.category', write(7), state)).toBe('net');
  });

  it('reads open flags and modes for evt.is_open_*', () => {
    const openat = (flags: number, mode = 0) =>
      fakeEvent({ id: 'PPME_SYSCALL_OPENAT_2_X', tid: 17497, params: { fd: i64(3), dirfd: i64(-100), name: 'x', flags: u32(flags), mode: u32(mode) } });
    expect(read('evt.is_open_read', openat(1), state)).toBe(true);
    expect(read('evt.is_open_write', openat(1), state)).toBe(false);
    expect(read('evt.is_open_write', openat(3), state)).toBe(true);
    // PPM_O_CREAT with an executable mode; PPM_O_F_CREATED for a created file.
    expect(read('evt.is_open_exec', openat(4 | 2, 0o755), state)).toBe(true);
    expect(read('evt.is_open_exec', openat(4 | 2, 0o644), state)).toBe(false);
    expect(read('evt.is_open_create', openat(1 << 14), state)).toBe(true);
    expect(read('evt.is_open_create', openat(2), state)).toBe(false);
    const close = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 17497, params: { res: i64(0), fd: i64(3) } });
    expect(read('evt.is_open_read', close, state)).toBe(false);
  });

  it('joins evt.abspath from the directory fd or the cwd', () => {
    const unlinkat = (dirfd: number, name: string) =>
      fakeEvent({ id: 'PPME_SYSCALL_UNLINKAT_2_X', tid: 17497, params: { res: i64(0), dirfd: i64(dirfd), name, flags: u32(0) } });
    expect(read('evt.abspath[src]', unlinkat(5, 'passwd'), state)).toBe('/etc/passwd');
    expect(read('evt.abspath[src]', unlinkat(-100, '../x'), state)).toBe('/home/x');
    expect(read('evt.abspath[src]', unlinkat(5, '/abs/./y'), state)).toBe('/abs/y');
    const renameat = fakeEvent({
      id: 'PPME_SYSCALL_RENAMEAT2_X',
      tid: 17497,
      params: { res: i64(0), olddirfd: i64(5), oldpath: 'a', newdirfd: i64(-100), newpath: 'b', flags: u32(0) },
    });
    expect(read('evt.abspath[src]', renameat, state)).toBe('/etc/a');
    expect(read('evt.abspath[dst]', renameat, state)).toBe('/home/ubuntu/b');
  });

  it('hands parameter rendering to the connected renderer, NA without one', () => {
    const ev = fakeEvent({ id: 'PPME_SYSCALL_OPENAT_2_X', tid: 17497, params: { fd: i64(3), dirfd: i64(-100), name: 'x', flags: u32(1) } });
    expect(read('evt.arg.flags', ev, state)).toBeUndefined();
    expect(read('evt.args', ev, state)).toBeUndefined();
    const renderer: ParamRenderer = {
      arg: (_e, _s, key) => `arg:${String(key)}`,
      rawArg: (_e, _s, name) => `raw:${name}`,
      args: () => 'fd=3 name=x',
      errno: () => 'EFAKE',
      buffer: () => 'bytes',
    };
    expect(read('evt.arg.flags', ev, state, { renderer })).toBe('arg:flags');
    expect(read('evt.arg[1]', ev, state, { renderer })).toBe('arg:1');
    expect(read('evt.rawarg.fd', ev, state, { renderer })).toBe('raw:fd');
    expect(read('evt.args', ev, state, { renderer })).toBe('fd=3 name=x');
    expect(read('evt.info', ev, state, { renderer })).toBe('fd=3 name=x');
    expect(read('evt.buffer', ev, state, { renderer })).toBe('bytes');
    const failed = fakeEvent({ id: 'PPME_SYSCALL_ACCESS_X', tid: 17497, params: { res: i64(-2) } });
    expect(read('evt.res', failed, state, { renderer })).toBe('EFAKE');
  });
});

describe('evt time fields against sysdig, every event of curl_google.scap', () => {
  // Local times take the zone's current offset; ISO 8601 stays UTC.
  it.each(['UTC', 'Asia/Kolkata'])('formats every timestamp as sysdig does (TZ=%s)', async (tz) => {
    const { execFileSync } = await import('node:child_process');
    const { SHARED_DIR } = await import('../../../helpers/upstream.js');
    const { requireSysdig } = await import('../../../helpers/sysdig.js');
    requireSysdig();
    const fields = [
      'evt.rawtime',
      'evt.time',
      'evt.time.s',
      'evt.time.iso8601',
      'evt.datetime',
      'evt.datetime.s',
      'evt.rawtime.s',
      'evt.rawtime.ns',
      'evt.reltime',
      'evt.reltime.s',
      'evt.reltime.ns',
    ];
    const out = execFileSync('sysdig', ['-r', `${SHARED_DIR}captures/scap/curl_google.scap`, '-p', `*${fields.map((f) => `%${f}`).join('|')}`], {
      encoding: 'utf8',
      env: { ...process.env, TZ: tz },
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('|'));
    expect(lines.length).toBeGreaterThan(1000);
    // The capture's first event time, as libsinsp counts evt.reltime from it.
    const first = BigInt(lines[0]![0]!) - BigInt(lines[0]![8]!);
    const s = fakeState({ threads: [curl], firstEventTs: first });
    const saved = process.env.TZ;
    process.env.TZ = tz;
    try {
      for (const cols of lines) {
        const ev = fakeEvent({ id: 'PPME_SYSCALL_BRK_4_E', tid: 17497, ts: BigInt(cols[0]!) });
        const ours = fields.map((f) => String(read(f, ev, s)));
        expect(ours).toEqual(cols);
      }
    } finally {
      process.env.TZ = saved;
    }
  });
});
