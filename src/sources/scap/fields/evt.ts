/**
 * evt.* fields derived from the event and the state (libsinsp's sinsp_filter_check_event
 * and sinsp_filter_check_gen_event). Parameter rendering (evt.arg.*, evt.args, evt.info,
 * evt.rawarg.*, evt.buffer) is the reader's: those go through the ParamRenderer
 * delegation point and are NA until one is connected.
 */

import type { ResolvedField } from '../../../fields/catalogue.js';
import eventTable from '../../../fields/event-table.json' with { type: 'json' };
import type { ScapEvent } from '../event.js';
import type { FdInfo, StateView } from '../state/model.js';
import { concatenatePaths, isMainThread, u64, wrapU64 } from './common.js';
import { ERRNO_NAMES } from './errno.js';
import {
  CAT_IO_OTHER,
  CAT_IO_READ,
  CAT_IO_WRITE,
  CAT_MEMORY,
  codeOf,
  EF_READS_FROM_FD,
  EF_WAITS,
  EF_WRITES_TO_FD,
  eventCategoryKind,
  eventCategoryName,
  eventFlags,
  eventId,
  eventIsExit,
  eventIsSyscall,
  eventName,
  paramIndex,
} from './event-info.js';
import { currentFd, dirOf } from './fd.js';
import { iso8601, localOffsetSeconds, timeString } from './time-format.js';
import type { Extractor, ExtractorOptions, FieldValue, ParamRenderer } from './types.js';

const NS_PER_S = 1_000_000_000n;
const scNames = (eventTable as { scNames: string[] }).scNames;

const GENERIC_E = codeOf('PPME_GENERIC_E');
const GENERIC_X = codeOf('PPME_GENERIC_X');
const ASYNCEVENT_E = codeOf('PPME_ASYNCEVENT_E');
const PROCINFO_E = codeOf('PPME_PROCINFO_E');

/** Metaevents (libsinsp's is_metaevent): the async ones, which no thread produced. */
const isMeta = new Uint8Array(eventId.length);
for (const e of (eventTable as { events: { code: number; categories: string[] }[] }).events) {
  if (e.categories.includes('EC_METAEVENT')) isMeta[e.code] = 1;
}

function isExit(ev: ScapEvent): boolean {
  return eventIsExit[ev.type] === 1;
}

/** libsinsp's has_return_value: a syscall exit event with parameters (not the generic one). */
function hasReturnValue(ev: ScapEvent): boolean {
  return ev.type !== GENERIC_X && eventIsSyscall[ev.type] === 1 && isExit(ev) && ev.paramCount > 0;
}

/** The syscall's return value: the exit event's first parameter, whatever its name. */
function returnValue(ev: ScapEvent): number {
  return ev.paramLength(0) === 0 ? 0 : ev.paramInt(0);
}

/** The fd the event works on, as libsinsp's evt->get_fd_info() gives it. */
function eventFd(ev: ScapEvent, s: StateView): FdInfo | undefined {
  const t = s.thread(ev.tid);
  return t === undefined ? s.eventFd : currentFd(t, ev, s);
}

/** Text of the event's type: the syscall's name for generic events, the async event's name. */
function typeName(ev: ScapEvent): string {
  const type = ev.type;
  if (type === GENERIC_E || type === GENERIC_X) {
    if (ev.paramCount === 0 || ev.paramLength(0) === 0) return 'unknown';
    return scNames[ev.paramUint(0)] ?? 'unknown';
  }
  if (type === ASYNCEVENT_E) return ev.paramCount > 1 ? ev.paramString(1) : '';
  return eventName[type] ?? 'unknown';
}

/** libsinsp's I/O subcategory by fd type: file, net, ipc, or unknown. */
function ioCategory(fd: FdInfo | undefined): string {
  if (fd === undefined) return 'unknown';
  switch (fd.type) {
    case 'file':
    case 'directory':
      return 'file';
    case 'ipv4':
    case 'ipv6':
    case 'ipv4_server':
    case 'ipv6_server':
      return 'net';
    case 'pipe':
    case 'unix':
    case 'event':
    case 'signalfd':
    case 'inotify':
    case 'userfaultfd':
      return 'ipc';
    default:
      return 'unknown';
  }
}

