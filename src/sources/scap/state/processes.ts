/**
 * The process parsers of the state engine (libsinsp's parsers.cpp: parse_clone_exit with its
 * caller and child halves, parse_execve_exit, parse_prctl_exit, parse_unshare_setns_exit,
 * parse_prlimit_exit) and what only they use. engine.ts calls them from its update switch with
 * the context it builds once and the event's thread; parseClone returns the event's thread
 * after it, since the child's own clone exit creates it.
 */
import type { ScapEvent } from '../event.js';
import {
  PPM_CL_ACTIVE,
  PPM_CL_CHILD_IN_PIDNS,
  PPM_CL_CLONE_FILES,
  PPM_CL_CLONE_INVERTED,
  PPM_CL_CLONE_NEWPID,
  PPM_CL_CLONE_NEWUSER,
  PPM_CL_CLONE_PARENT,
  PPM_CL_CLONE_THREAD,
  PPM_CL_CLONE_VFORK,
  PPM_CL_IS_MAIN_THREAD,
  PPM_CL_NAME_CHANGED,
  PPM_CL_PIPE_DST,
  PPM_CL_PIPE_SRC,
  PPM_EXE_FROM_MEMFD,
  PPM_EXE_LOWER_LAYER,
  PPM_EXE_UPPER_LAYER,
  PPM_EXE_WRITABLE,
  PPM_EXVAT_AT_EMPTY_PATH,
  PPM_PR_GET_CHILD_SUBREAPER,
  PPM_PR_SET_CHILD_SUBREAPER,
} from '../synth/constants.js';
import { EXECVE_19_E, SETNS_X, VFORK_20_X } from './dispatch.js';
import { cloneFd, FD_FLAGS_IS_CLONED, isCloseOnExec } from './fd-flags.js';
import { dirOf, type FileContext } from './files.js';
import type { FdInfo } from './model.js';
import { cstring, has, int64, splitNul, uint } from './params.js';
import { concatenatePaths } from './paths.js';
import { isInvalid, isMainThread, newThread, type ThreadState } from './threads.js';

/** settings.h: CLONE_STALE_TIME_NS. */
const CLONE_STALE_TIME_NS = 2_000_000_000n;
/** sinsp_utils::get_max_caps on current kernels (CAP_LAST_CAP 40): what a new user namespace grants. */
const MAX_CAPS = (1n << 41n) - 1n;

/** What the process parsers need of the engine (built once by it; `machine` is read through a getter, seed() replaces it). */
export interface ProcessContext extends Pick<FileContext, 'table' | 'cwd' | 'enterOf'> {
  readonly machine: { readonly bootTime: bigint };
  addUserGroup(t: ThreadState, containerId: string): void;
  assignContainer(t: ThreadState): void;
}

/** parse_clone_exit: returns the event's thread after it (the child's own event may replace it). */
export function parseClone(ctx: ProcessContext, t: ThreadState | undefined, ev: ScapEvent): ThreadState | undefined {
  const child = ev.paramInt(0);
  if (child < 0) return t;
  if (child === 0) return cloneChild(ctx, t, ev);
  cloneCaller(ctx, t, ev, child);
  return t;
}

/** Page faults and memory sizes, parameters 8 to 12 of clone and execve exits (when the layout has them). */
function countersFromProcessEvent(t: ThreadState, ev: ScapEvent): void {
  if (!has(ev, 12)) return;
  t.pfMajor = ev.paramBigInt(8);
  t.pfMinor = ev.paramBigInt(9);
  t.vmsizeKb = ev.paramUint(10);
  t.vmrssKb = ev.paramUint(11);
  t.vmswapKb = ev.paramUint(12);
}

/** Fields of a new thread that come from the clone exit event itself. */
function fillFromClone(c: ThreadState, ev: ScapEvent): void {
  c.exe = ev.paramString(1);
  c.args = splitNul(ev.paramBytes(2));
  c.comm = has(ev, 13) ? ev.paramString(13) : c.exe;
  c.fdlimit = ev.paramInt(7);
  countersFromProcessEvent(c, ev);
  c.uid = ev.paramUint(16);
  c.gid = ev.paramUint(17);
  if (has(ev, 14)) c.cgroups = parseCgroups(splitNul(ev.paramBytes(14)));
  c.cloneTs = ev.ts();
}

