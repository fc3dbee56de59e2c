/**
 * Values as libsinsp writes them as text: C printf conversions of integers, buffers, paths,
 * addresses, flag names and times (the pieces render.ts assembles per parameter type).
 */
import { formatIpv4, formatIpv6, isIpv4Mapped } from './net.js';
import type { ParamInfo } from './tables.js';

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
export function numericConv(fmt: string): 'd' | 'X' | '#o' | '09d' {
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
export function readInt(b: Uint8Array, at: number, width: number): bigint {
  if (width <= 4) return BigInt(readSmall(b, at, width));
  let v = 0n;
  for (let k = width - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[at + k] ?? 0);
  return v;
}

/** Unsigned little-endian integer of at most 4 bytes, as a number. */
export function readSmall(b: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let k = width - 1; k >= 0; k--) v = v * 256 + (b[at + k] ?? 0);
  return v;
}

/** cInt for values of at most 32 bits given unsigned, without BigInt. */
export function cSmall(u: number, bits: number, conv: 'd' | 'u' | 'X' | 'o' | '#o' | '09d'): string {
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
export function int64Text(b: Uint8Array, at: number, len: number): string {
  if (len >= 8) {
    const lo = readSmall(b, at, 4);
    const hi = readSmall(b, at + 4, 4);
    const signedHi = hi >= 0x80000000 ? hi - 0x100000000 : hi;
    const v = signedHi * 4294967296 + lo;
    if (Number.isSafeInteger(v)) return String(v);
  }
  return BigInt.asIntN(64, readInt(b, at, Math.min(8, len))).toString();
}

export const BITS: Record<string, number> = {
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

export const NA_BYTES = new Uint8Array([0x3c, 0x4e, 0x41, 0x3e, 0]); // "<NA>"
export const NULL_TEXT = [0x28, 0x4e, 0x55, 0x4c, 0x4c, 0x29, 0]; // "(NULL)"

/**
 * libsinsp's legacy null encoding: an empty or "(NULL)" string parameter reads as "<NA>"
 * (sinsp_evt_param::used_legacy_null_encoding).
 */
export function isLegacyNull(type: string, b: Uint8Array): boolean {
  if (type !== 'PT_CHARBUF' && type !== 'PT_FSPATH' && type !== 'PT_FSRELPATH') return false;
  if (b.length === 0) return true;
  if (b.length !== 7) return false;
  for (let k = 0; k < 7; k++) if (b[k] !== NULL_TEXT[k]) return false;
  return true;
}

/** A C string: the bytes up to the first NUL. */
export function cString(b: Uint8Array, from = 0): string {
  let end = from;
  while (end < b.length && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + from, end - from).toString('utf8');
}

export { bufferDots } from '../../output/value-forms.js';

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

export function sockaddr(b: Uint8Array): string {
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

export function socktuple(b: Uint8Array): string {
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

export function flagNames(info: ParamInfo, val: number, exact: boolean): string {
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

export function modeNames(info: ParamInfo, val: number): string {
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

export function absTime(ns: bigint): string {
  const sec = ns / 1000000000n;
  const nsec = ns % 1000000000n;
  const d = new Date(Number(sec) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const tz = `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${nsec.toString().padStart(9, '0')} ${tz}`;
}
