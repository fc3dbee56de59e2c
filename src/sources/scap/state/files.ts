/**
 * The fd parsers of the state engine (libsinsp's parsers.cpp: parse_open_openat_creat_exit,
 * parse_close_range, parse_pipe_exit, parse_socketpair_exit, the single-fd creators,
 * parse_dup_exit, parse_fcntl_exit, parse_dirfd, update_cwd). engine.ts calls them from its
 * update switch with the context it builds once, the event's thread and the event's fd; a
 * parser that can change the event's fd (evt.get_fd_info()) returns it, the one it was given
 * when it changes nothing.
 */
import type { ScapEvent } from '../event.js';
import {
  PPM_AT_FDCWD,
  PPM_CL_PIPE_DST,
  PPM_CL_PIPE_SRC,
  PPM_EPOLL_CLOEXEC,
  PPM_FCNTL_F_DUPFD,
  PPM_FCNTL_F_DUPFD_CLOEXEC,
  PPM_FCNTL_F_SETFD,
  PPM_FD_LOWER_LAYER,
  PPM_FD_LOWER_LAYER_CREAT,
  PPM_FD_UPPER_LAYER,
  PPM_FD_UPPER_LAYER_CREAT,
  PPM_O_CLOEXEC,
  PPM_O_DIRECTORY,
  PPM_O_F_CREATED,
} from '../synth/constants.js';
import {
  CREAT_X,
  DUP3_X,
  EPOLL_CREATE1_X,
  EVENTFD2_X,
  INOTIFY_INIT1_X,
  OPEN_BY_HANDLE_AT_X,
  OPEN_X,
  OPENAT_2_X,
  OPENAT2_X,
  PIPE2_X,
  SIGNALFD4_X,
  SINGLE_FD_TYPE,
  TIMERFD_CREATE_X,
} from './dispatch.js';
import { clearCloseOnExec, cloneFd, FD_FLAGS_OVERLAY_LOWER, FD_FLAGS_OVERLAY_UPPER, newFd } from './fd-flags.js';
import type { FdInfo, ThreadInfo } from './model.js';
import { cstring, has, int64, type StoredEnter, uint } from './params.js';
import { concatenatePaths } from './paths.js';
import type { ThreadState, ThreadTable } from './threads.js';

/** What dirOf and updateCwd read: the thread table and a thread's cwd (ScapStateEngine.cwd). */
export interface DirContext {
  readonly table: ThreadTable;
  cwd(t: ThreadInfo): string;
}

/** What the fd parsers need of the engine: besides the table and cwd, the stored enter event (retrieve_enter_event) and add_fd. */
export interface FileContext extends DirContext {
  enterOf(t: ThreadState, exitType: number): StoredEnter | undefined;
  addFd(t: ThreadState, fd: number, info: FdInfo): FdInfo | undefined;
}

/** parse_dirfd: the directory a relative path is resolved against ('.' for absolute paths). */
export function dirOf(ctx: DirContext, t: ThreadState | undefined, name: string, dirfd: number): string {
  if (name.length > 0 && name[0] === '/') return '.';
  if (t === undefined) return '<UNKNOWN>';
  if (dirfd === PPM_AT_FDCWD) return ctx.cwd(t);
  const f = ctx.table.fdTable(t)?.get(dirfd);
  if (f === undefined) return '<UNKNOWN>';
  if (f.name === '' || f.name.endsWith('/')) return f.name;
  return `${f.name}/`;
}