/** What a child takes from the thread it was created by (or its leader). */
function inherit(ctx: ProcessContext, c: ThreadState, from: ThreadState, leader: boolean): void {
  c.exepath = from.exepath;
  c.exeWritable = from.exeWritable;
  c.exeUpperLayer = from.exeUpperLayer;
  c.exeLowerLayer = from.exeLowerLayer;
  c.exeFromMemfd = from.exeFromMemfd;
  c.root = from.root;
  c.sid = from.sid;
  c.vpgid = from.vpgid;
  c.pgid = from.pgid;
  c.tty = from.tty;
  c.loginuid = from.loginuid;
  c.capPermitted = from.capPermitted;
  c.capInheritable = from.capInheritable;
  c.capEffective = from.capEffective;
  c.exeIno = from.exeIno;
  c.exeInoCtime = from.exeInoCtime;
  c.exeInoMtime = from.exeInoMtime;
  if (leader) inheritFiles(ctx, c, from);
}

/** The ids a clone exit gives the thread it is about: pid and parent, and the namespaced ones (absent from older layouts). */
function idsFromClone(t: ThreadState, ev: ScapEvent): void {
  t.pid = ev.paramInt(4);
  t.ptid = ev.paramInt(5);
  if (has(ev, 19)) {
    t.vtid = ev.paramInt(18);
    t.vpid = ev.paramInt(19);
  } else {
    t.vtid = t.tid;
    t.vpid = -1;
  }
}

function cloneCaller(ctx: ProcessContext, caller: ThreadState | undefined, ev: ScapEvent, childTid: number): void {
  if (caller === undefined) return;
  let valid = true;
  if (isInvalid(caller)) {
    valid = false;
    idsFromClone(caller, ev);
    ctx.table.createDependencies(caller);
  }
  const flags = ev.paramUint(15);
  // In a container the caller sees namespaced ids: the child's own event creates it.
  if ((flags & (PPM_CL_CHILD_IN_PIDNS | PPM_CL_CLONE_NEWPID | PPM_CL_CLONE_PARENT)) !== 0 || caller.tid !== caller.vtid) return;
  // vfork: the child may already have run and exited; its own event is authoritative.
  if ((flags & PPM_CL_CLONE_VFORK) !== 0 || ev.type === VFORK_20_X) return;
  const ts = ev.ts();
  if (ctx.table.hasRecentlyExited(childTid, caller.tid, ts)) return;
  const existing = ctx.table.threads.get(childTid);
  if (existing !== undefined) {
    if ((existing.flags & PPM_CL_CLONE_INVERTED) !== 0) return;
    ctx.table.remove(childTid); // a stale thread whose exit we missed
  }
  const c = newThread(childTid);
  c.lastExecTs = 0n;
  c.flags = flags;
  if ((flags & PPM_CL_CLONE_THREAD) === 0) {
    if (valid) inheritFiles(ctx, c, caller);
    c.pid = childTid;
    c.ptid = caller.tid;
  } else {
    c.pid = caller.pid;
    c.ptid = caller.ptid;
    c.flags |= PPM_CL_CLONE_FILES; // threads use the main thread's fd table
    c.lastExecTs = caller.lastExecTs;
  }
  c.vtid = c.tid;
  c.vpid = c.pid;
  fillFromClone(c, ev);
  c.cloneTs = ts;
  c.pidnsInitStartTs = ctx.machine.bootTime;
  if (valid) inherit(ctx, c, caller, false);
  else {
    caller.exe = c.exe;
    caller.comm = c.comm;
    caller.args = c.args;
  }
  ctx.addUserGroup(c, '');
  ctx.table.add(c, true);
}

/**
 * What a new process (not a thread) takes: a copy of the fd table (libsinsp copies it even
 * with CLONE_FILES, see parse_clone_exit_caller), the cwd and the environment.
 */
function inheritFiles(ctx: ProcessContext, c: ThreadState, from: ThreadState): void {
  const table = ctx.table.fdTable(from);
  const fds = new Map<number, FdInfo>();
  if (table !== undefined) {
    for (const [n, f] of table) {
      const copy = cloneFd(f);
      copy.flags |= FD_FLAGS_IS_CLONED;
      fds.set(n, copy);
    }
  }
  c.fds = fds;
  c.cwd = ctx.cwd(from);
  c.env = from.env;
}

