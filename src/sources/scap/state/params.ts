/**
 * Small readers of event parameters the state parsers share (engine.ts, processes.ts,
 * files.ts): presence of a parameter, NUL-separated lists, and the raw bytes of a stored enter
 * event (C strings and little-endian integers).
 */
import type { ScapEvent } from '../event.js';

const utf8 = new TextDecoder();

/** A NUL-separated list (args, env, cgroups), without the empty tail after the last NUL. */
export function splitNul(b: Uint8Array): string[] {
  let len = b.length;
  if (len > 0 && b[len - 1] === 0) len--;
  // sinsp_split: nothing for an empty list.
  return len === 0 ? [] : utf8.decode(b.subarray(0, len)).split('\0');
}

export function has(ev: ScapEvent, i: number): boolean {
  return i < ev.paramCount && ev.paramLength(i) > 0;
}

/** A copy of an enter event's parameters, kept until its exit (libsinsp's m_lastevent_data). */
export interface StoredEnter {
  type: number;
  params: Uint8Array[];
}

function trimNul(b: Uint8Array): Uint8Array {
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

export function cstring(b: Uint8Array | undefined): string {
  return b === undefined ? '' : utf8.decode(trimNul(b));
}

export function int64(b: Uint8Array | undefined): number {
  if (b === undefined || b.length < 8) return 0;
  return Number(new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true));
}

export function uint(b: Uint8Array | undefined): number {
  if (b === undefined) return 0;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (b.length) {
    case 1:
      return dv.getUint8(0);
    case 2:
      return dv.getUint16(0, true);
    case 4:
      return dv.getUint32(0, true);
    case 8:
      return Number(dv.getBigUint64(0, true));
    default:
      return 0;
  }
}
