/**
 * A synchronous pull reader of scap captures (the savefile format of falcosecurity/libs).
 *
 *   const r = new ScapReader({ file: 'x.scap', handler });
 *   r.feed(chunk);                 // bytes as they arrive (uncompressed)
 *   while ((step = r.next()) === STEP_EVENT) use(r.event);
 *   // STEP_NEED_MORE: feed more (or r.end() at end of input); STEP_END; STEP_ERROR: r.error
 *
 * One ScapEvent object is reused for every event and points into the fed chunk (or into a
 * carry-over buffer for a block split across chunks): nothing is copied or allocated per
 * event. An event stays valid until the next call to next() or feed().
 *
 * Memory stays bounded by the largest block (plus one chunk): consumed bytes are dropped.
 * Errors are values (r.error) with a code and the byte offset, never exceptions.
 */

import { type ScapErrorCode, type ScapReadError, scapError } from './errors.js';
import type { ScapEvent } from './event.js';
import { EventView } from './event-view.js';
import * as F from './format.js';
import {
  BlockOverrun,
  Cursor,
  type MachineInfo,
  type MetadataHandler,
  parseFdlist,
  parseIflist,
  parseMachineInfo,
  parseProclist,
  parseUserlist,
} from './metadata.js';
import { codeOf, LARGE_PAYLOAD, NPARAMS, PPM_EVENT_MAX } from './tables.js';

const PPME_NOTIFICATION_E = codeOf('PPME_NOTIFICATION_E');
const PPME_INFRASTRUCTURE_EVENT_E = codeOf('PPME_INFRASTRUCTURE_EVENT_E');

import { CONVERT_DROP, CONVERT_ERROR, Converter } from './converter.js';

export const STEP_NEED_MORE = 0;
export const STEP_EVENT = 1;
export const STEP_END = 2;
export const STEP_ERROR = 3;
export type Step = typeof STEP_NEED_MORE | typeof STEP_EVENT | typeof STEP_END | typeof STEP_ERROR;

export interface ScapReaderOptions {
  /** File name for error messages. */
  file?: string;
  /** Receives the metadata blocks (process list, fds, users, ...). */
  handler?: MetadataHandler;
  /**
   * Bring old event layouts up to date as libscap's savefile converter does (default true: what
   * Falco sees). False gives the events as written (what libsinsp before the converter saw).
   */
  convert?: boolean;
  /** Largest block accepted, in bytes (default 256 MiB): bounds memory on a corrupt length. */
  maxBlockLength?: number;
  /**
   * Light events by code (read-plan.ts): checked and counted as usual, never converted: their
   * header is right, their parameters are as written (the first ones, which conversions never
   * change, are the converted event's: a generic event's syscall).
   */
  lightEvents?: Uint8Array;
}

export interface ScapReaderStats {
  /** Blocks read (all kinds). */
  blocks: number;
  /** Blocks of unknown type skipped in a metadata section (counted as libscap skips them). */
  unknownBlocks: number;
  /** Events with a code beyond this event table (from a newer driver): skipped as libscap does. */
  unknownEvents: number;
  /** Events the converter consumed (enter events it stores, unused events). */
  droppedEvents: number;
  /** Events delivered. */
  events: number;
  /** Sections (1, or more for concatenated captures). */
  sections: number;
  threads: number;
  fds: number;
  users: number;
  groups: number;
  interfaces: number;
}

const EMPTY = new Uint8Array(0);
const STATE_START = 0; // expecting the section header
const STATE_META = 1; // metadata blocks, before the first event block of a section
const STATE_EVENTS = 2;

export class ScapReader {
  /** The reused event (valid after STEP_EVENT until the next call). */
  readonly event: ScapEvent;
  error: ScapReadError | undefined;
  readonly stats: ScapReaderStats = {
    blocks: 0,
    unknownBlocks: 0,
    unknownEvents: 0,
    droppedEvents: 0,
    events: 0,
    sections: 0,
    threads: 0,
    fds: 0,
    users: 0,
    groups: 0,
    interfaces: 0,
  };
  /** The machine info block of the current section, if any. */
  machine: MachineInfo | undefined;
  /** Section header version of the current section. */
  version = { major: 0, minor: 0 };

  /** Ports of the listening sockets in the fd lists of the current section. */
  readonly serverPorts = new Set<number>();
  private readonly view = new EventView();
  private readonly file: string | undefined;
  private readonly handler: MetadataHandler;
  private readonly converter: Converter | undefined;
  private readonly maxBlock: number;
  private readonly light: Uint8Array | undefined;

