/**
 * Test-only stand-ins for the scap reader and state engine: events and state built by
 * hand, shaped like the real ones (the lead replaces them with the real synthesizer).
 */
import { FieldCatalogue } from '../../../../src/fields/catalogue.js';
import eventTable from '../../../../src/fields/event-table.json' with { type: 'json' };
import type { FieldValue } from '../../../../src/fields/source.js';
import type { ScapEvent } from '../../../../src/sources/scap/event.js';
import { type ExtractorOptions, extractor } from '../../../../src/sources/scap/fields/index.js';
import { newFd } from '../../../../src/sources/scap/state/fd-flags.js';
import {
  blankThreadInfo,
  type ContainerInfo,
  type FdInfo,
  type GroupInfo,
  type StateView,
  type ThreadInfo,
  type UserInfo,
} from '../../../../src/sources/scap/state/model.js';

const events = (eventTable as { events: { code: number; id: string; params: { name: string; type: string }[] }[] }).events;

/** A parameter: an integer of a width (signed or not), a 64-bit bigint, text, or raw bytes. */
export type Param = { int: number | bigint; width: 1 | 2 | 4 | 8 } | string | Uint8Array | null;

export function i64(v: number | bigint): Param {
  return { int: v, width: 8 };
}
export function u32(v: number): Param {
  return { int: v, width: 4 };
}
export function u16(v: number): Param {
  return { int: v, width: 2 };
}

function encode(p: Param): Uint8Array {
  if (p === null) return new Uint8Array(0);
  if (typeof p === 'string') return new TextEncoder().encode(`${p}\0`);
  if (p instanceof Uint8Array) return p;
  const b = new Uint8Array(p.width);
  let v = BigInt.asUintN(p.width * 8, BigInt(p.int));
  for (let i = 0; i < p.width; i++) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

export interface FakeEventInit {
  /** PPME_* identifier, e.g. 'PPME_SYSCALL_OPENAT_2_X'. */
  id: string;
  tid: number;
  num?: number;
  ts?: bigint;
  cpu?: number;
  /** By position, or by the event table's parameter names. */
  params?: Param[] | Record<string, Param>;
}

/** A ScapEvent over hand-built little-endian parameters. */
export function fakeEvent(init: FakeEventInit): ScapEvent {
  const e = events.find((x) => x.id === init.id);
  if (!e) throw new Error(`unknown event ${init.id}`);
  let params: Param[];
  if (Array.isArray(init.params)) params = init.params;
  else {
    const named = init.params ?? {};
    params = e.params.map((p) => named[p.name] ?? null);
    for (const k of Object.keys(named)) if (!e.params.some((p) => p.name === k)) throw new Error(`${init.id} has no parameter ${k}`);
  }
  const bytes = params.map(encode);
  const ts = init.ts ?? 1_534_527_348_514_632_619n;
  const readU = (i: number): bigint => {
    const b = bytes[i] ?? new Uint8Array(0);
    let v = 0n;
    for (let k = b.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k]!);
    return v;
  };
  const width = (i: number) => (bytes[i]?.length ?? 0) * 8;
  return {
    num: init.num ?? 1,
    type: e.code,
    tid: init.tid,
    cpu: init.cpu ?? 0,
    flags: 0,
    ts: () => ts,
    paramCount: bytes.length,
    paramLength: (i) => bytes[i]?.length ?? 0,
    paramBytes: (i) => bytes[i] ?? new Uint8Array(0),
    paramUint: (i) => Number(readU(i)),
    paramInt: (i) => (width(i) === 0 ? 0 : Number(BigInt.asIntN(width(i), readU(i)))),
    paramBigInt: (i, signed) => (signed ? BigInt.asIntN(width(i), readU(i)) : readU(i)),
    paramString: (i) => {
      const b = bytes[i] ?? new Uint8Array(0);
      const end = b.indexOf(0);
      return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
    },
  };
}

/** A thread of a test process: a process-list entry's blank thread with the ids and cwd of a leader, overridden by `over`. */
export function thread(over: Partial<ThreadInfo> & { tid: number }): ThreadInfo {
  return {
    ...blankThreadInfo(over.tid),
    pid: over.tid,
    sid: 0,
    vpgid: 0,
    pgid: 0,
    vtid: over.tid,
    vpid: over.pid ?? over.tid,
    cwd: '/',
    loginuid: -1,
    ...over,
  };
}

/** An fd as the state engine makes one (newFd), overridden by `over`. */
export function fd(over: Partial<FdInfo> & { fd: number; type: FdInfo['type'] }): FdInfo {
  return { ...newFd(over.fd, over.type), ...over };
}

export function ip(text: string): Uint8Array {
  if (text.includes('.') && !text.includes(':')) return Uint8Array.from(text.split('.').map(Number));
  // Expand '::' for IPv6 (test inputs only).
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((w) => parseInt(w, 16));
  const b = new Uint8Array(16);
  words.forEach((w, i) => {
    b[2 * i] = w >> 8;
    b[2 * i + 1] = w & 0xff;
  });
  return b;
}

export interface FakeStateInit {
  threads?: ThreadInfo[];
  users?: UserInfo[];
  groups?: GroupInfo[];
  containers?: ContainerInfo[];
  hostname?: string;
  eventFd?: FdInfo;
  firstEventTs?: bigint;
  localAddresses?: string[];
  /** Count alive threads per pid from `threads` (as the state engine would). */
  countThreads?: boolean;
  /** Overrides the local-address test (default: exact match with localAddresses). */
  isLocal?: (addr: Uint8Array) => boolean;
}

export function fakeState(init: FakeStateInit): StateView {
  const threads = new Map((init.threads ?? []).map((t) => [t.tid, t]));
  const local = new Set(init.localAddresses ?? []);
  const view: StateView = {
    thread: (tid) => threads.get(tid),
    mainThread: (t) => threads.get(t.pid),
    parent: (t) => threads.get(t.ptid),
    user: (uid) => init.users?.find((u) => u.uid === uid),
    group: (gid) => init.groups?.find((g) => g.gid === gid),
    container: (id) => init.containers?.find((c) => c.id === id),
    machine: { hostname: init.hostname ?? 'host0', bootTime: 0n, numCpus: 1 },
    eventFd: init.eventFd,
    firstEventTs: init.firstEventTs,
    isLocalAddress: init.isLocal ?? ((addr) => local.has(addr.length === 4 ? addr.join('.') : Buffer.from(addr).toString('hex'))),
  };
  if (init.countThreads) {
    view.aliveThreads = (t) => [...threads.values()].filter((x) => x.pid === t.pid && !x.dead).length;
  }
  return view;
}

const catalogue = FieldCatalogue.syscall();

/** Reads `field` (as written in a rule: `proc.aname[2]`, `evt.arg.flags`) from one event. */
export function read(field: string, ev: ScapEvent, state: StateView, options?: ExtractorOptions): FieldValue {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(field)!;
  const r = catalogue.resolve(m[1]!, m[2]);
  if (!r.ok) throw new Error(r.message);
  const v = extractor(r.field, options)(ev, state);
  return Array.isArray(v) ? [...v] : v;
}