/** parse_clone_exit_child, the child's own clone exit: returns the event's thread after it (the new thread, or none). */
function cloneChild(ctx: ProcessContext, existing: ThreadState | undefined, ev: ScapEvent): ThreadState | undefined {
  const tid = ev.tid;
  const ts = ev.ts();
  if (existing !== undefined && existing.cloneTs !== 0n) {
    // Created by the caller's event moments ago: nothing to add.
    if (ts - existing.cloneTs < CLONE_STALE_TIME_NS) return existing;
    ctx.table.remove(tid);
  }
  const c = newThread(tid);
  idsFromClone(c, ev);
  c.flags = ev.paramUint(15) | PPM_CL_CLONE_INVERTED;
  const leader = (c.flags & PPM_CL_CLONE_THREAD) === 0;
  if (!leader) c.flags |= PPM_CL_CLONE_FILES;
  const lookup = ctx.table.getOrCreate(leader ? c.ptid : c.pid);
  if (lookup === undefined) return undefined;
  const validLookup = !isInvalid(lookup);
  if (!validLookup && !leader) {
    lookup.pid = c.pid;
    lookup.ptid = c.ptid;
    lookup.vpid = c.vpid;
    lookup.vtid = lookup.vpid;
    ctx.table.createDependencies(lookup);
  }
  fillFromClone(c, ev);
  if (validLookup) {
    inherit(ctx, c, lookup, leader);
    if (!leader) c.lastExecTs = lookup.lastExecTs;
  } else if (!leader) {
    lookup.exe = c.exe;
    lookup.comm = c.comm;
    lookup.args = c.args;
  }
  c.cloneTs = ts;
  if ((c.flags & (PPM_CL_CHILD_IN_PIDNS | PPM_CL_CLONE_NEWPID)) !== 0 || c.tid !== c.vtid) {
    if (has(ev, 20)) c.pidnsInitStartTs = ev.paramBigInt(20) + ctx.machine.bootTime;
  } else {
    c.pidnsInitStartTs = ctx.machine.bootTime;
  }
  ctx.addUserGroup(c, '');
  return ctx.table.add(c, true);
}

export function parseExecve(ctx: ProcessContext, t: ThreadState | undefined, ev: ScapEvent): void {
  if (ev.paramInt(0) < 0 || t === undefined) return;
  if (t.dead) {
    // resurrect_thread: an execve after procexit (the exit was of another thread of the group).
    const group = ctx.table.group(t);
    if (group !== undefined) group.alive++;
    t.dead = false;
    t.flags &= ~(1 << 18);
  }
  t.exe = ev.paramString(1);
  t.lastExecTs = ev.ts();
  t.comm = has(ev, 13) ? ev.paramString(13) : t.exe;
  t.args = splitNul(ev.paramBytes(2));
  t.pid = ev.paramInt(4);
  if (isInvalid(t)) {
    t.ptid = ev.paramInt(5);
    if ((t.flags & PPM_CL_CHILD_IN_PIDNS) === 0) {
      t.vtid = t.tid;
      t.vpid = t.pid;
    }
    ctx.table.createDependencies(t);
  }
  t.fdlimit = ev.paramInt(7);
  countersFromProcessEvent(t, ev);
  if (has(ev, 15)) t.env = splitNul(ev.paramBytes(15));
  if (has(ev, 14)) t.cgroups = parseCgroups(splitNul(ev.paramBytes(14)));
  if (has(ev, 16)) t.tty = ev.paramUint(16);
  if (has(ev, 27)) t.exepath = ev.paramString(27);
  else exepathFromEnter(ctx, t, ev);
  if (has(ev, 17)) t.vpgid = ev.paramInt(17);
  if (has(ev, 18)) t.loginuid = ev.paramUint(18);
  if (has(ev, 19)) {
    const f = ev.paramUint(19);
    t.exeWritable = (f & PPM_EXE_WRITABLE) !== 0;
    t.exeUpperLayer = (f & PPM_EXE_UPPER_LAYER) !== 0;
    t.exeFromMemfd = (f & PPM_EXE_FROM_MEMFD) !== 0;
    t.exeLowerLayer = (f & PPM_EXE_LOWER_LAYER) !== 0;
  }
  if (has(ev, 22)) {
    t.capInheritable = ev.paramBigInt(20);
    t.capPermitted = ev.paramBigInt(21);
    t.capEffective = ev.paramBigInt(22);
  }
  if (has(ev, 25)) {
    t.exeIno = ev.paramBigInt(23);
    t.exeInoCtime = ev.paramBigInt(24);
    t.exeInoMtime = ev.paramBigInt(25);
  }
  if (has(ev, 26)) t.uid = ev.paramUint(26);
  t.pgid = has(ev, 28) ? ev.paramInt(28) : -1;
  if (has(ev, 29)) t.gid = ev.paramUint(29);
  ctx.assignContainer(t);
  ctx.addUserGroup(t, t.containerId);
  // Close-on-exec fds are gone after a successful execve.
  const table = ctx.table.fdTable(t);
  if (table !== undefined) {
    for (const [n, f] of table) if (isCloseOnExec(f)) table.delete(n);
  }
  const keep = t.flags & (PPM_CL_PIPE_SRC | PPM_CL_PIPE_DST | PPM_CL_IS_MAIN_THREAD | PPM_CL_CLONE_INVERTED);
  t.flags = PPM_CL_ACTIVE | keep | PPM_CL_NAME_CHANGED;
  // The other threads of the process do not survive an execve.
  const group = ctx.table.group(t);
  if (group !== undefined && group.alive > 1) {
    for (const other of [...group.threads]) {
      if (other === t || isMainThread(other)) continue;
      ctx.table.remove(other.tid);
    }
  }
}

