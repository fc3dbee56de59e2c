/**
 * The socket parsers of the state engine (libsinsp's parsers.cpp: parse_socket_exit,
 * parse_bind_exit, parse_connect_exit, parse_accept_exit, and the socket side of
 * parse_rw_exit); the addresses they fill come from sockets.ts. engine.ts calls them from its
 * update switch with the context it builds once, the event's thread and fd; those that may
 * add an fd return the event's fd after them.
 */
import type { ScapEvent } from '../event.js';
import { IPPROTO_UDP, PPM_O_CLOEXEC, SOCK_DGRAM } from '../synth/constants.js';
import { ACCEPT4_6_X, RECVMMSG_X, SEND_X, SENDMMSG_X, SENDMSG_X, SENDTO_X, TUPLE_PARAM } from './dispatch.js';
import { setConnected } from './fd-flags.js';
import type { FileContext } from './files.js';
import type { FdInfo } from './model.js';
import { isSockAddrValid, isSockTupleValid, PPM_AF_INET, PPM_AF_INET6 } from './net.js';
import { has } from './params.js';
import { acceptedFd, bindFd, clientFromAddr, fillClient, type Interfaces, socketFd, updateFdFromTuple } from './sockets.js';
import type { ThreadState } from './threads.js';

/** What the socket parsers need of the engine (built once by it; `interfaces` through a getter, seed() replaces them). */
export interface SocketContext extends Pick<FileContext, 'enterOf' | 'addFd'> {
  readonly interfaces: Interfaces;
}

export function parseSocket(ctx: SocketContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent): FdInfo | undefined {
  const fd = ev.paramInt(0);
  if (fd < 0 || t === undefined) return evFd;
  return ctx.addFd(t, fd, socketFd(fd, ev.paramUint(1), ev.paramUint(2), ev.paramUint(3), ev.paramUint(4)));
}

export function parseBind(f: FdInfo | undefined, ev: ScapEvent): void {
  if (f === undefined || ev.paramInt(0) < 0) return;
  const addr = ev.paramBytes(1);
  if (isSockAddrValid(addr)) bindFd(f, addr);
}

export function parseConnect(ctx: SocketContext, t: ThreadState | undefined, f: FdInfo | undefined, ev: ScapEvent, type: number): void {
  if (t === undefined || f === undefined) return;
  const res = ev.paramInt(0);
  if (res < 0 && res !== -115 /* EINPROGRESS */) return;
  setConnected(f);
  const enter = ctx.enterOf(t, type);
  const enterAddr = enter !== undefined && enter.params[1] !== undefined && isSockAddrValid(enter.params[1]) ? enter.params[1] : undefined;
  const tuple = ev.paramBytes(1);
  if (tuple.length === 0) {
    if (enterAddr === undefined) return;
    clientFromAddr(f, enterAddr);
    return;
  }
  const exitAddr = has(ev, 3) && isSockAddrValid(ev.paramBytes(3)) ? ev.paramBytes(3) : undefined;
  if (!isSockTupleValid(tuple)) return;
  fillClient(f, tuple, exitAddr, enterAddr);
}

export function parseAccept(ctx: SocketContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent, type: number): FdInfo | undefined {
  if (t === undefined) return evFd;
  const fd = ev.paramInt(0);
  if (fd < 0) return evFd;
  t.lastEventFd = fd;
  const f = acceptedFd(fd, ev.paramBytes(1), type === ACCEPT4_6_X ? ev.paramInt(5) & PPM_O_CLOEXEC : 0);
  return f === undefined ? evFd : ctx.addFd(t, fd, f);
}

/** parse_read_exit: reads mark a socket connected; recvfrom/recvmsg fill its tuple (UDP, or an unnamed socket). */
export function parseReadTuple(ctx: SocketContext, f: FdInfo | undefined, ev: ScapEvent, type: number): void {
  if (type === RECVMMSG_X && !has(ev, 0)) return;
  if (f === undefined || ev.paramInt(0) < 0) return;
  // a successful read or write on an IP socket marks it connected (parse_read_exit)
  if (f.type === 'ipv4' || f.type === 'ipv6') setConnected(f);
  const at = TUPLE_PARAM[type]!;
  if (at < 0 || !(f.name.length === 0 || f.tuple?.l4proto !== 'tcp')) return;
  updateFdFromTuple(f, ev.paramBytes(at), true, ctx.interfaces);
}

/** parse_write_exit: sendto/sendmsg, including the UDP socket libsinsp infers when socket() was not seen. */
export function parseWriteTuple(ctx: SocketContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent, type: number): FdInfo | undefined {
  if (type === SENDMMSG_X && !has(ev, 0)) return evFd;
  let f = evFd;
  if (f === undefined && t !== undefined && (type === SEND_X || type === SENDTO_X || type === SENDMSG_X) && ev.paramInt(0) >= 0) {
    const fd = ev.paramInt(2);
    const tuple = TUPLE_PARAM[type]! >= 0 ? ev.paramBytes(TUPLE_PARAM[type]!) : new Uint8Array(0);
    const family = tuple[0];
    // The driver's tuple family byte is the kernel's AF_INET (2) / AF_INET6 (10).
    if (family === 2 || family === 10) f = ctx.addFd(t, fd, socketFd(fd, family === 2 ? PPM_AF_INET : PPM_AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0));
  }
  if (f === undefined || ev.paramInt(0) < 0) return f;
  if (f.type === 'ipv4' || f.type === 'ipv6') setConnected(f);
  const at = TUPLE_PARAM[type]!;
  if (at < 0 || !(f.name.length === 0 || f.tuple?.l4proto !== 'tcp')) return f;
  updateFdFromTuple(f, ev.paramBytes(at), false, ctx.interfaces);
  return f;
}