export function parseOpen(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent, type: number): FdInfo | undefined {
  if (t === undefined) return evFd;
  const enter = type === OPEN_BY_HANDLE_AT_X ? undefined : ctx.enterOf(t, type);
  const fd = ev.paramInt(0);
  let name: string;
  let flags: number;
  let dir: string;
  let dev = 0;
  let ino = 0n;
  if (type === OPEN_X) {
    name = ev.paramString(1);
    flags = ev.paramUint(2);
    if (has(ev, 4)) {
      dev = ev.paramUint(4);
      if (has(ev, 5)) ino = ev.paramBigInt(5);
    }
    if (enter !== undefined) {
      const enterName = cstring(enter.params[0]);
      if (enter.params[0]!.length > 0 && enterName !== '<NA>') {
        name = enterName;
        flags = uint(enter.params[1]) | (flags & ~(PPM_O_F_CREATED - 1));
      }
    }
    dir = ctx.cwd(t);
  } else if (type === CREAT_X) {
    name = ev.paramString(1);
    flags = 0;
    if (has(ev, 3)) {
      dev = ev.paramUint(3);
      if (has(ev, 4)) {
        ino = ev.paramBigInt(4);
        if (has(ev, 5)) {
          const cf = ev.paramUint(5);
          if ((cf & PPM_FD_UPPER_LAYER_CREAT) !== 0) flags |= PPM_FD_UPPER_LAYER;
          else if ((cf & PPM_FD_LOWER_LAYER_CREAT) !== 0) flags |= PPM_FD_LOWER_LAYER;
        }
      }
    }
    if (enter !== undefined && enter.params[0]!.length > 0 && cstring(enter.params[0]) !== '<NA>') name = cstring(enter.params[0]);
    dir = ctx.cwd(t);
  } else if (type === OPENAT_2_X || type === OPENAT2_X) {
    name = has(ev, 2) ? ev.paramString(2) : '<NA>';
    flags = has(ev, 3) ? ev.paramUint(3) : 0;
    const devAt = type === OPENAT_2_X ? 5 : 6;
    if (has(ev, devAt + 1)) {
      dev = ev.paramUint(devAt);
      ino = ev.paramBigInt(devAt + 1);
    }
    let dirfd: number | undefined = has(ev, 1) ? ev.paramInt(1) : undefined;
    if (enter !== undefined) {
      const enterName = cstring(enter.params[1]);
      if (enter.params[1]!.length > 0 && enterName !== '<NA>') {
        name = enterName;
        flags = uint(enter.params[2]) | (flags & ~(PPM_O_F_CREATED - 1));
        dirfd = enter.params[0]!.length > 0 ? int64(enter.params[0]) : undefined;
      }
    }
    dir = dirfd === undefined ? '' : dirOf(ctx, t, name, dirfd);
  } else {
    flags = ev.paramUint(2);
    name = ev.paramString(3);
    if (ev.paramCount > 4) dev = ev.paramUint(4);
    if (ev.paramCount > 5) ino = ev.paramBigInt(5);
    dir = '';
  }
  if (fd < 0) return evFd;
  const f = newFd(fd, (flags & PPM_O_DIRECTORY) !== 0 ? 'directory' : 'file');
  f.openFlags = flags;
  f.dev = dev;
  f.ino = ino;
  f.nameRaw = name;
  f.name = concatenatePaths(dir, name);
  if ((flags & PPM_FD_UPPER_LAYER) !== 0) f.flags |= FD_FLAGS_OVERLAY_UPPER;
  if ((flags & PPM_FD_LOWER_LAYER) !== 0) f.flags |= FD_FLAGS_OVERLAY_LOWER;
  return ctx.addFd(t, fd, f);
}

export function parseCloseRange(ctx: DirContext, t: ThreadState | undefined, ev: ScapEvent): void {
  if (t === undefined || ev.paramInt(0) < 0) return;
  const table = ctx.table.fdTable(t);
  if (table === undefined) return;
  const first = ev.paramUint(1);
  const last = ev.paramUint(2);
  const cloexec = (ev.paramUint(3) & (1 << 2)) !== 0; // PPM_CLOSE_RANGE_CLOEXEC
  for (const [n, f] of table) {
    if (n < 0 || n < first || n > last) continue;
    if (cloexec) f.openFlags |= PPM_O_CLOEXEC;
    else table.delete(n);
  }
}

export function parsePipe(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent, type: number): FdInfo | undefined {
  if (ev.paramInt(0) < 0 || t === undefined) return evFd;
  let added = evFd;
  const ino = ev.paramBigInt(3);
  const flags = type === PIPE2_X ? ev.paramUint(4) : 0;
  for (const at of [1, 2]) {
    const f = newFd(ev.paramInt(at), 'pipe');
    f.ino = ino;
    f.openFlags = flags;
    added = ctx.addFd(t, f.fd, f);
  }
  return added;
}

export function parseSocketpair(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent): FdInfo | undefined {
  if (ev.paramInt(0) < 0 || t === undefined) return evFd;
  const fd1 = ev.paramInt(1);
  const fd2 = ev.paramInt(2);
  if (fd1 === fd2) return undefined;
  const f1 = newFd(fd1, 'unix');
  f1.unix = { source: ev.paramBigInt(3), dest: ev.paramBigInt(4), path: '' };
  const f2 = cloneFd(f1);
  const added = ctx.addFd(t, fd1, f1);
  ctx.addFd(t, fd2, f2);
  return added;
}

