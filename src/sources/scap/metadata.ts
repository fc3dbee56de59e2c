/**
 * Parsers of the metadata blocks of a scap capture (machine info, process list, fd list, user
 * and group list, interface list) into the state model's objects. Layouts and per-version
 * differences follow libscap's scap_savefile.c readers; see docs/scap.md.
 *
 * A parser reads the block body through a Cursor that throws BlockOverrun when a field would
 * run past the body; the reader turns that into a SCAP_BAD_BLOCK error value.
 */

import * as F from './format.js';
import { formatIpv4, formatIpv6, isIpv4Mapped } from './net.js';
import { newFd } from './state/fd-flags.js';
import { blankThreadInfo, type FdInfo, type FdType, type GroupInfo, type SocketTuple, type ThreadInfo, type UserInfo } from './state/model.js';

export interface MachineInfo {
  numCpus: number;
  memorySizeBytes: bigint;
  maxPid: bigint;
  hostname: string;
  /** Host boot time, ns since the epoch (0 in captures older than the field). */
  bootTime: bigint;
  flags: bigint;
}

export interface InterfaceInfo {
  family: 4 | 6;
  name: string;
  addr: Uint8Array;
  netmask: Uint8Array;
  bcast: Uint8Array;
  /** 0 when the capture's entry has no link speed. */
  linkspeed: bigint;
}

/** Receives what the metadata blocks hold, in file order. */
export interface MetadataHandler {
  /** A new section begins (the first one, or the next capture of concatenated files). */
  onSection?(index: number): void;
  onMachine?(info: MachineInfo): void;
  onThread?(thread: ThreadInfo): void;
  onFd?(tid: number, fd: FdInfo): void;
  onUser?(user: UserInfo): void;
  onGroup?(group: GroupInfo): void;
  onInterface?(iface: InterfaceInfo): void;
  /**
   * The metadata blocks of the section are read (its first event block follows). `serverPorts`
   * holds the ports of the listening sockets of the fd lists: libsinsp then turns the IPv4
   * sockets of the fd lists around (fixSocketsComingFromProc).
   */
  onMetadataEnd?(serverPorts: ReadonlySet<number>): void;
}

/**
 * libsinsp's fix_sockets_coming_from_proc (run once the fd lists are read): an IPv4 socket whose
 * source port is a listening port of the host is the server end, so its tuple is reversed
 * (client first) and renamed; the others are clients.
 */
export function fixSocketsComingFromProc(fds: Iterable<FdInfo>, serverPorts: ReadonlySet<number>): void {
  for (const fdi of fds) {
    if (fdi.type !== 'ipv4' || fdi.tuple === undefined) continue;
    const t = fdi.tuple;
    if (!serverPorts.has(t.sport)) {
      fdi.role = 'client';
      continue;
    }
    fdi.tuple = { family: 4, sip: t.dip, sport: t.dport, dip: t.sip, dport: t.sport, l4proto: t.l4proto };
    fdi.name = `${formatIpv4(t.dip)}:${t.dport}->${formatIpv4(t.sip)}:${t.sport}`;
    fdi.role = 'server';
  }
}

