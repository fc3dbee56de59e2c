/**
 * proc.* and thread.* fields (libsinsp's sinsp_filter_check_thread), read from the thread
 * table. NA rules follow libsinsp: no thread for the event's tid makes every field NA
 * except thread.tid; ids of -1 are NA where libsinsp says so; strings libsinsp builds
 * empty stay empty strings (not NA).
 */
import type { ResolvedField } from '../../../fields/catalogue.js';
import type { ScapEvent } from '../event.js';
import type { StateView, ThreadInfo } from '../state/model.js';
import { capsToString } from './caps.js';
import {
  ancestorProcess,
  cmdline,
  cwdOf,
  envOf,
  envValue,
  fdTypeString,
  forEachAncestor,
  groupLeader,
  isMainThread,
  mainThread,
  u64,
  wrapU64,
} from './common.js';
import { codeOf } from './event-info.js';
import type { Extractor, FieldValue } from './types.js';

type ThreadRead = (t: ThreadInfo, ev: ScapEvent, s: StateView) => FieldValue;

/**
 * libsinsp's extract_exectime: time since the previous switch event on the same CPU (0 for
 * the first) that this clock was read on. libsinsp keeps one clock per check (each occurrence
 * in a condition or an output); kestrel's field is read through one accessor per capture, so
 * its clock answers an event read twice (by a condition, then an output, or by two rules) with
 * the same value, where a second read in libsinsp's way would give 0 (docs/compatibility.md).
 */
function switchClock(): (ev: ScapEvent, s: StateView) => number | bigint {
  const last = new Map<number, bigint>();
  let readNum = -1;
  let readValue: number | bigint = 0;
  // a new capture has a new state: the clock starts again with it
  let capture: StateView | undefined;
  return (ev, s) => {
    if (s !== capture) {
      capture = s;
      last.clear();
      readNum = -1;
    }
    if (ev.num === readNum) return readValue;
    const ts = ev.ts();
    const before = last.get(ev.cpu) ?? 0n;
    last.set(ev.cpu, ts);
    readNum = ev.num;
    readValue = before === 0n ? 0 : u64(ts - before);
    return readValue;
  };
}

/** The extractor of a field read from the event's thread: NA without one. */
function onThread(read: ThreadRead): Extractor {
  return (ev, s) => {
    const t = s.thread(ev.tid);
    return t === undefined ? undefined : read(t, ev, s);
  };
}

/** libsinsp's should_extract_xid: ids outside [-1, 2^32-1] are not real ids. */
function xid(id: number): number | undefined {
  return id >= -1 && id <= 0xffffffff ? id : undefined;
}

/**
 * Ancestor fields: `[N]` reads the Nth ancestor process (0 = the process itself); without an
 * index the value is every ancestor (the parent first), which matches when any does, as
 * libsinsp's filter comparison walks them.
 */
function ancestry(read: (t: ThreadInfo) => FieldValue, arg: string | undefined): Extractor {
  // libsinsp reads an index of -1 as no index; other negative ones find no ancestor.
  if (arg !== undefined && Number(arg) !== -1) {
    const n = Number(arg);
    if (!Number.isInteger(n) || n < 0) return () => undefined;
    return onThread((t, _ev, s) => {
      const a = ancestorProcess(t, n, s);
      return a === undefined ? undefined : read(a);
    });
  }
  const values: FieldValue[] = [];
  const push = (p: ThreadInfo) => {
    values.push(read(p));
    return true;
  };
  return onThread((t, _ev, s) => {
    const mt = mainThread(t, s);
    if (mt === undefined) return undefined;
    while (values.length > 0) values.pop();
    forEachAncestor(mt, s, push);
    return values.length > 0 ? values : undefined;
  });
}

function parent(read: (t: ThreadInfo) => FieldValue): Extractor {
  return onThread((t, _ev, s) => {
    const p = ancestorProcess(t, 1, s);
    return p === undefined ? undefined : read(p);
  });
}

/** sid/vpgid/pgid leader fields: '' (not NA) when there is no leader, as libsinsp returns. */
function leaderField(idOf: (t: ThreadInfo) => number, isVirtual: boolean, read: (t: ThreadInfo) => string): Extractor {
  return onThread((t, _ev, s) => {
    const leader = groupLeader(t, idOf, isVirtual, s);
    return leader === undefined ? '' : read(leader);
  });
}

/** A 64-bit field NA when zero (libsinsp uses 0 as "unknown" for inodes and times). */
function nonZero(read: (t: ThreadInfo) => bigint): Extractor {
  return onThread((t) => {
    const v = read(t);
    return v === 0n ? undefined : u64(v);
  });
}