export function parseSingleFd(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent, type: number): FdInfo | undefined {
  if (t === undefined) return evFd;
  const fd = ev.paramInt(0);
  if (fd < 0) return evFd;
  const f = newFd(fd, SINGLE_FD_TYPE[type]!);
  if (type === INOTIFY_INIT1_X || type === SIGNALFD4_X) f.openFlags = ev.paramUint(1);
  else if (type === TIMERFD_CREATE_X) f.openFlags = ev.paramUint(2);
  else if (type === EPOLL_CREATE1_X && (ev.paramUint(1) & PPM_EPOLL_CLOEXEC) !== 0) f.openFlags |= PPM_O_CLOEXEC;
  return ctx.addFd(t, fd, f);
}

export function parseEventfd(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent, type: number): FdInfo | undefined {
  if (t === undefined) return evFd;
  const fd = ev.paramInt(0);
  if (fd < 0) return evFd;
  const f = newFd(fd, 'event');
  if (type === EVENTFD2_X) f.openFlags = ev.paramUint(1);
  return ctx.addFd(t, fd, f);
}

export function parseMemfd(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent): FdInfo | undefined {
  if (t === undefined) return evFd;
  const fd = ev.paramInt(0);
  if (fd < 0) return evFd;
  const f = newFd(fd, 'memfd');
  f.name = ev.paramString(1);
  f.openFlags = ev.paramUint(2);
  return ctx.addFd(t, fd, f);
}

export function parsePidfdOpen(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent): FdInfo | undefined {
  if (t === undefined) return evFd;
  const fd = ev.paramInt(0);
  if (fd < 0) return evFd;
  const f = newFd(fd, 'pidfd');
  f.pid = ev.paramInt(1);
  f.name = `/proc/${f.pid}`;
  f.openFlags = ev.paramUint(2);
  return ctx.addFd(t, fd, f);
}

export function parsePidfdGetfd(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent): FdInfo | undefined {
  if (t === undefined) return evFd;
  const pidfd = ctx.table.fdTable(t)?.get(ev.paramInt(1));
  if (pidfd === undefined || pidfd.type !== 'pidfd') return evFd;
  const owner = ctx.table.threads.get(pidfd.pid ?? -1);
  if (owner === undefined) return evFd;
  const target = ctx.table.fdTable(owner)?.get(ev.paramInt(2));
  if (target === undefined) return evFd;
  const f = cloneFd(target);
  clearCloseOnExec(f);
  f.openFlags |= PPM_O_CLOEXEC;
  return ctx.addFd(t, ev.paramInt(0), f);
}

export function parseDup(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent, type: number): FdInfo | undefined {
  if (t === undefined) return evFd;
  const res = ev.paramInt(0);
  if (res < 0 || evFd === undefined) return evFd;
  // A dup onto stdin/stdout marks a shell pipe.
  if (res === 0) t.flags |= PPM_CL_PIPE_DST;
  if (res === 1) t.flags |= PPM_CL_PIPE_SRC;
  const f = cloneFd(evFd);
  clearCloseOnExec(f);
  if (type === DUP3_X && (ev.paramUint(3) & PPM_O_CLOEXEC) !== 0) f.openFlags |= PPM_O_CLOEXEC;
  return ctx.addFd(t, res, f);
}

export function parseFcntl(ctx: FileContext, t: ThreadState | undefined, evFd: FdInfo | undefined, ev: ScapEvent): FdInfo | undefined {
  if (t === undefined) return evFd;
  const cmd = ev.paramUint(2);
  if (cmd !== PPM_FCNTL_F_DUPFD && cmd !== PPM_FCNTL_F_DUPFD_CLOEXEC && cmd !== PPM_FCNTL_F_SETFD) return evFd;
  const res = ev.paramInt(0);
  if (res < 0 || evFd === undefined) return evFd;
  if (cmd === PPM_FCNTL_F_SETFD) {
    clearCloseOnExec(evFd);
    if ((ev.paramBigInt(3) & 1n) !== 0n /* FD_CLOEXEC */) evFd.openFlags |= PPM_O_CLOEXEC;
    return evFd;
  }
  const f = cloneFd(evFd);
  clearCloseOnExec(f);
  if (cmd === PPM_FCNTL_F_DUPFD_CLOEXEC) f.openFlags |= PPM_O_CLOEXEC;
  return ctx.addFd(t, res, f);
}

/** update_cwd: joined with the thread's own cwd, stored on the main thread, always ending in '/'. */
export function updateCwd(ctx: DirContext, t: ThreadState, path: string): void {
  const main = ctx.table.mainThread(t);
  if (main === undefined) return;
  let cwd = concatenatePaths(t.cwd, path);
  if (cwd === '' || !cwd.endsWith('/')) cwd += '/';
  main.cwd = cwd;
}
