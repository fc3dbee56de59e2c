/**
 * A ScapEvent over the bytes of one event block as a scap file holds it: the 26-byte
 * header (ts u64, tid u64, len u32, type u16, nparams u32, little-endian), the parameter
 * lengths (u16 each, u32 for EF_LARGE_PAYLOAD events), then the parameter data.
 */
import type { ScapEvent } from '../event.js';

export const EVENT_HEADER_SIZE = 26;

const utf8 = new TextDecoder();

export class BufferScapEvent implements ScapEvent {
  readonly type: number;
  readonly tid: number;
  readonly paramCount: number;
  private readonly view: DataView;
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint32Array;

  /** `bytes` is the whole event block (header included); `largePayload` says the width of the lengths. */
  constructor(
    readonly bytes: Uint8Array,
    largePayload: boolean,
    readonly num: number,
    readonly cpu = 0,
    readonly flags = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.tid = Number(this.view.getBigInt64(8, true));
    this.type = this.view.getUint16(20, true);
    this.paramCount = this.view.getUint32(22, true);
    const lenSize = largePayload ? 4 : 2;
    this.offsets = new Uint32Array(this.paramCount);
    this.lengths = new Uint32Array(this.paramCount);
    let offset = EVENT_HEADER_SIZE + lenSize * this.paramCount;
    for (let i = 0; i < this.paramCount; i++) {
      const at = EVENT_HEADER_SIZE + lenSize * i;
      const len = largePayload ? this.view.getUint32(at, true) : this.view.getUint16(at, true);
      this.offsets[i] = offset;
      this.lengths[i] = len;
      offset += len;
    }
  }

  ts(): bigint {
    return this.view.getBigUint64(0, true);
  }

  paramLength(i: number): number {
    return i < this.paramCount ? this.lengths[i]! : 0;
  }

  paramBytes(i: number): Uint8Array {
    if (i >= this.paramCount) return new Uint8Array(0);
    const start = this.offsets[i]!;
    return this.bytes.subarray(start, start + this.lengths[i]!);
  }

  paramUint(i: number): number {
    const len = this.paramLength(i);
    const at = this.offsets[i]!;
    switch (len) {
      case 1:
        return this.view.getUint8(at);
      case 2:
        return this.view.getUint16(at, true);
      case 4:
        return this.view.getUint32(at, true);
      case 8:
        // Two 32-bit halves: no BigInt on the per-event path.
        return this.view.getUint32(at + 4, true) * 4294967296 + this.view.getUint32(at, true);
      default:
        return 0;
    }
  }

  paramInt(i: number): number {
    const len = this.paramLength(i);
    const at = this.offsets[i]!;
    switch (len) {
      case 1:
        return this.view.getInt8(at);
      case 2:
        return this.view.getInt16(at, true);
      case 4:
        return this.view.getInt32(at, true);
      case 8:
        return this.view.getInt32(at + 4, true) * 4294967296 + this.view.getUint32(at, true);
      default:
        return 0;
    }
  }

  paramBigInt(i: number, signed = false): bigint {
    const len = this.paramLength(i);
    if (len === 8) {
      const at = this.offsets[i]!;
      return signed ? this.view.getBigInt64(at, true) : this.view.getBigUint64(at, true);
    }
    return BigInt(signed ? this.paramInt(i) : this.paramUint(i));
  }

  paramString(i: number): string {
    const b = this.paramBytes(i);
    const nul = b.indexOf(0);
    return utf8.decode(nul < 0 ? b : b.subarray(0, nul));
  }
}
