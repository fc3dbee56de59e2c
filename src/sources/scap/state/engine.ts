/**
 * The state engine: libsinsp's parser (userspace/libsinsp/parsers.cpp) over ScapEvents. It
 * keeps the thread table, the per-process fd tables, users, groups and containers, and
 * exposes them as a StateView for the field extractors. Call update(ev) for every event of
 * the capture, in order, before extracting fields of that event: like libsinsp, removals
 * caused by an event (procexit, close) take effect when the next event arrives, so the
 * event that caused them still sees the thread or fd.
 *
 * The per-event path is a table lookup and a switch on the event code; events that change
 * no state allocate nothing. The process parsers (clone, execve, ...) are in processes.ts and
 * the fd parsers (open, pipe, dup, ...) in files.ts: the switch calls them with a context
 * built once in the constructor.
 */
import type { ScapEvent } from '../event.js';
import { PPM_CL_ACTIVE, PPM_CL_CLONE_FILES } from '../synth/constants.js';
import { bareContainer, containerFromJson, containerIdOf, containerTypeName } from './containers.js';
import {
  ENTER_FD_PARAM,
  EXECVE_19_X,
  EXECVEAT_E,
  EXIT_FD_PARAM,
  GROUP_ADDED_E,
  H_ACCEPT,
  H_ASYNC,
  H_BIND,
  H_CAPSET,
  H_CHDIR,
  H_CHROOT,
  H_CLONE,
  H_CLOSE,
  H_CLOSE_RANGE,
  H_CONNECT,
  H_CONTAINER,
  H_CONTAINER_JSON,
  H_CONTEXT_SWITCH,
  H_DUP,
  H_EVENTFD,
  H_EXECVE,
  H_FCHDIR,
  H_FCNTL,
  H_GETCWD,
  H_GROUP,
  H_MEMFD,
  H_MEMORY,
  H_NONE,
  H_OPEN,
  H_PIDFD_GETFD,
  H_PIDFD_OPEN,
  H_PIPE,
  H_PRCTL,
  H_PRLIMIT,
  H_PROCEXIT,
  H_READ_TUPLE,
  H_RLIMIT,
  H_SETGID,
  H_SETSID,
  H_SETUID,
  H_SINGLE_FD,
  H_SOCKET,
  H_SOCKETPAIR,
  H_UNSHARE,
  H_USER,
  H_WRITE_TUPLE,
  HANDLER,
  IS_EXIT,
  IS_META,
  N,
  NO_THREAD,
  PARAM_NAMES,
  QUERY_OS,
  SETGID_X,
  SETUID_X,
  SKIP_EMPTY_ENTER,
  STORE_ENTER,
  USER_ADDED_E,
} from './dispatch.js';
import {
  type FileContext,
  parseCloseRange,
  parseDup,
  parseEventfd,
  parseFcntl,
  parseMemfd,
  parseOpen,
  parsePidfdGetfd,
  parsePidfdOpen,
  parsePipe,
  parseSingleFd,
  parseSocketpair,
  updateCwd,
} from './files.js';
import type { ContainerInfo, FdInfo, GroupInfo, StateView, ThreadInfo, UserInfo } from './model.js';
import { ipv4String } from './net.js';
import { PaddedEvent } from './padded.js';
import { cstring, has, type StoredEnter } from './params.js';
import { concatenatePaths } from './paths.js';
import { type ProcessContext, parseClone, parseExecve, parsePrctl, parsePrlimit, parseUnshare } from './processes.js';
import { parseAccept, parseBind, parseConnect, parseReadTuple, parseSocket, parseWriteTuple, type SocketContext } from './socket-events.js';
import { equalBytes, type Interfaces } from './sockets.js';
import {
  DEFAULT_MAX_THREADS,
  DEFAULT_PURGE_INTERVAL_NS,
  DEFAULT_THREAD_TIMEOUT_NS,
  isInvalid,
  isMainThread,
  newThread,
  type ThreadState,
  ThreadTable,
} from './threads.js';
import { UserGroupTables } from './users.js';

/** settings.h: MAX_FD_TABLE_SIZE, the most fds libsinsp keeps per process. */
export const MAX_FD_TABLE_SIZE = 4096;

