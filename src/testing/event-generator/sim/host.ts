/**
 * The simulated host: processes, their fd tables and a clock, emitting for every action the
 * events a kernel driver would (enter then exit, parameters as libs' driver/event_table.c),
 * so the state engine builds everything a rule reads exactly as from a recorded capture.
 *
 * This is not a kernel: it tracks what the events' parameters need (ids, names, fds, cwd,
 * cgroups, credentials) and nothing else.
 */
import type { ScapEvent } from '../../../sources/scap/event.js';
import type { Seed, SeedThread } from '../../../sources/scap/state/engine.js';
import {
  cloneExitParams,
  ipv4Bytes,
  ipv6Bytes,
  type Params,
  PPM_CL_CHILD_IN_PIDNS,
  PPM_CL_CLONE_NEWIPC,
  PPM_CL_CLONE_NEWNET,
  PPM_CL_CLONE_NEWNS,
  PPM_CL_CLONE_NEWPID,
  PPM_CL_CLONE_NEWUTS,
  PPM_CL_CLONE_VFORK,
  PPM_CL_CLONE_VM,
  PPM_EXE_FROM_MEMFD,
  PPM_EXE_UPPER_LAYER,
  PPM_EXE_WRITABLE,
  processExitParams,
  Synth,
} from '../../../sources/scap/synth/index.js';
import { eventByName } from '../../../sources/scap/synth/table.js';
import { ALL_CAPS, type CapSets } from './flags.js';

export const BOOT_TIME = 1_700_000_000_000_000_000n;
/** When the first synthesized event happens: one hour after boot. */
export const START_TS = BOOT_TIME + 3_600_000_000_000n;

export interface SimFd {
  /** fd.name as libsinsp would build it (absolute path, socket tuple text...). */
  name: string;
  kind: 'file' | 'directory' | 'pipe' | 'event' | 'signalfd' | 'eventpoll' | 'inotify' | 'memfd' | 'socket' | 'std';
}

export interface SimProcess {
  tid: number;
  pid: number;
  ptid: number;
  vtid: number;
  vpid: number;
  comm: string;
  exe: string;
  exepath: string;
  args: string[];
  env: string[];
  uid: number;
  gid: number;
  cwd: string;
  cgroups: string[];
  caps: CapSets;
  containerId: string;
  fds: Map<number, SimFd>;
  /** Whether alerts on this process count for the test (its environment carries the test id unprefixed). */
  monitored: boolean;
}

export interface SimUser {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
}