function stdFd(fd: number, read: 'type' | 'name'): Extractor {
  return onThread((t, _ev, s) => {
    const info = (mainThread(t, s) ?? t).fds.get(fd);
    if (info === undefined) return undefined;
    return read === 'type' ? fdTypeString(info) : info.name;
  });
}

function argsText(t: ThreadInfo): string {
  return t.args.join(' ');
}

function fdOpenCount(t: ThreadInfo, s: StateView): number {
  const mt = mainThread(t, s);
  return mt === undefined ? 0 : mt.fds.size;
}

function fdLimit(t: ThreadInfo, s: StateView): number {
  return mainThread(t, s)?.fdlimit ?? 0;
}

function durationSince(ev: ScapEvent, start: bigint): FieldValue {
  return u64(wrapU64(ev.ts() - start));
}

const SCHEDSWITCH = codeOf('PPME_SCHEDSWITCH_6_E');

type Builder = (field: ResolvedField) => Extractor;

export const THREAD_FIELDS: Record<string, Builder> = {
  'proc.exe': () => onThread((t) => t.exe),
  'proc.pexe': () => parent((t) => t.exe),
  'proc.aexe': (f) => ancestry((t) => t.exe, f.arg),
  'proc.exepath': () => onThread((t) => t.exepath),
  'proc.pexepath': () => parent((t) => t.exepath),
  'proc.aexepath': (f) => ancestry((t) => t.exepath, f.arg),
  'proc.name': () => onThread((t) => t.comm),
  'proc.pname': () => parent((t) => t.comm),
  'proc.aname': (f) => ancestry((t) => t.comm, f.arg),
  'proc.args': (f) => {
    if (f.arg === undefined || Number(f.arg) < 0) return onThread(argsText);
    // An index past the arguments is an empty string, not NA.
    const n = Number(f.arg);
    return onThread((t) => t.args[n] ?? '');
  },
  'proc.aargs': (f) => {
    if (f.arg === undefined) {
      // libsinsp has no any-ancestor comparison for aargs: it joins every ancestor's args
      // (a separator only once something was added, so empty ones leave no trace).
      let text = '';
      const push = (p: ThreadInfo) => {
        const args = argsText(p);
        text = text === '' ? args : `${text} ${args}`;
        return true;
      };
      return onThread((t, _ev, s) => {
        const mt = mainThread(t, s);
        if (mt === undefined) return undefined;
        text = '';
        forEachAncestor(mt, s, push);
        return text === '' ? undefined : text;
      });
    }
    const n = Number(f.arg);
    return onThread((t, _ev, s) => {
      const a = ancestorProcess(t, n, s);
      return a === undefined ? undefined : argsText(a);
    });
  },
  'proc.cmdline': () => onThread(cmdline),
  'proc.pcmdline': () => parent(cmdline),
  'proc.acmdline': (f) => ancestry(cmdline, f.arg),
  'proc.cmdnargs': () => onThread((t) => t.args.length),
  'proc.cmdlenargs': () =>
    onThread((t) => {
      let n = 0;
      for (const a of t.args) n += a.length;
      return n;
    }),
  'proc.exeline': () => onThread((t) => `${t.exe} ${argsText(t)}`),
  'proc.env': (f) => {
    // A name reads one variable; no argument (or a numeric one) the whole environment.
    const name = f.arg !== undefined && !/^[0-9]+$/.test(f.arg) ? f.arg : undefined;
    if (name !== undefined) return onThread((t, _ev, s) => envValue(envOf(t, s), name));
    return onThread((t, _ev, s) => envOf(t, s).join(' '));
  },
  'proc.aenv': (f) => {
    const name = f.arg !== undefined && !/^[0-9]+$/.test(f.arg) ? f.arg : undefined;
    if (name !== undefined) {
      // The first ancestor (the parent first, at most 20 levels) that sets the variable.
      return onThread((t, _ev, s) => {
        let mt = mainThread(t, s);
        if (mt === undefined) return '';
        for (let j = 0; j < 20; j++) {
          mt = s.thread(mt.ptid);
          if (mt === undefined) break;
          const v = envValue(envOf(mt, s), name);
          if (v !== '') return v;
        }
        return '';
      });
    }
    // libsinsp compares proc.aenv and proc.aenv[N] against every ancestor's environment.
    return ancestryEnv();
  },
  'proc.cwd': () => onThread((t, _ev, s) => cwdOf(t, s)),
  'proc.loginshellid': () => {
    // The oldest shell (a comm ending in "sh") among the process and its ancestors.
    let found: number | undefined;
    const check = (p: ThreadInfo) => {
      if (p.comm.endsWith('sh')) found = p.pid;
      return true;
    };
    return onThread((t, _ev, s) => {
      const mt = mainThread(t, s);
      if (mt === undefined) return undefined;
      found = undefined;
      check(mt);
      forEachAncestor(mt, s, check);
      return found;
    });
  },
  'proc.tty': () => onThread((t) => t.tty),
  'proc.pid': () => onThread((t) => xid(t.pid)),
  'proc.ppid': () => parent((p) => xid(p.pid)),
  'proc.apid': (f) => ancestry((t) => xid(t.pid), f.arg),
  'proc.vpid': () => onThread((t) => (t.vpid === -1 ? undefined : t.vpid)),
  'proc.pvpid': () => onThread((t, _ev, s) => s.thread(t.ptid)?.vpid),
  'proc.sid': () => onThread((t) => t.sid),
  'proc.sname': () =>
    leaderField(
      (t) => t.sid,
      true,
      (t) => t.comm,
    ),
  'proc.sid.exe': () =>
    leaderField(
      (t) => t.sid,
      true,
      (t) => t.exe,
    ),
  'proc.sid.exepath': () =>
    leaderField(
      (t) => t.sid,
      true,
      (t) => t.exepath,
    ),
  'proc.vpgid': () => onThread((t) => t.vpgid),
  'proc.vpgid.name': () =>
    leaderField(
      (t) => t.vpgid,
      true,
      (t) => t.comm,
    ),
  'proc.vpgid.exe': () =>
    leaderField(
      (t) => t.vpgid,
      true,
      (t) => t.exe,
    ),
  'proc.vpgid.exepath': () =>
    leaderField(
      (t) => t.vpgid,
      true,
      (t) => t.exepath,
    ),
  'proc.pgid': () => onThread((t) => t.pgid),
  'proc.pgid.name': () =>
    leaderField(
      (t) => t.pgid,
      false,
      (t) => t.comm,
    ),
  'proc.pgid.exe': () =>
    leaderField(
      (t) => t.pgid,
      false,
      (t) => t.exe,
    ),
  'proc.pgid.exepath': () =>
    leaderField(
      (t) => t.pgid,
      false,
      (t) => t.exepath,
    ),
  'proc.duration': () => onThread((t, ev) => (t.cloneTs === 0n ? undefined : durationSince(ev, t.cloneTs))),
  'proc.ppid.duration': () =>
    onThread((t, ev, s) => {
      const p = ancestorProcess(t, 1, s);
      if (p === undefined) return undefined;
      if (p.cloneTs !== 0n) return durationSince(ev, p.cloneTs);
      // libsinsp falls through to proc.fdopencount here (a missing break): kept for parity.
      return fdOpenCount(t, s);
    }),
  'proc.pid.ts': () => nonZero((t) => t.cloneTs),
  'proc.ppid.ts': () =>
    onThread((t, _ev, s) => {
      const p = s.thread(t.ptid);
      return p === undefined ? undefined : u64(p.cloneTs);
    }),
  'proc.is_exe_writable': () => onThread((t) => t.exeWritable),
  'proc.is_exe_upper_layer': () => onThread((t) => t.exeUpperLayer),
  'proc.is_exe_lower_layer': () => onThread((t) => t.exeLowerLayer),
  'proc.is_exe_from_memfd': () => onThread((t) => t.exeFromMemfd),
  'proc.is_sid_leader': () => onThread((t) => t.sid === t.vpid),
  'proc.is_vpgid_leader': () => onThread((t) => t.vpgid === t.vpid),
  'proc.is_pgid_leader': () => onThread((t) => t.pgid === t.pid),
  'proc.exe_ino': () => nonZero((t) => t.exeIno),
  'proc.exe_ino.ctime': () => nonZero((t) => t.exeInoCtime),
  'proc.exe_ino.mtime': () => nonZero((t) => t.exeInoMtime),
  'proc.exe_ino.ctime_duration_proc_start': () =>
    nonZero((t) => t.exeInoCtimeDurationCloneTs ?? (t.cloneTs !== 0n && t.exeInoCtime !== 0n ? wrapU64(t.cloneTs - t.exeInoCtime) : 0n)),
  'proc.exe_ino.ctime_duration_pidns_start': () =>
    nonZero(
      (t) => t.exeInoCtimeDurationPidnsStart ?? (t.pidnsInitStartTs !== 0n && t.exeInoCtime > t.pidnsInitStartTs ? t.exeInoCtime - t.pidnsInitStartTs : 0n),
    ),
  'proc.pidns_init_start_ts': () => nonZero((t) => t.pidnsInitStartTs),
  'thread.cap_permitted': () => onThread((t) => capsToString(t.capPermitted)),
  'thread.cap_inheritable': () => onThread((t) => capsToString(t.capInheritable)),
  'thread.cap_effective': () => onThread((t) => capsToString(t.capEffective)),
  'proc.fdopencount': () => onThread((t, _ev, s) => fdOpenCount(t, s)),
  'proc.fdlimit': () => onThread((t, _ev, s) => fdLimit(t, s)),
  'proc.fdusage': () =>
    onThread((t, _ev, s) => {
      const limit = fdLimit(t, s);
      if (limit <= 0) return 0;
      const open = fdOpenCount(t, s);
      return open <= limit ? (open * 100) / limit : 100;
    }),
  'proc.vmsize': () => onThread((t) => t.vmsizeKb),
  'proc.vmrss': () => onThread((t) => t.vmrssKb),
  'proc.vmswap': () => onThread((t) => t.vmswapKb),
  'thread.pfmajor': () => onThread((t) => u64(t.pfMajor)),
  'thread.pfminor': () => onThread((t) => u64(t.pfMinor)),
  // The one field libsinsp reads from the event, with or without a thread.
  'thread.tid': () => (ev) => xid(ev.tid),
  'thread.ismain': () => onThread(isMainThread),
  'thread.vtid': () => onThread((t) => (t.vtid === -1 ? undefined : t.vtid)),
  'thread.nametid': () => onThread((t, ev) => t.comm + String(ev.tid)),
  // CPU time between context switches: 0 on every other event, as libsinsp reports it.
  'thread.exectime': () => {
    const exectime = switchClock();
    return (ev, s) => (ev.type === SCHEDSWITCH ? exectime(ev, s) : 0);
  },
  'thread.totexectime': () => {
    const exectime = switchClock();
    // libsinsp keeps the running total on the thread, one per filter check (a dynamic field);
    // an event read again adds nothing more (as switchClock)
    const totals = new Map<number, number | bigint>();
    let readNum = -1;
    let readValue: number | bigint = 0;
    let capture: StateView | undefined;
    return onThread((t, ev, s) => {
      if (s !== capture) {
        capture = s;
        totals.clear();
        readNum = -1;
      }
      if (ev.num === readNum) return readValue;
      const d = ev.type === SCHEDSWITCH ? exectime(ev, s) : 0;
      const prev = totals.get(t.tid) ?? 0;
      const sum = typeof d === 'number' && typeof prev === 'number' ? prev + d : u64(BigInt(prev) + BigInt(d));
      totals.set(t.tid, sum);
      readNum = ev.num;
      readValue = sum;
      return sum;
    });
  },
  'thread.cgroups': () =>
    onThread((t) => {
      if (t.cgroups.length === 0) return undefined;
      let text = '';
      for (const [subsys, path] of t.cgroups) text += `${(text === '' ? '' : ' ') + subsys}=${path}`;
      return text;
    }),
  'thread.cgroup': (f) => {
    const subsys = f.arg ?? '';
    return onThread((t) => {
      for (const [k, v] of t.cgroups) if (k === subsys) return v;
      return undefined;
    });
  },
  'proc.nthreads': () => onThread((t, _ev, s) => s.aliveThreads?.(t)),
  'proc.nchilds': () =>
    onThread((t, _ev, s) => {
      const n = s.aliveThreads?.(t);
      if (n === undefined) return undefined;
      const mt = mainThread(t, s);
      return mt !== undefined && !mt.dead ? n - 1 : n;
    }),
  'thread.vmsize': () => onThread((t) => (isMainThread(t) ? t.vmsizeKb : 0)),
  'thread.vmrss': () => onThread((t) => (isMainThread(t) ? t.vmrssKb : 0)),
  'thread.vmsize.b': () => onThread((t) => (isMainThread(t) ? t.vmsizeKb * 1024 : 0)),
  'thread.vmrss.b': () => onThread((t) => (isMainThread(t) ? t.vmrssKb * 1024 : 0)),
  'proc.stdin.type': () => stdFd(0, 'type'),
  'proc.stdout.type': () => stdFd(1, 'type'),
  'proc.stderr.type': () => stdFd(2, 'type'),
  'proc.stdin.name': () => stdFd(0, 'name'),
  'proc.stdout.name': () => stdFd(1, 'name'),
  'proc.stderr.name': () => stdFd(2, 'name'),
};

/** proc.aenv without a variable name: every ancestor's whole environment. */
function ancestryEnv(): Extractor {
  const values: string[] = [];
  let state: StateView;
  const push = (p: ThreadInfo) => {
    values.push(envOf(p, state).join(' '));
    return true;
  };
  return onThread((t, _ev, s) => {
    const mt = mainThread(t, s);
    if (mt === undefined) return undefined;
    while (values.length > 0) values.pop();
    state = s;
    forEachAncestor(mt, s, push);
    return values.length > 0 ? values : undefined;
  });
}
