/**
 * The state engine: libsinsp's parser (userspace/libsinsp/parsers.cpp) over ScapEvents. It
 * keeps the thread table, the per-process fd tables, users, groups and containers, and
 * exposes them as a StateView for the field extractors. Call update(ev) for every event of
 * the capture, in order, before extracting fields of that event: like libsinsp, removals
 * caused by an event (procexit, close) take effect when the next event arrives, so the
 * event that caused them still sees the thread or fd.
 *
 * The per-event path is a table lookup and a switch on the event code; events that change
 * no state allocate nothing.
 */
import type { ScapEvent } from '../event.js';
import {
  IPPROTO_UDP,
  PPM_AT_FDCWD,
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
  PPM_EPOLL_CLOEXEC,
  PPM_EXE_FROM_MEMFD,
  PPM_EXE_LOWER_LAYER,
  PPM_EXE_UPPER_LAYER,
  PPM_EXE_WRITABLE,
  PPM_EXVAT_AT_EMPTY_PATH,
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
  PPM_PR_GET_CHILD_SUBREAPER,
  PPM_PR_SET_CHILD_SUBREAPER,
  SOCK_DGRAM,
} from '../synth/constants.js';
import { bareContainer, containerFromJson, containerIdOf, containerTypeName } from './containers.js';
import {
  ACCEPT4_6_X,
  CREAT_X,
  DUP3_X,
  ENTER_FD_PARAM,
  EPOLL_CREATE1_X,
  EVENTFD2_X,
  EXECVE_19_E,
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
  INOTIFY_INIT1_X,
  IS_EXIT,
  IS_META,
  N,
  NO_THREAD,
  OPEN_BY_HANDLE_AT_X,
  OPEN_X,
  OPENAT_2_X,
  OPENAT2_X,
  PARAM_NAMES,
  PIPE2_X,
  QUERY_OS,
  RECVMMSG_X,
  SEND_X,
  SENDMMSG_X,
  SENDMSG_X,
  SENDTO_X,
  SETGID_X,
  SETNS_X,
  SETUID_X,
  SIGNALFD4_X,
  SINGLE_FD_TYPE,
  SKIP_EMPTY_ENTER,
  STORE_ENTER,
  TIMERFD_CREATE_X,
  TUPLE_PARAM,
  USER_ADDED_E,
  VFORK_20_X,
} from './dispatch.js';
import { cloneFd, FD_FLAGS_IS_CLONED, FD_FLAGS_OVERLAY_LOWER, FD_FLAGS_OVERLAY_UPPER, newFd, setConnected } from './fd-flags.js';
import type { ContainerInfo, FdInfo, GroupInfo, StateView, ThreadInfo, UserInfo } from './model.js';
import { ipv4String, isSockAddrValid, isSockTupleValid, PPM_AF_INET, PPM_AF_INET6 } from './net.js';
import { PaddedEvent } from './padded.js';
import { concatenatePaths } from './paths.js';
import { acceptedFd, bindFd, clientFromAddr, equalBytes, fillClient, type Interfaces, socketFd, updateFdFromTuple } from './sockets.js';
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
/** settings.h: CLONE_STALE_TIME_NS. */
const CLONE_STALE_TIME_NS = 2_000_000_000n;
/** sinsp_utils::get_max_caps on current kernels (CAP_LAST_CAP 40): what a new user namespace grants. */
const MAX_CAPS = (1n << 41n) - 1n;
const PPM_MFD_CLOEXEC = 1 << 0;

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

const utf8 = new TextDecoder();

/** A NUL-separated list (args, env, cgroups), without the empty tail after the last NUL. */
function splitNul(b: Uint8Array): string[] {
  let len = b.length;
  if (len > 0 && b[len - 1] === 0) len--;
  // sinsp_split: nothing for an empty list.
  return len === 0 ? [] : utf8.decode(b.subarray(0, len)).split('\0');
}

