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
 *
 * `skip` makes the same decisions for an event nobody will read (a light event, see
 * read-plan.ts) without copying a byte: the same drops, the same errors, and the stored-enter
 * bookkeeping a later exit event checks, so a run that skips reads what a full run reads.
 */
import { EventView } from './event-view.js';
import * as F from './format.js';
import {
  CONVERSIONS,
  CONVERTER_MANAGED,
  type Conversion,
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
  /** The stored enter event was skipped (Converter.skip): its view has a type and a parameter count, no bytes. */
  hollow = false;
  bytes = new Uint8Array(512);
  dv: DataView = new DataView(this.bytes.buffer);
  readonly view = new EventView();
  /** Stores a skipped enter event: what a later exit event checks of it. */
  hold(type: number, nparams: number): void {
    this.view.type = type;
    this.view.paramCount = nparams;
    this.full = true;
    this.hollow = true;
  }
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

/** The converter table by code, then by parameter count: two array reads per step, not a Map lookup. */
const CONVERSION_BY_CODE: (Conversion | undefined)[][] = [];
for (const c of CONVERSIONS.values()) (CONVERSION_BY_CODE[c.code] ??= [])[c.nparams & 0xff] = c;

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
    this.lastTid = Number.NaN;
    this.lastSlot = undefined;
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
      const conv = this.conversion(src.type, src.paramCount);
      if (conv === undefined) return CONVERT_ERROR;
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
      if (this.build(dst, src, type, kept, kept + instrs.length, instrs) === CONVERT_ERROR) return CONVERT_ERROR;
      r = convertibility(dst.view.type, dst.view.paramCount, this);
      if (r !== CONVERT_CONTINUE) {
        this.adopt(view, dst.view);
        return r;
      }
      src = dst.view;
    }
    return this.endless(src.type, src.paramCount);
  }

  /**
   * What `convert` decides for the event (CONVERT_PASS, CONVERT_DROP or CONVERT_ERROR, with
   * the same error) without building anything: `view` stays on the event as written. For the
   * events nobody reads but the thread bookkeeping (light events, read-plan.ts), which never
   * change type when converted: their first parameters are the converted event's.
   */
  skip(view: EventView): number {
    let r = convertibility(view.type, view.paramCount, this);
    if (r !== CONVERT_CONTINUE) return r;
    const type = view.type;
    let count = view.paramCount;
    for (let step = 0; step < MAX_CONVERSION_BOUNDARY; step++) {
      const conv = this.conversion(type, count);
      if (conv === undefined) return CONVERT_ERROR;
      switch (conv.action) {
        case 'store':
        case 'store_and_pass':
          // a stored enter event without its bytes: a later exit checks its type and count only
          this.slot(view.tid).hold(type, count);
          return conv.action === 'store' ? CONVERT_DROP : CONVERT_PASS;
        case 'pass':
          return CONVERT_PASS;
        case 'change_type':
          this.error = `Bug. Event (type: ${type}) changes type when converted: it cannot be skipped`;
          return CONVERT_ERROR;
        default:
          break;
      }
      const instrs = conv.instrs ?? [];
      if (this.check(type, count, view.tid, instrs) === CONVERT_ERROR) return CONVERT_ERROR;
      count += instrs.length;
      r = convertibility(type, count, this);
      if (r !== CONVERT_CONTINUE) return r;
    }
    return this.endless(type, count);
  }

  private conversion(type: number, nparams: number): Conversion | undefined {
    const conv = CONVERSION_BY_CODE[type]?.[nparams & 0xff];
    if (conv === undefined) this.error = `Required conversion for event (type: ${type}, nparams: ${nparams}), but we don't handle it in the table.`;
    return conv;
  }

  private endless(type: number, nparams: number): number {
    this.error = `Reached '${MAX_CONVERSION_BOUNDARY}' conversions with event (type: ${type}, nparams: ${nparams}) without reaching an end.`;
    return CONVERT_ERROR;
  }

  private slot(tid: number): Scratch {
    let s = this.storedOf(tid);
    if (s === undefined) {
      s = new Scratch();
      this.stored.set(tid, s);
      this.lastTid = tid;
      this.lastSlot = s;
    }
    return s;
  }

  // The last thread's slot: an enter event and its exit nearly always come one after the other.
  private lastTid = Number.NaN;
  private lastSlot: Scratch | undefined;

  private storedOf(tid: number): Scratch | undefined {
    if (tid === this.lastTid) return this.lastSlot;
    const s = this.stored.get(tid);
    this.lastTid = tid;
    this.lastSlot = s;
    return s;
  }

  /**
   * The checks of one conversion step on an event of `type` with `nparams` parameters, in the
   * order libscap makes them; consumes the thread's stored enter event when a parameter comes
   * from it. CONVERT_ERROR with the error, or CONVERT_PASS.
   */
  private check(type: number, nparams: number, tid: number, instrs: readonly ConversionInstr[]): number {
    const slot = this.storedOf(tid);
    const enter = slot !== undefined && slot.full ? slot.view : undefined;
    let usedEnter = false;
    for (const ins of instrs) {
      if (ins.from === 'old' && nparams <= ins.param) {
        this.error = `We want to take parameter '${ins.param}' from old event '${type}' but this event has only '${nparams}' parameters!`;
        return CONVERT_ERROR;
      }
      if (ins.from !== 'enter' || enter === undefined) continue;
      if (enter.type !== type - 1) {
        const e = EVENTS[type]!;
        const f = EVENTS[enter.type]!;
        this.error = `The enter event for '${e.name}_${e.direction === 'enter' ? 'E' : 'X'}' is not the right one! Event found '${f.name}_${f.direction === 'enter' ? 'E' : 'X'}'.`;
        return CONVERT_ERROR;
      }
      if (enter.paramCount <= ins.param) {
        this.error = `We want to take parameter '${ins.param}' from enter event '${enter.type}' but this event has only '${enter.paramCount}' parameters!`;
        return CONVERT_ERROR;
      }
      usedEnter = true;
    }
    if (usedEnter) slot!.full = false;
    return CONVERT_PASS;
  }

  /** Points the reader's view at another view's event (cpu and flags stay the block's). */
  private adopt(view: EventView, from: EventView): void {
    if (from === view) return;
    view.set(from.buf, from.dv, from.off, from.lensOff, from.lenSize, from.paramCount);
  }

  private store(src: EventView): void {
    const s = this.slot(src.tid);
    // keep a copy in the V2 layout (the source may be a V1 event inside the reader's chunk)
    const n = src.paramCount;
    this.writeHeader(s, src, src.type, n, src.paramOffset(n) - src.dataOff);
    const lensAt = F.EVT_HEADER_SIZE_V2;
    for (let i = 0; i < n; i++) this.setLen(s, lensAt, src.lenSize, i, src.paramLength(i));
    const data = lensAt + n * src.lenSize;
    copyBytes(src.buf, src.dataOff, s.bytes, data, src.paramOffset(n) - src.dataOff);
    s.view.set(s.bytes, s.dv, 0, lensAt, src.lenSize, n);
    s.full = true;
    s.hollow = false;
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
    const slot = this.storedOf(src.tid);
    // the stored enter event's bytes, when this step takes parameters from it
    const enter = slot !== undefined && slot.full && takesFromEnter(instrs) ? slot.view : undefined;
    if (this.check(src.type, src.paramCount, src.tid, instrs) === CONVERT_ERROR) return CONVERT_ERROR;
    if (enter !== undefined && slot!.hollow) {
      // read-plan.ts keeps a syscall's halves together: a full exit never takes from a skipped enter event
      this.error = `Bug. The enter event of a converted event (type: ${src.type}) was skipped`;
      return CONVERT_ERROR;
    }
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
          this.put(i, src, ins.param);
          break;
        case 'enter':
          if (enter !== undefined) this.put(i, enter, ins.param);
          else if (ins.fallbackEmpty) this.setLen(dst, this.lensAt, lenSize, i, 0);
          else this.putDefault(i);
          break;
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
    dst.dv.setUint32(16, this.at, true);
    dst.view.set(dst.bytes, dst.dv, 0, this.lensAt, lenSize, nparams);
    return CONVERT_PASS;
  }
}

function takesFromEnter(instrs: readonly ConversionInstr[]): boolean {
  for (let i = 0; i < instrs.length; i++) if (instrs[i]!.from === 'enter') return true;
  return false;
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
