/**
 * Helpers shared by the extractors: thread lineage as libsinsp walks it, exact 64-bit
 * values, addresses and paths as libsinsp prints them.
 */
import { formatIpv4, formatIpv6 } from '../net.js';
import type { FdInfo, StateView, ThreadInfo } from '../state/model.js';

/** libsinsp's PPM_CL_IS_MAIN_THREAD and PPM_CL_CHILD_IN_PIDNS clone flags. */
export const PPM_CL_CHILD_IN_PIDNS = 1 << 29;
export const PPM_CL_IS_MAIN_THREAD = 1 << 30;

export function isMainThread(t: ThreadInfo): boolean {
  return t.tid === t.pid || (t.flags & PPM_CL_IS_MAIN_THREAD) !== 0;
}

/** The main thread of t's process (t itself when it is one). */
export function mainThread(t: ThreadInfo, s: StateView): ThreadInfo | undefined {
  return isMainThread(t) ? t : s.mainThread(t);
}

/** libsinsp's get_ancestor_process: the main thread of the Nth ancestor process (0 = self). */
export function ancestorProcess(t: ThreadInfo, n: number, s: StateView): ThreadInfo | undefined {
  let mt = mainThread(t, s);
  for (let i = 0; i < n; i++) {
    if (mt === undefined) return undefined;
    const p = s.thread(mt.ptid);
    if (p === undefined) return undefined;
    mt = mainThread(p, s);
  }
  return mt;
}

/**
 * libsinsp's traverse_parent_state: calls `visit` on each ancestor of `t` (following ptid,
 * not t itself) until it returns false, the chain ends, or a loop is found (a fast pointer
 * meeting the slow one, or a thread that is its own parent).
 */
export function forEachAncestor(t: ThreadInfo, s: StateView, visit: (p: ThreadInfo) => boolean): void {
  let slow = s.thread(t.ptid);
  let fast = slow === undefined ? undefined : s.thread(slow.ptid);
  while (slow !== undefined && slow.tid !== -1) {
    if (!visit(slow)) return;
    slow = s.thread(slow.ptid);
    for (let i = 0; i < 2; i++) {
      fast = fast === undefined ? undefined : s.thread(fast.ptid);
      if (slow !== undefined && (slow === fast || slow.tid === slow.ptid)) return;
    }
  }
}

export function isInPidNamespace(t: ThreadInfo): boolean {
  return (t.flags & PPM_CL_CHILD_IN_PIDNS) !== 0 || (t.tid !== t.vtid && t.vtid >= 0);
}

/**
 * libsinsp's get_oldest_matching_ancestor: the session / process-group leader of `t` for
 * `id` (sid, vpgid or pgid): looked up directly when the id is a host one, else the
 * oldest consecutive ancestor that shares the id.
 */