function has(ev: ScapEvent, i: number): boolean {
  return i < ev.paramCount && ev.paramLength(i) > 0;
}

/** A copy of an enter event's parameters, kept until its exit (libsinsp's m_lastevent_data). */
interface StoredEnter {
  type: number;
  params: Uint8Array[];
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

  constructor(options: EngineOptions = {}) {
    this.table = new ThreadTable(options.maxThreads ?? DEFAULT_MAX_THREADS);
    this.maxFds = options.maxFds ?? MAX_FD_TABLE_SIZE;
    this.purge = options.purgeInactiveThreads ?? false;
    this.purgeIntervalNs = options.purgeIntervalNs ?? DEFAULT_PURGE_INTERVAL_NS;
    this.threadTimeoutNs = options.threadTimeoutNs ?? DEFAULT_THREAD_TIMEOUT_NS;
    this.light = options.lightEvents;
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
        this.parseClone(ev);
        // The container plugin parses the event after libsinsp, on the event's thread.
        if (ev.paramInt(0) >= 0 && this.t !== undefined) this.assignContainer(this.t);
        break;
      case H_EXECVE:
        this.parseExecve(ev);
        break;
      case H_PROCEXIT:
        this.parseProcexit(ev);
        break;
      case H_OPEN:
        this.parseOpen(ev, type);
        break;
      case H_SOCKET:
        this.parseSocket(ev);
        break;
      case H_BIND:
        this.parseBind(ev);
        break;
      case H_CONNECT:
        this.parseConnect(ev, type);
        break;
      case H_ACCEPT:
        this.parseAccept(ev, type);
        break;
      case H_CLOSE:
        if (ev.paramInt(0) >= 0 && this.fd !== undefined && this.t !== undefined) {
          this.pendingFdTid = this.t.tid;
          this.pendingFd = this.t.lastEventFd;
        }
        break;
      case H_CLOSE_RANGE:
        this.parseCloseRange(ev);
        break;
      case H_PIPE:
        this.parsePipe(ev, type);
        break;
      case H_SOCKETPAIR:
        this.parseSocketpair(ev);
        break;
      case H_SINGLE_FD:
        this.parseSingleFd(ev, type);
        break;
      case H_EVENTFD:
        this.parseEventfd(ev, type);
        break;
      case H_MEMFD:
        this.parseMemfd(ev);
        break;
      case H_PIDFD_OPEN:
        this.parsePidfdOpen(ev);
        break;
      case H_PIDFD_GETFD:
        this.parsePidfdGetfd(ev);
        break;
      case H_DUP:
        this.parseDup(ev, type);
        break;
      case H_FCNTL:
        this.parseFcntl(ev);
        break;
      case H_CHDIR:
      case H_GETCWD:
        if (ev.paramInt(0) >= 0 && this.t !== undefined) this.updateCwd(this.t, ev.paramString(1));
        break;
      case H_FCHDIR:
        if (ev.paramInt(0) >= 0 && this.fd !== undefined && this.t !== undefined) this.updateCwd(this.t, this.fd.name);
        break;
      case H_READ_TUPLE:
        this.parseReadTuple(ev, type);
        break;
      case H_WRITE_TUPLE:
        this.parseWriteTuple(ev, type);
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
        this.parsePrctl(ev);
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
        this.parseUnshare(ev, type);
        break;
      case H_RLIMIT:
        if (this.t !== undefined && ev.paramInt(0) >= 0 && ev.paramUint(3) === 7 /* PPM_RLIMIT_NOFILE */) {
          const cur = ev.paramInt(1);
          const main = this.table.mainThread(this.t);
          if (cur !== -1 && main !== undefined) main.fdlimit = cur;
        }
        break;
      case H_PRLIMIT:
        this.parsePrlimit(ev);
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

  // ---------------------------------------------------------------- processes

  private parseClone(ev: ScapEvent): void {
    const child = ev.paramInt(0);
    if (child < 0) return;
    if (child === 0) this.cloneChild(ev);
    else this.cloneCaller(ev, child);
  }

  /** Fields of a new thread that come from the clone exit event itself. */
  private fillFromClone(c: ThreadState, ev: ScapEvent): void {
    c.exe = ev.paramString(1);
    c.args = splitNul(ev.paramBytes(2));
    c.comm = has(ev, 13) ? ev.paramString(13) : c.exe;
    c.fdlimit = ev.paramInt(7);
    if (has(ev, 12)) {
      c.pfMajor = ev.paramBigInt(8);
      c.pfMinor = ev.paramBigInt(9);
      c.vmsizeKb = ev.paramUint(10);
      c.vmrssKb = ev.paramUint(11);
      c.vmswapKb = ev.paramUint(12);
    }
    c.uid = ev.paramUint(16);
    c.gid = ev.paramUint(17);
    if (has(ev, 14)) c.cgroups = parseCgroups(splitNul(ev.paramBytes(14)));
    c.cloneTs = ev.ts();
  }

  /** What a child takes from the thread it was created by (or its leader). */
  private inherit(c: ThreadState, from: ThreadState, leader: boolean): void {
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
    if (leader) this.inheritFiles(c, from);
  }

  private cloneCaller(ev: ScapEvent, childTid: number): void {
    const caller = this.t;
    if (caller === undefined) return;
    let valid = true;
    if (isInvalid(caller)) {
      valid = false;
      caller.pid = ev.paramInt(4);
      caller.ptid = ev.paramInt(5);
      if (has(ev, 19)) {
        caller.vtid = ev.paramInt(18);
        caller.vpid = ev.paramInt(19);
      } else {
        caller.vtid = caller.tid;
        caller.vpid = -1;
      }
      this.table.createDependencies(caller);
    }
    const flags = ev.paramUint(15);
    // In a container the caller sees namespaced ids: the child's own event creates it.
    if ((flags & (PPM_CL_CHILD_IN_PIDNS | PPM_CL_CLONE_NEWPID | PPM_CL_CLONE_PARENT)) !== 0 || caller.tid !== caller.vtid) return;
    // vfork: the child may already have run and exited; its own event is authoritative.
    if ((flags & PPM_CL_CLONE_VFORK) !== 0 || ev.type === VFORK_20_X) return;
    const ts = ev.ts();
    if (this.table.hasRecentlyExited(childTid, caller.tid, ts)) return;
    const existing = this.table.threads.get(childTid);
    if (existing !== undefined) {
      if ((existing.flags & PPM_CL_CLONE_INVERTED) !== 0) return;
      this.table.remove(childTid); // a stale thread whose exit we missed
    }
    const c = newThread(childTid);
    c.lastExecTs = 0n;
    c.flags = flags;
    if ((flags & PPM_CL_CLONE_THREAD) === 0) {
      if (valid) this.inheritFiles(c, caller);
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
    this.fillFromClone(c, ev);
    c.cloneTs = ts;
    c.pidnsInitStartTs = this.machine.bootTime;
    if (valid) this.inherit(c, caller, false);
    else {
      caller.exe = c.exe;
      caller.comm = c.comm;
      caller.args = c.args;
    }
    this.addUserGroup(c, '');
    this.table.add(c, true);
  }

  /**
   * What a new process (not a thread) takes: a copy of the fd table (libsinsp copies it even
   * with CLONE_FILES, see parse_clone_exit_caller), the cwd and the environment.
   */
  private inheritFiles(c: ThreadState, from: ThreadState): void {
    const table = this.table.fdTable(from);
    const fds = new Map<number, FdInfo>();
    if (table !== undefined) {
      for (const [n, f] of table) {
        const copy = cloneFd(f);
        copy.flags |= FD_FLAGS_IS_CLONED;
        fds.set(n, copy);
      }
    }
    c.fds = fds;
    c.cwd = this.cwd(from);
    c.env = from.env;
  }

  private cloneChild(ev: ScapEvent): void {
    const tid = ev.tid;
    const ts = ev.ts();
    const existing = this.t;
    if (existing !== undefined && existing.cloneTs !== 0n) {
      // Created by the caller's event moments ago: nothing to add.
      if (ts - existing.cloneTs < CLONE_STALE_TIME_NS) return;
      this.table.remove(tid);
      this.t = undefined;
    }
    const c = newThread(tid);
    c.pid = ev.paramInt(4);
    c.ptid = ev.paramInt(5);
    if (has(ev, 19)) {
      c.vtid = ev.paramInt(18);
      c.vpid = ev.paramInt(19);
    } else {
      c.vtid = c.tid;
      c.vpid = -1;
    }
    c.flags = ev.paramUint(15) | PPM_CL_CLONE_INVERTED;
    const leader = (c.flags & PPM_CL_CLONE_THREAD) === 0;
    if (!leader) c.flags |= PPM_CL_CLONE_FILES;
    const lookup = this.table.getOrCreate(leader ? c.ptid : c.pid);
    if (lookup === undefined) {
      this.t = undefined;
      return;
    }
    const validLookup = !isInvalid(lookup);
    if (!validLookup && !leader) {
      lookup.pid = c.pid;
      lookup.ptid = c.ptid;
      lookup.vpid = c.vpid;
      lookup.vtid = lookup.vpid;
      this.table.createDependencies(lookup);
    }
    this.fillFromClone(c, ev);
    if (validLookup) {
      this.inherit(c, lookup, leader);
      if (!leader) c.lastExecTs = lookup.lastExecTs;
    } else if (!leader) {
      lookup.exe = c.exe;
      lookup.comm = c.comm;
      lookup.args = c.args;
    }
    c.cloneTs = ts;
    if ((c.flags & (PPM_CL_CHILD_IN_PIDNS | PPM_CL_CLONE_NEWPID)) !== 0 || c.tid !== c.vtid) {
      if (has(ev, 20)) c.pidnsInitStartTs = ev.paramBigInt(20) + this.machine.bootTime;
    } else {
      c.pidnsInitStartTs = this.machine.bootTime;
    }
    this.addUserGroup(c, '');
    this.t = this.table.add(c, true);
  }

  private parseExecve(ev: ScapEvent): void {
    const t = this.t;
    if (ev.paramInt(0) < 0 || t === undefined) return;
    if (t.dead) {
      // resurrect_thread: an execve after procexit (the exit was of another thread of the group).
      const group = this.table.group(t);
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
      this.table.createDependencies(t);
    }
    t.fdlimit = ev.paramInt(7);
    if (has(ev, 12)) {
      t.pfMajor = ev.paramBigInt(8);
      t.pfMinor = ev.paramBigInt(9);
      t.vmsizeKb = ev.paramUint(10);
      t.vmrssKb = ev.paramUint(11);
      t.vmswapKb = ev.paramUint(12);
    }
    if (has(ev, 15)) t.env = splitNul(ev.paramBytes(15));
    if (has(ev, 14)) t.cgroups = parseCgroups(splitNul(ev.paramBytes(14)));
    if (has(ev, 16)) t.tty = ev.paramUint(16);
    if (has(ev, 27)) t.exepath = ev.paramString(27);
    else this.exepathFromEnter(t, ev);
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
    this.assignContainer(t);
    this.addUserGroup(t, t.containerId);
    // Close-on-exec fds are gone after a successful execve.
    const table = this.table.fdTable(t);
    if (table !== undefined) {
      for (const [n, f] of table) if (isCloseOnExec(f)) table.delete(n);
    }
    const keep = t.flags & (PPM_CL_PIPE_SRC | PPM_CL_PIPE_DST | PPM_CL_IS_MAIN_THREAD | PPM_CL_CLONE_INVERTED);
    t.flags = PPM_CL_ACTIVE | keep | PPM_CL_NAME_CHANGED;
    // The other threads of the process do not survive an execve.
    const group = this.table.group(t);
    if (group !== undefined && group.alive > 1) {
      for (const other of [...group.threads]) {
        if (other === t || isMainThread(other)) continue;
        this.table.remove(other.tid);
      }
    }
  }

  /** exepath from the enter event when the exit lacks trusted_exepath (older drivers). */
  private exepathFromEnter(t: ThreadState, ev: ScapEvent): void {
    const enter = this.enterOf(t, ev.type);
    if (enter === undefined) return;
    if (enter.type === EXECVE_19_E) {
      const filename = cstring(enter.params[0]);
      t.exepath = filename === '<NA>' ? '<NA>' : concatenatePaths(this.cwd(t), filename);
      return;
    }
    const dirfd = int64(enter.params[0]);
    const pathname = cstring(enter.params[1]);
    const flags = uint(enter.params[2]);
    const dir = this.dirOf(t, pathname, dirfd);
    if (((flags & PPM_EXVAT_AT_EMPTY_PATH) === 0 && pathname === '<NA>') || dir === '<UNKNOWN>') t.exepath = '<NA>';
    else if ((flags & PPM_EXVAT_AT_EMPTY_PATH) !== 0) t.exepath = concatenatePaths('', dir);
    else t.exepath = concatenatePaths(dir, pathname);
  }

  private parseProcexit(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined) return;
    this.table.markDead(t);
    this.pendingTid = ev.tid;
    if (t.children.size === 0) return;
    t.reaperTid = has(ev, 4) ? ev.paramInt(4) : -1;
  }

  private parsePrctl(ev: ScapEvent): void {
    const t = this.t;
    if (ev.paramInt(0) < 0 || t === undefined || isInvalid(t)) return;
    const option = ev.paramUint(1);
    if (option !== PPM_PR_SET_CHILD_SUBREAPER && option !== PPM_PR_GET_CHILD_SUBREAPER) return;
    const group = this.table.group(t);
    if (group !== undefined) group.reaper = ev.paramInt(3) !== 0;
  }

  private parseUnshare(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (ev.paramInt(0) < 0 || t === undefined) return;
    let flags = 0;
    if (type === SETNS_X) flags = has(ev, 2) ? ev.paramUint(2) : 0;
    else flags = ev.paramUint(1);
    if ((flags & PPM_CL_CLONE_NEWUSER) === 0) return;
    t.capInheritable = MAX_CAPS;
    t.capPermitted = MAX_CAPS;
    t.capEffective = MAX_CAPS;
  }

  private parsePrlimit(ev: ScapEvent): void {
    if (ev.paramInt(0) !== 0 || !has(ev, 6) || ev.paramUint(6) !== 7 /* PPM_RLIMIT_NOFILE */) return;
    const cur = ev.paramInt(1);
    if (cur === -1 || !has(ev, 5)) return;
    let tid = ev.paramInt(5);
    if (tid === 0) tid = ev.tid;
    const target = this.table.getOrCreate(tid);
    if (target === undefined || isInvalid(target)) return;
    const main = this.table.mainThread(target);
    if (main !== undefined) main.fdlimit = cur;
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
    this.addContainerJson(utf8.decode(trimNul(ev.paramBytes(2))), name === 'container');
  }

  // ---------------------------------------------------------------- files

  /** parse_dirfd: the directory a relative path is resolved against ('.' for absolute paths). */
  private dirOf(t: ThreadState | undefined, name: string, dirfd: number): string {
    if (name.length > 0 && name[0] === '/') return '.';
    if (t === undefined) return '<UNKNOWN>';
    if (dirfd === PPM_AT_FDCWD) return this.cwd(t);
    const f = this.table.fdTable(t)?.get(dirfd);
    if (f === undefined) return '<UNKNOWN>';
    if (f.name === '' || f.name.endsWith('/')) return f.name;
    return `${f.name}/`;
  }

  private parseOpen(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (t === undefined) return;
    const enter = type === OPEN_BY_HANDLE_AT_X ? undefined : this.enterOf(t, type);
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
      dir = this.cwd(t);
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
      dir = this.cwd(t);
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
      dir = dirfd === undefined ? '' : this.dirOf(t, name, dirfd);
    } else {
      flags = ev.paramUint(2);
      name = ev.paramString(3);
      if (ev.paramCount > 4) dev = ev.paramUint(4);
      if (ev.paramCount > 5) ino = ev.paramBigInt(5);
      dir = '';
    }
    if (fd < 0) return;
    const f = newFd(fd, (flags & PPM_O_DIRECTORY) !== 0 ? 'directory' : 'file');
    f.openFlags = flags;
    f.dev = dev;
    f.ino = ino;
    f.nameRaw = name;
    f.name = concatenatePaths(dir, name);
    if ((flags & PPM_FD_UPPER_LAYER) !== 0) f.flags |= FD_FLAGS_OVERLAY_UPPER;
    if ((flags & PPM_FD_LOWER_LAYER) !== 0) f.flags |= FD_FLAGS_OVERLAY_LOWER;
    this.fd = this.addFd(t, fd, f);
  }

