/**
 * fd.* fields (libsinsp's sinsp_filter_check_fd). Only events that create, use or destroy
 * an fd have fd fields (NA on others, and without a thread); the fd is the one the state
 * engine says the event works on, else the thread's last event fd. Which end of a socket
 * is local is libsinsp's rule: the client end when its address is one of this machine's.
 */
import type { ResolvedField } from '../../../fields/catalogue.js';
import type { ScapEvent } from '../event.js';
import type { FdInfo, SocketTuple, StateView, ThreadInfo } from '../state/model.js';
import { concatenatePaths, cwdDir, fdTypeChar, fdTypeString, ipText, mainThread } from './common.js';
import { codeOf, EF_CREATES_FD, EF_DESTROYS_FD, EF_USES_FD, eventFdParam, eventFlags } from './event-info.js';
import type { Extractor, ExtractorOptions, FieldValue, ParamRenderer } from './types.js';

const FD_EVENT = EF_CREATES_FD | EF_USES_FD | EF_DESTROYS_FD;

/** libsinsp's m_lastevent_fd: from the state when it keeps it, else the event's fd parameter. */
export function lastEventFd(t: ThreadInfo, ev: ScapEvent): number {
  if (t.lastEventFd !== undefined) return t.lastEventFd;
  const i = eventFdParam[ev.type] ?? -1;
  return i >= 0 && i < ev.paramCount && ev.paramLength(i) > 0 ? ev.paramInt(i) : -1;
}

/** The fd the event works on (libsinsp's evt->get_fd_info() with the last-fd fallback). */
export function currentFd(t: ThreadInfo, ev: ScapEvent, s: StateView): FdInfo | undefined {
  const fd = s.eventFd;
  if (fd !== undefined) return fd;
  const num = lastEventFd(t, ev);
  return num === -1 ? undefined : fdTable(t, s).get(num);
}

/** The fd table of t's process (libsinsp keeps it on the main thread). */
export function fdTable(t: ThreadInfo, s: StateView): Map<number, FdInfo> {
  return (mainThread(t, s) ?? t).fds;
}

type FdRead = (fd: FdInfo | undefined, t: ThreadInfo, ev: ScapEvent, s: StateView) => FieldValue;

/** An fd field: NA unless the event is an fd event with a thread; `read` gets the fd or undefined. */
function onFd(read: FdRead, argFd?: number): Extractor {
  if (argFd !== undefined) {
    return (ev, s) => {
      if (((eventFlags[ev.type] ?? 0) & FD_EVENT) === 0) return undefined;
      const t = s.thread(ev.tid);
      if (t === undefined) return undefined;
      return read(fdTable(t, s).get(argFd), t, ev, s);
    };
  }
  return (ev, s) => {
    if (((eventFlags[ev.type] ?? 0) & FD_EVENT) === 0) return undefined;
    const t = s.thread(ev.tid);
    if (t === undefined) return undefined;
    return read(currentFd(t, ev, s), t, ev, s);
  };
}

/** The same, for reads that are NA without an fd. */
function withFd(read: (fd: FdInfo, t: ThreadInfo, ev: ScapEvent, s: StateView) => FieldValue): Extractor {
  return onFd((fd, t, ev, s) => (fd === undefined ? undefined : read(fd, t, ev, s)));
}

const isSocket = (fd: FdInfo) => fd.type === 'ipv4' || fd.type === 'ipv6';
const isServerSocket = (fd: FdInfo) => fd.type === 'ipv4_server' || fd.type === 'ipv6_server';
const roleNone = (fd: FdInfo) => fd.role === undefined;

/** A connected socket's tuple, NA when the fd is not an IP socket with a role. */
function tupleOf(fd: FdInfo): SocketTuple | undefined {
  if (!isSocket(fd) || roleNone(fd)) return undefined;
  return fd.tuple;
}

/** Whether the client end of a tuple is this machine (libsinsp's "is local"). */
function clientIsLocal(tuple: SocketTuple, t: ThreadInfo, s: StateView): boolean {
  return s.isLocalAddress?.(tuple.sip, t) ?? false;
}

