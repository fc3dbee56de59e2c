/**
 * An exit event of an older layout (fewer parameters than the event table's), completed
 * from its enter event by parameter name, as libscap's converter does when it reads old
 * captures (userspace/libscap/engine/savefile/converter/). Only built for such events.
 */
import type { ScapEvent } from '../event.js';

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();

export class PaddedEvent implements ScapEvent {
  readonly num: number;
  readonly type: number;
  readonly tid: number;
  readonly cpu: number;
  readonly flags: number;
  readonly paramCount: number;
  private readonly params: Uint8Array[];
  private readonly base: ScapEvent;

  /** `names`: the full layout's parameter names; `enter`: the enter event's parameters by name. */
  constructor(base: ScapEvent, names: readonly string[], enter: ReadonlyMap<string, Uint8Array>) {
    this.base = base;
    this.num = base.num;
    this.type = base.type;
    this.tid = base.tid;
    this.cpu = base.cpu;
    this.flags = base.flags;
    this.paramCount = names.length;
    this.params = names.map((name, i) => (i < base.paramCount ? base.paramBytes(i) : (enter.get(name) ?? EMPTY)));
  }

  ts(): bigint {
    return this.base.ts();
  }

  paramLength(i: number): number {
    return this.params[i]?.length ?? 0;
  }

  paramBytes(i: number): Uint8Array {
    return this.params[i] ?? EMPTY;
  }

  private view(i: number): DataView | undefined {
    const b = this.params[i];
    return b === undefined || b.length === 0 ? undefined : new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  paramUint(i: number): number {
    const v = this.view(i);
    if (v === undefined) return 0;
    switch (v.byteLength) {
      case 1:
        return v.getUint8(0);
      case 2:
        return v.getUint16(0, true);
      case 4:
        return v.getUint32(0, true);
      case 8:
        return Number(v.getBigUint64(0, true));
      default:
        return 0;
    }
  }

  paramInt(i: number): number {
    const v = this.view(i);
    if (v === undefined) return 0;
    switch (v.byteLength) {
      case 1:
        return v.getInt8(0);
      case 2:
        return v.getInt16(0, true);
      case 4:
        return v.getInt32(0, true);
      case 8:
        return Number(v.getBigInt64(0, true));
      default:
        return 0;
    }
  }

  paramBigInt(i: number, signed = false): bigint {
    const v = this.view(i);
    if (v !== undefined && v.byteLength === 8) return signed ? v.getBigInt64(0, true) : v.getBigUint64(0, true);
    return BigInt(signed ? this.paramInt(i) : this.paramUint(i));
  }

  paramString(i: number): string {
    const b = this.paramBytes(i);
    const nul = b.indexOf(0);
    return utf8.decode(nul < 0 ? b : b.subarray(0, nul));
  }
}
