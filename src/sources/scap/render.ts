/**
 * Event parameters as text, as libsinsp renders them (userspace/libsinsp/event.cpp
 * get_param_as_str, sinsp_filtercheck_event.cpp for evt.args / evt.arg / evt.rawarg,
 * sinsp_filtercheck.cpp rawval_to_string for raw values). See docs/scap.md.
 *
 * A parameter renders as a value and a "resolved" text (empty when there is none): evt.arg
 * gives the resolved text when there is one, evt.args writes `name=value(resolved)`.
 * What libsinsp resolves from its state (fd names, thread names, users, cwd) comes from the
 * optional hooks of a RenderContext, which the state engine provides.
 */
import type { ScapEvent } from './event.js';
import { formatIpv4, formatIpv6, isIpv4Mapped } from './net.js';
import { ERRNO_NAMES, EVENTS, SIGNAL_NAMES, type ParamInfo } from './tables.js';
import eventTable from '../../fields/event-table.json' with { type: 'json' };

const SC_NAMES = (eventTable as unknown as { scNames: string[] }).scNames;
const GENERIC_X = EVENTS.findIndex((e) => e.id === 'PPME_GENERIC_X');

/** What an fd parameter resolves to when the state knows the fd (libsinsp's `<f>/etc/passwd`). */
export interface FdRef {
  /** fd.typechar: f, d, 4, 6, u, p, e, s, l, i, t, n, b, r, m, P, o, ... */
  typechar: string;
  name: string;
  /** IPv4/IPv6 sockets: t, u, i or r (tcp, udp, icmp, raw). */
  l4?: string;
}

export interface RenderContext {
  /**
   * The event's thread is known to the state. libsinsp resolves nothing (no fd names, no
   * AT_FDCWD, no errno for a negative fd, no cwd, no users) for an event without a thread.
   * Defaults to true when `fd` is given.
   */
  threadKnown?: boolean;
  /** The fd of the event's thread, when the state knows it. */
  fd?(fd: number): FdRef | undefined;
  /** PT_PID parameters: the comm of that thread. */
  comm?(tid: number): string | undefined;
  user?(uid: number): string | undefined;
  group?(gid: number): string | undefined;
  /** The thread's cwd, for relative PT_FSPATH values. */
  cwd?(): string | undefined;
  /** The path of a directory fd, for PT_FSRELPATH values relative to a dirfd. */
  dirPath?(fd: number): string | undefined;
  /** libsinsp's max_evt_output_len: PT_BYTEBUF text longer than this ends in `...` (0: no limit; sysdig uses 80). */
  maxBufferLength?: number;
}

const NONE: RenderContext = {};

/** Reused result: rendering one parameter allocates only its strings. */
export interface Rendered {
  value: string;
  resolved: string;
}

function threadKnown(ctx: RenderContext): boolean {
  return ctx.threadKnown ?? ctx.fd !== undefined;
}

/** printf of an integer of `bits` bits: d signed, u unsigned, X upper-case hex, o octal, #o octal with a leading 0, 09d zero-padded. */
export function cInt(v: bigint, bits: number, conv: 'd' | 'u' | 'X' | 'o' | '#o' | '09d'): string {
  switch (conv) {
    case 'd':
      return BigInt.asIntN(bits, v).toString();
    case '09d': {
      const s = BigInt.asIntN(bits, v);
      const digits = (s < 0n ? -s : s).toString().padStart(s < 0n ? 8 : 9, '0');
      return s < 0n ? `-${digits}` : digits;
    }
    case 'u':
      return BigInt.asUintN(bits, v).toString();
    case 'X':
      return BigInt.asUintN(bits, v).toString(16).toUpperCase();
    case 'o':
      return BigInt.asUintN(bits, v).toString(8);
    case '#o': {
      const u = BigInt.asUintN(bits, v);
      return u === 0n ? '0' : `0${u.toString(8)}`;
    }
  }
}

/** libsinsp's SET_NUMERIC_FORMAT: the conversion get_param_as_str uses for a print format. */
function numericConv(fmt: string): 'd' | 'X' | '#o' | '09d' {
  switch (fmt) {
    case 'PF_OCT':
      return '#o';
    case 'PF_HEX':
      return 'X';
    case 'PF_10_PADDED_DEC':
      return '09d';
    default:
      return 'd';
  }
}

