/**
 * Socket addresses of fds as libsinsp fills them (userspace/libsinsp/parsers.cpp:
 * fill_client_socket_info, set_ipv4/ipv6_addresses_and_ports, swap_addresses;
 * ifinfo.cpp: sinsp_network_interfaces::update_fd; utils.cpp: sockinfo_to_str).
 */
import { isRoleNone, setRoleClient } from './fd-flags.js';
import type { FdInfo, SocketTuple } from './model.js';
import { addrText, decodeAddr, decodeTuple, ipv4String, ipv6String, isIpv4Mapped, PPM_AF_INET, PPM_AF_INET6 } from './net.js';

/** The capture's network interfaces (addresses in network byte order). */
export interface Interfaces {
  ipv4: readonly { addr: Uint8Array; netmask: Uint8Array }[];
  ipv6: readonly { addr: Uint8Array }[];
}

/** fill_client_socket_info_from_addr: only the destination is known. */
export function clientFromAddr(f: FdInfo, addr: Uint8Array): void {
  const a = decodeAddr(addr);
  if (a.family === PPM_AF_INET || (a.family === PPM_AF_INET6 && isIpv4Mapped(a.ip))) {
    f.type = 'ipv4';
    const tuple = ensureTuple(f, 4);
    tuple.dip = a.family === PPM_AF_INET ? a.ip : a.ip.slice(12, 16);
    tuple.dport = a.port;
  } else if (a.family === PPM_AF_INET6) {
    f.type = 'ipv6';
    const tuple = ensureTuple(f, 6);
    tuple.dip = a.ip;
    tuple.dport = a.port;
  } else {
    f.name = addrText(addr);
  }
}

export function ensureTuple(f: FdInfo, family: 4 | 6): SocketTuple {
  const size = family === 4 ? 4 : 16;
  if (f.tuple === undefined || f.tuple.family !== family) {
    f.tuple = { family, sip: new Uint8Array(size), sport: 0, dip: new Uint8Array(size), dport: 0, l4proto: f.tuple?.l4proto };
  }
  return f.tuple;
}

/** fill_client_socket_info: tuple from connect's exit; the destination from the enter address when the tuple agrees with the exit address. */
export function fillClient(f: FdInfo, tupleBytes: Uint8Array, exitAddr: Uint8Array | undefined, enterAddr: Uint8Array | undefined): void {
  const tup = decodeTuple(tupleBytes);
  if (tup.family === PPM_AF_INET || tup.family === PPM_AF_INET6) {
    let dip = tup.dip;
    let dport = tup.dport;
    if (exitAddr !== undefined && enterAddr !== undefined) {
      const x = decodeAddr(exitAddr);
      if (x.port === dport && equalBytes(x.ip, dip)) {
        const e = decodeAddr(enterAddr);
        dip = e.ip;
        dport = e.port;
      }
    }
    let changed: boolean;
    if (tup.family === PPM_AF_INET6 && !(isIpv4Mapped(tup.sip) && isIpv4Mapped(dip))) {
      f.type = 'ipv6';
      changed = setAddresses(f, 6, tup.sip, tup.sport, dip, dport, true);
    } else {
      f.type = 'ipv4';
      const sip = tup.family === PPM_AF_INET6 ? tup.sip.slice(12, 16) : tup.sip;
      const d = tup.family === PPM_AF_INET6 ? dip.slice(12, 16) : dip;
      changed = setAddresses(f, 4, sip, tup.sport, d, dport, true);
    }
    if (changed && f.role === 'server' && f.tuple?.l4proto === 'udp') swapAddresses(f);
    f.name = tupleName(f);
  } else {
    if (f.type !== 'unix') return;
    let path = tup.path;
    if (exitAddr !== undefined && enterAddr !== undefined && decodeAddr(exitAddr).path === path) path = decodeAddr(enterAddr).path;
    f.unix = { source: tup.source, dest: tup.dest, path };
    f.name = `${tup.source.toString(16)}->${tup.dest.toString(16)} ${path}`;
  }
  if (isRoleNone(f)) setRoleClient(f);
}