const isIo = (type: number) => {
  const k = eventCategoryKind[type];
  return k === CAT_IO_READ || k === CAT_IO_WRITE || k === CAT_IO_OTHER;
};

/** evt.count.error and friends: 1 on failure, 0 on success, NA without a return value. */
function errorCount(ev: ScapEvent): FieldValue {
  if (!hasReturnValue(ev)) return undefined;
  return returnValue(ev) < 0 ? 1 : 0;
}

/** libsinsp's extract_buflen: the byte count of a successful I/O exit. */
function buflen(ev: ScapEvent): FieldValue {
  if (!isExit(ev) || ev.paramCount === 0) return undefined;
  const res = returnValue(ev);
  return res >= 0 ? res : undefined;
}

const isFile = (fd: FdInfo) => fd.type === 'file';
const isNet = (fd: FdInfo) => fd.type === 'ipv4' || fd.type === 'ipv6' || fd.type === 'ipv4_server' || fd.type === 'ipv6_server';

/** evt.buflen.*: when the event has an fd of the right kind and an I/O category of the right direction. */
function buflenWhen(kind: 'any' | 'in' | 'out', fdKind: (fd: FdInfo) => boolean): Extractor {
  return (ev, s) => {
    const k = eventCategoryKind[ev.type];
    if (kind === 'any' ? !isIo(ev.type) : k !== (kind === 'in' ? CAT_IO_READ : CAT_IO_WRITE)) return undefined;
    const fd = eventFd(ev, s);
    if (fd === undefined || !fdKind(fd)) return undefined;
    return buflen(ev);
  };
}

// Event codes several fields test.
const OPEN_X = codeOf('PPME_SYSCALL_OPEN_X');
const CREAT_X = codeOf('PPME_SYSCALL_CREAT_X');
const OPENAT_2_X = codeOf('PPME_SYSCALL_OPENAT_2_X');
const OPENAT2_X = codeOf('PPME_SYSCALL_OPENAT2_X');
const OPEN_BY_HANDLE_AT_X = codeOf('PPME_SYSCALL_OPEN_BY_HANDLE_AT_X');
const ACCEPT_5_X = codeOf('PPME_SOCKET_ACCEPT_5_X');
const ACCEPT4_6_X = codeOf('PPME_SOCKET_ACCEPT4_6_X');
const CONNECT_X = codeOf('PPME_SOCKET_CONNECT_X');
const RENAMEAT_X = codeOf('PPME_SYSCALL_RENAMEAT_X');
const RENAMEAT2_X = codeOf('PPME_SYSCALL_RENAMEAT2_X');
const SYMLINKAT_X = codeOf('PPME_SYSCALL_SYMLINKAT_X');
const LINKAT_2_X = codeOf('PPME_SYSCALL_LINKAT_2_X');
const UNLINKAT_2_X = codeOf('PPME_SYSCALL_UNLINKAT_2_X');
const MKDIRAT_X = codeOf('PPME_SYSCALL_MKDIRAT_X');
const FCHMODAT_X = codeOf('PPME_SYSCALL_FCHMODAT_X');
const FCHOWNAT_X = codeOf('PPME_SYSCALL_FCHOWNAT_X');

const OPEN_FAMILY = (t: number) => t === OPEN_X || t === OPENAT_2_X || t === OPENAT2_X || t === OPEN_BY_HANDLE_AT_X;
const FILE_ERROR_EVENTS = (t: number) => t === OPEN_X || t === CREAT_X || t === OPENAT_2_X || t === OPENAT2_X || t === OPEN_BY_HANDLE_AT_X;
const NET_ERROR_EVENTS = (t: number) => t === ACCEPT_5_X || t === ACCEPT4_6_X || t === CONNECT_X;