/** The l4 protocol libsinsp reports for an fd (get_l4proto): raw always, else needs a role. */
export function l4proto(fd: FdInfo): SocketTuple['l4proto'] {
  if (isServerSocket(fd)) return fd.server?.l4proto ?? fd.tuple?.l4proto;
  if (!isSocket(fd)) return undefined;
  const p = fd.tuple?.l4proto;
  if (p === 'raw') return p;
  return roleNone(fd) ? undefined : p;
}

/**
 * The bound address and port of a listening socket: the engine keeps what bind gave in
 * `server` (libsinsp's m_ipv4serverinfo); sockets from the capture's fd list carry them as
 * their tuple's server (destination) end.
 */
function serverAddress(fd: FdInfo): Uint8Array | undefined {
  return fd.server?.ip ?? fd.tuple?.dip;
}

function serverPort(fd: FdInfo): number | undefined {
  return fd.server?.port ?? fd.tuple?.dport;
}

/** Ports print as numbers: libsinsp resolves service names only when asked to, and Falco never does. */
function portText(port: number): string {
  return String(port);
}

// Events whose fd name libsinsp reads from the event when the fd is not in the table.
const OPEN_X = codeOf('PPME_SYSCALL_OPEN_X');
const CREAT_X = codeOf('PPME_SYSCALL_CREAT_X');
const ACCEPT_5_X = codeOf('PPME_SOCKET_ACCEPT_5_X');
const ACCEPT4_6_X = codeOf('PPME_SOCKET_ACCEPT4_6_X');
const CONNECT_X = codeOf('PPME_SOCKET_CONNECT_X');
const OPENAT_2_X = codeOf('PPME_SYSCALL_OPENAT_2_X');
const OPENAT2_X = codeOf('PPME_SYSCALL_OPENAT2_X');
const OPEN_BY_HANDLE_AT_X = codeOf('PPME_SYSCALL_OPEN_BY_HANDLE_AT_X');
const PIPE_X = codeOf('PPME_SYSCALL_PIPE_X');
const PIPE2_X = codeOf('PPME_SYSCALL_PIPE2_X');
const SOCKET_X = codeOf('PPME_SOCKET_SOCKET_X');
const EVENTFD_X = codeOf('PPME_SYSCALL_EVENTFD_X');
const EVENTFD2_X = codeOf('PPME_SYSCALL_EVENTFD2_X');
const SIGNALFD_X = codeOf('PPME_SYSCALL_SIGNALFD_X');
const SIGNALFD4_X = codeOf('PPME_SYSCALL_SIGNALFD4_X');
const TIMERFD_CREATE_X = codeOf('PPME_SYSCALL_TIMERFD_CREATE_X');
const INOTIFY_INIT_X = codeOf('PPME_SYSCALL_INOTIFY_INIT_X');
const INOTIFY_INIT1_X = codeOf('PPME_SYSCALL_INOTIFY_INIT1_X');
const PPM_AT_FDCWD = -100;

/**
 * libsinsp's extract_fdname_from_event: the name an fd-creating exit event carries, for
 * an fd the table does not hold (a failed open, say). Undefined = NA.
 */
function fdNameFromEvent(t: ThreadInfo, ev: ScapEvent, s: StateView, raw: boolean, renderer: ParamRenderer | undefined): string | undefined {
  const type = ev.type;
  if (type === OPEN_X || type === CREAT_X || type === ACCEPT_5_X || type === ACCEPT4_6_X || type === CONNECT_X) {
    if (ev.paramCount < 2) return '';
    // open/creat: a relative path is resolved against the cwd (libsinsp's resolved text).
    if (type === OPEN_X || type === CREAT_X) {
      const p = ev.paramString(1);
      return p.startsWith('/') ? p : concatenatePaths(cwdDir(t, s), p);
    }
    // The tuple's text is the parameter renderer's (NA until one is connected).
    return renderer?.arg(ev, s, 1);
  }
  if (type === OPENAT_2_X || type === OPENAT2_X) {
    if (ev.paramCount < 3 || ev.paramLength(2) === 0) return undefined;
    const name = ev.paramString(2);
    if (raw) return name;
    if (ev.paramLength(1) === 0) return undefined;
    return concatenatePaths(dirOf(t, ev.paramInt(1), name, s), name);
  }
  if (type === OPEN_BY_HANDLE_AT_X) return ev.paramCount > 3 ? ev.paramString(3) : undefined;
  if (!isExitCode(ev)) return undefined;
  return '';
}

