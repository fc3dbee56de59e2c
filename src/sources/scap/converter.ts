/**
 * libscap's savefile converter (userspace/libscap/engine/savefile/converter), driven by its own
 * table (src/fields/event-values.json `conversions`, generated from converter/table.cpp): old
 * event layouts become the current ones before anything reads them.
 *
 * - An event needs converting when its code is flagged EF_CONVERTER_MANAGED and it is an enter
 *   event, or an exit event that is EF_OLD_VERSION or has fewer parameters than the table.
 * - Enter events are stored per thread (and dropped); the matching exit event takes
 *   parameters from it. Unmanaged old enter events and EF_UNUSED events are dropped.
 * - Each step looks up (code, parameter count) and either adds parameters at the end or changes
 *   the type and rebuilds the parameter list; steps repeat until the event is current.
 *
 * Converted events are written into two scratch buffers reused for every event; stored enter
 * events reuse one buffer per thread.
 */
import { EventView } from './event-view.js';
import * as F from './format.js';
import {
  CONVERSIONS,
  CONVERTER_MANAGED,
  type ConversionInstr,
  EVENTS,
  fixedWidth,
  LARGE_PAYLOAD,
  NPARAMS,
  OLD_VERSION,
  type ParamInfo,
  UNUSED,
} from './tables.js';

export const CONVERT_PASS = 0;
export const CONVERT_DROP = 1;
export const CONVERT_ERROR = 2;
const CONVERT_CONTINUE = 3;

/** libscap gives up after this many steps (converter.h). */
const MAX_CONVERSION_BOUNDARY = 50;

/** test_event_convertibility */
function convertibility(type: number, nparams: number, self: Converter): number {
  if (UNUSED[type]) return CONVERT_DROP;
  const enter = (type & 1) === 0;
  if (!CONVERTER_MANAGED[type]) {
    if (!OLD_VERSION[type]) return CONVERT_PASS;
    if (enter) return CONVERT_DROP;
    self.error = `Bug. Old exit event (type: ${type}) must be flagged as managed by the scap-converter`;
    return CONVERT_ERROR;
  }
  if (enter) return CONVERT_CONTINUE;
  const expected = NPARAMS[type]!;
  if (nparams > expected) {
    self.error = `Event (type: ${type}) has more parameters (${nparams}) than expected (${expected}).`;
    return CONVERT_ERROR;
  }
  if (OLD_VERSION[type] || nparams !== expected) return CONVERT_CONTINUE;
  return CONVERT_PASS;
}

/** A growable event buffer in the V2 layout, with a view onto it. */
class Scratch {
  /** A stored enter event not yet used (stored buffers are kept and reused per thread). */
  full = false;
  bytes = new Uint8Array(512);
  dv: DataView = new DataView(this.bytes.buffer);
  readonly view = new EventView();
  ensure(n: number): void {
    if (this.bytes.length >= n) return;
    let size = this.bytes.length;
    while (size < n) size *= 2;
    const old = this.bytes;
    this.bytes = new Uint8Array(size);
    this.bytes.set(old);
    this.dv = new DataView(this.bytes.buffer);
  }
}