export interface EngineOptions {
  /** thread_manager's m_max_thread_table_size (262144). */
  maxThreads?: number;
  /** The fd table limit per process (MAX_FD_TABLE_SIZE, 4096). */
  maxFds?: number;
  /**
   * Purge inactive threads every purgeIntervalNs of event time, dropping those idle for
   * threadTimeoutNs. libsinsp only does this live (sinsp::next skips it when reading a
   * capture), so it is off by default.
   */
  purgeInactiveThreads?: boolean;
  purgeIntervalNs?: bigint;
  threadTimeoutNs?: bigint;
  /**
   * Light events by code (read-plan.ts): the reader leaves them unconverted, and the engine
   * does their thread bookkeeping only, without reading a parameter.
   */
  lightEvents?: Uint8Array;
}

export interface SeedThread extends Partial<Omit<ThreadInfo, 'tid'>> {
  tid: number;
}

export interface Seed {
  /** The capture's process list (threads, with their fd tables). */
  threads?: readonly SeedThread[];
  /** The user list; containerId '' (the default) is the host's. */
  users?: readonly (UserInfo & { containerId?: string })[];
  groups?: readonly (GroupInfo & { containerId?: string })[];
  machine?: { hostname: string; bootTime: bigint; numCpus: number };
  /** The capture's network interfaces (addresses in network byte order). */
  interfaces?: { ipv4?: readonly { addr: Uint8Array; netmask: Uint8Array }[]; ipv6?: readonly { addr: Uint8Array }[] };
}

export class ScapStateEngine implements StateView {
  readonly table: ThreadTable;
  readonly maxFds: number;
  machine: { hostname: string; bootTime: bigint; numCpus: number } = { hostname: '', bootTime: 0n, numCpus: 0 };
  private readonly identities = new UserGroupTables();
  private readonly containers = new Map<string, ContainerInfo>();
  private readonly enters = new Map<number, StoredEnter>();
  private interfaces: Interfaces = { ipv4: [], ipv6: [] };
  private readonly purge: boolean;
  private readonly purgeIntervalNs: bigint;
  private readonly threadTimeoutNs: bigint;
  private lastPurgeTs = 0n;
  private readonly light: Uint8Array | undefined;
  /** libsinsp's m_lastaccess_ts, kept only when purging. */
  private readonly lastAccess = new Map<number, bigint>();
  /** Deferred removals (libsinsp's parser verdict): applied when the next event arrives. */
  private pendingTid = -1;
  private pendingFdTid = -1;
  private pendingFd = -1;
  /** The thread and fd of the event being parsed (libsinsp's evt.get_tinfo / get_fd_info). */
  private t: ThreadState | undefined = undefined;
  private fd: FdInfo | undefined = undefined;
  /** libsinsp's m_firstevent_ts: the time of the first event that is not a meta event (0 before it). */
  firstEventTs = 0n;
  /** What processes.ts and files.ts use of the engine: one object for all events (one shape at every call). */
  private readonly ctx: ProcessContext & FileContext & SocketContext;

  constructor(options: EngineOptions = {}) {
    this.table = new ThreadTable(options.maxThreads ?? DEFAULT_MAX_THREADS);
    this.maxFds = options.maxFds ?? MAX_FD_TABLE_SIZE;
    this.purge = options.purgeInactiveThreads ?? false;
    this.purgeIntervalNs = options.purgeIntervalNs ?? DEFAULT_PURGE_INTERVAL_NS;
    this.threadTimeoutNs = options.threadTimeoutNs ?? DEFAULT_THREAD_TIMEOUT_NS;
    this.light = options.lightEvents;
    const engine = this;
    this.ctx = {
      table: this.table,
      // seed() replaces the machine object.
      get machine() {
        return engine.machine;
      },
      cwd: (t) => this.cwd(t),
      enterOf: (t, exitType) => this.enterOf(t, exitType),
      addFd: (t, fd, info) => this.addFd(t, fd, info),
      addUserGroup: (t, containerId) => this.addUserGroup(t, containerId),
      assignContainer: (t) => this.assignContainer(t),
      // seed() replaces the interfaces too.
      get interfaces() {
        return engine.interfaces;
      },
    };
  }

  // ---------------------------------------------------------------- StateView

  thread(tid: number): ThreadState | undefined {
    return this.table.threads.get(tid);
  }

