/**
 * The parameters of clone and execve exit events that every simulation gives alike: what the
 * process is (program, arguments, ids, cwd, cgroups, user), with the fd limit at 1024 and the
 * page-fault and memory counters at zero. The simulated host of the event generator and the
 * state tests build their process events from here.
 */
import type { ParamValue } from './encode.js';

export interface ProcessParams {
  exe: string;
  args: readonly string[];
  tid: number;
  pid: number;
  ptid: number;
  cwd: string;
  comm: string;
  /** `subsystem=path` entries, as the drivers send them. */
  cgroups: readonly string[];
  uid: number;
  gid: number;
}

/** The parameters clone and execve exits share (`res`: the syscall's result). */
export function processExitParams(res: number, p: ProcessParams): Record<string, ParamValue> {
  return {
    res,
    exe: p.exe,
    args: p.args,
    tid: p.tid,
    pid: p.pid,
    ptid: p.ptid,
    cwd: p.cwd,
    fdlimit: 1024,
    pgft_maj: 0,
    pgft_min: 0,
    vm_size: 0,
    vm_rss: 0,
    vm_swap: 0,
    comm: p.comm,
    cgroups: p.cgroups,
    uid: p.uid,
    gid: p.gid,
  };
}

/** A clone (fork, vfork, clone3) exit: the shared parameters, the clone flags and the namespaced ids. */
export function cloneExitParams(res: number, p: ProcessParams & { flags: number; vtid: number; vpid: number }): Record<string, ParamValue> {
  return { ...processExitParams(res, p), flags: p.flags, vtid: p.vtid, vpid: p.vpid, pidns_init_start_ts: 0 };
}
