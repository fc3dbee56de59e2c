/**
 * Test helper: a tiny simulated host that emits driver events through the synthesizer
 * and feeds them to a state engine, so tests read like the syscalls they stand for.
 */
import { type EngineOptions, ScapStateEngine, type SeedThread } from '../../../../src/sources/scap/state/engine.js';
import type { FdInfo } from '../../../../src/sources/scap/state/model.js';
import type { ThreadState } from '../../../../src/sources/scap/state/threads.js';
import {
  cloneExitParams,
  type Params,
  PPM_AT_FDCWD,
  PPM_CL_CLONE_FILES,
  PPM_CL_CLONE_FS,
  PPM_CL_CLONE_SIGHAND,
  PPM_CL_CLONE_THREAD,
  PPM_CL_CLONE_VM,
  processExitParams,
  type SockAddrSpec,
  type SockTupleSpec,
  Synth,
} from '../../../../src/sources/scap/synth/index.js';

export const THREAD_FLAGS = PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES | PPM_CL_CLONE_FS | PPM_CL_CLONE_VM | PPM_CL_CLONE_SIGHAND;
export const BOOT_TIME = 1_600_000_000_000_000_000n;

export interface CloneOptions {
  flags?: number;
  /** Which side's exit events are emitted, in what order (default: caller then child). */
  order?: 'caller-child' | 'child-caller' | 'caller' | 'child';
  syscall?: 'clone' | 'fork' | 'vfork' | 'clone3';
  cgroups?: string[];
  vtid?: number;
  vpid?: number;
}

export interface ExecOptions {
  args?: string[];
  comm?: string;
  env?: string[];
  cgroups?: string[];
  uid?: number;
  gid?: number;
  trustedExepath?: string | null;
  res?: number;
  flags?: number;
  caps?: [bigint, bigint, bigint];
  loginuid?: number;
  tty?: number;
}

export class Host {
  readonly synth = new Synth();
  readonly engine: ScapStateEngine;
  ts = BOOT_TIME + 10_000_000_000n;

  constructor(options: EngineOptions = {}, threads: SeedThread[] = [init()]) {
    this.engine = new ScapStateEngine(options);
    this.engine.seed({ threads, machine: { hostname: 'test', bootTime: BOOT_TIME, numCpus: 1 } });
  }

  private next(): bigint {
    this.ts += 1000n;
    return this.ts;
  }

  enter(name: string, tid: number, params: Params = {}): void {
    this.engine.update(this.synth.enter(name, { tid, ts: this.next() }, params));
  }

  exit(name: string, tid: number, params: Params = {}): void {
    this.engine.update(this.synth.exit(name, { tid, ts: this.next() }, params));
  }

  /** An event with no state effect, to let deferred removals happen. */
  tick(tid = 1): void {
    this.exit('listen', tid, { res: 0, fd: -1, backlog: 0 });
  }

  thread(tid: number): ThreadState {
    const t = this.engine.thread(tid);
    if (t === undefined) throw new Error(`no thread ${tid}`);
    return t;
  }

  fd(tid: number, fd: number): FdInfo | undefined {
    return this.engine.fdTable(this.thread(tid))?.get(fd);
  }

  /** The comm of each ancestor, parent first. */
  ancestry(tid: number): string[] {
    const out: string[] = [];
    let t = this.engine.parent(this.thread(tid));
    while (t !== undefined && out.length < 20) {
      out.push(t.comm);
      t = t.ptid === t.tid ? undefined : this.engine.parent(t);
    }
    return out;
  }

  clone(caller: number, child: number, o: CloneOptions = {}): void {
    const p = this.thread(caller);
    const flags = o.flags ?? 0;
    const isThread = (flags & PPM_CL_CLONE_THREAD) !== 0;
    const syscall = o.syscall ?? 'clone';
    const common = (res: number, tid: number, pid: number, ptid: number) =>
      cloneExitParams(res, {
        ...p,
        tid,
        pid,
        ptid,
        cwd: this.engine.cwd(p),
        cgroups: o.cgroups ?? p.cgroups.map(([k, v]) => `${k}=${v}`),
        flags,
        vtid: res === 0 ? (o.vtid ?? child) : p.vtid,
        vpid: res === 0 ? (o.vpid ?? (isThread ? p.pid : child)) : p.vpid,
      });
    const callerEv = (): void => this.exit(syscall, caller, common(child, caller, p.pid, p.ptid));
    const childEv = (): void => this.exit(syscall, child, common(0, child, isThread ? p.pid : child, isThread ? p.ptid : p.pid));
    const order = o.order ?? 'caller-child';
    if (order === 'caller-child') {
      callerEv();
      childEv();
    } else if (order === 'child-caller') {
      childEv();
      callerEv();
    } else if (order === 'caller') callerEv();
    else childEv();
  }

  execve(tid: number, exe: string, o: ExecOptions = {}): void {
    const t = this.thread(tid);
    const args = o.args ?? [];
    this.exit('execve', tid, {
      ...processExitParams(o.res ?? 0, {
        exe,
        args,
        tid,
        pid: t.pid,
        ptid: t.ptid,
        cwd: this.engine.cwd(t),
        comm: o.comm ?? exe.split('/').pop()!,
        cgroups: o.cgroups ?? t.cgroups.map(([k, v]) => `${k}=${v}`),
        uid: o.uid ?? t.uid,
        gid: o.gid ?? t.gid,
      }),
      env: o.env ?? [],
      tty: o.tty ?? 0,
      vpgid: t.pid,
      loginuid: o.loginuid ?? 1000,
      flags: o.flags ?? 0,
      cap_inheritable: o.caps?.[0] ?? 0n,
      cap_permitted: o.caps?.[1] ?? 0n,
      cap_effective: o.caps?.[2] ?? 0n,
      exe_ino: 1234n,
      exe_ino_ctime: 5n,
      exe_ino_mtime: 6n,
      trusted_exepath: o.trustedExepath === undefined ? exe : o.trustedExepath,
      pgid: t.pid,
      filename: exe,
    });
  }

  procexit(tid: number, reaper = 0): void {
    this.enter('procexit', tid, { status: 0, ret: 0, sig: 0, core: 0, reaper_tid: reaper });
  }

  openat(tid: number, fd: number, name: string, o: { dirfd?: number; flags?: number } = {}): void {
    this.exit('openat', tid, { fd, dirfd: o.dirfd ?? PPM_AT_FDCWD, name, flags: o.flags ?? 1, mode: 0, dev: 0, ino: 0n });
  }

  close(tid: number, fd: number, res = 0): void {
    this.exit('close', tid, { res, fd });
  }

  socket(tid: number, fd: number, domain: number, type: number, proto: number): void {
    this.exit('socket', tid, { fd, domain, type, proto, flags: 0 });
  }

  connect(tid: number, fd: number, tuple: SockTupleSpec, addr: SockAddrSpec, res = 0): void {
    this.exit('connect', tid, { res, tuple, fd, addr });
  }
}

export function init(): SeedThread {
  return {
    tid: 1,
    pid: 1,
    ptid: 0,
    sid: 1,
    vtid: 1,
    vpid: 1,
    comm: 'systemd',
    exe: '/sbin/init',
    exepath: '/usr/lib/systemd/systemd',
    args: [],
    cwd: '/',
    uid: 0,
    gid: 0,
  };
}