  mainThread(t: ThreadInfo): ThreadState | undefined {
    return this.table.mainThread(t as ThreadState);
  }

  parent(t: ThreadInfo): ThreadState | undefined {
    return this.table.threads.get(t.ptid);
  }

  cwd(t: ThreadInfo): string {
    return this.table.mainThread(t as ThreadState)?.cwd ?? './';
  }

  user(uid: number, containerId = ''): UserInfo | undefined {
    return this.identities.user(uid, containerId);
  }

  group(gid: number, containerId = ''): GroupInfo | undefined {
    return this.identities.group(gid, containerId);
  }

  container(id: string): ContainerInfo | undefined {
    return this.containers.get(id);
  }

  /** The fd the last event worked on (evt->get_fd_info()): still set on the close that removes it. */
  get eventFd(): FdInfo | undefined {
    return this.fd;
  }

  /** get_num_threads: the alive threads of t's thread group (0 without one). */
  aliveThreads(t: ThreadInfo): number {
    return this.table.group(t as ThreadState)?.alive ?? 0;
  }

  /**
   * is_ipv4addr_in_local_machine / is_ipv6addr_in_local_machine (ifinfo.cpp): an IPv4
   * address is local when an interface has exactly it (a container thread: the container's
   * IP); an IPv6 one when it shares an interface's first 64 bits (never in a container).
   */
  isLocalAddress(addr: Uint8Array, t: ThreadInfo | undefined): boolean {
    const cid = t?.containerId ?? '';
    const inContainer = cid !== '' && cid !== 'host';
    if (addr.length === 4) {
      if (inContainer) {
        const ip = this.containers.get(cid)?.extra['ip'];
        if (typeof ip === 'string' && ip !== '') return ip === ipv4String(addr);
        for (const c of this.containers.values()) if (c.extra['ip'] === ipv4String(addr)) return true;
        return false;
      }
      for (const i of this.interfaces.ipv4) if (equalBytes(i.addr, addr)) return true;
      return false;
    }
    if (inContainer) return false;
    for (const i of this.interfaces.ipv6) if (equalBytes(i.addr.subarray(0, 8), addr.subarray(0, 8))) return true;
    return false;
  }

  /** The fd table a thread uses (its main thread's when it shares files). */
  fdTable(t: ThreadInfo): Map<number, FdInfo> | undefined {
    return this.table.fdTable(t as ThreadState);
  }

  // ---------------------------------------------------------------- seeding

  /** Loads the capture's process list, users, groups and machine info (before the first event). */
  seed(seed: Seed): void {
    if (seed.machine !== undefined) this.machine = { ...seed.machine };
    if (seed.interfaces !== undefined) this.interfaces = { ipv4: seed.interfaces.ipv4 ?? [], ipv6: seed.interfaces.ipv6 ?? [] };
    for (const u of seed.users ?? [])
      this.identities.putUser(u.containerId ?? '', { uid: u.uid, gid: u.gid, name: u.name, homedir: u.homedir, shell: u.shell });
    for (const g of seed.groups ?? []) this.identities.putGroup(g.containerId ?? '', { gid: g.gid, name: g.name });
    const added: ThreadState[] = [];
    for (const s of seed.threads ?? []) {
      const t: ThreadState = { ...newThread(s.tid), ...s, children: new Set(), fds: s.fds ?? new Map() };
      // Bookkeeping members given as undefined keep their defaults.
      t.root ??= '';
      t.reaperTid ??= -1;
      t.lastEventFd ??= -1;
      t.lastEventType ??= -1;
      if (t.cwd !== '' && !t.cwd.endsWith('/')) t.cwd += '/';
      // The proc scan marks the non-main threads of a process as sharing its files.
      if (t.tid !== t.pid && t.pid > 0) t.flags |= PPM_CL_CLONE_FILES;
      if (this.table.add(t, false) !== undefined) added.push(t);
    }
    // create_thread_dependencies_after_proc_scan: main threads first so that threads find them.
    added.sort((a, b) => Number(isMainThread(b)) - Number(isMainThread(a)));
    for (const t of added) this.table.createDependencies(t);
    for (const t of added) if (t.containerId === '') this.assignContainer(t);
  }

  // ---------------------------------------------------------------- per event