  private parseCloseRange(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined || ev.paramInt(0) < 0) return;
    const table = this.table.fdTable(t);
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

  private parsePipe(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (ev.paramInt(0) < 0 || t === undefined) return;
    const ino = ev.paramBigInt(3);
    const flags = type === PIPE2_X ? ev.paramUint(4) : 0;
    for (const at of [1, 2]) {
      const f = newFd(ev.paramInt(at), 'pipe');
      f.ino = ino;
      f.openFlags = flags;
      this.fd = this.addFd(t, f.fd, f);
    }
  }

  private parseSocketpair(ev: ScapEvent): void {
    const t = this.t;
    if (ev.paramInt(0) < 0 || t === undefined) return;
    const fd1 = ev.paramInt(1);
    const fd2 = ev.paramInt(2);
    if (fd1 === fd2) {
      this.fd = undefined;
      return;
    }
    const f1 = newFd(fd1, 'unix');
    f1.unix = { source: ev.paramBigInt(3), dest: ev.paramBigInt(4), path: '' };
    const f2 = cloneFd(f1);
    this.fd = this.addFd(t, fd1, f1);
    this.addFd(t, fd2, f2);
  }

  private parseSingleFd(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (t === undefined) return;
    const fd = ev.paramInt(0);
    if (fd < 0) return;
    const f = newFd(fd, SINGLE_FD_TYPE[type]!);
    if (type === INOTIFY_INIT1_X || type === SIGNALFD4_X) f.openFlags = ev.paramUint(1);
    else if (type === TIMERFD_CREATE_X) f.openFlags = ev.paramUint(2);
    else if (type === EPOLL_CREATE1_X && (ev.paramUint(1) & PPM_EPOLL_CLOEXEC) !== 0) f.openFlags |= PPM_O_CLOEXEC;
    this.fd = this.addFd(t, fd, f);
  }