const PPM_O_RDONLY = 1 << 0;
const PPM_O_WRONLY = 1 << 1;
const PPM_O_CREAT = 1 << 2;
const PPM_O_TMPFILE = 1 << 13;
const PPM_O_F_CREATED = 1 << 14;
const EXEC_BITS = (1 << 6) | (1 << 3) | (1 << 0); // PPM_S_IXUSR | PPM_S_IXGRP | PPM_S_IXOTH

/** evt.is_open_read/write/exec/create, from the open's flags and mode. */
function isOpen(which: 'read' | 'write' | 'exec' | 'create'): Extractor {
  return (ev) => {
    const type = ev.type;
    if (OPEN_FAMILY(type)) {
      const newer = type === OPENAT_2_X || type === OPENAT2_X;
      const fi = newer ? 3 : 2;
      const flags = fi < ev.paramCount && ev.paramLength(fi) > 0 ? ev.paramUint(fi) : 0;
      if (which === 'read') return (flags & PPM_O_RDONLY) !== 0;
      if (which === 'write') return (flags & PPM_O_WRONLY) !== 0;
      if (which === 'create') {
        if (flags & PPM_O_F_CREATED) return true;
        return (flags & PPM_O_TMPFILE) !== 0 && hasReturnValue(ev) && returnValue(ev) >= 0;
      }
      // open_by_handle_at carries no mode.
      if ((flags & (PPM_O_TMPFILE | PPM_O_CREAT)) !== 0 && type !== OPEN_BY_HANDLE_AT_X) {
        const mi = newer ? 4 : 3;
        if (mi < ev.paramCount && ev.paramLength(mi) > 0) return (ev.paramUint(mi) & EXEC_BITS) !== 0;
      }
      return false;
    }
    if (which === 'exec' && type === CREAT_X && ev.paramCount > 2) return (ev.paramUint(2) & EXEC_BITS) !== 0;
    return false;
  };
}

/** Parameter names of the directory fd and path evt.abspath joins, per event and argument. */
function abspathParams(type: number, which: number): [string, string] | undefined {
  switch (type) {
    case RENAMEAT_X:
    case RENAMEAT2_X:
      return which === 2 ? ['newdirfd', 'newpath'] : ['olddirfd', 'oldpath'];
    case LINKAT_2_X:
      return which === 2 ? ['newdir', 'newpath'] : ['olddir', 'oldpath'];
    case SYMLINKAT_X:
      return ['linkdirfd', 'linkpath'];
    case OPENAT_2_X:
    case OPENAT2_X:
    case UNLINKAT_2_X:
      return ['dirfd', 'name'];
    case MKDIRAT_X:
      return ['dirfd', 'path'];
    case FCHMODAT_X:
      return ['dirfd', 'filename'];
    case FCHOWNAT_X:
      return ['dirfd', 'pathname'];
    default:
      return undefined;
  }
}

function abspath(which: number): Extractor {
  return (ev, s) => {
    const t = s.thread(ev.tid);
    if (t === undefined) return undefined;
    const type = ev.type;
    if (type === OPEN_BY_HANDLE_AT_X) {
      // Only a successful open names the file.
      if (!hasReturnValue(ev) || returnValue(ev) <= 0 || ev.paramCount < 4) return undefined;
      return concatenatePaths('', ev.paramString(3));
    }
    const names = abspathParams(type, which);
    if (names === undefined) return undefined;
    const di = paramIndex(type, names[0]);
    const pi = paramIndex(type, names[1]);
    if (di < 0 || pi < 0 || di >= ev.paramCount || pi >= ev.paramCount) return undefined;
    if (ev.paramLength(di) === 0 || ev.paramLength(pi) === 0) return undefined;
    const path = ev.paramString(pi);
    // An absolute path ignores the directory fd (libsinsp joins it to ".", which the path replaces).
    if (path.startsWith('/')) return concatenatePaths('.', path);
    return concatenatePaths(dirOf(t, ev.paramInt(di), path, s), path);
  };
}

