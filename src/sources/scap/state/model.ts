/**
 * The state libsinsp keeps from syscall events (sinsp_threadinfo, sinsp_fdinfo, the user
 * and group tables, the container plugin's table), as plain objects. The state engine
 * (state/engine.ts) writes it; the field extractors read it. Names follow libsinsp's
 * members so that its code can be read side by side; 64-bit values that can exceed 2^53
 * (times, capability masks, inodes) are bigints.
 */

/** libsinsp's scap_fd_type, by the character `fd.typechar` prints. */
export type FdType =
  | 'file' // f
  | 'directory' // d
  | 'ipv4' // 4
  | 'ipv6' // 6
  | 'unix' // u
  | 'pipe' // p
  | 'event' // e
  | 'signalfd' // s
  | 'eventpoll' // l
  | 'inotify' // i
  | 'timerfd' // t
  | 'netlink' // n
  | 'bpf' // b
  | 'userfaultfd' // u
  | 'io_uring' // r
  | 'memfd' // m
  | 'pidfd' // P
  | 'ipv4_server' // 4 (a listening / bound IPv4 socket)
  | 'ipv6_server' // 6
  | 'unsupported' // X (fdinfo.h CHAR_FD_UNSUPPORTED)
  | 'unknown'; // o (CHAR_FD_UNKNOWN)

/** A socket's addresses: client and server ends as libsinsp keeps them in its tuples. */
export interface SocketTuple {
  /** 4 or 6 (address family of sip/dip). */
  family: 4 | 6;
  /** Source (client) address: 4 bytes for IPv4, 16 for IPv6. */
  sip: Uint8Array;
  sport: number;
  /** Destination (server) address. */
  dip: Uint8Array;
  dport: number;
  /** 'tcp' | 'udp' | 'raw' | 'icmp' | undefined when unknown. */
  l4proto: 'tcp' | 'udp' | 'raw' | 'icmp' | undefined;
}

export interface FdInfo {
  fd: number;
  type: FdType;
  /** fd.name: path, tuple text (`1.2.3.4:5->6.7.8.9:80`), pipe/event text, unix path. */
  name: string;
  /** fd.nameraw: the name as the syscall gave it, before resolution. */
  nameRaw: string;
  /** The previous name when a rename/connect changed it (fd.name_changed). */
  oldName: string;
  /** PPM_O_* open flags as the event gave them. */
  openFlags: number;
  mode: number;
  dev: number;
  ino: bigint;
  mountId: number;
  /** Socket addresses for ipv4/ipv6 sockets (undefined until known). */
  tuple?: SocketTuple;
  /** Unix socket: source and destination kernel addresses and the path. */
  unix?: { source: bigint; dest: bigint; path: string };
  /** libsinsp's FLAGS_ROLE_SERVER / FLAGS_ROLE_CLIENT. */
  role: 'server' | 'client' | undefined;
  /** FLAGS_SOCKET_CONNECTED. */
  connected: boolean;
  /**
   * fd.name_changed of the event being parsed: true when that event changed the fd's name
   * (libsinsp compares m_name with m_oldname after parsing); meaningful for the current event only.
   */
  nameChanged: boolean;
  /**
   * libsinsp's sinsp_fdinfo::m_flags bits (FD_FLAGS_* in state/fd-flags.ts: role client/server,
   * connected, cloned, overlay upper/lower). `role` and `connected` mirror the role and
   * connected bits. (Was documented as read/write bits: those are in `openFlags`.)
   */
  flags: number;
  /** Listening/bound socket (ipv4_server / ipv6_server): libsinsp's ipv4serverinfo / ipv6serverinfo. */
  server?: { ip: Uint8Array; port: number; l4proto: 'tcp' | 'udp' | 'raw' | 'icmp' | undefined };
  /** pidfd: the pid the fd refers to (libsinsp's m_pid). */
  pid?: number;
  /** Added for the field extractors: libsinsp's FLAGS_OVERLAY_UPPER / _LOWER (fd.is_upper_layer, fd.is_lower_layer); absent = NA. */
  overlayUpper?: boolean;
  overlayLower?: boolean;
}

/**
 * libsinsp's sinsp_threadinfo, with the members fields read. The optional members are the
 * engine's bookkeeping (always set by ScapStateEngine; optional so that code building
 * ThreadInfo objects by hand keeps compiling).
 */
