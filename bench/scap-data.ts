/**
 * Scaled scap captures for the scap-native suite, generated on first use into bench/data/:
 * the metadata blocks of a real capture once, then its event blocks repeated, each copy
 * after a bare section header. The section header makes the reader start a new section, so
 * that libscap's converter does not pair an exit event of one copy with an enter event left
 * at the end of the previous one (it refuses such an event, as libscap does).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DATA_DIR } from './data.js';
import { SHARED_DIR } from './shared.js';

const EVENT_BLOCKS = new Set([0x204, 0x208, 0x216, 0x217, 0x221, 0x222]);

function raw(name: string): Buffer {
  return gunzipSync(readFileSync(path.join(SHARED_DIR, 'captures/scap', name)));
}

/** [everything before the first event block, the event blocks], and the section header alone. */
function split(capture: Buffer): { head: Buffer; events: Buffer; shb: Buffer; eventCount: number } {
  let at = 0;
  while (at + 8 <= capture.length && !EVENT_BLOCKS.has(capture.readUInt32LE(at))) at += capture.readUInt32LE(at + 4);
  let eventCount = 0;
  for (let off = at; off + 8 <= capture.length; off += capture.readUInt32LE(off + 4)) if (EVENT_BLOCKS.has(capture.readUInt32LE(off))) eventCount++;
  return { head: capture.subarray(0, at), events: capture.subarray(at), shb: capture.subarray(0, capture.readUInt32LE(4)), eventCount };
}

/**
 * A capture of about `events` events (or `bytes` bytes) made from `captures`: the first one's
 * metadata, then the event blocks of each in turn, repeated.
 */
export function sectionedScap(name: string, captures: string[], target: { events?: number; bytes?: number }): string {
  const file = path.join(DATA_DIR, name);
  if (existsSync(file)) return file;
  mkdirSync(DATA_DIR, { recursive: true });
  const parts = captures.map((c) => split(raw(c)));
  const shb = parts[0]!.shb;
  const perRound = parts.reduce((n, p) => n + p.eventCount, 0);
  const roundBytes = parts.reduce((n, p) => n + shb.length + p.events.length, 0);
  const rounds = Math.max(1, target.events !== undefined ? Math.ceil(target.events / perRound) : Math.ceil((target.bytes ?? 0) / roundBytes));
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, parts[0]!.head);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < parts.length; i++) {
        if (r > 0 || i > 0) writeSync(fd, shb);
        writeSync(fd, parts[i]!.events);
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}