/** Thrown by Cursor; caught by the reader (never escapes it). */
export class BlockOverrun {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

export class Cursor {
  /** The same bytes as a Buffer, for its native string decoding and NUL search. */
  private readonly text8: Buffer;
  constructor(
    readonly buf: Uint8Array,
    readonly dv: DataView,
    public pos: number,
    public end: number,
    /** Absolute stream offset of buf[0], for error offsets. */
    readonly base: number,
  ) {
    this.text8 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  abs(pos = this.pos): number {
    return this.base + pos;
  }
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) throw new BlockOverrun(this.abs(), `${what} (${n} bytes) runs past the end of the block`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.dv.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** A signed 64-bit value as a number (ids: exact below 2^53). */
  i64(what: string): number {
    this.need(8, what);
    const v = this.dv.getUint32(this.pos, true) + this.dv.getInt32(this.pos + 4, true) * 4294967296;
    this.pos += 8;
    return v;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    // A copy, always: on a Buffer (a chunk read in place) slice() is a view into memory the
    // reader reuses, and a plain Uint8Array is what every path hands over (the worker's too).
    const v = new Uint8Array(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return v;
  }
  /** Text of n bytes, up to its first NUL. */
  text(n: number, what: string): string {
    this.need(n, what);
    const end = this.pos + n;
    const nul = this.text8.indexOf(0, this.pos);
    const stop = nul < 0 || nul > end ? end : nul;
    const s = this.text8.toString('utf8', this.pos, stop);
    this.pos = end;
    return s;
  }
  /**
   * Ends an entry that declares its length (`declared` bytes from `start`; 0: no length):
   * fields this reader does not know are skipped, as libscap skips them; reading past the
   * declared length is an error.
   */
  endEntry(start: number, declared: number, what: string): void {
    if (declared === 0) return;
    const read = this.pos - start;
    if (read > declared) throw new BlockOverrun(this.abs(start), `${what} reads ${read} bytes but declares ${declared}`);
    this.need(declared - read, what);
    this.pos = start + declared;
  }

  /** A u16 length, checked against libscap's limit, then that many bytes of text. */
  str16(what: string, max: number): string {
    const at = this.abs();
    const n = this.u16(`${what} length`);
    if (n > max) throw new BlockOverrun(at, `invalid ${what} length ${n} (at most ${max})`);
    return this.text(n, what);
  }
  /** NUL-separated strings of a u16-length blob (args, env, cgroups). */
  list16(what: string, max: number): string[] {
    const at = this.abs();
    const n = this.u16(`${what} length`);
    if (n > max) throw new BlockOverrun(at, `invalid ${what} length ${n} (at most ${max})`);
    this.need(n, what);
    const out: string[] = [];
    let start = this.pos;
    const end = this.pos + n;
    while (start < end) {
      let nul = this.text8.indexOf(0, start);
      if (nul < 0 || nul >= end) nul = end;
      out.push(this.text8.toString('utf8', start, nul));
      start = nul + 1;
    }
    this.pos = end;
    return out;
  }
}

// libscap limits (scap_limits.h, scap.h)
const SCAP_MAX_PATH_SIZE = 1024;
const SCAP_MAX_ARGS_SIZE = 4096;
const SCAP_MAX_ENV_SIZE = 4096;
const SCAP_MAX_CGROUPS_SIZE = 4096;
const MAX_CREDENTIALS_STR_LEN = 256;

export function parseMachineInfo(c: Cursor): MachineInfo {
  const numCpus = c.u32('num_cpus');
  const memorySizeBytes = c.u64('memory_size_bytes');
  const maxPid = c.u64('max_pid');
  const hostname = c.text(128, 'hostname');
  const bootTime = c.u64('boot_ts_epoch');
  const flags = c.u64('flags');
  return { numCpus, memorySizeBytes, maxPid, hostname, bootTime, flags };
}

/** Process list block version: 1..9 (the `_INT` types are 1..3). */
export function proclistVersion(type: number): number {
  switch (type) {
    case F.PL_BLOCK_TYPE_V1:
    case F.PL_BLOCK_TYPE_V1_INT:
      return 1;
    case F.PL_BLOCK_TYPE_V2:
    case F.PL_BLOCK_TYPE_V2_INT:
      return 2;
    case F.PL_BLOCK_TYPE_V3:
    case F.PL_BLOCK_TYPE_V3_INT:
      return 3;
    case F.PL_BLOCK_TYPE_V4:
      return 4;
    case F.PL_BLOCK_TYPE_V5:
      return 5;
    case F.PL_BLOCK_TYPE_V6:
      return 6;
    case F.PL_BLOCK_TYPE_V7:
      return 7;
    case F.PL_BLOCK_TYPE_V8:
      return 8;
    default:
      return 9;
  }
}

/** One process list entry; the cursor's end is the block body's end. */
function parseThread(c: Cursor, version: number): ThreadInfo {
  const t = blankThreadInfo(0);
  const entryStart = c.pos;
  let subLen = 0;
  if (version >= 9) subLen = c.u32('entry length');
  t.tid = c.i64('tid');
  t.pid = c.i64('pid');
  t.ptid = c.i64('ptid');
  if (version >= 6) t.sid = c.i64('sid');
  if (version >= 8) t.vpgid = c.i64('vpgid');
  t.comm = c.str16('comm', SCAP_MAX_PATH_SIZE);
  t.exe = c.str16('exe', SCAP_MAX_PATH_SIZE);
  if (version >= 7) t.exepath = c.str16('exepath', SCAP_MAX_PATH_SIZE);
  t.args = c.list16('args', SCAP_MAX_ARGS_SIZE);
  t.cwd = c.str16('cwd', SCAP_MAX_PATH_SIZE);
  t.fdlimit = c.i64('fdlimit');
  t.flags = c.u32('flags');
  t.uid = c.u32('uid');
  t.gid = c.u32('gid');
  if (version >= 2) {
    t.vmsizeKb = c.u32('vmsize_kb');
    t.vmrssKb = c.u32('vmrss_kb');
    t.vmswapKb = c.u32('vmswap_kb');
    t.pfMajor = c.u64('pfmajor');
    t.pfMinor = c.u64('pfminor');
    if (version >= 3) t.env = c.list16('env', SCAP_MAX_ENV_SIZE);
    if (version >= 4) {
      t.vtid = c.i64('vtid');
      t.vpid = c.i64('vpid');
      t.cgroups = c.list16('cgroups', SCAP_MAX_CGROUPS_SIZE).map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      });
      if (version >= 5) c.str16('root', SCAP_MAX_PATH_SIZE); // not in the model: libsinsp keeps it for proc.root only
    }
  }
  if (subLen !== 0) {
    // Fields appended in later releases, read while the entry length says they are there.
    // libs 0.10 inserted pidns_init_start_ts and tty before loginuid: an entry with at most
    // 29 bytes left (loginuid, exe_writable, three capability sets) predates them.
    const read = () => c.pos - entryStart;
    const has = (n: number) => read() + n <= subLen;
    if (subLen - read() > 29) {
      if (has(8)) t.pidnsInitStartTs = c.u64('pidns_init_start_ts');
      if (has(4)) t.tty = c.u32('tty');
    }
    if (has(4)) t.loginuid = c.u32('loginuid');
    if (has(1)) t.exeWritable = c.u8('exe_writable') !== 0;
    if (has(8)) t.capInheritable = c.u64('cap_inheritable');
    if (has(8)) t.capPermitted = c.u64('cap_permitted');
    if (has(8)) t.capEffective = c.u64('cap_effective');
    if (has(1)) t.exeUpperLayer = c.u8('exe_upper_layer') !== 0;
    if (has(8)) t.exeIno = c.u64('exe_ino');
    if (has(8)) t.exeInoCtime = c.u64('exe_ino_ctime');
    if (has(8)) t.exeInoMtime = c.u64('exe_ino_mtime');
    if (has(1)) t.exeFromMemfd = c.u8('exe_from_memfd') !== 0;
    if (has(1)) t.exeLowerLayer = c.u8('exe_lower_layer') !== 0;
    if (has(8)) t.pgid = c.i64('pgid');
  }
  c.endEntry(entryStart, subLen, 'process entry');
  return t;
}

export function parseProclist(c: Cursor, type: number, onThread: (t: ThreadInfo) => void): number {
  const version = proclistVersion(type);
  let n = 0;
  // libscap reads entries while at least 4 bytes remain; the rest is padding
  while (c.end - c.pos >= 4) {
    onThread(parseThread(c, version));
    n++;
  }
  return n;
}

const FD_TYPES: readonly FdType[] = [
  'unknown', // 0
  'file', // 1
  'directory', // 2
  'ipv4', // 3
  'ipv6', // 4
  'ipv4_server', // 5
  'ipv6_server', // 6
  'pipe', // 7 (SCAP_FD_FIFO)
  'unix', // 8
  'event', // 9
  'unsupported', // 10
  'signalfd', // 11
  'eventpoll', // 12
  'inotify', // 13
  'timerfd', // 14
  'netlink', // 15
  'file', // 16 (SCAP_FD_FILE_V2)
  'bpf', // 17
  'userfaultfd', // 18
  'io_uring', // 19
  'memfd', // 20
  'pidfd', // 21
];

function l4proto(p: number): SocketTuple['l4proto'] {
  switch (p) {
    case 2:
      return 'tcp';
    case 3:
      return 'udp';
    case 4:
      return 'icmp';
    case 5:
      return 'raw';
    default:
      return undefined;
  }
}

/** One fd list entry, with its name built as libsinsp's add_fd_from_scap builds it. */
function parseFd(c: Cursor, v2: boolean): FdInfo {
  const entryStart = c.pos;
  const subLen = v2 ? c.u32('fd entry length') : 0;
  const fdNum = c.i64('fd');
  const ino = c.u64('ino');
  const rawType = c.u8('fd type');
  const fdi = newFd(fdNum, FD_TYPES[rawType] ?? 'unsupported');
  fdi.ino = ino;
  switch (rawType) {
    case 3: {
      const sip = c.bytes(4, 'sip');
      const dip = c.bytes(4, 'dip');
      const sport = c.u16('sport');
      const dport = c.u16('dport');
      const proto = l4proto(c.u8('l4proto'));
      fdi.tuple = { family: 4, sip, sport, dip, dport, l4proto: proto };
      fdi.connected = proto === 'tcp';
      fdi.name = `${formatIpv4(sip)}:${sport}->${formatIpv4(dip)}:${dport}`;
      break;
    }
    case 5: {
      const ip = c.bytes(4, 'ip');
      const port = c.u16('port');
      const proto = l4proto(c.u8('l4proto'));
      fdi.tuple = { family: 4, sip: new Uint8Array(4), sport: 0, dip: ip, dport: port, l4proto: proto };
      fdi.name = `${formatIpv4(ip)}:${port}`;
      break;
    }
    case 4: {
      const sip = c.bytes(16, 'sip');
      const dip = c.bytes(16, 'dip');
      const sport = c.u16('sport');
      const dport = c.u16('dport');
      const proto = l4proto(c.u8('l4proto'));
      fdi.connected = proto === 'tcp';
      if (isIpv4Mapped(sip) && isIpv4Mapped(dip)) {
        // libsinsp turns an IPv4-mapped pair into an IPv4 socket
        fdi.type = 'ipv4';
        fdi.tuple = { family: 4, sip: sip.slice(12), sport, dip: dip.slice(12), dport, l4proto: proto };
        fdi.name = `${formatIpv4(sip.subarray(12))}:${sport}->${formatIpv4(dip.subarray(12))}:${dport}`;
      } else {
        fdi.tuple = { family: 6, sip, sport, dip, dport, l4proto: proto };
        fdi.name = `${formatIpv6(sip)}:${sport}->${formatIpv6(dip)}:${dport}`;
      }
      break;
    }
    case 6: {
      const ip = c.bytes(16, 'ip');
      const port = c.u16('port');
      const proto = l4proto(c.u8('l4proto'));
      fdi.tuple = { family: 6, sip: new Uint8Array(16), sport: 0, dip: ip, dport: port, l4proto: proto };
      fdi.name = `${formatIpv6(ip)}:${port}`;
      break;
    }
    case 8: {
      const source = c.u64('unix source');
      const dest = c.u64('unix destination');
      const path = c.str16('unix path', SCAP_MAX_PATH_SIZE - 1);
      fdi.unix = { source, dest, path };
      fdi.name = path;
      fdi.role = path === '' ? 'client' : 'server';
      break;
    }
    case 16: {
      fdi.openFlags = c.u32('open flags');
      fdi.name = c.str16('file name', SCAP_MAX_PATH_SIZE - 1);
      if (subLen !== 0 && subLen >= c.pos - entryStart + 4) fdi.dev = c.u32('dev');
      break;
    }
    case 0:
      break;
    default:
      if (rawType <= 21) fdi.name = c.str16('name', SCAP_MAX_PATH_SIZE - 1);
      // a type from a newer library: libscap names it and reads nothing more
      else fdi.name = `unknown-type:[${rawType}]`;
  }
  (fdi as { flags: number }).flags = fdi.openFlags & 3;
  c.endEntry(entryStart, subLen, 'fd entry');
  return fdi;
}

export function parseFdlist(c: Cursor, type: number, onFd: (tid: number, fd: FdInfo) => void): number {
  const tid = c.i64('tid');
  const v2 = type === F.FDL_BLOCK_TYPE_V2;
  let n = 0;
  while (c.end - c.pos >= 4) {
    onFd(tid, parseFd(c, v2));
    n++;
  }
  return n;
}

export function parseUserlist(c: Cursor, type: number, onUser: (u: UserInfo) => void, onGroup: (g: GroupInfo) => void): number {
  const v2 = type === F.UL_BLOCK_TYPE_V2;
  let n = 0;
  while (c.end - c.pos >= 4) {
    const entryStart = c.pos;
    const subLen = v2 ? c.u32('entry length') : 0;
    const kind = c.u8('entry type');
    if (kind === 0) {
      const uid = c.u32('uid');
      const gid = c.u32('gid');
      const name = c.str16('user name', MAX_CREDENTIALS_STR_LEN - 1);
      const homedir = c.str16('user homedir', MAX_CREDENTIALS_STR_LEN - 1);
      const shell = c.str16('user shell', MAX_CREDENTIALS_STR_LEN - 1);
      onUser({ uid, gid, name, homedir, shell });
    } else {
      // libscap reads every other type as a group
      const gid = c.u32('gid');
      const name = c.str16('group name', MAX_CREDENTIALS_STR_LEN - 1);
      onGroup({ gid, name });
    }
    c.endEntry(entryStart, subLen, 'user list entry');
    n++;
  }
  return n;
}

// scap_ifinfo types (scap.h)
const SCAP_II_IPV4 = 1;
const SCAP_II_IPV6 = 2;
const SCAP_II_IPV4_NOLINKSPEED = 3;
const SCAP_II_IPV6_NOLINKSPEED = 4;

export function parseIflist(c: Cursor, type: number, onInterface: (i: InterfaceInfo) => void): number {
  const v2 = type === F.IL_BLOCK_TYPE_V2;
  let n = 0;
  while (c.end - c.pos >= 4) {
    const entryStart = c.pos;
    // V2 entries start with their length, not counting the length field itself
    const entryLen = v2 ? c.u32('interface entry length') + 4 : 0;
    const at = c.abs();
    const iftype = c.u16('interface type');
    const namelen = c.u16('interface name length');
    if (namelen >= SCAP_MAX_PATH_SIZE) throw new BlockOverrun(at, `invalid interface name length ${namelen}`);
    let iface: InterfaceInfo;
    if (iftype === SCAP_II_IPV4 || iftype === SCAP_II_IPV4_NOLINKSPEED) {
      const addr = c.bytes(4, 'addr');
      const netmask = c.bytes(4, 'netmask');
      const bcast = c.bytes(4, 'bcast');
      const linkspeed = iftype === SCAP_II_IPV4 ? c.u64('linkspeed') : 0n;
      iface = { family: 4, name: c.text(namelen, 'interface name'), addr, netmask, bcast, linkspeed };
    } else if (iftype === SCAP_II_IPV6 || iftype === SCAP_II_IPV6_NOLINKSPEED) {
      const addr = c.bytes(16, 'addr');
      const netmask = c.bytes(16, 'netmask');
      const bcast = c.bytes(16, 'bcast');
      const linkspeed = iftype === SCAP_II_IPV6 ? c.u64('linkspeed') : 0n;
      iface = { family: 6, name: c.text(namelen, 'interface name'), addr, netmask, bcast, linkspeed };
    } else {
      throw new BlockOverrun(at, `unknown interface type ${iftype}`);
    }
    onInterface(iface);
    c.endEntry(entryStart, entryLen, 'interface entry');
    n++;
  }
  return n;
}