/** evt.type.is.NAME: whether the event is NAME's (its enter or exit code); a number is one code. */
function typeIs(arg: string | undefined): Extractor {
  if (arg === undefined) return () => undefined;
  let a = -1;
  let b = -1;
  if (/^[0-9]+$/.test(arg)) a = Number(arg);
  else {
    a = eventName.indexOf(arg);
    if (a >= 0) b = a + 1;
  }
  return (ev) => (ev.type === a || ev.type === b ? 1 : 0);
}

function delegated(read: (r: ParamRenderer, ev: ScapEvent, s: StateView) => FieldValue, renderer: ParamRenderer | undefined): Extractor {
  // DELEGATION POINT: parameter rendering is the scap reader's (src/sources/scap/render.ts);
  // the lead passes its renderer in ExtractorOptions. Without one these fields are NA.
  if (renderer === undefined) return () => undefined;
  return (ev, s) => read(renderer, ev, s);
}

/** evt.deltatime: time since the previous event this field read (libsinsp keeps it per check). */
function deltaTime(part: 'all' | 's' | 'ns'): Extractor {
  let last = 0n;
  return (ev) => {
    const ts = ev.ts();
    if (last === 0n) {
      last = ts;
      return 0;
    }
    const d = wrapU64(ts - last);
    last = ts;
    return u64(part === 'all' ? d : part === 's' ? d / NS_PER_S : d % NS_PER_S);
  };
}

function relTime(part: 'all' | 's' | 'ns'): Extractor {
  return (ev, s) => {
    const d = wrapU64(ev.ts() - (s.firstEventTs ?? 0n));
    return u64(part === 'all' ? d : part === 's' ? d / NS_PER_S : d % NS_PER_S);
  };
}

function timeField(date: boolean, ns: boolean): Extractor {
  const offset = localOffsetSeconds();
  return (ev) => timeString(ev.ts(), offset, date, ns);
}

type Builder = (field: ResolvedField, options: ExtractorOptions) => Extractor;

const ZERO: Extractor = () => 0;