  private buf: Uint8Array = EMPTY;
  private dv: DataView = new DataView(EMPTY.buffer);
  private pos = 0;
  private end = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  /** buf is our own carry-over buffer (may be appended to) rather than a caller's chunk. */
  private owned = false;
  private carry: Uint8Array = EMPTY;
  private eof = false;
  private state = STATE_START;
  private sawEventBlock = false;

  constructor(options: ScapReaderOptions = {}) {
    this.file = options.file;
    this.handler = options.handler ?? {};
    this.converter = options.convert === false ? undefined : new Converter();
    this.maxBlock = options.maxBlockLength ?? 256 * 1024 * 1024;
    this.light = options.lightEvents;
    this.event = this.view;
  }

  /** Bytes the reader holds on its own (the carry-over buffer for blocks split across chunks). */
  get carryCapacity(): number {
    return this.carry.length;
  }

  /** Stream offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Adds input. Bytes are not copied unless a block spans chunks. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.pos === this.end) {
      // all consumed: read the chunk in place
      this.base += this.pos;
      this.buf = chunk;
      this.dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.pos = 0;
      this.end = chunk.length;
      this.owned = false;
      return;
    }
    const rest = this.end - this.pos;
    const need = rest + chunk.length;
    if (this.owned && this.buf.length - this.end >= chunk.length) {
      this.buf.set(chunk, this.end);
      this.end += chunk.length;
      return;
    }
    if (this.carry.length < need) this.carry = new Uint8Array(Math.max(need, this.carry.length * 2, 1 << 16));
    // copyWithin handles the owned case where the rest already sits in carry
    if (this.owned && this.buf === this.carry) this.carry.copyWithin(0, this.pos, this.end);
    else this.carry.set(this.buf.subarray(this.pos, this.end), 0);
    this.carry.set(chunk, rest);
    this.base += this.pos;
    this.buf = this.carry;
    this.dv = new DataView(this.carry.buffer, this.carry.byteOffset, this.carry.byteLength);
    this.pos = 0;
    this.end = need;
    this.owned = true;
  }

  /** No more input will come. */
  finish(): void {
    this.eof = true;
  }

  private fail(code: ScapErrorCode, message: string, offset: number): typeof STEP_ERROR {
    this.error = scapError(code, message, offset, this.file);
    return STEP_ERROR;
  }

  /** Reads up to the next event. */
  next(): Step {
    if (this.error !== undefined) return STEP_ERROR;
    for (;;) {
      const avail = this.end - this.pos;
      const at = this.base + this.pos;
      if (avail < F.BLOCK_HEADER_SIZE) {
        if (!this.eof) return STEP_NEED_MORE;
        if (avail === 0) {
          if (this.state === STATE_START) {
            return this.fail('SCAP_TRUNCATED', at === 0 ? 'empty input: not a scap capture' : 'no section header', at);
          }
          if (!this.sawEventBlock) return this.fail('SCAP_NO_EVENTS', 'no events in file', at);
          return STEP_END;
        }
        return this.fail('SCAP_TRUNCATED', `capture ends inside a block header (${avail} of 8 bytes)`, at);
      }
      const type = this.dv.getUint32(this.pos, true);
      const total = this.dv.getUint32(this.pos + 4, true);
      if (this.state === STATE_START || type === F.SHB_BLOCK_TYPE) {
        if (type !== F.SHB_BLOCK_TYPE) {
          return this.fail('SCAP_BAD_MAGIC', `not a scap capture: the first block has type 0x${type.toString(16)}, not a section header`, at);
        }
        // check the magic before trusting a length that may be in the other byte order
        if (avail < 12) {
          if (!this.eof) return STEP_NEED_MORE;
          return this.fail('SCAP_TRUNCATED', 'capture ends inside the section header', at);
        }
        const magic = this.dv.getUint32(this.pos + 8, true);
        if (magic === F.SHB_MAGIC_SWAPPED) {
          return this.fail(
            'SCAP_BAD_MAGIC',
            'invalid magic number: the capture was written in big-endian byte order, which libscap does not read either',
            at + 8,
          );
        }
        if (magic !== F.SHB_MAGIC) {
          return this.fail('SCAP_BAD_MAGIC', `invalid magic number 0x${magic.toString(16)}: not a scap capture`, at + 8);
        }
      }
      const kind = F.blockKind(type);
      const minTotal = kind === 'section' ? F.BLOCK_HEADER_SIZE + F.SHB_BODY_SIZE + F.BLOCK_TRAILER_SIZE : F.BLOCK_HEADER_SIZE + F.BLOCK_TRAILER_SIZE;
      if (total < minTotal) {
        return this.fail('SCAP_BAD_BLOCK_LENGTH', `block of type 0x${type.toString(16)} has length ${total}, less than ${minTotal}`, at + 4);
      }
      if (total > this.maxBlock) {
        return this.fail(
          'SCAP_BAD_BLOCK_LENGTH',
          `block of type 0x${type.toString(16)} has length ${total}, more than the ${this.maxBlock} bytes accepted`,
          at + 4,
        );
      }
      if (avail < total) {
        if (!this.eof) return STEP_NEED_MORE;
        return this.fail('SCAP_TRUNCATED', `capture ends inside a block of type 0x${type.toString(16)}: it declares ${total} bytes, ${avail} remain`, at);
      }
      const start = this.pos;
      this.pos += total;
      this.stats.blocks++;
      const bodyStart = start + F.BLOCK_HEADER_SIZE;
      const bodyEnd = start + total - F.BLOCK_TRAILER_SIZE;

      if (kind === 'event') {
        if (this.state !== STATE_EVENTS) {
          this.state = STATE_EVENTS;
          this.handler.onMetadataEnd?.(this.serverPorts);
        }
        this.sawEventBlock = true;
        const r = this.readEvent(type, start, bodyStart, bodyEnd, total);
        if (r === STEP_EVENT || r === STEP_ERROR) return r;
        continue;
      }
      if (kind === 'section') {
        const r = this.readSection(bodyStart);
        if (r === STEP_ERROR) return r;
      } else if (this.state === STATE_EVENTS) {
        // libsinsp restarts the capture on a block among events, which only works for the
        // section header of a concatenated capture
        return this.fail(
          'SCAP_UNEXPECTED_BLOCK',
          `unexpected block of type 0x${type.toString(16)} among events: only a new section header may follow events`,
          at,
        );
      } else if (kind === undefined) {
        this.stats.unknownBlocks++;
      } else {
        const r = this.readMetadata(kind, type, bodyStart, bodyEnd);
        if (r === STEP_ERROR) return r;
      }
      // libscap compares the trailer of metadata blocks, not of the section header
      const trailer = this.dv.getUint32(bodyEnd, true);
      if (trailer !== total && kind !== 'section') {
        return this.fail('SCAP_BAD_BLOCK_LENGTH', `wrong block total length, header=${total}, trailer=${trailer}`, this.base + bodyEnd);
      }
    }
  }