function isExitCode(ev: ScapEvent): boolean {
  // Exit codes are odd in the PPME numbering.
  return (ev.type & 1) === 1;
}

/** libsinsp's parse_dirfd: the directory a *at() path is relative to. */
export function dirOf(t: ThreadInfo, dirfd: number, name: string, s: StateView): string {
  if (name.startsWith('/')) return '';
  if (dirfd === PPM_AT_FDCWD) return cwdDir(t, s);
  const fd = fdTable(t, s).get(dirfd);
  if (fd === undefined || fd.name === '') return '<UNKNOWN>/';
  return fd.name.endsWith('/') ? fd.name : `${fd.name}/`;
}

/** libsinsp's extract_typechar: the fd type an fd-creating event implies. */
function typeCharFromEvent(type: number): string {
  const exit = type | 1;
  switch (exit) {
    case OPENAT_2_X:
    case OPENAT2_X:
    case CREAT_X:
      return 'f';
    case SOCKET_X:
    case ACCEPT_5_X:
    case ACCEPT4_6_X:
      return '4';
    case PIPE_X:
    case PIPE2_X:
      return 'p';
    case EVENTFD_X:
    case EVENTFD2_X:
      return 'e';
    case SIGNALFD_X:
    case SIGNALFD4_X:
      return 's';
    case TIMERFD_CREATE_X:
      return 't';
    case INOTIFY_INIT_X:
    case INOTIFY_INIT1_X:
      return 'i';
    default:
      return 'o';
  }
}

/** Folds repeated '/' (libsinsp's remove_duplicate_path_separators, for fd.nameraw). */
function dedupeSlashes(p: string): string {
  return p.includes('//') ? p.replace(/\/{2,}/g, '/') : p;
}

function containerPrefix(t: ThreadInfo): string {
  // The container plugin's id: "host" for threads outside containers.
  return `${t.containerId === '' ? 'host' : t.containerId}:`;
}

function directory(fd: FdInfo | undefined, t: ThreadInfo, ev: ScapEvent, s: StateView, renderer: ParamRenderer | undefined): string | undefined {
  let name: string;
  if (fd === undefined) {
    const n = fdNameFromEvent(t, ev, s, false, renderer);
    if (n === undefined) return undefined;
    name = n;
  } else if (fd.type !== 'file' && fd.type !== 'directory') {
    return undefined;
  } else {
    name = fd.name;
  }
  if (fd === undefined || fd.type === 'file') {
    const pos = name.lastIndexOf('/');
    if (pos > 0) return pos < name.length - 1 ? name.slice(0, pos) : name;
    return '/';
  }
  return name;
}

/** Local or remote end of a socket (ip or port), by libsinsp's rule. */
function localRemote(want: 'local' | 'remote', what: 'ip' | 'port' | 'proto'): Extractor {
  return withFd((fd, t, _ev, s) => {
    const tuple = tupleOf(fd);
    if (tuple === undefined) return undefined;
    const clientLocal = clientIsLocal(tuple, t, s);
    const client = clientLocal === (want === 'local');
    if (what === 'ip') return ipText(client ? tuple.sip : tuple.dip);
    const port = client ? tuple.sport : tuple.dport;
    return what === 'port' ? port : portText(port);
  });
}