/** exepath from the enter event when the exit lacks trusted_exepath (older drivers). */
function exepathFromEnter(ctx: ProcessContext, t: ThreadState, ev: ScapEvent): void {
  const enter = ctx.enterOf(t, ev.type);
  if (enter === undefined) return;
  if (enter.type === EXECVE_19_E) {
    const filename = cstring(enter.params[0]);
    t.exepath = filename === '<NA>' ? '<NA>' : concatenatePaths(ctx.cwd(t), filename);
    return;
  }
  const dirfd = int64(enter.params[0]);
  const pathname = cstring(enter.params[1]);
  const flags = uint(enter.params[2]);
  const dir = dirOf(ctx, t, pathname, dirfd);
  if (((flags & PPM_EXVAT_AT_EMPTY_PATH) === 0 && pathname === '<NA>') || dir === '<UNKNOWN>') t.exepath = '<NA>';
  else if ((flags & PPM_EXVAT_AT_EMPTY_PATH) !== 0) t.exepath = concatenatePaths('', dir);
  else t.exepath = concatenatePaths(dir, pathname);
}

export function parsePrctl(ctx: ProcessContext, t: ThreadState | undefined, ev: ScapEvent): void {
  if (ev.paramInt(0) < 0 || t === undefined || isInvalid(t)) return;
  const option = ev.paramUint(1);
  if (option !== PPM_PR_SET_CHILD_SUBREAPER && option !== PPM_PR_GET_CHILD_SUBREAPER) return;
  const group = ctx.table.group(t);
  if (group !== undefined) group.reaper = ev.paramInt(3) !== 0;
}

export function parseUnshare(t: ThreadState | undefined, ev: ScapEvent, type: number): void {
  if (ev.paramInt(0) < 0 || t === undefined) return;
  let flags = 0;
  if (type === SETNS_X) flags = has(ev, 2) ? ev.paramUint(2) : 0;
  else flags = ev.paramUint(1);
  if ((flags & PPM_CL_CLONE_NEWUSER) === 0) return;
  t.capInheritable = MAX_CAPS;
  t.capPermitted = MAX_CAPS;
  t.capEffective = MAX_CAPS;
}

export function parsePrlimit(ctx: ProcessContext, ev: ScapEvent): void {
  if (ev.paramInt(0) !== 0 || !has(ev, 6) || ev.paramUint(6) !== 7 /* PPM_RLIMIT_NOFILE */) return;
  const cur = ev.paramInt(1);
  if (cur === -1 || !has(ev, 5)) return;
  let tid = ev.paramInt(5);
  if (tid === 0) tid = ev.tid;
  const target = ctx.table.getOrCreate(tid);
  if (target === undefined || isInvalid(target)) return;
  const main = ctx.table.mainThread(target);
  if (main !== undefined) main.fdlimit = cur;
}

function parseCgroups(defs: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const def of defs) {
    const eq = def.indexOf('=');
    // libsinsp stops at the first malformed entry and keeps the cgroups it had.
    if (eq < 0) return out;
    let subsys = def.slice(0, eq);
    const p = subsys.indexOf('_cgroup');
    if (p >= 0) subsys = subsys.slice(0, p) + subsys.slice(p + '_cgroup'.length);
    if (subsys === 'perf') subsys = 'perf_event';
    else if (subsys === 'mem') subsys = 'memory';
    else if (subsys === 'io') subsys = 'blkio';
    out.push([subsys, def.slice(eq + 1)]);
  }
  return out;
}