  private readSection(bodyStart: number): Step {
    const major = this.dv.getUint16(bodyStart + 4, true);
    const minor = this.dv.getUint16(bodyStart + 6, true);
    if (major > F.CURRENT_MAJOR_VERSION) {
      return this.fail(
        'SCAP_VERSION',
        `cannot correctly parse the capture: format version ${major}.${minor} is newer than ${F.CURRENT_MAJOR_VERSION}.x`,
        this.base + bodyStart + 4,
      );
    }
    this.version = { major, minor };
    this.state = STATE_META;
    this.sawEventBlock = false;
    this.machine = undefined;
    this.serverPorts.clear();
    this.converter?.reset();
    this.handler.onSection?.(this.stats.sections);
    this.stats.sections++;
    return STEP_NEED_MORE;
  }

  private readMetadata(kind: F.BlockKind, type: number, bodyStart: number, bodyEnd: number): Step {
    const c = new Cursor(this.buf, this.dv, bodyStart, bodyEnd, this.base);
    const h = this.handler;
    const s = this.stats;
    try {
      switch (kind) {
        case 'machine':
          this.machine = parseMachineInfo(c);
          h.onMachine?.(this.machine);
          break;
        case 'proclist':
          s.threads += parseProclist(c, type, (t) => h.onThread?.(t));
          break;
        case 'fdlist':
          s.fds += parseFdlist(c, type, (tid, fd) => {
            if ((fd.type === 'ipv4_server' || fd.type === 'ipv6_server') && fd.tuple !== undefined) this.serverPorts.add(fd.tuple.dport);
            h.onFd?.(tid, fd);
          });
          break;
        case 'userlist':
          parseUserlist(
            c,
            type,
            (u) => {
              s.users++;
              h.onUser?.(u);
            },
            (g) => {
              s.groups++;
              h.onGroup?.(g);
            },
          );
          break;
        case 'iflist':
          s.interfaces += parseIflist(c, type, (i) => h.onInterface?.(i));
          break;
        default:
          break;
      }
    } catch (e) {
      if (e instanceof BlockOverrun) return this.fail('SCAP_BAD_BLOCK', `corrupted ${kind} block: ${e.message}`, e.offset);
      throw e;
    }
    return STEP_NEED_MORE;
  }

