/**
 * Test helper: the event blocks of a real scap capture, as raw bytes, without the reader
 * (another part of issue #13). V2 event blocks (0x216, 0x217) carry the event as
 * BufferScapEvent expects it. V1 blocks (0x204, 0x208) have a 22-byte header without
 * nparams: the helper finds the parameter count that makes the lengths add up to the event
 * length (the count of the layout the capture was written with) and inserts it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { EVENTS_FOR_TESTS } from '../../../../src/sources/scap/synth/index.js';

export const CAPTURES = fileURLToPath(new URL('../../../../../shared/captures/scap/', import.meta.url));

const EV_BLOCK_TYPE_V2 = 0x216;
const EVF_BLOCK_TYPE_V2 = 0x217;

export interface CaptureEvent {
  /** 1-based position among all event blocks (sysdig's evt.num). */
  num: number;
  bytes: Uint8Array;
}

export function captureEvents(file: string): CaptureEvent[] {
  const raw = readFileSync(CAPTURES + file);
  const data = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: CaptureEvent[] = [];
  let num = 0;
  for (let at = 0; at + 8 <= data.length; ) {
    const type = dv.getUint32(at, true);
    const len = dv.getUint32(at + 4, true);
    const isEvent = type === EV_BLOCK_TYPE_V2 || type === EVF_BLOCK_TYPE_V2 || type === 0x204 || type === 0x208;
    if (isEvent) num++;
    if (type === EV_BLOCK_TYPE_V2 || type === EVF_BLOCK_TYPE_V2) {
      // Block body: cpu id (u16), flags (u32, EVF blocks only), then the event.
      const start = at + 8 + 2 + (type === EVF_BLOCK_TYPE_V2 ? 4 : 0);
      const evLen = dv.getUint32(start + 16, true);
      out.push({ num, bytes: data.subarray(start, start + evLen) });
    } else if (type === 0x204 || type === 0x208) {
      const start = at + 8 + 2 + (type === 0x208 ? 4 : 0);
      const v1 = v1ToV2(dv, start);
      if (v1 !== undefined) out.push({ num, bytes: v1 });
    }
    at += len;
  }
  return out;
}

/** A V1 event (no nparams) rewritten with the V2 header; undefined if no count fits. */
function v1ToV2(dv: DataView, start: number): Uint8Array | undefined {
  const len = dv.getUint32(start + 16, true);
  const code = dv.getUint16(start + 20, true);
  const max = EVENTS_FOR_TESTS[code]?.params.length ?? 0;
  for (let n = max; n >= 0; n--) {
    if (22 + 2 * n > len) continue;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += dv.getUint16(start + 22 + 2 * i, true);
    if (22 + 2 * n + sum !== len) continue;
    const out = new Uint8Array(len + 4);
    const src = new Uint8Array(dv.buffer, dv.byteOffset + start, len);
    out.set(src.subarray(0, 22), 0);
    new DataView(out.buffer).setUint32(16, len + 4, true);
    new DataView(out.buffer).setUint32(22, n, true);
    out.set(src.subarray(22), 26);
    return out;
  }
  return undefined;
}

/** The interface list of a V1 capture (IL block 0x205): what the reader will hand the engine's seed. */
export function captureInterfaces(file: string): { ipv4: { addr: Uint8Array; netmask: Uint8Array }[]; ipv6: { addr: Uint8Array }[] } {
  const raw = readFileSync(CAPTURES + file);
  const data = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = { ipv4: [] as { addr: Uint8Array; netmask: Uint8Array }[], ipv6: [] as { addr: Uint8Array }[] };
  for (let at = 0; at + 8 <= data.length; ) {
    const type = dv.getUint32(at, true);
    const len = dv.getUint32(at + 4, true);
    if (type === 0x205) {
      // Entries: type (1 IPv4, 2 IPv6), name length, addr, netmask, broadcast, link speed (u64), name.
      const end = at + len - 4;
      for (let p = at + 8; p + 4 <= end; ) {
        const kind = dv.getUint16(p, true);
        const nameLen = dv.getUint16(p + 2, true);
        const size = kind === 1 ? 4 : 16;
        const addr = data.slice(p + 4, p + 4 + size);
        if (kind === 1) out.ipv4.push({ addr, netmask: data.slice(p + 4 + size, p + 4 + 2 * size) });
        else out.ipv6.push({ addr });
        p += 4 + 3 * size + 8 + nameLen;
      }
    }
    at += len;
  }
  return out;
}
