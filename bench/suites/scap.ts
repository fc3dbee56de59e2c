import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Bench } from 'tinybench';
import { renderArgs } from '../../src/sources/scap/render.js';
import { readScap, readScapBytes } from '../../src/sources/scap/stream.js';
import type { Suite } from '../types.js';

const CAPTURES = ['curl_google.scap', 'curl_google_comments.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'];
const rawCapture = (name: string) => new Uint8Array(gunzipSync(readFileSync(path.join('..', 'shared', 'captures', 'scap', name))));

/** Copies of the four captures, concatenated whole (each copy a section: metadata-heavy). */
const COPIES = 10;
/** Repetitions of the event blocks of the four captures (event-heavy). */
const EVENT_REPEATS = 60;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** The blocks of a capture: [section header and metadata, event blocks]. */
function split(capture: Uint8Array): [Uint8Array, Uint8Array] {
  const dv = new DataView(capture.buffer, capture.byteOffset, capture.byteLength);
  let at = 0;
  while (at + 8 <= capture.length) {
    const type = dv.getUint32(at, true);
    if (type === 0x204 || type === 0x208 || type === 0x216 || type === 0x217 || type === 0x221 || type === 0x222) break;
    at += dv.getUint32(at + 4, true);
  }
  return [capture.subarray(0, at), capture.subarray(at)];
}

/**
 * The scap reader over scaled captures, fed in 1 MiB chunks as the file driver feeds it:
 * the four real captures concatenated whole (metadata-heavy: their process lists are most of
 * their bytes), and their event blocks repeated after one section (event-heavy).
 */
export const scapSuite: Suite = {
  name: 'scap',
  register(bench: Bench) {
    const captures = CAPTURES.map(rawCapture);
    const whole = concat(Array.from({ length: COPIES }, () => captures).flat());
    const parts = captures.map(split);
    // the events of each capture start a section (a bare section header) so that the converter
    // does not pair an exit with an enter event of another capture
    const shb = captures[0]!.subarray(0, new DataView(captures[0]!.buffer).getUint32(4, true));
    const events = concat([
      parts[0]![0],
      ...Array.from({ length: EVENT_REPEATS }, () => parts.flatMap((p) => [shb, p[1]]))
        .flat()
        .slice(1),
    ]);
    const file = path.join(os.tmpdir(), `kestrel-bench-${process.pid}.scap`);
    writeFileSync(file, events);
    process.on('exit', () => rmSync(file, { force: true }));
    const count = (data: Uint8Array, convert: boolean) => {
      let n = 0;
      const r = readScapBytes(data, () => void n++, { convert, chunkSize: 1 << 20 });
      if (r.error) throw new Error(r.error.message);
      return n;
    };
    let sink = 0;
    const read = (data: Uint8Array, convert: boolean) => () => {
      readScapBytes(data, (e) => void (sink += e.tid), { convert, chunkSize: 1 << 20 });
    };
    bench.add('scap: whole captures x10 (metadata + events, converter)', read(whole, true));
    bench.add('scap: events x60, as written', read(events, false));
    bench.add('scap: events x60 + converter', read(events, true));
    bench.add('scap: events x60 + converter + first parameter', () => {
      readScapBytes(events, (e) => void (sink += e.paramCount > 0 ? e.paramUint(0) : 0), { chunkSize: 1 << 20 });
    });
    bench.add('scap: events x60 + converter + evt.args text', () => {
      readScapBytes(events, (e) => void (sink += renderArgs(e).length), { chunkSize: 1 << 20 });
    });
    bench.add('scap: events x60 from a file (fs stream + reader + converter)', async () => {
      const r = await readScap(file, (e) => void (sink += e.cpu));
      if (r.error) throw new Error(r.error.message);
    });
    const raw = count(events, false);
    const converted = count(events, true);
    const mb = (b: Uint8Array) => b.length / 1e6;
    return {
      throughputs: [
        { name: 'scap whole captures', unit: 'MB/s', task: 'scap: whole captures x10 (metadata + events, converter)', perIteration: mb(whole) },
        { name: `scap events as written (${raw} events)`, unit: 'events/s', task: 'scap: events x60, as written', perIteration: raw },
        { name: 'scap events as written', unit: 'MB/s', task: 'scap: events x60, as written', perIteration: mb(events) },
        { name: `scap events + converter (${converted} delivered)`, unit: 'events/s', task: 'scap: events x60 + converter', perIteration: raw },
        { name: 'scap events + converter + evt.args', unit: 'events/s', task: 'scap: events x60 + converter + evt.args text', perIteration: converted },
        { name: 'scap events from a file', unit: 'MB/s', task: 'scap: events x60 from a file (fs stream + reader + converter)', perIteration: mb(events) },
      ],
    };
  },
};
