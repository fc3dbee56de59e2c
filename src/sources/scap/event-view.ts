/**
 * The reader's one ScapEvent: a window onto an event's bytes (in the reader's buffer, or in the
 * converter's buffer for a converted event). Moving it to the next event sets a few numbers;
 * parameters are decoded only when asked.
 */
import type { ScapEvent } from './event.js';

const decoder = new TextDecoder('utf-8');

export class EventView implements ScapEvent {
  num = 0;
  type = 0;
  tid = 0;
  cpu = 0;
  flags = 0;
  paramCount = 0;

  /** Bytes holding the event; dv views the same memory. */
  buf: Uint8Array = new Uint8Array(0);
  /** `textOf` as a Buffer, for its native Latin-1 decoding of ASCII text (made when text is read from another buf). */
  private text: Buffer = Buffer.alloc(0);
  private textOf: Uint8Array | undefined;
  dv: DataView = new DataView(new ArrayBuffer(0));
  /** Offset of the event header in buf. */
  off = 0;
  /** Offset of the parameter length array, and its entry size (2, or 4 for EF_LARGE_PAYLOAD). */
  lensOff = 0;
  lenSize = 2;
  /** Offset of the first parameter's value. */
  dataOff = 0;

  // Parameter offsets, computed on first access for the current event.
  private offsets = new Int32Array(64);
  private offsetsValid = false;

  /** Points the view at an event; `lensOff` follows the header (22 or 26 bytes). */
  set(buf: Uint8Array, dv: DataView, off: number, lensOff: number, lenSize: number, nparams: number): void {
    this.buf = buf;
    this.dv = dv;
    this.off = off;
    this.lensOff = lensOff;
    this.lenSize = lenSize;
    this.paramCount = nparams;
    this.dataOff = lensOff + nparams * lenSize;
    this.type = dv.getUint16(off + 20, true);
    this.tid = dv.getUint32(off + 8, true) + dv.getInt32(off + 12, true) * 4294967296;
    this.offsetsValid = false;
  }

  ts(): bigint {
    return this.dv.getBigUint64(this.off, true);
  }

  /** The timestamp as a float (ns; exact below 2^53, i.e. until 1970 + 104 days): for sorting/gaps. */
  tsNumber(): number {
    return this.dv.getUint32(this.off, true) + this.dv.getUint32(this.off + 4, true) * 4294967296;
  }

  paramLength(i: number): number {
    if (i < 0 || i >= this.paramCount) return 0;
    const at = this.lensOff + i * this.lenSize;
    return this.lenSize === 2 ? this.dv.getUint16(at, true) : this.dv.getUint32(at, true);
  }

  /** Offset of parameter i's value in buf. */
  paramOffset(i: number): number {
    if (!this.offsetsValid) {
      const n = this.paramCount;
      // a corrupt-but-valid event may declare thousands of empty parameters: grow, rarely
      if (n + 1 > this.offsets.length) this.offsets = new Int32Array(n + 1);
      let at = this.dataOff;
      for (let j = 0; j < n; j++) {
        this.offsets[j] = at;
        at += this.paramLength(j);
      }
      this.offsets[n] = at;
      this.offsetsValid = true;
    }
    return this.offsets[i]!;
  }

  paramBytes(i: number): Uint8Array {
    if (i < 0 || i >= this.paramCount) return this.buf.subarray(0, 0);
    const at = this.paramOffset(i);
    return this.buf.subarray(at, at + this.paramLength(i));
  }

  paramUint(i: number): number {
    if (i < 0 || i >= this.paramCount) return 0;
    const at = this.paramOffset(i);
    switch (this.paramLength(i)) {
      case 1:
        return this.buf[at]!;
      case 2:
        return this.dv.getUint16(at, true);
      case 4:
        return this.dv.getUint32(at, true);
      case 8:
        return this.dv.getUint32(at, true) + this.dv.getUint32(at + 4, true) * 4294967296;
      default:
        return 0;
    }
  }

  paramInt(i: number): number {
    if (i < 0 || i >= this.paramCount) return 0;
    const at = this.paramOffset(i);
    switch (this.paramLength(i)) {
      case 1:
        return this.dv.getInt8(at);
      case 2:
        return this.dv.getInt16(at, true);
      case 4:
        return this.dv.getInt32(at, true);
      case 8:
        return this.dv.getUint32(at, true) + this.dv.getInt32(at + 4, true) * 4294967296;
      default:
        return 0;
    }
  }

  paramBigInt(i: number, signed = false): bigint {
    if (i < 0 || i >= this.paramCount) return 0n;
    const at = this.paramOffset(i);
    switch (this.paramLength(i)) {
      case 8:
        return signed ? this.dv.getBigInt64(at, true) : this.dv.getBigUint64(at, true);
      default:
        return BigInt(signed ? this.paramInt(i) : this.paramUint(i));
    }
  }

  /** Text up to the first NUL (libsinsp uses parameters as C strings). */
  paramString(i: number): string {
    if (i < 0 || i >= this.paramCount) return '';
    const start = this.paramOffset(i);
    const end = start + this.paramLength(i);
    let stop = start;
    let ascii = true;
    while (stop < end) {
      const b = this.buf[stop]!;
      if (b === 0) break;
      if (b >= 0x80) ascii = false;
      stop++;
    }
    // ASCII (most paths and names): one native copy; building it a character at a time made a
    // string per character (a third of a replay's garbage)
    if (ascii) {
      if (this.textOf !== this.buf) {
        this.textOf = this.buf;
        this.text = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      }
      return this.text.toString('latin1', start, stop);
    }
    return decoder.decode(this.buf.subarray(start, stop));
  }
}