/** Little-endian integer of `width` bytes at b[at..]. */
function readInt(b: Uint8Array, at: number, width: number): bigint {
  if (width <= 4) return BigInt(readSmall(b, at, width));
  let v = 0n;
  for (let k = width - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[at + k] ?? 0);
  return v;
}

/** Unsigned little-endian integer of at most 4 bytes, as a number. */
function readSmall(b: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let k = width - 1; k >= 0; k--) v = v * 256 + (b[at + k] ?? 0);
  return v;
}

/** cInt for values of at most 32 bits given unsigned, without BigInt. */
function cSmall(u: number, bits: number, conv: 'd' | 'u' | 'X' | 'o' | '#o' | '09d'): string {
  switch (conv) {
    case 'u':
      return String(u);
    case 'X':
      return u.toString(16).toUpperCase();
    case 'o':
      return u.toString(8);
    case '#o':
      return u === 0 ? '0' : `0${u.toString(8)}`;
    default: {
      const half = 2 ** (bits - 1);
      const v = u >= half ? u - 2 * half : u;
      if (conv === 'd') return String(v);
      const digits = String(Math.abs(v)).padStart(v < 0 ? 8 : 9, '0');
      return v < 0 ? `-${digits}` : digits;
    }
  }
}

/** A signed 64-bit little-endian value as decimal text (numbers while exact). */
function int64Text(b: Uint8Array, at: number, len: number): string {
  if (len >= 8) {
    const lo = readSmall(b, at, 4);
    const hi = readSmall(b, at + 4, 4);
    const signedHi = hi >= 0x80000000 ? hi - 0x100000000 : hi;
    const v = signedHi * 4294967296 + lo;
    if (Number.isSafeInteger(v)) return String(v);
  }
  return BigInt.asIntN(64, readInt(b, at, Math.min(8, len))).toString();
}

const BITS: Record<string, number> = {
  PT_INT8: 8,
  PT_UINT8: 8,
  PT_FLAGS8: 8,
  PT_ENUMFLAGS8: 8,
  PT_SIGTYPE: 8,
  PT_INT16: 16,
  PT_UINT16: 16,
  PT_FLAGS16: 16,
  PT_ENUMFLAGS16: 16,
  PT_SYSCALLID: 16,
  PT_PORT: 16,
  PT_INT32: 32,
  PT_UINT32: 32,
  PT_FLAGS32: 32,
  PT_ENUMFLAGS32: 32,
  PT_UID: 32,
  PT_GID: 32,
  PT_MODE: 32,
  PT_SIGSET: 32,
  PT_FD32: 32,
  PT_PID32: 32,
  PT_INT64: 64,
  PT_UINT64: 64,
  PT_RELTIME: 64,
  PT_ABSTIME: 64,
  PT_ERRNO: 64,
  PT_FD: 64,
  PT_PID: 64,
};

const NA_BYTES = new Uint8Array([0x3c, 0x4e, 0x41, 0x3e, 0]); // "<NA>"
const NULL_TEXT = [0x28, 0x4e, 0x55, 0x4c, 0x4c, 0x29, 0]; // "(NULL)"

/**
 * libsinsp's legacy null encoding: an empty or "(NULL)" string parameter reads as "<NA>"
 * (sinsp_evt_param::used_legacy_null_encoding).
 */
function isLegacyNull(type: string, b: Uint8Array): boolean {
  if (type !== 'PT_CHARBUF' && type !== 'PT_FSPATH' && type !== 'PT_FSRELPATH') return false;
  if (b.length === 0) return true;
  if (b.length !== 7) return false;
  for (let k = 0; k < 7; k++) if (b[k] !== NULL_TEXT[k]) return false;
  return true;
}

/** A C string: the bytes up to the first NUL. */
function cString(b: Uint8Array, from = 0): string {
  let end = from;
  while (end < b.length && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + from, end - from).toString('utf8');
}

/** libsinsp's binary_buffer_to_string_dots: printable ASCII as is, every other byte a dot. */
export function bufferDots(b: Uint8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k++) {
    const c = b[k]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}

