/**
 * The thread table as libsinsp's thread manager keeps it (userspace/libsinsp/thread_manager.cpp,
 * threadinfo.h): threads by tid, thread groups by pid (the main thread first, a count of the
 * live threads, the reaper mark), parent/children links, removal with reparenting of the
 * children, and the limits (table size, purge interval and timeout).
 */
import { PPM_CL_CHILD_IN_PIDNS, PPM_CL_CLONE_FILES, PPM_CL_CLOSED, PPM_CL_IS_MAIN_THREAD, PPM_CL_NAME_CHANGED } from '../synth/constants.js';
import type { FdInfo, ThreadInfo } from './model.js';

/** A thread as the engine keeps it: ThreadInfo with the engine's bookkeeping always present. */
export type ThreadState = ThreadInfo &
  Required<Pick<ThreadInfo, 'root' | 'reaperTid' | 'children' | 'lastEventFd' | 'lastEventType'>> & {
    children: Set<ThreadState>;
  };

/** thread_manager.h: m_thread_table_default_size. */
export const DEFAULT_MAX_THREADS = 262144;
/** sinsp.h: m_threads_purging_scan_time_ns (1200 s) and m_thread_timeout_ns (1800 s). */
export const DEFAULT_PURGE_INTERVAL_NS = 1200n * 1_000_000_000n;
export const DEFAULT_THREAD_TIMEOUT_NS = 1800n * 1_000_000_000n;
/** thread_manager.h: RECENTLY_EXITED_RING_SIZE, and the 2 s window of has_recently_exited. */
const RECENTLY_EXITED_RING_SIZE = 8192;
const RECENTLY_EXITED_MAX_AGE_NS = 2_000_000_000n;

/** libsinsp's thread_group_info: the threads of one process. */
export interface ThreadGroup {
  pid: number;
  /** Init of a pid namespace, or a process that made itself a child subreaper. */
  reaper: boolean;
  /** The main thread first when known (libsinsp pushes it to the front). */
  threads: ThreadState[];
  /** Threads not yet dead. */
  alive: number;
}

/**
 * libsinsp's new thread (threadinfo.h): ids and credentials unknown, the name just set. Written
 * out, not spread from blankThreadInfo: built by a spread, the state engine ran 17% slower
 * (in-process A/B, bench/README.md; probably the fields added after the spread, read on every
 * event, end up outside the object's in-object slots).
 */
export function newThread(tid: number): ThreadState {
  return {
    tid,
    pid: -1,
    ptid: -1,
    sid: -1,
    vpgid: -1,
    pgid: -1,
    vtid: -1,
    vpid: -1,
    comm: '',
    exe: '',
    exepath: '',
    args: [],
    env: [],
    cwd: '',
    cgroups: [],
    containerId: '',
    uid: 0xffffffff,
    gid: 0xffffffff,
    loginuid: 0xffffffff,
    tty: 0,
    capPermitted: 0n,
    capEffective: 0n,
    capInheritable: 0n,
    exeIno: 0n,
    exeInoCtime: 0n,
    exeInoMtime: 0n,
    exeWritable: false,
    exeUpperLayer: false,
    exeLowerLayer: false,
    exeFromMemfd: false,
    cloneTs: 0n,
    lastExecTs: 0n,
    pidnsInitStartTs: 0n,
    vmsizeKb: 0,
    vmrssKb: 0,
    vmswapKb: 0,
    pfMajor: 0n,
    pfMinor: 0n,
    fdlimit: -1,
    flags: PPM_CL_NAME_CHANGED,
    dead: false,
    fds: new Map(),
    root: '',
    reaperTid: -1,
    children: new Set(),
    lastEventFd: -1,
    lastEventType: -1,
  };
}

export function isInvalid(t: ThreadState): boolean {
  return t.tid < 0 || t.pid < 0 || t.ptid < 0;
}

export function isMainThread(t: ThreadState): boolean {
  return t.tid === t.pid || (t.flags & PPM_CL_IS_MAIN_THREAD) !== 0;
}