function fdName(fd: FdInfo | undefined, t: ThreadInfo, ev: ScapEvent, s: StateView, renderer: ParamRenderer | undefined): string | undefined {
  return fd === undefined ? fdNameFromEvent(t, ev, s, false, renderer) : fd.name;
}

/** Values of the filter-only fields that match on either end: reused array per field. */
function eitherEnd(read: (fd: FdInfo, out: FieldValue[]) => void): Extractor {
  const out: FieldValue[] = [];
  return withFd((fd) => {
    while (out.length > 0) out.pop();
    read(fd, out);
    return out.length > 0 ? out : undefined;
  });
}

function bothAddresses(fd: FdInfo, out: FieldValue[]): void {
  if (isServerSocket(fd)) {
    const a = serverAddress(fd);
    if (a !== undefined) out.push(ipText(a));
    return;
  }
  const tuple = fd.tuple;
  if (tuple !== undefined && isSocket(fd)) out.push(ipText(tuple.sip), ipText(tuple.dip));
}

function bothPorts(fd: FdInfo, out: FieldValue[]): void {
  if (isServerSocket(fd)) {
    const p = serverPort(fd);
    if (p !== undefined) out.push(p);
    return;
  }
  const tuple = fd.tuple;
  if (tuple !== undefined && isSocket(fd)) out.push(tuple.sport, tuple.dport);
}

type Builder = (field: ResolvedField, options: ExtractorOptions) => Extractor;

/** The client end's address (fd.cip, fd.cnet). */
const clientAddress = () =>
  withFd((fd) => {
    const tuple = tupleOf(fd);
    return tuple === undefined ? undefined : ipText(tuple.sip);
  });

/** The server end's address, or the bound address of a listening socket (fd.sip, fd.snet). */
const serverAddressText = () =>
  withFd((fd) => {
    if (roleNone(fd)) return undefined;
    if (isSocket(fd)) return fd.tuple === undefined ? undefined : ipText(fd.tuple.dip);
    if (isServerSocket(fd)) {
      const a = serverAddress(fd);
      return a === undefined ? undefined : ipText(a);
    }
    return undefined;
  });