export const EVT_FIELDS: Record<string, Builder> = {
  // Deprecated latency fields: libsinsp hard-codes them to zero.
  'evt.latency': () => ZERO,
  'evt.latency.s': () => ZERO,
  'evt.latency.ns': () => ZERO,
  'evt.latency.quantized': () => ZERO,
  'evt.latency.human': () => () => '0ns',
  'evt.wait_latency': () => ZERO,
  'evt.deltatime': () => deltaTime('all'),
  'evt.deltatime.s': () => deltaTime('s'),
  'evt.deltatime.ns': () => deltaTime('ns'),
  // Falco prints output times in libsinsp's default mode, the time of day with nanoseconds.
  'evt.outputtime': () => timeField(false, true),
  'evt.dir': () => (ev) => (isExit(ev) ? '<' : '>'),
  'evt.type': () => typeName,
  'evt.type.is': (f) => typeIs(f.arg),
  'syscall.type': () => (ev) => {
    if (eventIsSyscall[ev.type] !== 1) return undefined;
    return typeName(ev);
  },
  'evt.category': () => (ev, s) => {
    const name = eventCategoryName[ev.type] ?? 'unknown';
    return name === 'io' ? ioCategory(eventFd(ev, s)) : name;
  },
  'evt.cpu': () => (ev) => ev.cpu,
  'evt.args': (_f, o) => delegated((r, ev, s) => (ev.type === GENERIC_X ? '' : r.args(ev, s)), o.renderer),
  // libsinsp has no info line of its own: evt.info is evt.args.
  'evt.info': (_f, o) => delegated((r, ev, s) => (ev.type === GENERIC_X ? '' : r.args(ev, s)), o.renderer),
  'evt.arg': (f, o) => {
    const arg = f.arg ?? '';
    const key: string | number = /^[0-9]+$/.test(arg) ? Number(arg) : arg;
    return delegated((r, ev, s) => r.arg(ev, s, key), o.renderer);
  },
  'evt.rawarg': (f, o) => {
    const name = f.arg ?? '';
    return delegated((r, ev, s) => r.rawArg(ev, s, name), o.renderer);
  },
  'evt.buffer': (_f, o) => delegated((r, ev, s) => r.buffer(ev, s), o.renderer),
  'evt.buflen': () => buflenWhen('any', () => true),
  'evt.buflen.in': () => buflenWhen('in', () => true),
  'evt.buflen.out': () => buflenWhen('out', () => true),
  'evt.buflen.file': () => buflenWhen('any', isFile),
  'evt.buflen.file.in': () => buflenWhen('in', isFile),
  'evt.buflen.file.out': () => buflenWhen('out', isFile),
  'evt.buflen.net': () => buflenWhen('any', isNet),
  'evt.buflen.net.in': () => buflenWhen('in', isNet),
  'evt.buflen.net.out': () => buflenWhen('out', isNet),
  'evt.res': (_f, o) => (ev, s) => {
    if (!hasReturnValue(ev)) return undefined;
    const res = returnValue(ev);
    if (res >= 0) return 'SUCCESS';
    return o.renderer?.errno(ev, s) ?? ERRNO_NAMES.get(-res) ?? '';
  },
  // A 64-bit result (an mmap address) may not fit a double: exact as a bigint then.
  'evt.rawres': () => (ev) => {
    if (!hasReturnValue(ev)) return undefined;
    return ev.paramLength(0) === 8 ? u64(ev.paramBigInt(0, true)) : returnValue(ev);
  },
  'evt.failed': () => (ev) => {
    const c = errorCount(ev);
    return c === undefined ? undefined : c === 1;
  },
  'evt.is_io': () => (ev) => ((eventFlags[ev.type] ?? 0) & (EF_READS_FROM_FD | EF_WRITES_TO_FD)) !== 0,
  'evt.is_io_read': () => (ev) => ((eventFlags[ev.type] ?? 0) & EF_READS_FROM_FD) !== 0,
  'evt.is_io_write': () => (ev) => ((eventFlags[ev.type] ?? 0) & EF_WRITES_TO_FD) !== 0,
  'evt.io_dir': () => (ev) => {
    const f = eventFlags[ev.type] ?? 0;
    return f & EF_WRITES_TO_FD ? 'write' : f & EF_READS_FROM_FD ? 'read' : undefined;
  },
  'evt.is_wait': () => (ev) => ((eventFlags[ev.type] ?? 0) & EF_WAITS) !== 0,
  'evt.is_syslog': () => (ev, s) => {
    if (((eventFlags[ev.type] ?? 0) & EF_WRITES_TO_FD) === 0) return false;
    const fd = eventFd(ev, s);
    return fd !== undefined && fd.name.includes('/dev/log');
  },
  'evt.count': () => () => 1,
  'evt.count.error': () => errorCount,
  'evt.count.error.file': () => (ev, s) => {
    const fd = eventFd(ev, s);
    if (fd !== undefined) return fd.type === 'file' || fd.type === 'directory' ? errorCount(ev) : undefined;
    return FILE_ERROR_EVENTS(ev.type) ? errorCount(ev) : undefined;
  },
  'evt.count.error.net': () => (ev, s) => {
    const fd = eventFd(ev, s);
    if (fd !== undefined) return isNet(fd) || fd.type === 'unix' ? errorCount(ev) : undefined;
    return NET_ERROR_EVENTS(ev.type) ? errorCount(ev) : undefined;
  },
  'evt.count.error.memory': () => (ev) => (eventCategoryKind[ev.type] === CAT_MEMORY ? errorCount(ev) : undefined),
  'evt.count.error.other': () => (ev, s) => {
    const fd = eventFd(ev, s);
    if (fd !== undefined) return fd.type === 'file' || fd.type === 'directory' || isNet(fd) || fd.type === 'unix' ? undefined : errorCount(ev);
    const t = ev.type;
    return FILE_ERROR_EVENTS(t) || NET_ERROR_EVENTS(t) || eventCategoryKind[t] === CAT_MEMORY ? undefined : errorCount(ev);
  },
  'evt.count.exit': () => (ev) => (isExit(ev) ? 1 : undefined),
  'evt.count.procinfo': () => (ev, s) => {
    if (ev.type !== PROCINFO_E) return 0;
    const t = s.thread(ev.tid);
    return t !== undefined && isMainThread(t) ? 1 : 0;
  },
  'evt.count.threadinfo': () => (ev) => (ev.type === PROCINFO_E ? 1 : 0),
  'evt.abspath': (f) => abspath(f.arg === 'dst' ? 2 : f.arg === 'src' ? 1 : 0),
  'evt.is_open_read': () => isOpen('read'),
  'evt.is_open_write': () => isOpen('write'),
  'evt.is_open_exec': () => isOpen('exec'),
  'evt.is_open_create': () => isOpen('create'),

  // libsinsp's generic event fields.
  'evt.num': () => (ev) => ev.num,
  'evt.time': () => timeField(false, true),
  'evt.time.s': () => timeField(false, false),
  'evt.time.iso8601': () => (ev) => iso8601(ev.ts()),
  'evt.datetime': () => timeField(true, true),
  'evt.datetime.s': () => timeField(true, false),
  'evt.rawtime': () => (ev) => u64(ev.ts()),
  'evt.rawtime.s': () => (ev) => Number(ev.ts() / NS_PER_S),
  'evt.rawtime.ns': () => (ev) => Number(ev.ts() % NS_PER_S),
  'evt.reltime': () => relTime('all'),
  'evt.reltime.s': () => relTime('s'),
  'evt.reltime.ns': () => relTime('ns'),
  'evt.source': () => () => 'syscall',
  'evt.is_async': () => (ev) => isMeta[ev.type] === 1,
  'evt.asynctype': () => (ev) => {
    if (isMeta[ev.type] !== 1) return undefined;
    if (ev.type !== ASYNCEVENT_E) return eventName[ev.type];
    return ev.paramCount > 1 ? ev.paramString(1) : '';
  },
  'evt.hostname': () => (_ev, s) => s.machine.hostname,
};

