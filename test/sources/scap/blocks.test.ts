/**
 * Unit tests of each block version the reader parses. The real captures cover the section
 * header (with and without options), machine info, process lists V5 (0x211) and V9 (0x215),
 * fd lists V1 (0x203) and V2 (0x218), user lists V1 (0x206) and V2 (0x220), interface lists V1
 * (0x205) and V2 (0x219), and EV (0x204) and EV_V2 (0x216) event blocks: they are checked
 * against sysdig in inventory.test.ts and sysdig-differential.test.ts. Here every version is
 * synthesized with build.ts (field by field, distinct values), which is the only coverage of
 * the versions no real capture at hand has (process lists V1-V4, V6-V8 and the _INT types,
 * EVF and the LARGE event blocks, machine info _INT).
 */
import { describe, expect, it } from 'vitest';
import type { InterfaceInfo, MachineInfo } from '../../../src/sources/scap/metadata.js';
import type { FdInfo, GroupInfo, ThreadInfo, UserInfo } from '../../../src/sources/scap/state/model.js';
import { readScapBytes } from '../../../src/sources/scap/stream.js';
import { codeOf } from '../../../src/sources/scap/tables.js';
import { Bytes, block, concat, eventBlock, machineInfo, p, shb } from './build.js';
import { rawCapture } from './helpers.js';

const OPEN_X = codeOf('PPME_SYSCALL_OPEN_X');
const PLUGINEVENT_E = codeOf('PPME_PLUGINEVENT_E');

/** A current open exit event: fd, name, flags, mode, dev, ino. */
const openX = (tid = 42) => ({ type: OPEN_X, tid, ts: 5000n, params: [p.u64(3), p.str('/etc/passwd'), p.u32(1), p.u32(0), p.u32(0x801), p.u64(77)] });

function collect(bytes: Uint8Array, convert = true) {
  const threads: ThreadInfo[] = [];
  const fds: [number, FdInfo][] = [];
  const users: UserInfo[] = [];
  const groups: GroupInfo[] = [];
  const ifaces: InterfaceInfo[] = [];
  const machines: MachineInfo[] = [];
  const sections: number[] = [];
  const events: { num: number; type: number; tid: number; cpu: number; flags: number; n: number; ts: bigint; params: string[] }[] = [];
  const result = readScapBytes(
    bytes,
    (e) => {
      const params: string[] = [];
      for (let i = 0; i < e.paramCount; i++) params.push(Buffer.from(e.paramBytes(i)).toString('hex'));
      events.push({ num: e.num, type: e.type, tid: e.tid, cpu: e.cpu, flags: e.flags, n: e.paramCount, ts: e.ts(), params });
    },
    {
      file: 'test.scap',
      convert,
      handler: {
        onSection: (i) => sections.push(i),
        onMachine: (m) => machines.push(m),
        onThread: (t) => threads.push(t),
        onFd: (tid, fd) => fds.push([tid, fd]),
        onUser: (u) => users.push(u),
        onGroup: (g) => groups.push(g),
        onInterface: (i) => ifaces.push(i),
      },
    },
  );
  return { result, threads, fds, users, groups, ifaces, machines, sections, events };
}

const capture = (...blocks: Uint8Array[]) => concat(shb(), ...blocks, eventBlock(openX()));

// ---------- process lists ----------

const PL_TYPES: [string, number, number][] = [
  ['V1', 0x202, 1],
  ['V1_INT', 0x8000abcd, 1],
  ['V2', 0x207, 2],
  ['V2_INT', 0x8013abcd, 2],
  ['V3', 0x209, 3],
  ['V3_INT', 0x8014abcd, 3],
  ['V4', 0x210, 4],
  ['V5', 0x211, 5],
  ['V6', 0x212, 6],
  ['V7', 0x213, 7],
  ['V8', 0x214, 8],
  ['V9', 0x215, 9],
];

