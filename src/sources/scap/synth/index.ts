/**
 * The event synthesizer: builds the events a kernel driver would emit, byte for byte as a
 * scap file holds them, from JS values. Used by the state tests and by the simulated host
 * of the event generator.
 *
 *   const synth = new Synth();
 *   synth.exit('openat', { tid: 42, ts: 1000n }, { fd: 3, dirfd: AT_FDCWD, name: '/etc/passwd', flags: PPM_O_RDONLY, mode: 0, dev: 0, ino: 0n });
 *
 * Parameters are given by name (the event table's names); a parameter left out is encoded
 * empty (length 0), as the drivers do for values they could not read. A name the event
 * does not have is an error (typos must not pass silently).
 */
import { encodeParam, type ParamValue } from './encode.js';
import { BufferScapEvent, EVENT_HEADER_SIZE } from './event.js';
import { type EventInfo, eventById, eventByName } from './table.js';

export * from './constants.js';
export type { ParamValue, SockAddrSpec, SockTupleSpec } from './encode.js';
export { encodeParam, encodeSockAddr, encodeSockTuple, ipv4Bytes, ipv6Bytes } from './encode.js';
export { BufferScapEvent } from './event.js';
export { cloneExitParams, type ProcessParams, processExitParams } from './process-params.js';
export { codeOf, EVENTS as EVENTS_FOR_TESTS, eventById, eventByName } from './table.js';

export interface EventHeader {
  tid: number;
  /** Nanoseconds since the epoch; defaults to the synthesizer's clock (1 µs after the previous event). */
  ts?: bigint;
  cpu?: number;
  /** EVF flags of the block. */
  flags?: number;
}

export type Params = Record<string, ParamValue>;

/** Encodes an event's bytes (header, lengths, data). */
export function encodeEvent(info: EventInfo, header: { tid: number; ts: bigint }, params: Params): Uint8Array {
  const known = new Set(info.params.map((p) => p.name));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      throw new Error(`${info.id}: no parameter '${name}' (it has: ${info.params.map((p) => p.name).join(', ') || 'none'})`);
    }
  }
  const datas = info.params.map((p) => encodeParam(p.type, params[p.name], `${info.id}.${p.name}`));
  const lenSize = info.largePayload ? 4 : 2;
  const total = EVENT_HEADER_SIZE + lenSize * datas.length + datas.reduce((n, d) => n + d.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt.asUintN(64, header.ts), true);
  dv.setBigUint64(8, BigInt.asUintN(64, BigInt(header.tid)), true);
  dv.setUint32(16, total, true);
  dv.setUint16(20, info.code, true);
  dv.setUint32(22, datas.length, true);
  let at = EVENT_HEADER_SIZE;
  for (const d of datas) {
    if (lenSize === 4) dv.setUint32(at, d.length, true);
    else {
      if (d.length > 0xffff) throw new Error(`${info.id}: a parameter of ${d.length} bytes does not fit a 16-bit length`);
      dv.setUint16(at, d.length, true);
    }
    at += lenSize;
  }
  for (const d of datas) {
    out.set(d, at);
    at += d.length;
  }
  return out;
}

export class Synth {
  private num = 0;
  private clock: bigint;

  /** `startTs`: the clock of the first event that gives no ts. */
  constructor(startTs = 1_700_000_000_000_000_000n) {
    this.clock = startTs;
  }

  /** An enter event of `name` (its current layout). */
  enter(name: string, header: EventHeader, params: Params = {}): BufferScapEvent {
    return this.build(lookup(name, 'enter'), header, params);
  }

  /** An exit event of `name` (its current layout). */
  exit(name: string, header: EventHeader, params: Params = {}): BufferScapEvent {
    return this.build(lookup(name, 'exit'), header, params);
  }

  /** An event by its PPME_* id, for old layouts and meta events (PPME_CONTAINER_JSON_2_E, ...). */
  event(id: string, header: EventHeader, params: Params = {}): BufferScapEvent {
    const info = eventById(id);
    if (info === undefined) throw new Error(`unknown event id ${id}`);
    return this.build(info, header, params);
  }

  private build(info: EventInfo, header: EventHeader, params: Params): BufferScapEvent {
    const ts = header.ts ?? this.clock + 1000n;
    if (ts > this.clock) this.clock = ts;
    const bytes = encodeEvent(info, { tid: header.tid, ts }, params);
    return new BufferScapEvent(bytes, info.largePayload, ++this.num, header.cpu ?? 0, header.flags ?? 0);
  }
}

function lookup(name: string, direction: 'enter' | 'exit'): EventInfo {
  const info = eventByName(name, direction);
  if (info === undefined) throw new Error(`no ${direction} event named '${name}'`);
  return info;
}