/** set_ipv4/ipv6_addresses_and_ports: false when the tuple is already known (either way round). */
export function setAddresses(f: FdInfo, family: 4 | 6, sip: Uint8Array, sport: number, dip: Uint8Array, dport: number, overwriteDest: boolean): boolean {
  const same = f.tuple !== undefined && f.tuple.family === family;
  if (same && f.type === (family === 4 ? 'ipv4' : 'ipv6')) {
    const t = f.tuple!;
    if (
      (equalBytes(t.sip, sip) && t.sport === sport && equalBytes(t.dip, dip) && t.dport === dport) ||
      (equalBytes(t.sip, dip) && t.sport === dport && equalBytes(t.dip, sip) && t.dport === sport)
    ) {
      return false;
    }
  }
  const t = ensureTuple(f, family);
  let changed = false;
  if (!equalBytes(t.sip, sip)) {
    t.sip = sip.slice();
    changed = true;
  }
  if (t.sport !== sport) {
    t.sport = sport;
    changed = true;
  }
  if (isZero(t.dip) || (overwriteDest && !equalBytes(t.dip, dip))) {
    t.dip = dip.slice();
    changed = true;
  }
  if (t.dport === 0 || (overwriteDest && t.dport !== dport)) {
    t.dport = dport;
    changed = true;
  }
  return changed;
}

/**
 * sinsp_network_interfaces::update_fd (ifinfo.cpp): an unspecified (all-zero) end of a
 * tuple becomes the address of the interface that matches the other end (same address,
 * same subnet, else the first non-loopback interface).
 */
export function inferLocalAddress(f: FdInfo, interfaces: Interfaces): void {
  const t = f.tuple;
  if (t === undefined || (f.type !== 'ipv4' && f.type !== 'ipv6')) return;
  const sipZero = isZero(t.sip);
  if (!sipZero && !isZero(t.dip)) return;
  const known = sipZero ? t.dip : t.sip;
  const inferred = t.family === 4 ? inferIpv4(known, interfaces.ipv4) : inferIpv6(known, interfaces.ipv6);
  if (equalBytes(inferred, known) && t.sport === t.dport) return;
  if (sipZero) t.sip = inferred.slice();
  else t.dip = inferred.slice();
}

function inferIpv4(dest: Uint8Array, list: Interfaces['ipv4']): Uint8Array {
  for (const i of list) if (equalBytes(i.addr, dest)) return i.addr;
  for (const i of list) if (i.addr.every((b, k) => (b & i.netmask[k]!) === (dest[k]! & i.netmask[k]!))) return i.addr;
  for (const i of list) if (!(i.addr[0] === 127 && i.addr[1] === 0 && i.addr[2] === 0 && i.addr[3] === 1)) return i.addr;
  return new Uint8Array(4);
}

function inferIpv6(dest: Uint8Array, list: Interfaces['ipv6']): Uint8Array {
  for (const i of list) if (equalBytes(i.addr, dest)) return i.addr;
  // ipv6addr::in_subnet compares the 64-bit network prefix.
  for (const i of list) if (equalBytes(i.addr.subarray(0, 8), dest.subarray(0, 8))) return i.addr;
  for (const i of list) if (!(isZero(i.addr.subarray(0, 15)) && i.addr[15] === 1)) return i.addr;
  return new Uint8Array(16);
}

export function swapAddresses(f: FdInfo): void {
  const t = f.tuple;
  if (t === undefined) return;
  const ip = t.sip;
  const port = t.sport;
  t.sip = t.dip;
  t.sport = t.dport;
  t.dip = ip;
  t.dport = port;
}

/** sockinfo_to_str: the fd name of an IP socket. */
export function tupleName(f: FdInfo): string {
  const t = f.tuple;
  if (t === undefined) return f.name;
  if (t.l4proto === 'tcp' || t.l4proto === 'udp') {
    if (t.family === 4) return `${ipv4String(t.sip)}:${t.sport}->${ipv4String(t.dip)}:${t.dport}`;
    return `${ipv6String(t.sip)}:${t.sport}->${ipv6String(t.dip)}:${t.dport}`;
  }
  if (t.l4proto === 'icmp' || t.l4proto === 'raw') {
    if (t.family === 4) return `${ipv4String(t.sip)}->${ipv4String(t.dip)}`;
    return `${ipv6String(t.sip)}->${ipv6String(t.dip)}`;
  }
  return '<unknown>';
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isZero(a: Uint8Array): boolean {
  for (const x of a) if (x !== 0) return false;
  return true;
}