export function isInPidNamespace(t: ThreadState): boolean {
  return (t.flags & PPM_CL_CHILD_IN_PIDNS) !== 0 || (t.tid !== t.vtid && t.vtid >= 0);
}

export class ThreadTable {
  readonly threads = new Map<number, ThreadState>();
  readonly groups = new Map<number, ThreadGroup>();
  private readonly groupOf = new WeakMap<ThreadState, ThreadGroup>();
  // The ring of recently exited threads, keyed as libsinsp keys it (the low 32 bits of ptid and
  // tid): the ids in int32 arrays, so that the scan on each clone compares numbers, not BigInts.
  private readonly exitedTids = new Int32Array(RECENTLY_EXITED_RING_SIZE);
  private readonly exitedPtids = new Int32Array(RECENTLY_EXITED_RING_SIZE);
  private readonly exitedTs = new Array<bigint>(RECENTLY_EXITED_RING_SIZE).fill(0n);
  private exitedNext = 0;
  /** Entries of the ring written so far (up to its size). */
  private exitedCount = 0;
  /** Threads refused because the table was full (libsinsp's n_drops_full_threadtable). */
  droppedFull = 0;

  constructor(readonly maxThreads: number) {}

  group(t: ThreadState): ThreadGroup | undefined {
    return this.groupOf.get(t);
  }

  /** get_main_thread: itself, or the first thread of its group when that one is the main thread. */
  mainThread(t: ThreadState): ThreadState | undefined {
    if (isMainThread(t)) return t;
    const first = this.groupOf.get(t)?.threads[0];
    return first !== undefined && isMainThread(first) ? first : undefined;
  }

  /** get_fd_table: threads sharing files (CLONE_FILES) use their main thread's table. */
  fdTable(t: ThreadState): Map<number, FdInfo> | undefined {
    if ((t.flags & PPM_CL_CLONE_FILES) === 0) return t.fds;
    return this.mainThread(t)?.fds;
  }

  /** Points `fds` of a thread at the table it uses (the main thread's when it shares files). */
  private linkFds(t: ThreadState): void {
    const table = this.fdTable(t);
    if (table !== undefined) t.fds = table;
  }

  /** create_thread_dependencies: thread group membership and the parent's children list. */
  createDependencies(t: ThreadState): void {
    if (isInvalid(t) || this.groupOf.has(t)) {
      this.linkFds(t);
      return;
    }
    let group = this.groups.get(t.pid);
    if (group === undefined) {
      group = { pid: t.pid, reaper: t.pid === 1 || t.vpid === 1, threads: [t], alive: 1 };
      this.groups.set(t.pid, group);
    } else {
      if (isMainThread(t)) group.threads.unshift(t);
      else group.threads.push(t);
      group.alive++;
    }
    this.groupOf.set(t, group);
    for (const member of group.threads) this.linkFds(member);
    for (const child of t.children) this.linkFds(child);
    if (t.pid === 1) return;
    const parent = this.threads.get(t.ptid);
    if (parent === undefined || isInvalid(parent)) {
      // An unknown parent: libsinsp makes the thread an orphan (ptid 0).
      t.ptid = 0;
      return;
    }
    this.addChild(parent, t);
  }

  addChild(parent: ThreadState, child: ThreadState): void {
    parent.children.add(child);
    child.ptid = parent.tid;
  }

  /** add_thread: refused (undefined) when the table is full. */
  add(t: ThreadState, dependencies: boolean): ThreadState | undefined {
    if (this.threads.size >= this.maxThreads) {
      this.droppedFull++;
      return undefined;
    }
    if (dependencies) this.createDependencies(t);
    this.linkFds(t);
    this.threads.set(t.tid, t);
    return t;
  }

  /** get_thread when /proc cannot be read (a capture): an unknown tid gets a placeholder thread. */
  getOrCreate(tid: number): ThreadState | undefined {
    const t = this.threads.get(tid);
    if (t !== undefined || this.threads.size >= this.maxThreads) return t;
    const fake = newThread(tid);
    fake.comm = '<NA>';
    fake.exe = '<NA>';
    return this.add(fake, true);
  }

