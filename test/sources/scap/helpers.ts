import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ScapReaderOptions } from '../../../src/sources/scap/reader.js';
import { renderArgs } from '../../../src/sources/scap/render.js';
import type { ScapReadResult } from '../../../src/sources/scap/stream.js';
import { readScapBytes } from '../../../src/sources/scap/stream.js';

export const CAPTURE_DIR = '../shared/captures/scap';
export const CAPTURES = ['curl_google.scap', 'curl_google_comments.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'];

/** A real capture, uncompressed. */
export function rawCapture(name: string): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(`${CAPTURE_DIR}/${name}`)));
}

/** Reads bytes and keeps a summary line per event (optionally with its rendered arguments). */
export function readAll(
  bytes: Uint8Array,
  options: ScapReaderOptions & { chunkSize?: number; render?: boolean } = {},
): { events: string[]; result: ScapReadResult } {
  const events: string[] = [];
  const result = readScapBytes(
    bytes,
    (e) => {
      events.push(`${e.num} ${e.type} ${e.ts()} ${e.tid} ${e.cpu} ${e.paramCount}${options.render ? ` ${renderArgs(e)}` : ''}`);
    },
    options,
  );
  return { events, result };
}
