/**
 * Parameter rendering for the types and corner cases the real captures do not exercise
 * (the captures are compared with sysdig in sysdig-differential.test.ts). Expected texts follow
 * libsinsp's event.cpp get_param_as_str and sinsp_filtercheck.cpp rawval_to_string.
 */
import { describe, expect, it } from 'vitest';
import type { ScapEvent } from '../../../src/sources/scap/event.js';
import { formatIpv6 } from '../../../src/sources/scap/net.js';
import { cDoubleG, cInt, concatenatePaths, type RenderContext, renderArg, renderArgs, renderParam, renderRawArg } from '../../../src/sources/scap/render.js';
import { readScapBytes } from '../../../src/sources/scap/stream.js';
import { codeOf, EVENTS, fixedWidth } from '../../../src/sources/scap/tables.js';
import { Bytes, concat, eventBlock, p, shb } from './build.js';

/** Renders parameter `name` of event `id`, the other parameters holding zeros. */
function render(
  id: string,
  name: string,
  value: Uint8Array,
  ctx: RenderContext = {},
): { value: string; resolved: string; arg: string | undefined; raw: string | undefined } {
  const info = EVENTS[codeOf(id)]!;
  const params = info.params.map((q) => (q.name === name ? value : new Uint8Array(fixedWidth(q.type))));
  const index = info.params.findIndex((q) => q.name === name);
  let out: ReturnType<typeof render> | undefined;
  readScapBytes(
    concat(shb(), eventBlock({ type: info.code, params })),
    (e: ScapEvent) => {
      const r = renderParam(e, index, ctx);
      out = { value: r.value, resolved: r.resolved, arg: renderArg(e, index, ctx), raw: renderRawArg(e, name) };
    },
    { convert: false },
  );
  return out!;
}

const i64 = (v: number | bigint) => p.u64(BigInt.asUintN(64, BigInt(v)));
const sockaddr4 = (ip: number[], port: number) => new Bytes().u8(2).raw(ip).u16(port).bytes();