export interface ThreadInfo {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  pgid: number;
  vtid: number;
  vpid: number;
  /** proc.name: the comm (or the exe basename as libsinsp picks it). */
  comm: string;
  /** proc.exe: argv[0] as executed. */
  exe: string;
  /** proc.exepath: the resolved executable path. */
  exepath: string;
  args: string[];
  env: string[];
  /**
   * Working directory, always ending in '/'. libsinsp keeps the process's cwd on the main
   * thread (threads share it): read it with StateView.cwd(t).
   */
  cwd: string;
  /** cgroup subsystem -> path. */
  cgroups: [string, string][];
  /** The container id the container plugin gives this thread ('' on the host). */
  containerId: string;
  uid: number;
  gid: number;
  loginuid: number;
  tty: number;
  capPermitted: bigint;
  capEffective: bigint;
  capInheritable: bigint;
  exeIno: bigint;
  exeInoCtime: bigint;
  exeInoMtime: bigint;
  exeWritable: boolean;
  exeUpperLayer: boolean;
  exeLowerLayer: boolean;
  exeFromMemfd: boolean;
  /** Clone time (ns since the epoch) and last execve time. */
  cloneTs: bigint;
  lastExecTs: bigint;
  pidnsInitStartTs: bigint;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfMajor: bigint;
  pfMinor: bigint;
  fdlimit: number;
  /** PPM_CL_* clone flags of the thread (with libsinsp's own bits: inverted, closed, main thread, ...). */
  flags: number;
  /** chroot directory (libsinsp's m_root): '' until a chroot sets it, inherited at clone. */
  root?: string;
  /** The reaper the kernel gave at procexit (-1 unknown, 0 none). */
  reaperTid?: number;
  /**
   * The children this thread adopted or created (libsinsp's m_children): used for
   * reparenting at exit. A child's `ptid` is its parent's tid.
   */
  children?: Set<ThreadInfo>;
  /** The fd of the last enter event that used one (libsinsp's m_lastevent_fd), -1 if none. */
  lastEventFd?: number;
  /** The code of the last enter event (libsinsp's m_lastevent_type), -1 if none. */
  lastEventType?: number;
  /** The thread is gone (procexit seen) but kept while children or purging need it. */
  dead: boolean;
  /**
   * The fd table, shared by all threads of a process (libsinsp keeps it on the main
   * thread): index by fd number.
   */
  fds: Map<number, FdInfo>;
  /**
   * Added for the field extractors: what libsinsp computes at execve and copies to children
   * on clone (clone_ts - exe ctime; exe ctime - pidns start): absent = computed from this
   * thread's own values.
   */
  exeInoCtimeDurationCloneTs?: bigint;
  exeInoCtimeDurationPidnsStart?: bigint;
}

export interface UserInfo {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
}

export interface GroupInfo {
  gid: number;
  name: string;
}

/** What the container plugin knows of a container (from the capture's container events). */
export interface ContainerInfo {
  id: string;
  /** docker, cri-o, containerd, podman, libvirt-lxc, ... */
  type: string;
  name: string;
  image: string;
  imageId: string;
  imageRepository: string;
  imageTag: string;
  imageDigest: string;
  privileged: boolean | undefined;
  /** Raw metadata for fields this model does not name (labels, mounts, ...). */
  extra: Record<string, unknown>;
}

/** The whole state, as the field extractors see it. */
export interface StateView {
  /** Thread by tid. */
  thread(tid: number): ThreadInfo | undefined;
  /** The main thread of tid's process (libsinsp's get_main_thread). */
  mainThread(t: ThreadInfo): ThreadInfo | undefined;
  /** The parent of a thread's process (ptid), if known. */
  parent(t: ThreadInfo): ThreadInfo | undefined;
  /** The working directory of t's process (libsinsp's get_cwd: the main thread's cwd; './' without one). */
  cwd?(t: ThreadInfo): string;
  /** A user by uid, from the capture's user list (containerId '' = the host; a container's own list otherwise). */
  user(uid: number, containerId?: string): UserInfo | undefined;
  group(gid: number, containerId?: string): GroupInfo | undefined;
  container(id: string): ContainerInfo | undefined;
  /** The machine: hostname and boot time as the capture's header gives them. */
  readonly machine: { hostname: string; bootTime: bigint; numCpus: number };
  /**
   * Added for the field extractors: the fd the current event works on (libsinsp's
   * evt->get_fd_info(): still set on the close that removed it); absent = looked up by the
   * thread's lastEventFd.
   */
  readonly eventFd?: FdInfo | undefined;
  /** Added for the field extractors: ts of the capture's first event (libsinsp's m_firstevent_ts, for evt.reltime). */
  readonly firstEventTs?: bigint;
  /** Added for the field extractors: alive threads in t's thread group (proc.nthreads, proc.nchilds); absent = NA. */
  aliveThreads?(t: ThreadInfo): number;
  /**
   * Added for the field extractors: whether an address belongs to this machine (the
   * capture's interface list, libsinsp's is_ipv4addr_in_local_machine), which decides the
   * local end for fd.lip/fd.rip/fd.lport/... and fd.is_server; absent = never local.
   */
  isLocalAddress?(addr: Uint8Array, t: ThreadInfo | undefined): boolean;
}

/**
 * A thread with nothing known yet, as libscap's process-list reader starts an entry (zeroed,
 * the ids it cannot know -1, no login uid). The state engine's threads start from this with
 * libsinsp's own defaults on top (threads.ts newThread).
 */
export function blankThreadInfo(tid: number): ThreadInfo {
  return {
    tid,
    pid: 0,
    ptid: 0,
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
    uid: 0,
    gid: 0,
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
    fdlimit: 0,
    flags: 0,
    dead: false,
    fds: new Map(),
  };
}
