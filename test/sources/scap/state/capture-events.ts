/**
 * Test helper: the event blocks of a real scap capture, as raw bytes, without the reader
 * (another part of issue #13). Only V2 event blocks (0x216, 0x217) carry the nparams header
 * field that BufferScapEvent expects; older blocks are skipped.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

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
    }
    at += len;
  }
  return out;
}