  markDead(t: ThreadState): void {
    if (!t.dead) {
      const group = this.groupOf.get(t);
      if (group !== undefined) group.alive--;
    }
    t.dead = true;
    t.flags |= PPM_CL_CLOSED;
  }

  recordExited(tid: number, ptid: number, ts: bigint): void {
    this.exitedTids[this.exitedNext] = tid | 0;
    this.exitedPtids[this.exitedNext] = ptid | 0;
    this.exitedTs[this.exitedNext] = ts;
    this.exitedNext = (this.exitedNext + 1) % RECENTLY_EXITED_RING_SIZE;
    if (this.exitedCount < RECENTLY_EXITED_RING_SIZE) this.exitedCount++;
  }

  hasRecentlyExited(tid: number, ptid: number, ts: bigint): boolean {
    const t32 = tid | 0;
    const p32 = ptid | 0;
    const tids = this.exitedTids;
    const ptids = this.exitedPtids;
    for (let i = 0; i < this.exitedCount; i++) {
      if (tids[i] === t32 && ptids[i] === p32 && ts >= this.exitedTs[i]! && ts - this.exitedTs[i]! < RECENTLY_EXITED_MAX_AGE_NS) return true;
    }
    return false;
  }

  /** Drops a thread from its parent's children (libsinsp's children are weak references). */
  private detachFromParent(t: ThreadState): void {
    this.threads.get(t.ptid)?.children.delete(t);
  }

  /** Drops a thread from the table, its group and its parent's children (libsinsp's weak references expire). */
  private erase(t: ThreadState): void {
    this.detachFromParent(t);
    if (this.threads.get(t.tid) === t) this.threads.delete(t.tid);
    const group = this.groupOf.get(t);
    if (group !== undefined) {
      const i = group.threads.indexOf(t);
      if (i >= 0) group.threads.splice(i, 1);
    }
  }

  /** find_new_reaper: a live thread of the group, else the nearest reaper ancestor in the same pid namespace. */
  findReaper(t: ThreadState): ThreadState | undefined {
    const group = this.groupOf.get(t);
    if (group !== undefined && group.alive > 0) {
      for (const other of group.threads) if (!other.dead && other !== t) return other;
    }
    const seen = new Set<number>([t.tid]);
    let parent = this.threads.get(t.ptid);
    while (parent !== undefined) {
      if (seen.has(parent.tid)) break; // a loop in the parent chain
      seen.add(parent.tid);
      if (isInPidNamespace(parent) !== isInPidNamespace(t)) break;
      const pg = this.groupOf.get(parent);
      if (pg !== undefined && pg.reaper && pg.alive > 0) {
        for (const member of pg.threads) if (!member.dead) return member;
      }
      parent = this.threads.get(parent.ptid);
    }
    return undefined;
  }

  /** remove_thread: mark dead, hand the children to the reaper, drop the thread (and its group when empty). */
  remove(tid: number): void {
    const t = this.threads.get(tid);
    if (t === undefined) return;
    const group = this.groupOf.get(t);
    if (isInvalid(t) || group === undefined) {
      this.erase(t);
      return;
    }
    if (!t.dead) this.markDead(t);
    if (t.children.size > 0) {
      let reaper: ThreadState | undefined;
      if (t.reaperTid > 0) reaper = this.getOrCreate(t.reaperTid);
      if (reaper === undefined || isInvalid(reaper)) reaper = this.findReaper(t);
      if (reaper !== undefined) {
        t.reaperTid = reaper.tid;
        const rg = this.groupOf.get(reaper);
        if (reaper.pid !== t.pid && rg !== undefined) rg.reaper = true;
      }
      for (const child of t.children) {
        if (reaper === undefined || reaper === t) child.ptid = 0;
        else this.addChild(reaper, child);
      }
      t.children.clear();
    }
    if (group.alive === 0) {
      // The last thread of the process is gone: the main thread and the group go with it.
      this.groups.delete(t.pid);
      const main = this.threads.get(t.pid);
      if (main !== undefined) this.erase(main);
    }
    if (!isMainThread(t)) this.erase(t);
  }
}