/** Fixed width of each parameter of each event type (0: variable), looked up once, not per event. */
const WIDTHS: readonly Int32Array[] = EVENTS.map((e) => Int32Array.from(e.params, (p) => fixedWidth(p.type)));

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export class Converter {
  error = '';
  private readonly scratch = [new Scratch(), new Scratch()];
  /** Stored enter events by thread. */
  private readonly stored = new Map<number, Scratch>();

  /** Forgets stored enter events (a new section begins). */
  reset(): void {
    this.stored.clear();
  }

  /**
   * Converts the event `view` points at, in place: afterwards `view` points at the current
   * layout (in a scratch buffer when it changed). CONVERT_DROP: the event is consumed.
   */
  convert(view: EventView): number {
    let r = convertibility(view.type, view.paramCount, this);
    if (r !== CONVERT_CONTINUE) return r;
    let src: EventView = view;
    let k = 0;
    for (let step = 0; step < MAX_CONVERSION_BOUNDARY; step++) {
      const conv = CONVERSIONS.get(src.type * 256 + (src.paramCount & 0xff));
      if (conv === undefined) {
        this.error = `Required conversion for event (type: ${src.type}, nparams: ${src.paramCount}), but we don't handle it in the table.`;
        return CONVERT_ERROR;
      }
      switch (conv.action) {
        case 'store':
          this.store(src);
          return CONVERT_DROP;
        case 'store_and_pass':
          this.store(src);
          this.adopt(view, src);
          return CONVERT_PASS;
        case 'pass':
          this.adopt(view, src);
          return CONVERT_PASS;
        default:
          break;
      }
      const dst = this.scratch[k]!;
      k ^= 1;
      const instrs = conv.instrs ?? [];
      const change = conv.action === 'change_type';
      const type = change ? conv.to! : src.type;
      const kept = change ? 0 : src.paramCount;
      const nparams = kept + instrs.length;
      if (this.build(dst, src, type, kept, nparams, instrs) === CONVERT_ERROR) return CONVERT_ERROR;
      r = convertibility(dst.view.type, dst.view.paramCount, this);
      if (r !== CONVERT_CONTINUE) {
        this.adopt(view, dst.view);
        return r;
      }
      src = dst.view;
    }
    this.error = `Reached '${MAX_CONVERSION_BOUNDARY}' conversions with event (type: ${src.type}, nparams: ${src.paramCount}) without reaching an end.`;
    return CONVERT_ERROR;
  }

  /** Points the reader's view at another view's event (cpu and flags stay the block's). */
  private adopt(view: EventView, from: EventView): void {
    if (from === view) return;
    view.set(from.buf, from.dv, from.off, from.lensOff, from.lenSize, from.paramCount);
  }

  private store(src: EventView): void {
    let s = this.stored.get(src.tid);
    if (s === undefined) {
      s = new Scratch();
      this.stored.set(src.tid, s);
    }
    // keep a copy in the V2 layout (the source may be a V1 event inside the reader's chunk)
    const n = src.paramCount;
    this.writeHeader(s, src, src.type, n, src.paramOffset(n) - src.dataOff);
    const lensAt = F.EVT_HEADER_SIZE_V2;
    for (let i = 0; i < n; i++) this.setLen(s, lensAt, src.lenSize, i, src.paramLength(i));
    const data = lensAt + n * src.lenSize;
    copyBytes(src.buf, src.dataOff, s.bytes, data, src.paramOffset(n) - src.dataOff);
    s.view.set(s.bytes, s.dv, 0, lensAt, src.lenSize, n);
    s.full = true;
  }

  private writeHeader(s: Scratch, src: EventView, type: number, nparams: number, dataBytes: number): void {
    const lenSize = LARGE_PAYLOAD[type] ? 4 : 2;
    s.ensure(F.EVT_HEADER_SIZE_V2 + nparams * lenSize + dataBytes);
    copyBytes(src.buf, src.off, s.bytes, 0, 16); // ts, tid
    s.dv.setUint16(20, type, true);
    s.dv.setUint32(22, nparams, true);
  }

  private setLen(s: Scratch, lensAt: number, lenSize: number, i: number, len: number): void {
    if (lenSize === 2) s.dv.setUint16(lensAt + i * 2, len, true);
    else s.dv.setUint32(lensAt + i * 4, len, true);
  }

  // State of the event being built (fields rather than closures: nothing allocated per event).
  private dst!: Scratch;
  private at = 0;
  private lensAt = 0;
  private lenSize = 2;
  private params: readonly ParamInfo[] = [];
  private widths: Int32Array = new Int32Array(0);

  /** Copies parameter j of `from` as parameter i, capped to the width of i's type. */
  private put(i: number, from: EventView, j: number): void {
    const width = i < this.widths.length ? this.widths[i]! : 0;
    const len = Math.min(from.paramLength(j), width === 0 ? (this.lenSize === 2 ? 0xffff : 0xffffffff) : width);
    copyBytes(from.buf, from.paramOffset(j), this.dst.bytes, this.at, len);
    this.at += len;
    this.setLen(this.dst, this.lensAt, this.lenSize, i, len);
  }

  /** The default value of parameter i's type: zeros, or all ones for uid/gid. */
  private putDefault(i: number): void {
    const ptype = this.params[i]?.type ?? '';
    const width = fixedWidth(ptype);
    this.dst.bytes.fill(ptype === 'PT_UID' || ptype === 'PT_GID' ? 0xff : 0, this.at, this.at + width);
    this.at += width;
    this.setLen(this.dst, this.lensAt, this.lenSize, i, width);
  }

  /** Writes the converted event into dst; its first `kept` parameters are src's. */
  private build(dst: Scratch, src: EventView, type: number, kept: number, nparams: number, instrs: readonly ConversionInstr[]): number {
    const lenSize = LARGE_PAYLOAD[type] ? 4 : 2;
    const slot = this.stored.get(src.tid);
    const enter = slot !== undefined && slot.full ? slot.view : undefined;
    // upper bound of the value bytes: src's, a stored enter event's, and 8 per default value
    let bound = src.paramOffset(src.paramCount) - src.dataOff + 8 * instrs.length;
    if (enter !== undefined) bound += enter.paramOffset(enter.paramCount) - enter.dataOff;
    this.writeHeader(dst, src, type, nparams, bound + 1024);
    this.dst = dst;
    this.params = EVENTS[type]!.params;
    this.widths = WIDTHS[type]!;
    this.lenSize = lenSize;
    this.lensAt = F.EVT_HEADER_SIZE_V2;
    this.at = this.lensAt + nparams * lenSize;
    for (let i = 0; i < kept; i++) this.put(i, src, i);
    let usedEnter = false;
    for (let n = 0; n < instrs.length; n++) {
      const ins = instrs[n]!;
      const i = kept + n;
      switch (ins.from) {
        case 'empty':
          this.setLen(dst, this.lensAt, lenSize, i, 0);
          break;
        case 'default':
          this.putDefault(i);
          break;
        case 'old':
          if (src.paramCount <= ins.param) {
            this.error = `We want to take parameter '${ins.param}' from old event '${src.type}' but this event has only '${src.paramCount}' parameters!`;
            return CONVERT_ERROR;
          }
          this.put(i, src, ins.param);
          break;
        case 'enter': {
          if (enter === undefined) {
            if (ins.fallbackEmpty) this.setLen(dst, this.lensAt, lenSize, i, 0);
            else this.putDefault(i);
            break;
          }
          if (enter.type !== src.type - 1) {
            const e = EVENTS[src.type]!;
            const f = EVENTS[enter.type]!;
            this.error = `The enter event for '${e.name}_${e.direction === 'enter' ? 'E' : 'X'}' is not the right one! Event found '${f.name}_${f.direction === 'enter' ? 'E' : 'X'}'.`;
            return CONVERT_ERROR;
          }
          if (enter.paramCount <= ins.param) {
            this.error = `We want to take parameter '${ins.param}' from enter event '${enter.type}' but this event has only '${enter.paramCount}' parameters!`;
            return CONVERT_ERROR;
          }
          usedEnter = true;
          this.put(i, enter, ins.param);
          break;
        }
        case 'callback': {
          const value = containerJson(src);
          if (value === undefined) {
            if (ins.fallbackEmpty) this.setLen(dst, this.lensAt, lenSize, i, 0);
            else this.putDefault(i);
            break;
          }
          dst.ensure(this.at + value.length + 16);
          dst.bytes.set(value, this.at);
          this.at += value.length;
          this.setLen(dst, this.lensAt, lenSize, i, value.length);
          break;
        }
      }
    }
    if (usedEnter) slot!.full = false;
    dst.dv.setUint32(16, this.at, true);
    dst.view.set(dst.bytes, dst.dv, 0, this.lensAt, lenSize, nparams);
    return CONVERT_PASS;
  }
}

/** Copies without allocating a view for short runs (most parameters are a few bytes). */
function copyBytes(from: Uint8Array, fromAt: number, to: Uint8Array, toAt: number, len: number): void {
  if (len > 64) {
    to.set(from.subarray(fromAt, fromAt + len), toAt);
    return;
  }
  for (let k = 0; k < len; k++) to[toAt + k] = from[fromAt + k]!;
}

/** The one converter callback of table.cpp: an old container event (id, type, name, image) as JSON. */
function containerJson(src: EventView): Uint8Array | undefined {
  if (src.paramCount < 4) return undefined;
  const str = (i: number): string => {
    const b = src.paramBytes(i);
    // libscap drops the last byte (the NUL) of each string
    return decoder.decode(b.subarray(0, Math.max(0, b.length - 1)));
  };
  if (src.paramLength(1) !== 4) return undefined;
  const json = `{"id":"${str(0)}","type":${src.paramUint(1)},"name":"${str(2)}","image":"${str(3)}"}`;
  const bytes = encoder.encode(json);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}