/** One process list entry of `version`, with distinct values in every field it has. */
function procEntry(version: number, extra?: (b: Bytes) => void, tid = 100): Uint8Array {
  const b = new Bytes();
  b.u64(tid)
    .u64(tid - 1)
    .u64(1);
  if (version >= 6) b.u64(7); // sid
  if (version >= 8) b.u64(8); // vpgid
  b.str16('bash').str16('/bin/bash');
  if (version >= 7) b.str16('/usr/bin/bash');
  b.u16(7).raw(Buffer.from('-c\0ls\0\0')); // args (NUL-separated)
  b.str16('/home/u').u64(1024).u32(0x10).u32(1000).u32(1001);
  if (version >= 2) b.u32(500).u32(400).u32(3).u64(11).u64(12);
  if (version >= 3) b.u16(8).raw(Buffer.from('A=1\0B=2\0'));
  if (version >= 4) {
    b.u64(5).u64(6);
    b.u16(16).raw(Buffer.from('cpu=/a\0memory=/b'));
    if (version >= 5) b.str16('/');
  }
  extra?.(b);
  const body = b.bytes();
  if (version < 9) return body;
  return concat(new Bytes().u32(body.length + 4).bytes(), body);
}

describe('process list blocks', () => {
  it.each(PL_TYPES)('%s (0x%s) gives the fields of its version', (_name, type, version) => {
    const tail = (b: Bytes) => {
      if (version === 9) b.u64(123).u32(4).u32(1000).u8(1).u64(1).u64(2).u64(3).u8(1).u64(99).u64(100).u64(101).u8(1).u8(1).u64(55);
    };
    const r = collect(capture(block(type, concat(procEntry(version, tail), procEntry(version, tail, 200)))));
    expect(r.result.error).toBeUndefined();
    expect(r.threads.map((t) => t.tid)).toEqual([100, 200]);
    const t = r.threads[0]!;
    expect([t.pid, t.ptid, t.comm, t.exe, t.args, t.cwd, t.fdlimit, t.flags, t.uid, t.gid]).toEqual([
      99,
      1,
      'bash',
      '/bin/bash',
      ['-c', 'ls', ''],
      '/home/u',
      1024,
      0x10,
      1000,
      1001,
    ]);
    expect(t.sid).toBe(version >= 6 ? 7 : -1);
    expect(t.vpgid).toBe(version >= 8 ? 8 : -1);
    expect(t.exepath).toBe(version >= 7 ? '/usr/bin/bash' : '');
    expect([t.vmsizeKb, t.vmrssKb, t.vmswapKb, t.pfMajor, t.pfMinor]).toEqual(version >= 2 ? [500, 400, 3, 11n, 12n] : [0, 0, 0, 0n, 0n]);
    expect(t.env).toEqual(version >= 3 ? ['A=1', 'B=2'] : []);
    expect([t.vtid, t.vpid]).toEqual(version >= 4 ? [5, 6] : [-1, -1]);
    expect(t.cgroups).toEqual(
      version >= 4
        ? [
            ['cpu', '/a'],
            ['memory', '/b'],
          ]
        : [],
    );
    if (version === 9) {
      expect([t.pidnsInitStartTs, t.tty, t.loginuid, t.exeWritable, t.capInheritable, t.capPermitted, t.capEffective]).toEqual([
        123n,
        4,
        1000,
        true,
        1n,
        2n,
        3n,
      ]);
      expect([t.exeUpperLayer, t.exeIno, t.exeInoCtime, t.exeInoMtime, t.exeFromMemfd, t.exeLowerLayer, t.pgid]).toEqual([
        true,
        99n,
        100n,
        101n,
        true,
        true,
        55,
      ]);
    } else {
      expect([t.loginuid, t.pgid, t.capEffective]).toEqual([4294967295, -1, 0n]);
    }
  });

  it('V9 entries written before libs 0.10 (no pidns_init_start_ts/tty) read loginuid and capabilities', () => {
    const old = (b: Bytes) => b.u32(1000).u8(0).u64(1).u64(2).u64(3); // 29 bytes
    const r = collect(capture(block(0x215, procEntry(9, old))));
    expect(r.result.error).toBeUndefined();
    const t = r.threads[0]!;
    expect([t.pidnsInitStartTs, t.tty, t.loginuid, t.capInheritable, t.capPermitted, t.capEffective]).toEqual([0n, 0, 1000, 1n, 2n, 3n]);
  });

  it('V9 entries longer than this reader knows skip the unknown tail', () => {
    const newer = (b: Bytes) => b.u64(1).u32(2).u32(3).u8(0).u64(4).u64(5).u64(6).u8(0).u64(7).u64(8).u64(9).u8(0).u8(0).u64(10).raw([1, 2, 3, 4, 5]);
    const r = collect(capture(block(0x215, concat(procEntry(9, newer), procEntry(9, newer, 300)))));
    expect(r.result.error).toBeUndefined();
    expect(r.threads.map((t) => [t.tid, t.pgid])).toEqual([
      [100, 10],
      [300, 10],
    ]);
  });

  it('a comm longer than libscap allows is a bad block, with its offset', () => {
    const b = new Bytes().u64(1).u64(1).u64(0).u16(2000);
    const bytes = capture(block(0x202, b.raw(new Array(40).fill(65)).bytes()));
    const r = collect(bytes);
    expect(r.result.error).toMatchObject({ code: 'SCAP_BAD_BLOCK', offset: shb().length + 8 + 24, file: 'test.scap' });
    expect(r.result.error?.message).toContain('invalid comm length 2000');
  });
});