/** printf("%lg"): 6 significant digits, trailing zeros removed, exponent form outside 1e-4..1e6. */
export function cDoubleG(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let e = Number(x.toExponential(5).split('e')[1]);
  if (Number.isNaN(e)) e = exp;
  if (e < -4 || e >= 6) {
    const [m, ex] = x.toExponential(5).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(ex);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, 5 - e));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** libsinsp's concatenate_paths for a relative path: join and normalise `.` and `..`. */
export function concatenatePaths(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const seg of `${cwd}/${path}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

function sockaddr(b: Uint8Array): string {
  if (b.length === 0) return '<NA>';
  const family = b[0]!;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (family) {
    case 2: // PPM_AF_INET: ip(4) port(2)
      if (b.length < 7) return 'INVALID IPv4';
      return `${formatIpv4(b, 1)}:${dv.getUint16(5, true)}`;
    case 10: // PPM_AF_INET6: ip(16) port(2)
      if (b.length < 19) return 'INVALID IPv6';
      return `${formatIpv6(b, 1)}:${dv.getUint16(17, true)}`;
    case 1: // PPM_AF_UNIX: path
      if (b.length < 2 || b[b.length - 1] !== 0) return 'INVALID PATH';
      return cString(b, 1);
    default:
      return `family ${family}`;
  }
}

function socktuple(b: Uint8Array): string {
  if (b.length === 0) return 'NULL';
  const family = b[0]!;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (family) {
    case 2: // sip(4) sport(2) dip(4) dport(2)
      if (b.length < 13) return 'INVALID IPv4';
      return `${formatIpv4(b, 1)}:${dv.getUint16(5, true)}->${formatIpv4(b, 7)}:${dv.getUint16(11, true)}`;
    case 10: {
      // sip(16) sport(2) dip(16) dport(2)
      if (b.length < 37) return 'INVALID IPv6';
      const sport = dv.getUint16(17, true);
      const dport = dv.getUint16(35, true);
      if (isIpv4Mapped(b, 1) && isIpv4Mapped(b, 19)) return `${formatIpv4(b, 13)}:${sport}->${formatIpv4(b, 31)}:${dport}`;
      return `${formatIpv6(b, 1)}:${sport}->${formatIpv6(b, 19)}:${dport}`;
    }
    case 1: {
      // source(8) dest(8) path
      if (b.length < 18 || b[b.length - 1] !== 0) return 'INVALID PATH';
      return `${dv.getBigUint64(1, true).toString(16)}->${dv.getBigUint64(9, true).toString(16)} ${cString(b, 17)}`;
    }
    default:
      return `family ${family}`;
  }
}

function flagNames(info: ParamInfo, val: number, exact: boolean): string {
  const table = info.values;
  if (table === undefined) return '';
  const names: string[] = [];
  const initial = val >>> 0;
  let rest = initial;
  for (const [name, value] of table) {
    let match = false;
    if (exact) match = value === initial;
    else if ((value === 0 && initial === 0) || (value !== 0 && (rest & value) >>> 0 === value && rest !== 0)) {
      match = true;
      rest = (rest & ~value) >>> 0;
    }
    if (match) {
      names.push(name);
      if (!exact && value === initial) break;
    }
  }
  return names.join('|');
}

function modeNames(info: ParamInfo, val: number): string {
  const table = info.values;
  if (table === undefined) return '';
  const names: string[] = [];
  const initial = val >>> 0;
  let rest = initial;
  let k = 0;
  for (; k < table.length && table[k]![1] !== initial; k++) {
    const value = table[k]![1];
    if ((value === 0 && initial === 0) || (value !== 0 && (rest & value) >>> 0 === value && rest !== 0)) {
      names.push(table[k]![0]);
      rest = (rest & ~value) >>> 0;
    }
  }
  if (k < table.length) names.push(table[k]![0]);
  return names.join('|');
}

function absTime(ns: bigint): string {
  const sec = ns / 1000000000n;
  const nsec = ns % 1000000000n;
  const d = new Date(Number(sec) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const tz = `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${nsec.toString().padStart(9, '0')} ${tz}`;
}

/**
 * Parameter `i` of the event as libsinsp's get_param_as_str gives it (buffer format
 * PF_NORMAL). `out` is filled and returned (pass one object to avoid allocating it).
 */
export function renderParam(e: ScapEvent, i: number, ctx: RenderContext = NONE, out: Rendered = { value: '', resolved: '' }): Rendered {
  const declared = EVENTS[e.type]?.params[i];
  out.value = '';
  out.resolved = '';
  if (declared === undefined || i >= e.paramCount) return out;
  let bytes = e.paramBytes(i);
  if (isLegacyNull(declared.type, bytes)) bytes = NA_BYTES;
  if (bytes.length === 0) {
    // an empty parameter (the converter's "empty" values)
    switch (declared.type) {
      case 'PT_BYTEBUF':
      case 'PT_SOCKTUPLE':
      case 'PT_FDLIST':
      case 'PT_CHARBUFARRAY':
      case 'PT_CHARBUF_PAIR_ARRAY':
      case 'PT_DYN':
        out.value = 'NULL';
        break;
      default:
        out.value = '<NA>';
    }
    return out;
  }
  let type = declared.type;
  if (type === 'PT_DYN' && declared.dynamic !== undefined) {
    const idx = bytes[0]!;
    const layout = declared.dynamic[idx];
    if (layout !== undefined) {
      type = layout.type;
      bytes = bytes.subarray(1);
    }
  }
  const fmt = declared.fmt;
  const bits = BITS[type] ?? 0;
  const width = bits / 8;
  const num = (): bigint => readInt(bytes, 0, Math.min(width, bytes.length));
  const known = threadKnown(ctx);
  switch (type) {
    case 'PT_INT8':
    case 'PT_INT16':
    case 'PT_INT32':
    case 'PT_INT64':
    case 'PT_UINT8':
    case 'PT_UINT16':
    case 'PT_UINT32':
    case 'PT_UINT64': {
      const conv = numericConv(fmt);
      out.value = bits <= 32 ? cSmall(readSmall(bytes, 0, Math.min(width, bytes.length)), bits, conv) : conv === 'd' ? int64Text(bytes, 0, bytes.length) : cInt(num(), bits, conv);
      break;
    }
    case 'PT_FD': {
      out.value = int64Text(bytes, 0, bytes.length);
      if (!known) break;
      const fd = Number(out.value);
      if (fd >= 0) {
        const ref = ctx.fd?.(fd);
        if (ref !== undefined) out.resolved = `<${ref.typechar}${ref.l4 ?? ''}>${ref.name}`;
      } else if (fd === -100) {
        out.resolved = 'AT_FDCWD';
      } else {
        // libsinsp passes the fd as a 32-bit errno code
        out.resolved = ERRNO_NAMES.get(-(readSmall(bytes, 0, Math.min(4, bytes.length)) | 0)) ?? '';
      }
      break;
    }
    case 'PT_PID': {
      out.value = int64Text(bytes, 0, bytes.length);
      out.resolved = ctx.comm?.(Number(out.value)) ?? '';
      break;
    }
    case 'PT_ERRNO': {
      out.value = int64Text(bytes, 0, bytes.length);
      if (out.value.startsWith('-')) out.resolved = ERRNO_NAMES.get(-(readSmall(bytes, 0, Math.min(4, bytes.length)) | 0)) ?? '';
      break;
    }
    case 'PT_CHARBUF':
      out.value = cString(bytes);
      break;
    case 'PT_FSPATH':
    case 'PT_FSRELPATH': {
      const path = cString(bytes);
      out.value = path;
      if (!known) {
        // libsinsp gives the path itself as the resolved text when the thread is unknown
        out.resolved = path;
        break;
      }
      if (path === '<NA>' || path === '' || path.startsWith('/')) break;
      let base = ctx.cwd?.() ?? '';
      if (type === 'PT_FSRELPATH' && declared.dirfd !== undefined && declared.dirfd < e.paramCount) {
        const dirfdInfo = EVENTS[e.type]!.params[declared.dirfd];
        if (dirfdInfo?.type === 'PT_FD') {
          const dirfd = e.paramInt(declared.dirfd);
          if (dirfd !== -100) base = ctx.dirPath?.(dirfd) ?? base;
        }
      }
      out.resolved = concatenatePaths(base, path);
      break;
    }
    case 'PT_BYTEBUF': {
      let text = bufferDots(bytes);
      const max = ctx.maxBufferLength ?? 0;
      if (max !== 0 && text.length > max) text = max > 3 ? `${text.slice(0, max - 3)}...` : text.slice(0, max);
      out.value = text;
      break;
    }
    case 'PT_SOCKADDR':
      out.value = sockaddr(bytes);
      break;
    case 'PT_SOCKTUPLE':
      out.value = socktuple(bytes);
      break;
    case 'PT_FDLIST': {
      if (!known || bytes.length < 2) break;
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const n = dv.getUint16(0, true);
      const parts: string[] = [];
      for (let j = 0, at = 2; j < n && at + 10 <= bytes.length; j++, at += 10) {
        const fd = dv.getBigUint64(at, true);
        const ref = ctx.fd?.(Number(BigInt.asIntN(64, fd)));
        const flags = dv.getInt16(at + 8, true) >>> 0;
        parts.push(`${fd}:${ref?.typechar ?? '?'}${flags.toString(16)}`);
      }
      out.value = parts.join(' ');
      break;
    }
    case 'PT_SYSCALLID': {
      const sc = Number(num());
      if (sc >= SC_NAMES.length) {
        out.value = '<unknown syscall>';
        break;
      }
      out.value = String(sc);
      out.resolved = SC_NAMES[sc] ?? '';
      break;
    }
    case 'PT_SIGTYPE': {
      const sig = Number(num());
      out.value = String(sig);
      out.resolved = SIGNAL_NAMES.get(sig) ?? '';
      break;
    }
    case 'PT_RELTIME': {
      const v = BigInt.asUintN(64, num());
      if (v === 0xffffffffffffffffn) {
        out.value = 'none';
        break;
      }
      out.value = v.toString();
      out.resolved = `${cDoubleG(Number(v) / 1e9)}s`;
      break;
    }
    case 'PT_FLAGS8':
    case 'PT_FLAGS16':
    case 'PT_FLAGS32':
    case 'PT_ENUMFLAGS8':
    case 'PT_ENUMFLAGS16':
    case 'PT_ENUMFLAGS32': {
      const v = readSmall(bytes, 0, Math.min(width, bytes.length));
      out.value = String(v);
      out.resolved = flagNames(declared, v, type.startsWith('PT_ENUM'));
      break;
    }
    case 'PT_MODE': {
      const v = Number(BigInt.asUintN(32, num()));
      out.value = cInt(BigInt(v), 32, numericConv(fmt));
      out.resolved = modeNames(declared, v);
      break;
    }
    case 'PT_ABSTIME':
      out.value = absTime(BigInt.asUintN(64, num()));
      break;
    case 'PT_DYN':
      out.value = 'INVALID DYNAMIC PARAMETER';
      break;
    case 'PT_UID':
    case 'PT_GID': {
      const v = Number(BigInt.asUintN(32, num()));
      if (v === 0xffffffff) {
        out.value = '-1';
        out.resolved = '<NONE>';
        break;
      }
      out.value = String(v | 0);
      const name = known ? (type === 'PT_UID' ? ctx.user?.(v) : ctx.group?.(v)) : undefined;
      out.resolved = name !== undefined && name !== '' ? name : '<NA>';
      break;
    }
    case 'PT_SIGSET': {
      const v = Number(BigInt.asUintN(32, num()));
      const names: string[] = [];
      for (let sig = 0; sig < 32; sig++) {
        if ((v >>> sig) & 1) {
          const n = SIGNAL_NAMES.get(sig + 1);
          if (n !== undefined) names.push(n);
        }
      }
      out.value = names.join(' ');
      break;
    }
    case 'PT_CHARBUFARRAY':
    case 'PT_CHARBUF_PAIR_ARRAY': {
      // libsinsp renders these from in-memory vectors (events it builds itself); in a capture
      // they are NUL-separated strings: joined as libsinsp joins its vectors, '.' between
      // items, and `a:b,c:d` for pairs (taken alternately)
      const items = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\0');
      if (items.at(-1) === '') items.pop();
      if (type === 'PT_CHARBUFARRAY') out.value = items.join('.');
      else {
        const pairs: string[] = [];
        for (let k = 0; k + 1 < items.length; k += 2) pairs.push(`${items[k]}:${items[k + 1]}`);
        out.value = pairs.join(',');
      }
      break;
    }
    default:
      out.value = '(n.a.)';
  }
  return out;
}

/**
 * evt.arg.NAME / evt.arg[N]: the resolved text when there is one, else the value; undefined
 * when the event has no parameter i (libsinsp extracts nothing).
 */
export function renderArg(e: ScapEvent, i: number, ctx: RenderContext = NONE): string | undefined {
  if (i < 0 || i >= e.paramCount || EVENTS[e.type]?.params[i] === undefined) return undefined;
  const r = renderParam(e, i, ctx);
  return r.resolved !== '' ? r.resolved : r.value;
}

/** evt.args (and evt.info): `name=value` or `name=value(resolved)`, space-separated; empty for generic exit events. */
export function renderArgs(e: ScapEvent, ctx: RenderContext = NONE): string {
  if (e.type === GENERIC_X) return '';
  const params = EVENTS[e.type]?.params ?? [];
  const r: Rendered = { value: '', resolved: '' };
  let s = '';
  for (let i = 0; i < e.paramCount; i++) {
    renderParam(e, i, ctx, r);
    const name = params[i]?.name ?? '';
    s += r.resolved === '' ? `${name}=${r.value} ` : `${name}=${r.value}(${r.resolved}) `;
  }
  return s.length > 0 ? s.slice(0, -1) : s;
}

/** Index of the parameter named `name` in this event, or -1. */
export function paramIndex(e: ScapEvent, name: string): number {
  const params = EVENTS[e.type]?.params ?? [];
  for (let i = 0; i < e.paramCount && i < params.length; i++) if (params[i]!.name === name) return i;
  return -1;
}

/**
 * evt.rawarg.NAME as text (sinsp_filter_check::rawval_to_string over the raw bytes, with the
 * parameter's type and print format); undefined when the event has no such parameter or
 * libsinsp has no text for the type (sockaddr, tuples, fd lists, ...).
 */
export function renderRawArg(e: ScapEvent, name: string): string | undefined {
  const i = paramIndex(e, name);
  if (i < 0) return undefined;
  const info = EVENTS[e.type]!.params[i]!;
  let bytes = e.paramBytes(i);
  if (isLegacyNull(info.type, bytes)) bytes = NA_BYTES;
  const bits = BITS[info.type] ?? 0;
  const num = (): bigint => readInt(bytes, 0, Math.min(bits / 8, bytes.length));
  const fmt = info.fmt;
  const conv = (signed: boolean): 'd' | 'u' | 'X' | 'o' | '09d' | undefined =>
    fmt === 'PF_OCT' ? 'o' : fmt === 'PF_HEX' ? 'X' : fmt === 'PF_DEC' || fmt === 'PF_ID' ? (signed ? 'd' : 'u') : fmt === 'PF_10_PADDED_DEC' ? '09d' : undefined;
  switch (info.type) {
    case 'PT_INT8':
    case 'PT_INT16':
    case 'PT_INT32':
    case 'PT_INT64':
    case 'PT_PID':
    case 'PT_ERRNO':
    case 'PT_FD': {
      if (bytes.length === 0) return '0';
      const c = conv(true) ?? (bits === 64 ? 'd' : undefined);
      if (c === undefined || (c === '09d' && bits !== 64)) return undefined;
      return cInt(num(), bits, c);
    }
    case 'PT_UINT8':
    case 'PT_FLAGS8':
    case 'PT_ENUMFLAGS8':
    case 'PT_UINT16':
    case 'PT_FLAGS16':
    case 'PT_ENUMFLAGS16':
    case 'PT_PORT':
    case 'PT_UINT32':
    case 'PT_FLAGS32':
    case 'PT_ENUMFLAGS32':
    case 'PT_UID':
    case 'PT_GID':
    case 'PT_UINT64':
    case 'PT_RELTIME':
    case 'PT_ABSTIME': {
      if (bytes.length === 0) return '0';
      const c = conv(false);
      if (c === undefined || (c === '09d' && bits !== 64)) return undefined;
      return cInt(num(), bits, c);
    }
    case 'PT_CHARBUF':
    case 'PT_FSPATH':
    case 'PT_FSRELPATH':
      return cString(bytes);
    case 'PT_BYTEBUF':
      return bufferDots(bytes);
    case 'PT_IPV4ADDR':
      return bytes.length >= 4 ? formatIpv4(bytes) : undefined;
    case 'PT_IPV6ADDR':
      return bytes.length >= 16 ? formatIpv6(bytes) : undefined;
    default:
      return undefined;
  }
}