/** The host's users before the test (a Debian base system). */
const BASE_USERS: SimUser[] = [
  { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' },
  { uid: 1, gid: 1, name: 'daemon', homedir: '/usr/sbin', shell: '/usr/sbin/nologin' },
  { uid: 2, gid: 2, name: 'bin', homedir: '/bin', shell: '/usr/sbin/nologin' },
  { uid: 33, gid: 33, name: 'www-data', homedir: '/var/www', shell: '/usr/sbin/nologin' },
  { uid: 65534, gid: 65534, name: 'nobody', homedir: '/nonexistent', shell: '/usr/sbin/nologin' },
];

const INITIAL_IPV4: [string, string][] = [
  ['127.0.0.1', '255.0.0.0'],
  ['10.0.0.2', '255.255.255.0'],
];
const INITIAL_IPV6 = ['::1'];
const HOST_CGROUPS = [
  'cpuset=/',
  'cpu=/user.slice',
  'cpuacct=/user.slice',
  'memory=/user.slice',
  'devices=/user.slice',
  'freezer=/',
  'pids=/user.slice/user-0.slice/session-1.scope',
];
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A small seeded generator (mulberry32): runs are reproducible, as tests need. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface ContainerSpec {
  id: string;
  name: string;
  image: string;
  privileged: boolean;
}

export class SimHost {
  readonly events: ScapEvent[] = [];
  readonly users: SimUser[] = BASE_USERS.map((u) => ({ ...u }));
  readonly processes = new Map<number, SimProcess>();
  readonly containers: ContainerSpec[] = [];
  readonly seedThreads: SeedThread[] = [];
  /** The synthesized clock (ns since the epoch). */
  ts = START_TS;
  private nextTid = 4000;
  private readonly synth = new Synth(START_TS);
  private readonly vpids = new Map<string, number>();
  /** The host's addresses (IPv4 with its netmask); clientServer resources add theirs. */
  readonly ipv4 = new Map<string, string>(INITIAL_IPV4);
  readonly ipv6 = new Set<string>(INITIAL_IPV6);
  /** Source address of outgoing connections. */
  readonly primaryIp = '10.0.0.2';

  constructor(
    readonly hostname = 'kestrel-host',
    readonly random = new Random(1),
    /** Called for every event as it is made (besides keeping it in `events`), when given. */
    private readonly sink?: (ev: ScapEvent) => void,
  ) {}

  /** Adds a process that exists before the capture (as the capture's process list would). */
  addExisting(p: Omit<SimProcess, 'fds' | 'monitored' | 'caps' | 'containerId' | 'vtid' | 'vpid'> & Partial<SimProcess>): SimProcess {
    const proc: SimProcess = {
      vtid: p.tid,
      vpid: p.pid,
      caps: { inheritable: 0n, permitted: ALL_CAPS, effective: ALL_CAPS },
      containerId: '',
      monitored: false,
      fds: new Map([
        [0, { name: '/dev/pts/0', kind: 'std' }],
        [1, { name: '/dev/pts/0', kind: 'std' }],
        [2, { name: '/dev/pts/0', kind: 'std' }],
      ]),
      ...p,
    };
    this.processes.set(proc.tid, proc);
    this.seedThreads.push({
      tid: proc.tid,
      pid: proc.pid,
      ptid: proc.ptid,
      sid: proc.pid,
      vtid: proc.vtid,
      vpid: proc.vpid,
      comm: proc.comm,
      exe: proc.exe,
      exepath: proc.exepath,
      args: proc.args,
      env: proc.env,
      cwd: proc.cwd,
      uid: proc.uid,
      gid: proc.gid,
      cgroups: proc.cgroups.map((c) => {
        const i = c.indexOf('=');
        return [c.slice(0, i), c.slice(i + 1)] as [string, string];
      }),
    });
    return proc;
  }

  /**
   * What the capture's header holds: threads, users, groups, machine, interfaces. The
   * interfaces are those of the host when Falco started: libsinsp reads the list once, so
   * a link event-generator adds for a clientServer resource is not in it.
   */
  seed(): Seed {
    return {
      threads: this.seedThreads,
      users: this.users.map((u) => ({ ...u })),
      groups: this.users.map((u) => ({ gid: u.gid, name: u.name })),
      machine: { hostname: this.hostname, bootTime: BOOT_TIME, numCpus: 4 },
      interfaces: {
        ipv4: INITIAL_IPV4.map(([addr, netmask]) => ({ addr: ipv4Bytes(addr), netmask: ipv4Bytes(netmask) })),
        ipv6: INITIAL_IPV6.map((addr) => ({ addr: ipv6Bytes(addr) })),
      },
    };
  }

  /** The user named `name`, created (`useradd`: the next free uid from 1000, a group of the same id) when absent. */
  user(name: string): SimUser {
    const found = this.users.find((u) => u.name === name);
    if (found) return found;
    let uid = 1000;
    while (this.users.some((u) => u.uid === uid || u.gid === uid)) uid++;
    const u: SimUser = { uid, gid: uid, name, homedir: `/home/${name}`, shell: '/bin/sh' };
    this.users.push(u);
    return u;
  }

  proc(tid: number): SimProcess {
    const p = this.processes.get(tid);
    if (p === undefined) throw new Error(`simulated host: no process ${tid}`);
    return p;
  }

  /** Advances the clock (`sleep` in a script). */
  sleep(ns: bigint): void {
    this.ts += ns;
  }

  /**
   * The enter event of a syscall, when current drivers send one: libs' event table flags the
   * enter events they no longer send EF_OLD_VERSION (their parameters moved to the exit
   * event), and a capture's converter drops such events; emitting them would let a rule
   * without a direction match the syscall twice.
   */
  enter(name: string, tid: number, params: Params = {}): void {
    this.ts += 1000n;
    if (!driverSendsEnter(name)) return;
    this.push(this.synth.enter(name, { tid, ts: this.ts }, params));
  }

  exit(name: string, tid: number, params: Params = {}): void {
    this.ts += 1000n;
    this.push(this.synth.exit(name, { tid, ts: this.ts }, params));
  }

  meta(id: string, tid: number, params: Params): void {
    this.ts += 1000n;
    this.push(this.synth.event(id, { tid, ts: this.ts }, params));
  }

  private push(ev: ScapEvent): void {
    this.events.push(ev);
    this.sink?.(ev);
  }

  /** The lowest free fd of a process, as the kernel allocates them. */
  allocFd(p: SimProcess, min = 0): number {
    let fd = min;
    while (p.fds.has(fd)) fd++;
    return fd;
  }

  /** Makes the container (the container plugin's event), returning its spec. */
  createContainer(spec: Omit<ContainerSpec, 'id'>, parentTid: number): ContainerSpec {
    const id = this.random.chars(64, '0123456789abcdef');
    const c = { ...spec, id };
    this.containers.push(c);
    const slash = spec.image.lastIndexOf('/');
    const colon = spec.image.lastIndexOf(':');
    const hasTag = colon > slash;
    const repo = hasTag ? spec.image.slice(0, colon) : spec.image;
    const tag = hasTag ? spec.image.slice(colon + 1) : 'latest';
    const json = JSON.stringify({
      container: {
        id: id.slice(0, 12),
        full_id: id,
        type: 0,
        name: spec.name,
        image: spec.image,
        imagerepo: repo,
        imagetag: tag,
        imageid: this.random.chars(64, '0123456789abcdef'),
        imagedigest: '',
        privileged: spec.privileged,
        Mounts: [],
        env: [],
        labels: {},
        ip: '172.17.0.2',
        cpu_period: 100000,
        cpu_quota: 0,
        cpu_shares: 1024,
        memory_limit: 0,
        swap_limit: 0,
        is_pod_sandbox: false,
        lookup_state: 1,
        created_time: Number(this.ts / 1_000_000_000n),
      },
    });
    this.meta('PPME_CONTAINER_JSON_2_E', parentTid, { json });
    return c;
  }

  /**
   * clone() by `parent` (as Go's os/exec does: CLONE_VM|CLONE_VFORK), the parent's exit then
   * the child's; the child starts as a copy of the parent.
   */
  clone(parent: SimProcess, o: { container?: ContainerSpec; flags?: number } = {}): SimProcess {
    const tid = this.nextTid++;
    const containerId = o.container?.id.slice(0, 12) ?? parent.containerId;
    let vtid = tid;
    if (containerId !== '') {
      const n = (this.vpids.get(containerId) ?? 0) + 1;
      this.vpids.set(containerId, n);
      vtid = n;
    }
    const cgroups = o.container ? parent.cgroups.map((c) => `${c.slice(0, c.indexOf('='))}=/docker/${o.container!.id}`) : parent.cgroups;
    const child: SimProcess = {
      ...parent,
      tid,
      pid: tid,
      ptid: parent.pid,
      vtid,
      vpid: vtid,
      cgroups,
      containerId,
      args: [...parent.args],
      env: [...parent.env],
      fds: new Map(parent.fds),
    };
    this.processes.set(tid, child);
    const flags = (o.flags ?? PPM_CL_CLONE_VM | PPM_CL_CLONE_VFORK) | (containerId !== '' && containerId !== parent.containerId ? PPM_CL_CHILD_IN_PIDNS : 0);
    const common = (res: number, t: SimProcess, cgroups: string[]) =>
      cloneExitParams(res, { ...parent, tid: t.tid, pid: t.pid, ptid: t.ptid, vtid: t.vtid, vpid: t.vpid, cgroups, flags });
    this.enter('clone', parent.tid);
    this.exit('clone', parent.tid, common(tid, parent, parent.cgroups));
    this.exit('clone', tid, common(0, child, cgroups));
    return child;
  }

  /** execve() of `filename` by `p`, which becomes the new program. */
  execve(
    p: SimProcess,
    x: {
      filename: string;
      argv: string[];
      env: string[];
      exepath: string;
      uid?: number;
      gid?: number;
      caps?: CapSets;
      upperLayer?: boolean;
      /** The executable is a memfd (fileless execution). */
      fromMemfd?: boolean;
    },
  ): void {
    this.enter('execve', p.tid, { filename: x.filename });
    const base = x.filename.slice(x.filename.lastIndexOf('/') + 1);
    p.comm = base.slice(0, 15); // TASK_COMM_LEN
    p.exe = x.argv[0] ?? x.filename;
    p.args = x.argv.slice(1);
    p.env = x.env;
    p.exepath = x.exepath;
    if (x.uid !== undefined) p.uid = x.uid;
    if (x.gid !== undefined) p.gid = x.gid;
    if (x.caps) p.caps = x.caps;
    // Descriptors without close-on-exec survive; event-generator's own are all CLOEXEC (Go's default).
    for (const [fd] of p.fds) if (fd > 2) p.fds.delete(fd);
    this.exit('execve', p.tid, {
      ...processExitParams(0, p),
      env: p.env,
      // event-generator runs from a terminal (/dev/pts/0); its containers are created without one.
      tty: p.containerId === '' ? HOST_TTY : 0,
      vpgid: p.vpid,
      loginuid: 0,
      flags: (exeWritable(p) ? PPM_EXE_WRITABLE : 0) | (x.upperLayer ? PPM_EXE_UPPER_LAYER : 0) | (x.fromMemfd ? PPM_EXE_FROM_MEMFD : 0),
      cap_inheritable: p.caps.inheritable,
      cap_permitted: p.caps.permitted,
      cap_effective: p.caps.effective,
      exe_ino: 1000n + BigInt(p.tid),
      exe_ino_ctime: this.ts,
      exe_ino_mtime: this.ts,
      trusted_exepath: p.exepath,
      pgid: p.pid,
      filename: x.filename,
    });
  }

  /** The process ends. */
  procexit(p: SimProcess, status = 0): void {
    this.enter('procexit', p.tid, { status, ret: status, sig: 0, core: 0, reaper_tid: 0 });
    this.processes.delete(p.tid);
  }

  /** The environment the simulated root (event-generator as started from a shell) has. */
  static rootEnv(): string[] {
    return [PATH_ENV, 'HOME=/root', 'LANG=C.UTF-8', 'TERM=xterm', 'SHELL=/bin/bash', 'USER=root'];
  }

  static hostCgroups(): string[] {
    return [...HOST_CGROUPS];
  }
}

const sendsEnter = new Map<string, boolean>();
function driverSendsEnter(name: string): boolean {
  let sends = sendsEnter.get(name);
  if (sends === undefined) {
    sends = !(eventByName(name, 'enter')?.flags.includes('EF_OLD_VERSION') ?? true);
    sendsEnter.set(name, sends);
  }
  return sends;
}

/** /dev/pts/0 (major 136, minor 0): the terminal event-generator is started from. */
const HOST_TTY = 34816;
const CAP_DAC_OVERRIDE = 1n << 1n;

/**
 * The driver's EXE_WRITABLE (extract__exe_writable in libs' modern_bpf): the task owns the
 * executable or may override file permissions. Every simulated executable is root's
 * (system binaries, and event-generator's copies and memfds, made as root) with mode 0755.
 */
function exeWritable(p: SimProcess): boolean {
  return p.uid === 0 || (p.caps.effective & CAP_DAC_OVERRIDE) !== 0n;
}

export const CONTAINER_INIT_FLAGS = PPM_CL_CLONE_NEWPID | PPM_CL_CLONE_NEWNS | PPM_CL_CLONE_NEWUTS | PPM_CL_CLONE_NEWIPC | PPM_CL_CLONE_NEWNET;
