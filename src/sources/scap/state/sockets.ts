/**
 * Socket addresses of fds as libsinsp fills them (userspace/libsinsp/parsers.cpp:
 * fill_client_socket_info, set_ipv4/ipv6_addresses_and_ports, swap_addresses;
 * ifinfo.cpp: sinsp_network_interfaces::update_fd; utils.cpp: sockinfo_to_str).
 */
import { IPPROTO_ICMP, IPPROTO_IP, IPPROTO_RAW, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM } from '../synth/constants.js';
import { isRoleNone, newFd, setConnected, setRoleClient, setRoleServer } from './fd-flags.js';
import type { FdInfo, FdType, SocketTuple } from './model.js';
import {
  addrText,
  decodeAddr,
  decodeTuple,
  ipv4String,
  ipv6String,
  isIpv4Mapped,
  isSockTupleValid,
  PPM_AF_INET,
  PPM_AF_INET6,
  PPM_AF_NETLINK,
  PPM_AF_UNIX,
  tupleText,
} from './net.js';

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

/** add_socket: a new socket's fd, typed (and its l4 protocol set) from socket()'s domain, type and protocol. */
export function socketFd(fd: number, domain: number, type: number, protocol: number, flags: number): FdInfo {
  let fdType: FdType = 'unknown';
  let l4: SocketTuple['l4proto'];
  if (domain === PPM_AF_UNIX) fdType = 'unix';
  else if (domain === PPM_AF_INET || domain === PPM_AF_INET6) {
    fdType = domain === PPM_AF_INET ? 'ipv4' : 'ipv6';
    if (protocol === IPPROTO_TCP) l4 = type === SOCK_RAW ? 'raw' : 'tcp';
    else if (protocol === IPPROTO_UDP) l4 = type === SOCK_RAW ? 'raw' : 'udp';
    else if (protocol === IPPROTO_IP) {
      if ((type & 0xff) === SOCK_STREAM) l4 = 'tcp';
      else if ((type & 0xff) === SOCK_DGRAM) l4 = 'udp';
    } else if (protocol === IPPROTO_ICMP) l4 = type === SOCK_RAW ? 'raw' : 'icmp';
    else if (protocol === IPPROTO_RAW) l4 = 'raw';
  } else if (domain === PPM_AF_NETLINK) fdType = 'netlink';
  const f = newFd(fd, fdType);
  f.openFlags = flags;
  if (fdType === 'ipv4' || fdType === 'ipv6') {
    const size = fdType === 'ipv4' ? 4 : 16;
    f.tuple = { family: fdType === 'ipv4' ? 4 : 6, sip: new Uint8Array(size), sport: 0, dip: new Uint8Array(size), dport: 0, l4proto: l4 };
  }
  return f;
}

/** parse_bind_exit: a bound IP port makes the socket a server; the fd is named after the address. */
export function bindFd(f: FdInfo, addr: Uint8Array): void {
  const a = decodeAddr(addr);
  const l4 = f.tuple?.l4proto;
  if (a.port > 0 && (a.family === PPM_AF_INET || a.family === PPM_AF_INET6)) {
    if (a.family === PPM_AF_INET || isIpv4Mapped(a.ip)) {
      f.type = 'ipv4_server';
      f.server = { ip: a.family === PPM_AF_INET ? a.ip : a.ip.slice(12, 16), port: a.port, l4proto: l4 };
    } else {
      f.type = 'ipv6_server';
      f.server = { ip: a.ip, port: a.port, l4proto: l4 };
    }
    setRoleServer(f);
  }
  f.name = addrText(addr);
}

/** parse_accept_exit: the accepted connection's fd from its tuple (undefined for a tuple it cannot read). */
export function acceptedFd(fd: number, bytes: Uint8Array, openFlags: number): FdInfo | undefined {
  if (!isSockTupleValid(bytes)) return undefined;
  const tup = decodeTuple(bytes);
  let f: FdInfo;
  if (tup.family === PPM_AF_INET || (tup.family === PPM_AF_INET6 && isIpv4Mapped(tup.sip) && isIpv4Mapped(tup.dip))) {
    f = newFd(fd, 'ipv4');
    const v6 = tup.family === PPM_AF_INET6;
    f.tuple = {
      family: 4,
      sip: v6 ? tup.sip.slice(12, 16) : tup.sip,
      sport: tup.sport,
      dip: v6 ? tup.dip.slice(12, 16) : tup.dip,
      dport: tup.dport,
      l4proto: 'tcp',
    };
  } else if (tup.family === PPM_AF_INET6) {
    f = newFd(fd, 'ipv6');
    f.tuple = { family: 6, sip: tup.sip, sport: tup.sport, dip: tup.dip, dport: tup.dport, l4proto: 'tcp' };
  } else if (tup.family === PPM_AF_UNIX) {
    f = newFd(fd, 'unix');
    f.unix = { source: tup.source, dest: tup.dest, path: tup.path };
  } else {
    return undefined;
  }
  f.name = tupleText(bytes);
  f.openFlags = openFlags;
  setRoleServer(f);
  setConnected(f);
  return f;
}

/** update_fd and the naming that follows it in parse_read_exit / parse_write_exit. */
export function updateFdFromTuple(f: FdInfo, bytes: Uint8Array, incoming: boolean, interfaces: Interfaces): void {
  if (!isSockTupleValid(bytes)) return;
  const tup = decodeTuple(bytes);
  if (tup.family === PPM_AF_UNIX) {
    f.type = 'unix';
    f.unix = { source: tup.source, dest: tup.dest, path: tup.path };
    f.name = tup.path;
    return;
  }
  if (tup.family === PPM_AF_INET) {
    if (f.type === 'ipv4_server' && f.server !== undefined) ensureTuple(f, 4).l4proto = f.server.l4proto;
    f.type = 'ipv4';
    if (!setAddresses(f, 4, tup.sip, tup.sport, tup.dip, tup.dport, false)) return;
  } else if (tup.family === PPM_AF_INET6) {
    if (isIpv4Mapped(tup.sip) && isIpv4Mapped(tup.dip)) {
      f.type = 'ipv4';
      if (!setAddresses(f, 4, tup.sip.slice(12, 16), tup.sport, tup.dip.slice(12, 16), tup.dport, false)) return;
    } else if (!setAddresses(f, 6, tup.sip, tup.sport, tup.dip, tup.dport, false)) {
      return;
    }
  } else {
    return;
  }
  if (f.tuple !== undefined && f.tuple.l4proto === undefined) f.tuple.l4proto = 'udp';
  inferLocalAddress(f, interfaces);
  // The receiving side of a datagram is the server unless this process already connected.
  if (f.type === 'ipv4' || f.type === 'ipv6') {
    if (isRoleNone(f)) {
      if (incoming) setRoleServer(f);
      else setRoleClient(f);
    }
    if (incoming && f.role === 'client') swapAddresses(f);
    if (!incoming && f.role === 'server') swapAddresses(f);
    f.name = tupleName(f);
  } else {
    f.name = tupleText(bytes);
  }
}