const INFRASTRUCTURE_EVENT_E = codeOf('PPME_INFRASTRUCTURE_EVENT_E');

/**
 * evt.infra.docker.*: fields of sysdig's docker infrastructure events, whose description
 * parameter is `Key: value; Key: value`. Only the first ':' splits an element (libsinsp
 * asserts there is one); the image keeps what precedes a digest.
 */
function infra(prefix: string, shape: (value: string, element: string) => string): Extractor {
  return (ev) => {
    if (ev.type !== INFRASTRUCTURE_EVENT_E || ev.paramCount < 3) return undefined;
    for (const raw of ev.paramString(2).split(';')) {
      const e = raw.trim();
      if (!e.startsWith(prefix)) continue;
      const parts = e.split(':');
      return shape(parts[1] ?? '', e);
    }
    return undefined;
  };
}

EVT_FIELDS['evt.infra.docker.name'] = () => infra('Event', (v) => v.trim());
EVT_FIELDS['evt.infra.docker.container.id'] = () => infra('ID', (v) => v.trim().slice(0, 12));
EVT_FIELDS['evt.infra.docker.container.name'] = () => infra('name', (v) => v.trim());
EVT_FIELDS['evt.infra.docker.container.image'] = () =>
  infra('Image', (v, e) => {
    let image = v;
    if (image.includes('@')) image = image.slice(0, image.indexOf('@'));
    else if (image.includes('sha256')) image = e.slice(e.indexOf(':') + 1);
    return image.trim();
  });

/** util.cnt: libsinsp counts the extractions of each check, starting at 1. */
export function counter(): Extractor {
  let n = 0;
  return () => ++n;
}