  private parseEventfd(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (t === undefined) return;
    const fd = ev.paramInt(0);
    if (fd < 0) return;
    const f = newFd(fd, 'event');
    if (type === EVENTFD2_X) f.openFlags = ev.paramUint(1);
    this.fd = this.addFd(t, fd, f);
  }

  private parseMemfd(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined) return;
    const fd = ev.paramInt(0);
    if (fd < 0) return;
    const f = newFd(fd, 'memfd');
    f.name = ev.paramString(1);
    f.openFlags = ev.paramUint(2);
    this.fd = this.addFd(t, fd, f);
  }

  private parsePidfdOpen(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined) return;
    const fd = ev.paramInt(0);
    if (fd < 0) return;
    const f = newFd(fd, 'pidfd');
    f.pid = ev.paramInt(1);
    f.name = `/proc/${f.pid}`;
    f.openFlags = ev.paramUint(2);
    this.fd = this.addFd(t, fd, f);
  }

  private parsePidfdGetfd(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined) return;
    const pidfd = this.table.fdTable(t)?.get(ev.paramInt(1));
    if (pidfd === undefined || pidfd.type !== 'pidfd') return;
    const owner = this.table.threads.get(pidfd.pid ?? -1);
    if (owner === undefined) return;
    const target = this.table.fdTable(owner)?.get(ev.paramInt(2));
    if (target === undefined) return;
    const f = cloneFd(target);
    clearCloseOnExec(f);
    f.openFlags |= PPM_O_CLOEXEC;
    this.fd = this.addFd(t, ev.paramInt(0), f);
  }

  private parseDup(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (t === undefined) return;
    const res = ev.paramInt(0);
    if (res < 0 || this.fd === undefined) return;
    // A dup onto stdin/stdout marks a shell pipe.
    if (res === 0) t.flags |= PPM_CL_PIPE_DST;
    if (res === 1) t.flags |= PPM_CL_PIPE_SRC;
    const f = cloneFd(this.fd);
    clearCloseOnExec(f);
    if (type === DUP3_X && (ev.paramUint(3) & PPM_O_CLOEXEC) !== 0) f.openFlags |= PPM_O_CLOEXEC;
    this.fd = this.addFd(t, res, f);
  }

  private parseFcntl(ev: ScapEvent): void {
    const t = this.t;
    if (t === undefined) return;
    const cmd = ev.paramUint(2);
    if (cmd !== PPM_FCNTL_F_DUPFD && cmd !== PPM_FCNTL_F_DUPFD_CLOEXEC && cmd !== PPM_FCNTL_F_SETFD) return;
    const res = ev.paramInt(0);
    if (res < 0 || this.fd === undefined) return;
    if (cmd === PPM_FCNTL_F_SETFD) {
      clearCloseOnExec(this.fd);
      if ((ev.paramBigInt(3) & 1n) !== 0n /* FD_CLOEXEC */) this.fd.openFlags |= PPM_O_CLOEXEC;
      return;
    }
    const f = cloneFd(this.fd);
    clearCloseOnExec(f);
    if (cmd === PPM_FCNTL_F_DUPFD_CLOEXEC) f.openFlags |= PPM_O_CLOEXEC;
    this.fd = this.addFd(t, res, f);
  }

  /** update_cwd: joined with the thread's own cwd, stored on the main thread, always ending in '/'. */
  private updateCwd(t: ThreadState, path: string): void {
    const main = this.table.mainThread(t);
    if (main === undefined) return;
    let cwd = concatenatePaths(t.cwd, path);
    if (cwd === '' || !cwd.endsWith('/')) cwd += '/';
    main.cwd = cwd;
  }

  // ---------------------------------------------------------------- sockets

  private parseSocket(ev: ScapEvent): void {
    const t = this.t;
    const fd = ev.paramInt(0);
    if (fd < 0 || t === undefined) return;
    this.fd = this.addFd(t, fd, socketFd(fd, ev.paramUint(1), ev.paramUint(2), ev.paramUint(3), ev.paramUint(4)));
  }

  private parseBind(ev: ScapEvent): void {
    const f = this.fd;
    if (f === undefined || ev.paramInt(0) < 0) return;
    const addr = ev.paramBytes(1);
    if (isSockAddrValid(addr)) bindFd(f, addr);
  }

  private parseConnect(ev: ScapEvent, type: number): void {
    const t = this.t;
    const f = this.fd;
    if (t === undefined || f === undefined) return;
    const res = ev.paramInt(0);
    if (res < 0 && res !== -115 /* EINPROGRESS */) return;
    setConnected(f);
    const enter = this.enterOf(t, type);
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

  private parseAccept(ev: ScapEvent, type: number): void {
    const t = this.t;
    if (t === undefined) return;
    const fd = ev.paramInt(0);
    if (fd < 0) return;
    t.lastEventFd = fd;
    const f = acceptedFd(fd, ev.paramBytes(1), type === ACCEPT4_6_X ? ev.paramInt(5) & PPM_O_CLOEXEC : 0);
    if (f !== undefined) this.fd = this.addFd(t, fd, f);
  }

  /** parse_read_exit: reads mark a socket connected; recvfrom/recvmsg fill its tuple (UDP, or an unnamed socket). */
  private parseReadTuple(ev: ScapEvent, type: number): void {
    if (type === RECVMMSG_X && !has(ev, 0)) return;
    const f = this.fd;
    if (f === undefined || ev.paramInt(0) < 0) return;
    // a successful read or write on an IP socket marks it connected (parse_read_exit)
    if (f.type === 'ipv4' || f.type === 'ipv6') setConnected(f);
    const at = TUPLE_PARAM[type]!;
    if (at < 0 || !(f.name.length === 0 || f.tuple?.l4proto !== 'tcp')) return;
    updateFdFromTuple(f, ev.paramBytes(at), true, this.interfaces);
  }

  /** parse_write_exit: sendto/sendmsg, including the UDP socket libsinsp infers when socket() was not seen. */
  private parseWriteTuple(ev: ScapEvent, type: number): void {
    if (type === SENDMMSG_X && !has(ev, 0)) return;
    const t = this.t;
    if (this.fd === undefined && t !== undefined && (type === SEND_X || type === SENDTO_X || type === SENDMSG_X) && ev.paramInt(0) >= 0) {
      const fd = ev.paramInt(2);
      const tuple = TUPLE_PARAM[type]! >= 0 ? ev.paramBytes(TUPLE_PARAM[type]!) : new Uint8Array(0);
      const family = tuple[0];
      // The driver's tuple family byte is the kernel's AF_INET (2) / AF_INET6 (10).
      if (family === 2 || family === 10) this.fd = this.addFd(t, fd, socketFd(fd, family === 2 ? PPM_AF_INET : PPM_AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0));
    }
    const f = this.fd;
    if (f === undefined || ev.paramInt(0) < 0) return;
    if (f.type === 'ipv4' || f.type === 'ipv6') setConnected(f);
    const at = TUPLE_PARAM[type]!;
    if (at < 0 || !(f.name.length === 0 || f.tuple?.l4proto !== 'tcp')) return;
    updateFdFromTuple(f, ev.paramBytes(at), false, this.interfaces);
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

function isCloseOnExec(f: FdInfo): boolean {
  if ((f.openFlags & PPM_O_CLOEXEC) !== 0) return true;
  if (f.type === 'eventpoll' && (f.openFlags & PPM_EPOLL_CLOEXEC) !== 0) return true;
  return f.type === 'memfd' && (f.openFlags & PPM_MFD_CLOEXEC) !== 0;
}

function clearCloseOnExec(f: FdInfo): void {
  f.openFlags &= ~(PPM_O_CLOEXEC | PPM_EPOLL_CLOEXEC | PPM_MFD_CLOEXEC);
}

function trimNul(b: Uint8Array): Uint8Array {
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

function cstring(b: Uint8Array | undefined): string {
  return b === undefined ? '' : utf8.decode(trimNul(b));
}

function int64(b: Uint8Array | undefined): number {
  if (b === undefined || b.length < 8) return 0;
  return Number(new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true));
}

function uint(b: Uint8Array | undefined): number {
  if (b === undefined) return 0;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (b.length) {
    case 1:
      return dv.getUint8(0);
    case 2:
      return dv.getUint16(0, true);
    case 4:
      return dv.getUint32(0, true);
    case 8:
      return Number(dv.getBigUint64(0, true));
    default:
      return 0;
  }
}
