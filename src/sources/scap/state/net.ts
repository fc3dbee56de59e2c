/**
 * Socket addresses as the drivers pack them (family byte, IPs in network order, ports in
 * host order) and as libsinsp prints them in fd names (sinsp_utils::sockinfo_to_str,
 * sinsp_evt::write_socktuple_param_to_storage: `sip:sport->dip:dport`, IPv6 in inet_ntop's
 * form, unix tuples as `source->dest path` in hex).
 */
import type { ScapEvent } from '../event.js';
import { formatIpv4 as ipv4String, formatIpv6 as ipv6String } from '../net.js';

export const PPM_AF_UNIX = 1;
export const PPM_AF_INET = 2;
export const PPM_AF_INET6 = 10;
export const PPM_AF_NETLINK = 16;

/** Address text: one implementation of inet_ntop for the whole scap source (../net.ts). */
export { ipv4String, ipv6String };

/** libsinsp's is_ipv4_mapped_ipv6: ::ffff:a.b.c.d, or the all-zero address. */
export function isIpv4Mapped(b: Uint8Array, off = 0): boolean {
  for (let i = 0; i < 10; i++) if (b[off + i] !== 0) return false;
  if (b[off + 10] === 0xff && b[off + 11] === 0xff) return true;
  for (let i = 10; i < 16; i++) if (b[off + i] !== 0) return false;
  return true;
}

function u16(b: Uint8Array, off: number): number {
  return b[off]! | (b[off + 1]! << 8);
}

function u64(b: Uint8Array, off: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i]!);
  return v;
}

function cstr(b: Uint8Array, off: number): string {
  let end = off;
  while (end < b.length && b[end] !== 0) end++;
  return new TextDecoder().decode(b.subarray(off, end));
}

/** libsinsp's is_socktuple_valid: long enough for its family. */
export function isSockTupleValid(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  switch (b[0]) {
    case PPM_AF_INET:
      return b.length >= 13;
    case PPM_AF_INET6:
      return b.length >= 37;
    case PPM_AF_UNIX:
      return b.length >= 18 && b[b.length - 1] === 0;
    default:
      return true;
  }
}

/** libsinsp's is_sockaddr_valid. */
export function isSockAddrValid(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  switch (b[0]) {
    case PPM_AF_INET:
      return b.length >= 7;
    case PPM_AF_INET6:
      return b.length >= 19;
    case PPM_AF_UNIX:
      return b.length >= 2 && b[b.length - 1] === 0;
    default:
      return true;
  }
}

/** Decoded tuple (offsets into the packed bytes follow the drivers' layout). */
export interface RawTuple {
  family: number;
  sip: Uint8Array;
  sport: number;
  dip: Uint8Array;
  dport: number;
  source: bigint;
  dest: bigint;
  path: string;
}

export function decodeTuple(b: Uint8Array): RawTuple {
  const family = b[0]!;
  if (family === PPM_AF_INET) {
    return { family, sip: b.slice(1, 5), sport: u16(b, 5), dip: b.slice(7, 11), dport: u16(b, 11), source: 0n, dest: 0n, path: '' };
  }
  if (family === PPM_AF_INET6) {
    return { family, sip: b.slice(1, 17), sport: u16(b, 17), dip: b.slice(19, 35), dport: u16(b, 35), source: 0n, dest: 0n, path: '' };
  }
  return { family, sip: new Uint8Array(0), sport: 0, dip: new Uint8Array(0), dport: 0, source: u64(b, 1), dest: u64(b, 9), path: cstr(b, 17) };
}

export interface RawAddr {
  family: number;
  ip: Uint8Array;
  port: number;
  path: string;
}

export function decodeAddr(b: Uint8Array): RawAddr {
  const family = b[0]!;
  if (family === PPM_AF_INET) return { family, ip: b.slice(1, 5), port: u16(b, 5), path: '' };
  if (family === PPM_AF_INET6) return { family, ip: b.slice(1, 17), port: u16(b, 17), path: '' };
  return { family, ip: new Uint8Array(0), port: 0, path: family === PPM_AF_UNIX ? cstr(b, 1) : '' };
}

/** A tuple parameter as libsinsp's PF_SIMPLE text (what accept gives the new fd as name). */
export function tupleText(b: Uint8Array): string {
  const t = decodeTuple(b);
  if (t.family === PPM_AF_INET) return `${ipv4String(t.sip)}:${t.sport}->${ipv4String(t.dip)}:${t.dport}`;
  if (t.family === PPM_AF_INET6) {
    if (isIpv4Mapped(t.sip) && isIpv4Mapped(t.dip)) return `${ipv4String(t.sip, 12)}:${t.sport}->${ipv4String(t.dip, 12)}:${t.dport}`;
    return `${ipv6String(t.sip)}:${t.sport}->${ipv6String(t.dip)}:${t.dport}`;
  }
  return `${t.source.toString(16)}->${t.dest.toString(16)} ${t.path}`;
}

/** A sockaddr parameter as libsinsp's PF_SIMPLE text (what bind gives the fd as name). */
export function addrText(b: Uint8Array): string {
  if (b.length === 0) return '<NA>';
  const a = decodeAddr(b);
  if (a.family === PPM_AF_INET) return `${ipv4String(a.ip)}:${a.port}`;
  if (a.family === PPM_AF_INET6) return `${ipv6String(a.ip)}:${a.port}`;
  if (a.family === PPM_AF_UNIX) return a.path;
  return `family ${a.family}`;
}

/** Bytes of parameter i, or an empty view when the event has fewer parameters. */
export function paramOrEmpty(ev: ScapEvent, i: number): Uint8Array {
  return i < ev.paramCount ? ev.paramBytes(i) : new Uint8Array(0);
}