  private readEvent(type: number, start: number, bodyStart: number, bodyEnd: number, total: number): Step {
    const dv = this.dv;
    const at = this.base + start;
    const v2 = F.isV2EventBlock(type);
    const hdrLen = v2 ? F.EVT_HEADER_SIZE_V2 : F.EVT_HEADER_SIZE_V1;
    if (!F.isLargeEventBlock(type) && total - F.BLOCK_HEADER_SIZE > F.READER_BUF_SIZE) {
      return this.fail(
        'SCAP_BAD_BLOCK_LENGTH',
        `event block length ${total - F.BLOCK_HEADER_SIZE} greater than NON-LARGE read buffer size ${F.READER_BUF_SIZE}`,
        at + 4,
      );
    }
    const evt = bodyStart + 2 + (F.hasEventFlags(type) ? 4 : 0);
    const avail = bodyEnd - evt;
    if (avail < hdrLen) {
      return this.fail(
        'SCAP_BAD_EVENT',
        `event header exceeds block payload: block length ${total}, available ${Math.max(avail, 0)}, header size ${hdrLen}`,
        at,
      );
    }
    const code = dv.getUint16(evt + 20, true);
    if (code >= PPM_EVENT_MAX) {
      this.stats.unknownEvents++;
      return STEP_NEED_MORE;
    }
    let len = dv.getUint32(evt + 16, true);
    let nparams: number;
    let lenSize = 2;
    if (v2) {
      nparams = dv.getUint32(evt + 22, true);
      lenSize = LARGE_PAYLOAD[code] ? 4 : 2;
      const bad = this.checkV2(evt, len, avail, nparams, lenSize);
      if (bad !== undefined) return this.fail('SCAP_BAD_EVENT', bad, this.base + evt);
    } else {
      // Old blocks: no nparams in the header. libscap finds the parameter count that makes the
      // lengths add up to the event length, trying the table's count first, then fewer.
      if (len > avail) {
        return this.fail('SCAP_BAD_EVENT', `invalid event: len ${len} is larger than the ${avail} bytes available in the block`, this.base + evt);
      }
      // old notification and infrastructure events declare 3 bytes too many (libscap fixes it)
      if (code === PPME_NOTIFICATION_E || code === PPME_INFRASTRUCTURE_EVENT_E) len -= 3;
      const endAt = evt + len;
      const lens = evt + F.EVT_HEADER_SIZE_V1;
      // the candidates whose length array fits, from the largest down (as libscap tries them);
      // the sum of the first n lengths is kept as n decreases instead of re-added each time
      let n = Math.min(NPARAMS[code]!, Math.floor((endAt - lens) / 2));
      let sum = 0;
      for (let i = 0; i < n; i++) sum += dv.getUint16(lens + i * 2, true);
      nparams = -1;
      for (; n >= 0; n--) {
        const p = lens + n * 2 + sum;
        if (p < endAt) {
          return this.fail('SCAP_BAD_EVENT', "cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams).", this.base + evt);
        }
        if (p === endAt) {
          nparams = n;
          break;
        }
        if (n > 0) sum -= dv.getUint16(lens + (n - 1) * 2, true);
      }
      if (nparams < 0) {
        return this.fail('SCAP_BAD_EVENT', "cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams) (2).", this.base + evt);
      }
    }
    const view = this.view;
    view.set(this.buf, dv, evt, evt + hdrLen, lenSize, nparams);
    view.cpu = dv.getUint16(bodyStart, true);
    view.flags = F.hasEventFlags(type) ? dv.getUint32(bodyStart + 2, true) : 0;
    if (this.converter !== undefined) {
      const r = this.light !== undefined && this.light[code] === 1 ? this.converter.skip(view) : this.converter.convert(view);
      if (r === CONVERT_DROP) {
        this.stats.droppedEvents++;
        return STEP_NEED_MORE;
      }
      if (r === CONVERT_ERROR) return this.fail('SCAP_CONVERSION', this.converter.error, this.base + evt);
    }
    view.num = ++this.stats.events;
    return STEP_EVENT;
  }

  /** libscap's validate_v2_event: the message, or undefined when the event fits. */
  private checkV2(evt: number, len: number, avail: number, nparams: number, lenSize: number): string | undefined {
    if (len < F.EVT_HEADER_SIZE_V2) return `invalid event: len ${len} is smaller than the event header size ${F.EVT_HEADER_SIZE_V2}`;
    if (len > avail) return `invalid event: len ${len} is larger than the ${avail} bytes available in the block`;
    let off = F.EVT_HEADER_SIZE_V2 + nparams * lenSize;
    if (off > len) return `invalid event: nparams ${nparams} does not fit in event len ${len}`;
    const lens = evt + F.EVT_HEADER_SIZE_V2;
    for (let i = 0; i < nparams; i++) {
      const plen = lenSize === 2 ? this.dv.getUint16(lens + i * 2, true) : this.dv.getUint32(lens + i * 4, true);
      if (plen > len - off) return `invalid event: param ${i} len ${plen} exceeds event len ${len}`;
      off += plen;
    }
    return undefined;
  }
}