export const FD_FIELDS: Record<string, Builder> = {
  // The fd number is the thread's last event fd, with or without a table entry.
  'fd.num': () => onFd((_fd, t, ev) => lastEventFd(t, ev)),
  'fd.type': () => withFd(fdTypeString),
  'fd.typechar': () => onFd((fd, _t, ev) => (fd === undefined ? typeCharFromEvent(ev.type) : fdTypeChar(fd))),
  'fd.name': (_f, o) => onFd((fd, t, ev, s) => fdName(fd, t, ev, s, o.renderer)),
  'fd.containername': (_f, o) =>
    onFd((fd, t, ev, s) => {
      const name = fdName(fd, t, ev, s, o.renderer);
      return name === undefined ? undefined : containerPrefix(t) + name;
    }),
  'fd.directory': (_f, o) => onFd((fd, t, ev, s) => directory(fd, t, ev, s, o.renderer)),
  'fd.containerdirectory': (_f, o) =>
    onFd((fd, t, ev, s) => {
      const dir = directory(fd, t, ev, s, o.renderer);
      return dir === undefined ? undefined : containerPrefix(t) + dir;
    }),
  'fd.filename': () =>
    withFd((fd) => {
      if (fd.type !== 'file') return undefined;
      const pos = fd.name.lastIndexOf('/');
      if (pos < 0) return '/';
      return pos < fd.name.length - 1 ? fd.name.slice(pos + 1) : fd.name;
    }),
  'fd.nameraw': (_f, o) =>
    onFd((fd, t, ev, s) => {
      const raw = fd === undefined ? fdNameFromEvent(t, ev, s, true, o.renderer) : fd.nameRaw;
      return raw === undefined ? undefined : dedupeSlashes(raw);
    }),
  'fd.cip': clientAddress,
  'fd.sip': serverAddressText,
  'fd.lip': () => localRemote('local', 'ip'),
  'fd.rip': () => localRemote('remote', 'ip'),
  'fd.cport': () =>
    withFd((fd) => {
      const tuple = tupleOf(fd);
      return tuple === undefined ? undefined : tuple.sport;
    }),
  'fd.sport': () =>
    withFd((fd) => {
      if (isSocket(fd)) return roleNone(fd) ? undefined : fd.tuple?.dport;
      if (isServerSocket(fd)) return serverPort(fd);
      return undefined;
    }),
  'fd.lport': () => localRemote('local', 'port'),
  'fd.rport': () => localRemote('remote', 'port'),
  'fd.cproto': () =>
    withFd((fd) => {
      if (roleNone(fd)) return undefined;
      // Non-IP fds with a role print an empty protocol, as libsinsp does.
      if (!isSocket(fd) || fd.tuple === undefined) return '';
      return portText(fd.tuple.sport);
    }),
  'fd.sproto': () =>
    withFd((fd) => {
      if (isSocket(fd)) return roleNone(fd) || fd.tuple === undefined ? undefined : portText(fd.tuple.dport);
      // libsinsp finds a server socket's port but prints its protocol only for connected sockets.
      if (isServerSocket(fd)) return '';
      return undefined;
    }),
  'fd.lproto': () => localRemote('local', 'proto'),
  'fd.rproto': () => localRemote('remote', 'proto'),
  'fd.l4proto': () =>
    withFd((fd) => {
      const p = l4proto(fd);
      return p === undefined ? '<NA>' : p;
    }),
  'fd.sockfamily': () => withFd((fd) => (isSocket(fd) || isServerSocket(fd) ? 'ip' : fd.type === 'unix' ? 'unix' : undefined)),
  'fd.is_server': () =>
    withFd((fd, t, _ev, s) => {
      if (isServerSocket(fd)) return true;
      if (isSocket(fd) && fd.tuple !== undefined) return s.isLocalAddress?.(fd.tuple.dip, t) ?? false;
      return false;
    }),
  // libsinsp's fd.uid: the tid and the fd number, as text, side by side.
  'fd.uid': () => onFd((_fd, t, ev) => String(t.tid) + String(lastEventFd(t, ev))),
  'fd.connected': () => withFd((fd) => fd.connected),
  'fd.name_changed': () => withFd((fd) => fd.nameChanged),
  'fd.dev': () => withFd((fd) => fd.dev),
  'fd.dev.major': () => withFd((fd) => (fd.dev & 0xfff00) >>> 8),
  'fd.dev.minor': () => withFd((fd) => (fd.dev & 0xff) | ((fd.dev >>> 12) & 0xfff00)),
  'fd.ino': () => withFd((fd) => (fd.ino <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(fd.ino) : fd.ino)),
  'fd.is_upper_layer': () => withFd((fd) => fd.overlayUpper),
  'fd.is_lower_layer': () => withFd((fd) => fd.overlayLower),
  'fd.types': (f) => {
    if (f.arg !== undefined) {
      const n = Number(f.arg);
      return onFd((fd) => (fd === undefined ? undefined : fdTypeString(fd)), n);
    }
    // Every distinct fd type of the process, in table order.
    const out: string[] = [];
    return onFd((_fd, t, _ev, s) => {
      while (out.length > 0) out.pop();
      for (const fd of fdTable(t, s).values()) {
        const type = fdTypeString(fd);
        if (!out.includes(type)) out.push(type);
      }
      return out;
    });
  },
  // Filter-only fields: either end of the connection (the bound end of a server socket).
  'fd.ip': () => eitherEnd(bothAddresses),
  'fd.net': () => eitherEnd(bothAddresses),
  'fd.port': () => eitherEnd(bothPorts),
  // libsinsp compares fd.proto as ports, like fd.port.
  'fd.proto': () => eitherEnd(bothPorts),
  // The net fields compare the same address as a network member.
  'fd.cnet': clientAddress,
  'fd.snet': serverAddressText,
  'fd.lnet': () => localRemote('local', 'ip'),
  'fd.rnet': () => localRemote('remote', 'ip'),
};