describe('parameter rendering', () => {
  it('integers by print format (signed at the type width, hex upper case, octal with a 0)', () => {
    expect(cInt(0xffffffffn, 32, 'd')).toBe('-1');
    expect(cInt(255n, 8, 'X')).toBe('FF');
    expect(cInt(8n, 32, '#o')).toBe('010');
    expect(cInt(0n, 32, '#o')).toBe('0');
    expect(cInt(5n, 64, '09d')).toBe('000000005');
    expect(render('PPME_SYSCALL_MMAP_E', 'addr', p.u64(0x7fa69774e000n)).value).toBe('7FA69774E000');
    expect(render('PPME_SYSCALL_OPEN_X', 'mode', p.u32(0o644))).toMatchObject({ value: '0644', raw: '644' });
    expect(render('PPME_SYSCALL_OPEN_X', 'dev', p.u32(0x801))).toMatchObject({ value: '801', raw: '801' });
  });

  it('errno results and fds', () => {
    expect(render('PPME_SYSCALL_OPEN_X', 'fd', i64(-2), { threadKnown: true })).toMatchObject({ value: '-2', resolved: 'ENOENT', arg: 'ENOENT', raw: '-2' });
    expect(render('PPME_SYSCALL_OPEN_X', 'fd', i64(-2))).toMatchObject({ value: '-2', resolved: '' });
    expect(render('PPME_SYSCALL_READ_X', 'res', i64(-11)).resolved).toBe('EAGAIN');
    expect(render('PPME_SYSCALL_READ_X', 'res', i64(42)).resolved).toBe('');
    const fds: RenderContext = { fd: (fd) => (fd === 3 ? { typechar: '4', l4: 't', name: '1.2.3.4:5->6.7.8.9:80' } : undefined) };
    expect(render('PPME_SYSCALL_CLOSE_X', 'fd', i64(3), fds).arg).toBe('<4t>1.2.3.4:5->6.7.8.9:80');
    expect(render('PPME_SYSCALL_CLOSE_X', 'fd', i64(4), fds)).toMatchObject({ value: '4', resolved: '' });
    expect(render('PPME_SYSCALL_OPENAT_2_X', 'dirfd', i64(-100), fds).resolved).toBe('AT_FDCWD');
  });

  it('flags: table order, bits cleared as they match, exact match ends the walk; enum flags list every equal name', () => {
    expect(render('PPME_SYSCALL_OPEN_X', 'flags', p.u32(3)).resolved).toBe('O_RDWR');
    expect(render('PPME_SYSCALL_OPEN_X', 'flags', p.u32(0)).resolved).toBe('O_NONE');
    expect(render('PPME_SYSCALL_OPEN_X', 'flags', p.u32(4097 | 4)).resolved).toBe('O_CREAT|O_RDONLY|O_CLOEXEC');
    expect(render('PPME_SOCKET_SOCKET_E', 'domain', p.u32(1)).resolved).toBe('AF_LOCAL|AF_UNIX');
    expect(render('PPME_SOCKET_SOCKET_E', 'domain', p.u32(10)).resolved).toBe('AF_INET6');
  });

  it('addresses: sockaddr, tuples (IPv4, IPv6, mapped, unix), invalid and empty ones', () => {
    expect(render('PPME_SOCKET_CONNECT_E', 'addr', sockaddr4([10, 0, 0, 1], 443)).value).toBe('10.0.0.1:443');
    expect(render('PPME_SOCKET_CONNECT_E', 'addr', new Bytes().u8(1).raw(Buffer.from('/run/a.sock\0')).bytes()).value).toBe('/run/a.sock');
    expect(render('PPME_SOCKET_CONNECT_E', 'addr', new Bytes().u8(2).u16(1).bytes()).value).toBe('INVALID IPv4');
    expect(render('PPME_SOCKET_CONNECT_E', 'addr', new Bytes().u8(99).bytes()).value).toBe('family 99');
    expect(render('PPME_SOCKET_CONNECT_E', 'addr', new Uint8Array(0)).value).toBe('<NA>');
    const t4 = new Bytes().u8(2).raw([1, 2, 3, 4]).u16(5).raw([6, 7, 8, 9]).u16(80).bytes();
    expect(render('PPME_SOCKET_CONNECT_X', 'tuple', t4).value).toBe('1.2.3.4:5->6.7.8.9:80');
    const mapped = (a: number[]) => [...new Array(10).fill(0), 255, 255, ...a];
    const t6m = new Bytes()
      .u8(10)
      .raw(mapped([1, 2, 3, 4]))
      .u16(5)
      .raw(mapped([6, 7, 8, 9]))
      .u16(80)
      .bytes();
    expect(render('PPME_SOCKET_CONNECT_X', 'tuple', t6m).value).toBe('1.2.3.4:5->6.7.8.9:80');
    const t6 = new Bytes()
      .u8(10)
      .raw([0x20, 1, 0x0d, 0xb8, ...new Array(11).fill(0), 1])
      .u16(5)
      .raw([...new Array(15).fill(0), 1])
      .u16(80)
      .bytes();
    expect(render('PPME_SOCKET_CONNECT_X', 'tuple', t6).value).toBe('2001:db8::1:5->::1:80');
    const tu = new Bytes().u8(1).u64(0xabcn).u64(0xffff88003c420800n).raw(Buffer.from('/var/run/x\0')).bytes();
    expect(render('PPME_SOCKET_CONNECT_X', 'tuple', tu).value).toBe('abc->ffff88003c420800 /var/run/x');
    expect(render('PPME_SOCKET_CONNECT_X', 'tuple', new Uint8Array(0)).value).toBe('NULL');
  });

  it('IPv6 text as inet_ntop writes it', () => {
    const v6 = (...words: number[]) => Uint8Array.from(words.flatMap((w) => [w >> 8, w & 0xff]));
    expect(formatIpv6(v6(0, 0, 0, 0, 0, 0, 0, 0))).toBe('::');
    expect(formatIpv6(v6(0, 0, 0, 0, 0, 0, 0, 1))).toBe('::1');
    expect(formatIpv6(v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6(v6(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304))).toBe('::ffff:1.2.3.4');
    expect(formatIpv6(v6(0xfe80, 0, 0, 0, 0, 0, 0, 0))).toBe('fe80::');
  });

  it('buffers: dots for other bytes, the output limit with ..., empty as NULL; strings up to their NUL, empty or (NULL) as <NA>', () => {
    expect(render('PPME_SYSCALL_READ_X', 'data', p.bytes([0x47, 0x45, 0x54, 0x0d, 0x0a, 0xff])).value).toBe('GET...');
    expect(render('PPME_SYSCALL_READ_X', 'data', new Uint8Array(100).fill(0x61), { maxBufferLength: 10 }).value).toBe('aaaaaaa...');
    expect(render('PPME_SYSCALL_READ_X', 'data', new Uint8Array(0)).value).toBe('NULL');
    expect(render('PPME_SYSCALL_EXECVE_19_X', 'exe', p.str('ls')).value).toBe('ls');
    expect(render('PPME_SYSCALL_EXECVE_19_X', 'exe', new Uint8Array(0)).value).toBe('<NA>');
    expect(render('PPME_SYSCALL_EXECVE_19_X', 'exe', p.str('(NULL)')).raw).toBe('<NA>');
  });

  it("paths: relative ones resolved against the cwd, or the dirfd's directory", () => {
    const ctx: RenderContext = { threadKnown: true, cwd: () => '/home/u', dirPath: (fd) => (fd === 5 ? '/etc' : undefined) };
    expect(render('PPME_SYSCALL_OPEN_X', 'name', p.str('a/../b.txt'), ctx)).toMatchObject({ value: 'a/../b.txt', resolved: '/home/u/b.txt' });
    expect(render('PPME_SYSCALL_OPEN_X', 'name', p.str('/abs'), ctx).resolved).toBe('');
    expect(render('PPME_SYSCALL_OPEN_X', 'name', p.str('/abs')).resolved).toBe('/abs');
    expect(concatenatePaths('/a/b/', './c/../d')).toBe('/a/b/d');
    const info = EVENTS[codeOf('PPME_SYSCALL_OPENAT_2_X')]!;
    const params = info.params.map((q) => (q.name === 'dirfd' ? i64(5) : q.name === 'name' ? p.str('passwd') : new Uint8Array(fixedWidth(q.type))));
    readScapBytes(concat(shb(), eventBlock({ type: info.code, params })), (e) => {
      expect(
        renderParam(
          e,
          info.params.findIndex((q) => q.name === 'name'),
          ctx,
        ).resolved,
      ).toBe('/etc/passwd');
    });
  });

  it('uid/gid, signals, syscall ids, reltime, dynamic parameters', () => {
    expect(render('PPME_SYSCALL_SETUID_E', 'uid', p.u32(0xffffffff))).toMatchObject({ value: '-1', resolved: '<NONE>' });
    expect(render('PPME_SYSCALL_SETUID_E', 'uid', p.u32(0), { threadKnown: true, user: () => 'root' }).arg).toBe('root');
    expect(render('PPME_SYSCALL_SETUID_E', 'uid', p.u32(1000)).arg).toBe('<NA>');
    expect(render('PPME_SYSCALL_KILL_E', 'sig', p.u8(9)).arg).toBe('SIGKILL');
    expect(render('PPME_GENERIC_E', 'ID', p.u16(75))).toMatchObject({ value: '75', resolved: 'mprotect' });
    expect(render('PPME_GENERIC_E', 'ID', p.u16(60000)).value).toBe('<unknown syscall>');
    expect(render('PPME_SYSCALL_NANOSLEEP_E', 'interval', p.u64(1500000000n))).toMatchObject({ value: '1500000000', resolved: '1.5s' });
    expect(render('PPME_SYSCALL_NANOSLEEP_E', 'interval', p.u64(0xffffffffffffffffn)).value).toBe('none');
    expect(cDoubleG(1234567)).toBe('1.23457e+06');
    expect(cDoubleG(0.0001)).toBe('0.0001');
    expect(cDoubleG(0.00001)).toBe('1e-05');
    // setsockopt val: index byte 1 = errno layout, printed with the parameter's own format
    expect(render('PPME_SOCKET_SETSOCKOPT_X', 'val', concat(p.u8(1), i64(-13))).arg).toBe('EACCES');
    expect(render('PPME_SOCKET_SETSOCKOPT_X', 'val', concat(p.u8(2), p.u32(7))).value).toBe('7');
    expect(render('PPME_SOCKET_SETSOCKOPT_X', 'val', concat(p.u8(200), p.u32(7))).value).toBe('INVALID DYNAMIC PARAMETER');
  });

  it('string arrays of iterator events: items joined by dots', () => {
    expect(render('PPME_ITER_TASK_E', 'argv', p.bytes(Buffer.from('ls\0-l\0'))).value).toBe('ls.-l');
  });

  it('fd lists need a known thread; evt.args joins name=value(resolved) and hides generic exit events', () => {
    const fds = new Bytes().u16(2).u64(4).u16(0x41).u64(7).u16(1).bytes();
    expect(render('PPME_SYSCALL_POLL_E', 'fds', fds, { fd: (fd) => (fd === 4 ? { typechar: '6', name: 'x' } : undefined) }).value).toBe('4:641 7:?1');
    expect(render('PPME_SYSCALL_POLL_E', 'fds', fds).value).toBe('');
    const x = EVENTS[codeOf('PPME_GENERIC_X')]!;
    readScapBytes(concat(shb(), eventBlock({ type: x.code, params: [p.u16(75), p.u16(10)] })), (e) => expect(renderArgs(e)).toBe(''));
    const open = EVENTS[codeOf('PPME_SYSCALL_OPEN_X')]!;
    readScapBytes(concat(shb(), eventBlock({ type: open.code, params: [i64(-2), p.str('/x'), p.u32(1), p.u32(0), p.u32(0), p.u64(0)] })), (e) => {
      expect(renderArgs(e, { threadKnown: true, cwd: () => '/' })).toBe('fd=-2(ENOENT) name=/x flags=1(O_RDONLY) mode=0 dev=0 ino=0');
      expect(renderArg(e, 99)).toBeUndefined();
      expect(renderRawArg(e, 'nope')).toBeUndefined();
    });
  });
});