// ---------- fd lists ----------

describe('fd list blocks', () => {
  const fdEntries = (v2: boolean): Uint8Array => {
    const entries: Uint8Array[] = [];
    const entry = (fill: (b: Bytes) => void) => {
      const b = new Bytes();
      fill(b);
      const body = b.bytes();
      entries.push(v2 ? concat(new Bytes().u32(body.length + 4).bytes(), body) : body);
    };
    entry((b) => b.u64(0).u64(10).u8(1).str16('/dev/null')); // SCAP_FD_FILE
    entry((b) => b.u64(3).u64(11).u8(3).raw([10, 0, 0, 1]).raw([10, 0, 0, 2]).u16(40000).u16(443).u8(2)); // IPv4 tcp
    entry((b) => b.u64(4).u64(12).u8(5).raw([0, 0, 0, 0]).u16(22).u8(2)); // IPv4 server
    entry((b) =>
      b
        .u64(5)
        .u64(13)
        .u8(4)
        .raw([...new Array(10).fill(0), 255, 255, 1, 2, 3, 4])
        .raw([...new Array(10).fill(0), 255, 255, 5, 6, 7, 8])
        .u16(1)
        .u16(2)
        .u8(3),
    ); // mapped
    entry((b) =>
      b
        .u64(6)
        .u64(14)
        .u8(4)
        .raw([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1])
        .raw([...new Array(15).fill(0), 1])
        .u16(5000)
        .u16(80)
        .u8(2),
    ); // IPv6
    entry((b) => b.u64(7).u64(15).u8(8).u64(0xabcn).u64(0xdefn).str16('/run/x.sock')); // unix
    entry((b) => {
      b.u64(8).u64(16).u8(16).u32(0x1001).str16('/var/log/syslog');
      if (v2) b.u32(0x803); // dev, only with an entry length
    });
    entry((b) => b.u64(9).u64(17).u8(77)); // a type from a newer library
    return concat(new Bytes().u64(1234).bytes(), ...entries);
  };

  it.each([
    ['FDL (0x203)', 0x203, false],
    ['FDL_INT (0x8001abcd)', 0x8001abcd, false],
    ['FDL_V2 (0x218)', 0x218, true],
  ] as const)('%s: every fd type, named as libsinsp names them', (_n, type, v2) => {
    const r = collect(capture(block(type, fdEntries(v2))));
    expect(r.result.error).toBeUndefined();
    expect(r.fds.every(([tid]) => tid === 1234)).toBe(true);
    expect(r.fds.map(([, f]) => [f.fd, f.type, f.name])).toEqual([
      [0, 'file', '/dev/null'],
      [3, 'ipv4', '10.0.0.1:40000->10.0.0.2:443'],
      [4, 'ipv4_server', '0.0.0.0:22'],
      [5, 'ipv4', '1.2.3.4:1->5.6.7.8:2'],
      [6, 'ipv6', '2001:db8::1:5000->::1:80'],
      [7, 'unix', '/run/x.sock'],
      [8, 'file', '/var/log/syslog'],
      [9, 'unsupported', 'unknown-type:[77]'],
    ]);
    const [, file] = r.fds[6]!;
    expect([file.openFlags, file.dev, file.ino]).toEqual([0x1001, v2 ? 0x803 : 0, 16n]);
    expect(r.fds[1]![1].tuple?.l4proto).toBe('tcp');
    expect(r.fds[5]![1].unix).toEqual({ source: 0xabcn, dest: 0xdefn, path: '/run/x.sock' });
  });
});