  update(event: ScapEvent): void {
    if (this.pendingTid !== -1 || this.pendingFd !== -1) this.applyPending(event);
    const type = event.type;
    if (type >= N) return;
    if (this.firstEventTs === 0n && IS_META[type] === 0) this.firstEventTs = event.ts();
    if (this.light !== undefined && this.light[type] === 1) {
      this.updateLight(event, type);
      return;
    }
    let ev = event;
    if (IS_EXIT[type] === 1 && HANDLER[type] !== H_NONE && ev.paramCount < PARAM_NAMES[type]!.length) ev = this.complete(ev);
    if (this.purge) this.maybePurge(ev.ts());
    if (NO_THREAD[type] === 0) this.resetThread(ev, type);
    else this.clearEvent();
    if (this.purge && this.t !== undefined) this.lastAccess.set(this.t.tid, ev.ts());
    if (STORE_ENTER[type] === 1) this.storeEnter(ev, type);
    switch (HANDLER[type]) {
      case H_NONE:
        break;
      case H_CLONE:
        this.t = parseClone(this.ctx, this.t, ev);
        // The container plugin parses the event after libsinsp, on the event's thread.
        if (ev.paramInt(0) >= 0 && this.t !== undefined) this.assignContainer(this.t);
        break;
      case H_EXECVE:
        parseExecve(this.ctx, this.t, ev);
        break;
      case H_PROCEXIT:
        this.parseProcexit(ev);
        break;
      case H_OPEN:
        this.fd = parseOpen(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_SOCKET:
        this.fd = parseSocket(this.ctx, this.t, this.fd, ev);
        break;
      case H_BIND:
        parseBind(this.fd, ev);
        break;
      case H_CONNECT:
        parseConnect(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_ACCEPT:
        this.fd = parseAccept(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_CLOSE:
        if (ev.paramInt(0) >= 0 && this.fd !== undefined && this.t !== undefined) {
          this.pendingFdTid = this.t.tid;
          this.pendingFd = this.t.lastEventFd;
        }
        break;
      case H_CLOSE_RANGE:
        parseCloseRange(this.ctx, this.t, ev);
        break;
      case H_PIPE:
        this.fd = parsePipe(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_SOCKETPAIR:
        this.fd = parseSocketpair(this.ctx, this.t, this.fd, ev);
        break;
      case H_SINGLE_FD:
        this.fd = parseSingleFd(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_EVENTFD:
        this.fd = parseEventfd(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_MEMFD:
        this.fd = parseMemfd(this.ctx, this.t, this.fd, ev);
        break;
      case H_PIDFD_OPEN:
        this.fd = parsePidfdOpen(this.ctx, this.t, this.fd, ev);
        break;
      case H_PIDFD_GETFD:
        this.fd = parsePidfdGetfd(this.ctx, this.t, this.fd, ev);
        break;
      case H_DUP:
        this.fd = parseDup(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_FCNTL:
        this.fd = parseFcntl(this.ctx, this.t, this.fd, ev);
        break;
      case H_CHDIR:
      case H_GETCWD:
        if (ev.paramInt(0) >= 0 && this.t !== undefined) updateCwd(this.ctx, this.t, ev.paramString(1));
        break;
      case H_FCHDIR:
        if (ev.paramInt(0) >= 0 && this.fd !== undefined && this.t !== undefined) updateCwd(this.ctx, this.t, this.fd.name);
        break;
      case H_READ_TUPLE:
        parseReadTuple(this.ctx, this.fd, ev, type);
        break;
      case H_WRITE_TUPLE:
        this.fd = parseWriteTuple(this.ctx, this.t, this.fd, ev, type);
        break;
      case H_SETUID:
        // setuid's uid is parameter 1; setresuid/setreuid's euid is parameter 2.
        if (ev.paramInt(0) === 0 && this.t !== undefined) this.setUser(this.t, ev, type === SETUID_X ? 1 : 2);
        break;
      case H_SETGID:
        if (ev.paramInt(0) === 0 && this.t !== undefined) this.setGroup(this.t, ev, type === SETGID_X ? 1 : 2);
        break;
      case H_SETSID:
        if (ev.paramInt(0) >= 0 && this.t !== undefined) this.t.sid = ev.paramInt(0);
        break;
      case H_CAPSET:
        if (ev.paramInt(0) >= 0 && this.t !== undefined) {
          this.t.capInheritable = ev.paramBigInt(1);
          this.t.capPermitted = ev.paramBigInt(2);
          this.t.capEffective = ev.paramBigInt(3);
        }
        break;
      case H_PRCTL:
        parsePrctl(this.ctx, this.t, ev);
        break;
      case H_CHROOT:
        if (this.t !== undefined) {
          if (ev.paramInt(0) === 0) {
            // parse_chroot_exit takes the path as resolved against the cwd when relative.
            const path = ev.paramString(1);
            this.t.root = path === '<NA>' || path === '' || path.startsWith('/') ? path : concatenatePaths(this.cwd(this.t), path);
          }
          if (ev.paramInt(0) >= 0) this.assignContainer(this.t);
        }
        break;
      case H_UNSHARE:
        parseUnshare(this.t, ev, type);
        break;
      case H_RLIMIT:
        if (this.t !== undefined && ev.paramInt(0) >= 0 && ev.paramUint(3) === 7 /* PPM_RLIMIT_NOFILE */) {
          const cur = ev.paramInt(1);
          const main = this.table.mainThread(this.t);
          if (cur !== -1 && main !== undefined) main.fdlimit = cur;
        }
        break;
      case H_PRLIMIT:
        parsePrlimit(this.ctx, ev);
        break;
      case H_CONTAINER: {
        const id = ev.paramString(0);
        this.containers.set(id, bareContainer(id, containerTypeName(ev.paramUint(1)), ev.paramString(2), ev.paramString(3)));
        break;
      }
      case H_CONTAINER_JSON:
        if (has(ev, 0)) this.addContainerJson(ev.paramString(0), true);
        break;
      case H_ASYNC:
        this.parseAsync(ev);
        break;
      case H_USER:
        this.parseUserEvent(ev, type);
        break;
      case H_GROUP:
        this.parseGroupEvent(ev, type);
        break;
      case H_CONTEXT_SWITCH:
        this.parseContextSwitch(ev);
        break;
      case H_MEMORY:
        this.parseMemory(ev);
        break;
      default:
        break;
    }
    const fd = this.fd;
    if (fd !== undefined) fd.nameChanged = fd.name !== fd.oldName;
  }

  /**
   * A light event: what sinsp_parser::reset does with it that a later event can see, from its
   * header alone. The thread is looked up (a placeholder made for an unknown one), marked
   * active, kept from purging, and its last event type kept for the exit to come. Its fd is
   * not looked up: the fd only matters to the event's own fields and to its exit's parser, and
   * neither exists for a light event (read-plan.ts keeps a syscall's halves together).
   */
  private updateLight(ev: ScapEvent, type: number): void {
    if (this.purge) this.maybePurge(ev.ts());
    this.fd = undefined;
    if (NO_THREAD[type] === 1) {
      this.t = undefined;
      return;
    }
    const query = QUERY_OS[type] === 1;
    const t = query ? this.table.getOrCreate(ev.tid) : this.table.threads.get(ev.tid);
    this.t = t;
    if (t === undefined) return;
    if (query) t.flags |= PPM_CL_ACTIVE;
    if (IS_EXIT[type] === 0) t.lastEventType = type;
    else if (type !== t.lastEventType + 1) t.lastEventType = -1;
    t.lastEventFd = -1;
    if (this.purge) this.lastAccess.set(t.tid, ev.ts());
  }

  /** Removals decided while parsing the previous event (procexit's thread, close's fd). */
  private applyPending(ev: ScapEvent): void {
    if (this.pendingFd !== -1) {
      const t = this.table.threads.get(this.pendingFdTid);
      if (t !== undefined) this.table.fdTable(t)?.delete(this.pendingFd);
      this.pendingFd = -1;
      this.pendingFdTid = -1;
    }
    if (this.pendingTid !== -1) {
      const tid = this.pendingTid;
      this.pendingTid = -1;
      const t = this.table.threads.get(tid);
      this.table.recordExited(tid, t?.ptid ?? -1, ev.ts());
      this.table.remove(tid);
      this.enters.delete(tid);
    }
  }

  private clearEvent(): void {
    this.t = undefined;
    this.fd = undefined;
  }

  /**
   * parse_context_switch: page faults on the thread, memory sizes on its main thread (an
   * old switch event without the memory parameters changes nothing).
   */
  private parseContextSwitch(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined || !has(ev, 5)) return;
    t.pfMajor = ev.paramBigInt(1);
    t.pfMinor = ev.paramBigInt(2);
    const main = this.table.mainThread(t);
    if (main === undefined) return;
    main.vmsizeKb = ev.paramUint(3);
    main.vmrssKb = ev.paramUint(4);
    main.vmswapKb = ev.paramUint(5);
  }

  /** parse_brk_mmap_mmap2_munmap__exit: the memory sizes the exit reports, on the event's thread. */
  private parseMemory(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined) return;
    if (has(ev, 1)) t.vmsizeKb = ev.paramUint(1);
    if (has(ev, 3)) {
      t.vmrssKb = ev.paramUint(2);
      t.vmswapKb = ev.paramUint(3);
    }
  }

  /** sinsp_parser::reset: the event's thread (a placeholder for an unknown tid) and fd. */
  private resetThread(ev: ScapEvent, type: number): void {
    this.fd = undefined;
    const query = QUERY_OS[type] === 1;
    const t = query ? this.table.getOrCreate(ev.tid) : this.table.threads.get(ev.tid);
    this.t = t;
    if (t === undefined) return;
    if (query) t.flags |= PPM_CL_ACTIVE;
    if (IS_EXIT[type] === 0) {
      t.lastEventFd = -1;
      t.lastEventType = type;
      const at = ENTER_FD_PARAM[type]!;
      if (at >= 0 && at < ev.paramCount) {
        t.lastEventFd = ev.paramInt(at);
        this.fd = this.lookupFd(t, t.lastEventFd);
      }
      return;
    }
    if (!(type === EXECVE_19_X && t.lastEventType === EXECVEAT_E) && type !== t.lastEventType + 1) {
      t.lastEventType = -1; // the enter event was lost: its data is not valid for this exit
      t.lastEventFd = -1;
    }
    const at = EXIT_FD_PARAM[type]!;
    if (at < 0) return;
    if (t.lastEventFd === -1 && has(ev, at)) t.lastEventFd = ev.paramInt(at);
    this.fd = this.lookupFd(t, t.lastEventFd);
  }

  /** get_fd: the fd's current name becomes its old name (fd.name_changed compares them after parsing). */
  private lookupFd(t: ThreadState, fd: number): FdInfo | undefined {
    const f = this.table.fdTable(t)?.get(fd);
    if (f !== undefined) f.oldName = f.name;
    return f;
  }

  /** add_fd: the fd table limit refuses new fds (a known fd is replaced). */
  private addFd(t: ThreadState, fd: number, info: FdInfo): FdInfo | undefined {
    const table = this.table.fdTable(t);
    if (table === undefined) return undefined;
    info.fd = fd;
    if (!table.has(fd) && table.size >= this.maxFds) return undefined;
    table.set(fd, info);
    t.lastEventFd = fd;
    return info;
  }

  private storeEnter(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (t === undefined) return;
    // libsinsp does not keep these when their first parameter is empty (nothing the exit lacks).
    if (SKIP_EMPTY_ENTER[type] === 1 && !has(ev, 0)) return;
    const params: Uint8Array[] = [];
    for (let i = 0; i < ev.paramCount; i++) params.push(ev.paramBytes(i).slice());
    this.enters.set(t.tid, { type, params });
  }

  /** An old-layout exit completed from its enter event (what libscap's converter hands libsinsp). */
  private complete(ev: ScapEvent): ScapEvent {
    const stored = this.enters.get(ev.tid);
    const byName = new Map<string, Uint8Array>();
    if (stored !== undefined && stored.type === ev.type - 1) {
      const names = PARAM_NAMES[stored.type]!;
      stored.params.forEach((b, i) => {
        byName.set(names[i]!, b);
      });
    }
    return new PaddedEvent(ev, PARAM_NAMES[ev.type]!, byName);
  }

  /** retrieve_enter_event: the stored enter event matching this exit, if still valid. */
  private enterOf(t: ThreadState, exitType: number): StoredEnter | undefined {
    const e = this.enters.get(t.tid);
    if (e === undefined || t.lastEventType !== e.type) return undefined;
    if (exitType === EXECVE_19_X && e.type === EXECVEAT_E) return e;
    return e.type === exitType - 1 ? e : undefined;
  }

  // ---------------------------------------------------------------- processes (clone, execve and the rest: processes.ts)

  private parseProcexit(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined) return;
    this.table.markDead(t);
    this.pendingTid = ev.tid;
    if (t.children.size === 0) return;
    t.reaperTid = has(ev, 4) ? ev.paramInt(4) : -1;
  }

  // ---------------------------------------------------------------- users and groups

  private addUserGroup(t: ThreadState, containerId: string): void {
    this.identities.addForThread(t.uid, t.gid, containerId);
  }

  private setUser(t: ThreadState, ev: ScapEvent, at: number): void {
    if (!has(ev, at)) return;
    t.uid = ev.paramUint(at);
    this.addUserGroup(t, t.containerId);
  }

  private setGroup(t: ThreadState, ev: ScapEvent, at: number): void {
    if (!has(ev, at)) return;
    t.gid = ev.paramUint(at);
    this.addUserGroup(t, t.containerId);
  }

  private parseUserEvent(ev: ScapEvent, type: number): void {
    const uid = ev.paramUint(0);
    const containerId = ev.paramString(5);
    if (type === USER_ADDED_E) {
      const name = ev.paramString(2);
      if (name.startsWith('+') || name.startsWith('-')) return; // NSS entries are ignored
      this.identities.putUser(containerId, { uid, gid: ev.paramUint(1), name, homedir: ev.paramString(3), shell: ev.paramString(4) });
    } else {
      this.identities.removeUser(containerId, uid);
    }
  }

  private parseGroupEvent(ev: ScapEvent, type: number): void {
    const gid = ev.paramUint(0);
    const containerId = ev.paramString(2);
    if (type === GROUP_ADDED_E) this.identities.putGroup(containerId, { gid, name: ev.paramString(1) });
    else this.identities.removeGroup(containerId, gid);
  }

  // ---------------------------------------------------------------- containers

  /** The container plugin's on_new_process: the container id from the thread's cgroups. */
  private assignContainer(t: ThreadState): void {
    const m = containerIdOf(t.cgroups);
    t.containerId = m?.id ?? '';
    // Engines without a metadata source describe the container from the cgroup alone.
    if (m !== undefined && (m.engine === 'lxc' || m.engine === 'libvirt-lxc') && !this.containers.has(m.id)) {
      this.containers.set(m.id, bareContainer(m.id, m.engine));
    }
  }

  private addContainerJson(json: string, add: boolean): void {
    const info = containerFromJson(json);
    if (info === undefined) return;
    if (add) this.containers.set(info.id, info);
    else this.containers.delete(info.id);
  }

  /** The plugin's async events: "container" (added) and "container_removed", the JSON as data. */
  private parseAsync(ev: ScapEvent): void {
    const name = ev.paramString(1);
    if (name !== 'container' && name !== 'container_removed') return;
    this.addContainerJson(cstring(ev.paramBytes(2)), name === 'container');
  }

  // ---------------------------------------------------------------- purging

  /** remove_inactive_threads, when enabled: every purge interval, drop invalid and idle threads. */
  private maybePurge(ts: bigint): void {
    if (this.lastPurgeTs === 0n) {
      // The first scan comes 30 s in, as libsinsp does.
      const thirty = 30n * 1_000_000_000n;
      this.lastPurgeTs = this.purgeIntervalNs > thirty ? ts - this.purgeIntervalNs + thirty : ts - this.purgeIntervalNs;
    }
    if (ts <= this.lastPurgeTs + this.purgeIntervalNs) return;
    this.lastPurgeTs = ts;
    const doomed: number[] = [];
    for (const t of this.table.threads.values()) {
      // Offline nothing is "still alive in /proc": idle past the timeout is enough.
      if (isInvalid(t) || ts > (this.lastAccess.get(t.tid) ?? 0n) + this.threadTimeoutNs) doomed.push(t.tid);
    }
    for (const tid of doomed) {
      this.table.remove(tid);
      if (!this.table.threads.has(tid)) this.lastAccess.delete(tid);
    }
  }
}