export function groupLeader(t: ThreadInfo, idOf: (t: ThreadInfo) => number, isVirtual: boolean, s: StateView): ThreadInfo | undefined {
  const id = idOf(t);
  if (id === -1) return undefined;
  if (!isVirtual || !isInPidNamespace(t)) {
    const leader = s.thread(id);
    if (leader !== undefined) return leader;
  }
  let leader: ThreadInfo | undefined;
  forEachAncestor(t, s, (p) => {
    if (idOf(p) !== id) return false;
    leader = p;
    return true;
  });
  return leader;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A 64-bit value as a number when exact, else as a bigint (what the evaluator expects). */
export function u64(v: bigint): number | bigint {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
}

/** Unsigned 64-bit wrap of a difference, as libsinsp's uint64 arithmetic gives it. */
export function wrapU64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

/** libsinsp's command line: comm followed by each argument. */
export function cmdline(t: ThreadInfo): string {
  const args = t.args;
  if (args.length === 0) return t.comm;
  return `${t.comm} ${args.join(' ')}`;
}

/** libsinsp's get_cwd: the main thread's cwd (threads share it), './' without a main thread. */
export function cwdOf(t: ThreadInfo, s: StateView): string {
  return mainThread(t, s)?.cwd ?? './';
}

/** The cwd as a directory prefix for joining relative paths (with its trailing '/'). */
export function cwdDir(t: ThreadInfo, s: StateView): string {
  const cwd = cwdOf(t, s);
  return cwd.endsWith('/') ? cwd : `${cwd}/`;
}

/** The environment of t's process (threads share the main thread's). */
export function envOf(t: ThreadInfo, s: StateView): readonly string[] {
  if (isMainThread(t)) return t.env;
  return s.mainThread(t)?.env ?? t.env;
}

/** libsinsp's get_env(name): the value of NAME=..., trimmed of spaces; '' when absent. */
export function envValue(env: readonly string[], name: string): string {
  const n = name.length;
  for (const e of env) {
    if (e.length > n + 1 && e.charCodeAt(n) === 61 /* = */ && e.startsWith(name)) {
      let a = n + 1;
      let b = e.length - 1;
      while (a <= b && e.charCodeAt(a) === 32) a++;
      if (a > b) return '';
      while (e.charCodeAt(b) === 32) b--;
      return e.slice(a, b + 1);
    }
  }
  return '';
}

// ---- addresses -----------------------------------------------------------------------------------

const addressText = new WeakMap<Uint8Array, string>();

/** An address as inet_ntop prints it (cached per address buffer: no string per event). */
export function ipText(bytes: Uint8Array): string {
  let t = addressText.get(bytes);
  if (t === undefined) {
    t = bytes.length === 4 ? formatIpv4(bytes) : formatIpv6(bytes);
    addressText.set(bytes, t);
  }
  return t;
}

// ---- fds ---------------------------------------------------------------------------------------

/** fd.type / proc.stdin.type: libsinsp's get_typestring. */
export function fdTypeString(fd: FdInfo): string {
  switch (fd.type) {
    case 'ipv4':
    case 'ipv4_server':
      return 'ipv4';
    case 'ipv6':
    case 'ipv6_server':
      return 'ipv6';
    case 'pipe':
      return 'pipe';
    case 'unsupported':
    case 'unknown':
      return '<NA>';
    default:
      return fd.type;
  }
}

/** fd.typechar: libsinsp's get_typechar. */
export function fdTypeChar(fd: FdInfo): string {
  switch (fd.type) {
    case 'file':
      return 'f';
    case 'directory':
      return 'd';
    case 'ipv4':
    case 'ipv4_server':
      return '4';
    case 'ipv6':
    case 'ipv6_server':
      return '6';
    case 'unix':
      return 'u';
    case 'pipe':
      return 'p';
    case 'event':
      return 'e';
    case 'signalfd':
      return 's';
    case 'eventpoll':
      return 'l';
    case 'inotify':
      return 'i';
    case 'timerfd':
      return 't';
    case 'netlink':
      return 'n';
    case 'bpf':
      return 'b';
    case 'userfaultfd':
      return 'u';
    case 'io_uring':
      return 'r';
    case 'memfd':
      return 'm';
    case 'pidfd':
      return 'P';
    case 'unknown':
      return 'o';
    case 'unsupported':
      return 'X';
    default:
      return '?';
  }
}

// ---- paths -------------------------------------------------------------------------------------

/**
 * libsinsp's concatenate_paths: `path2` if absolute, else `path1` + `path2`, with `.`, `..`
 * and repeated separators folded as the kernel would, and a trailing separator dropped.
 * `path1` is taken as is (it ends with '/' by convention).
 */
export function concatenatePaths(path1: string, path2: string): string {
  if (path2.length !== 0 && path2.charCodeAt(0) !== 47) return normalizeInto(path1, path2);
  return normalizeInto('', path2);
}

function normalizeInto(base: string, path: string): string {
  const out: string[] = Array.from(base);
  const baseLen = 0;
  const emptyBase = base.length === 0;
  let i = 0;
  const n = path.length;
  const at = (k: number) => (k < n ? path[k] : '');
  const rewind = (delta: number) => {
    if (out.length <= baseLen + 1) {
      i += delta;
      return;
    }
    out.pop();
    while (out.length >= baseLen + 1 && out[out.length - 1] !== '/') out.pop();
    i += delta;
  };
  while (i < n) {
    const c = path[i]!;
    const atStart = out.length === baseLen || out[out.length - 1] === '/';
    if (c === '.' && atStart) {
      if (at(i + 1) === '.' && at(i + 2) === '/') rewind(3);
      else if (at(i + 1) === '.' && at(i + 2) === '') rewind(2);
      else if (at(i + 1) === '/') i += 2;
      else if (at(i + 1) === '') i++;
      else out.push(path[i++]!);
    } else if (c === '/') {
      if ((out.length > baseLen && out[out.length - 1] === '/') || (out.length === baseLen && !emptyBase)) i++;
      else out.push(path[i++]!);
    } else {
      out.push(path[i++]!);
    }
  }
  if (out.length > baseLen + 1 && out[out.length - 1] === '/') out.pop();
  return out.join('');
}