// ---------- user, interface lists, machine ----------

describe('user, interface and machine blocks', () => {
  const users = (v2: boolean) => {
    const entry = (fill: (b: Bytes) => void) => {
      const b = new Bytes();
      fill(b);
      const body = b.bytes();
      return v2 ? concat(new Bytes().u32(body.length + 4 + 2).bytes(), body, p.u16(0)) : body; // V2 entries may carry unknown trailing bytes
    };
    return concat(
      entry((b) => b.u8(0).u32(0).u32(0).str16('root').str16('/root').str16('/bin/bash')),
      entry((b) => b.u8(1).u32(27).str16('sudo')),
    );
  };
  it.each([
    ['UL (0x206)', 0x206, false],
    ['UL_INT (0x8012abcd)', 0x8012abcd, false],
    ['UL_V2 (0x220)', 0x220, true],
  ] as const)('%s', (_n, type, v2) => {
    const r = collect(capture(block(type, users(v2))));
    expect(r.result.error).toBeUndefined();
    expect(r.users).toEqual([{ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' }]);
    expect(r.groups).toEqual([{ gid: 27, name: 'sudo' }]);
  });

  const ifaces = (v2: boolean) => {
    const entry = (fill: (b: Bytes) => void) => {
      const b = new Bytes();
      fill(b);
      const body = b.bytes();
      return v2 ? concat(new Bytes().u32(body.length).bytes(), body) : body;
    };
    return concat(
      entry((b) => b.u16(1).u16(2).raw([127, 0, 0, 1]).raw([255, 0, 0, 0]).raw([127, 255, 255, 255]).u64(1000).raw(Buffer.from('lo'))),
      entry((b) => b.u16(3).u16(4).raw([10, 0, 0, 5]).raw([255, 255, 255, 0]).raw([10, 0, 0, 255]).raw(Buffer.from('eth0'))),
      entry((b) =>
        b
          .u16(2)
          .u16(2)
          .raw([...new Array(15).fill(0), 1])
          .raw(new Array(16).fill(255))
          .raw(new Array(16).fill(0))
          .u64(10)
          .raw(Buffer.from('lo')),
      ),
      entry((b) =>
        b
          .u16(4)
          .u16(4)
          .raw([0xfe, 0x80, ...new Array(14).fill(0)])
          .raw(new Array(16).fill(0))
          .raw(new Array(16).fill(0))
          .raw(Buffer.from('eth0')),
      ),
    );
  };
  it.each([
    ['IL (0x205)', 0x205, false],
    ['IL_INT (0x8011abcd)', 0x8011abcd, false],
    ['IL_V2 (0x219)', 0x219, true],
  ] as const)('%s: IPv4 and IPv6 entries, with and without link speed', (_n, type, v2) => {
    const r = collect(capture(block(type, ifaces(v2))));
    expect(r.result.error).toBeUndefined();
    expect(r.ifaces.map((i) => [i.family, i.name, i.linkspeed, Array.from(i.addr.subarray(0, 2))])).toEqual([
      [4, 'lo', 1000n, [127, 0]],
      [4, 'eth0', 0n, [10, 0]],
      [6, 'lo', 10n, [0, 0]],
      [6, 'eth0', 0n, [0xfe, 0x80]],
    ]);
  });

  it('machine info (MI and MI_INT)', () => {
    for (const type of [0x201, 0x8002abcd]) {
      const mi = machineInfo('box');
      new DataView(mi.buffer).setUint32(0, type, true);
      const r = collect(capture(mi));
      expect(r.result.error).toBeUndefined();
      expect(r.machines).toEqual([{ numCpus: 4, memorySizeBytes: 8n << 30n, maxPid: 32768n, hostname: 'box', bootTime: 1700000000000000000n, flags: 0n }]);
    }
  });

  it('unknown block types among the metadata are skipped and counted', () => {
    const r = collect(capture(block(0x999, p.u64(1)), block(0x12345678, new Uint8Array(20))));
    expect(r.result.error).toBeUndefined();
    expect(r.result.stats.unknownBlocks).toBe(2);
    expect(r.events).toHaveLength(1);
  });
});

// ---------- events ----------

describe('event blocks', () => {
  it.each(['EV', 'EVF', 'EV_V2', 'EVF_V2', 'EV_V2_LARGE', 'EVF_V2_LARGE'] as const)('%s: header, cpu, flags and parameters', (kind) => {
    const e = { ...openX(77), cpu: 3, flags: 5 };
    const r = collect(concat(shb(), eventBlock(e, kind)), false);
    expect(r.result.error).toBeUndefined();
    expect(r.events).toEqual([
      {
        num: 1,
        type: OPEN_X,
        tid: 77,
        cpu: 3,
        flags: kind.startsWith('EVF') ? 5 : 0,
        n: 6,
        ts: 5000n,
        params: e.params.map((x) => Buffer.from(x).toString('hex')),
      },
    ]);
  });

  it('V1 blocks: the parameter count is the one whose lengths add up (an old open exit with 4 parameters)', () => {
    const e = { type: OPEN_X, params: [p.u64(3), p.str('/x'), p.u32(1), p.u32(0)] };
    const r = collect(concat(shb(), eventBlock(e, 'EVF')), false);
    expect(r.result.error).toBeUndefined();
    expect(r.events[0]!.n).toBe(4);
  });

  it('EF_LARGE_PAYLOAD events have 32-bit parameter lengths', () => {
    const big = new Uint8Array(70000).fill(7);
    const r = collect(concat(shb(), eventBlock({ type: PLUGINEVENT_E, params: [p.u32(9), big] }, 'EVF_V2_LARGE', 4)), false);
    expect(r.result.error).toBeUndefined();
    expect(r.events[0]!.params[1]!.length).toBe(140000);
  });

  it('events of codes beyond the table are skipped and counted', () => {
    const r = collect(concat(shb(), eventBlock({ type: 9999, params: [] }), eventBlock(openX())), false);
    expect(r.result.stats.unknownEvents).toBe(1);
    expect(r.events.map((e) => e.num)).toEqual([1]);
  });

  it('concatenated captures: a new section header starts a new section', () => {
    const one = concat(shb(), machineInfo('a'), eventBlock(openX()));
    const two = concat(shb(), machineInfo('b'), eventBlock(openX(9)), eventBlock(openX(9)));
    const r = collect(concat(one, two), false);
    expect(r.result.error).toBeUndefined();
    expect(r.sections).toEqual([0, 1]);
    expect(r.machines.map((m) => m.hostname)).toEqual(['a', 'b']);
    expect(r.events.map((e) => [e.num, e.tid])).toEqual([
      [1, 42],
      [2, 9],
      [3, 9],
    ]);
  });

  it('a section header with options (the real commented capture) reads as without', () => {
    const comment = new Bytes().u16(1).u16(5).raw(Buffer.from('hello')).raw([0, 0, 0]).u16(0).u16(0).bytes();
    const r = collect(concat(shb({ options: comment }), eventBlock(openX())), false);
    expect(r.result.error).toBeUndefined();
    expect(r.events).toHaveLength(1);
  });
});

// ---------- errors ----------

describe('errors name the file, the byte offset and a code', () => {
  const err = (bytes: Uint8Array, convert = false) => collect(bytes, convert).result.error;

  it('wrong magic, big-endian magic, not a capture, newer major version', () => {
    expect(err(concat(shb({ magic: 0xdeadbeef }), eventBlock(openX())))).toMatchObject({ code: 'SCAP_BAD_MAGIC', offset: 8, file: 'test.scap' });
    expect(err(concat(shb({ magic: 0x4d3c2b1a }), eventBlock(openX())))?.message).toContain('big-endian');
    expect(err(Buffer.from('PK\x03\x04 this is a zip file, not a capture'))).toMatchObject({ code: 'SCAP_BAD_MAGIC', offset: 0 });
    expect(err(concat(shb({ major: 2 }), eventBlock(openX())))).toMatchObject({ code: 'SCAP_VERSION', offset: 12 });
  });

  it('empty input, no events, truncated block', () => {
    expect(err(new Uint8Array(0))).toMatchObject({ code: 'SCAP_TRUNCATED', offset: 0 });
    expect(err(concat(shb(), machineInfo('x')))).toMatchObject({ code: 'SCAP_NO_EVENTS' });
    const whole = concat(shb(), eventBlock(openX()));
    const e = err(whole.subarray(0, whole.length - 5));
    expect(e).toMatchObject({ code: 'SCAP_TRUNCATED', offset: shb().length });
    expect(e?.message).toMatch(/declares \d+ bytes, \d+ remain/);
  });

  it('block lengths: too short, beyond the limit, trailer mismatch, non-LARGE event block over 64 KiB', () => {
    expect(err(concat(shb(), block(0x201, new Uint8Array(0), { total: 8 })))).toMatchObject({ code: 'SCAP_BAD_BLOCK_LENGTH', offset: shb().length + 4 });
    const huge = concat(shb(), new Bytes().u32(0x204).u32(0xfffffff0).bytes());
    expect(err(huge)).toMatchObject({ code: 'SCAP_BAD_BLOCK_LENGTH' });
    expect(err(concat(shb(), block(0x201, new Uint8Array(180), { trailer: 1 }), eventBlock(openX())))?.message).toBe(
      'wrong block total length, header=192, trailer=1',
    );
    const big = eventBlock({ type: OPEN_X, params: [p.u64(1), new Uint8Array(70000)] }, 'EVF_V2', 2);
    expect(err(concat(shb(), big))?.message).toContain('greater than NON-LARGE read buffer size 65536');
  });

  it('event lengths: parameter lengths beyond the event, event longer than its block, block among events', () => {
    const ev = eventBlock(openX());
    const at = shb().length;
    const lens = ev.slice();
    new DataView(lens.buffer).setUint16(8 + 2 + 4 + 26 + 2, 5000, true); // name's length
    expect(err(concat(shb(), lens))).toMatchObject({
      code: 'SCAP_BAD_EVENT',
      offset: at + 14,
      message: expect.stringContaining('param 1 len 5000 exceeds event len'),
    });
    const long = ev.slice();
    new DataView(long.buffer).setUint32(8 + 6 + 16, 60000, true); // event len
    expect(err(concat(shb(), long))?.message).toMatch(/len 60000 is larger than the \d+ bytes available in the block/);
    expect(err(concat(shb(), ev, machineInfo('x')))).toMatchObject({ code: 'SCAP_UNEXPECTED_BLOCK', offset: at + ev.length });
  });

  it('gzip input that ends early is a truncation error from the streaming reader', async () => {
    const { readScap } = await import('../../../src/sources/scap/stream.js');
    const { readFileSync } = await import('node:fs');
    const { Readable } = await import('node:stream');
    const gz = readFileSync('../shared/captures/scap/curl_google.scap');
    let n = 0;
    const r = await readScap(Readable.from([gz.subarray(0, gz.length >> 1)]), () => void n++, { file: 'half.scap.gz' });
    expect(r.gzip).toBe(true);
    expect(r.error).toMatchObject({ code: 'SCAP_TRUNCATED', file: 'half.scap.gz' });
    expect(n).toBeGreaterThan(0);
    expect(rawCapture('curl_google.scap').length).toBeGreaterThan(r.error!.offset);
  });
});
