import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ScapReaderOptions } from '../../../src/sources/scap/reader.js';
import { renderArgs } from '../../../src/sources/scap/render.js';
import type { ScapReadResult } from '../../../src/sources/scap/stream.js';
import { readScapBytes } from '../../../src/sources/scap/stream.js';
import { EVENTS } from '../../../src/sources/scap/tables.js';

export const CAPTURE_DIR = '../shared/captures/scap';
export const CAPTURES = ['curl_google.scap', 'curl_google_comments.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'];

/**
 * Falco's own test traces of 2016-2019 (falcosecurity/falco test/trace_files, removed from
 * its repository in 2023; section versions 1.0 to 1.2): the old captures the differential
 * tests hold kestrel to sysdig on. See test/fixtures/scap-old/README.md.
 */
export const OLD_CAPTURE_DIR = fileURLToPath(new URL('../../fixtures/scap-old/', import.meta.url));
export const OLD_CAPTURES = ['cat_write.scap', 'connect_localhost.scap', 'empty.scap', 'open-multiple-files.scap', 'ping_sendto.scap', 'syscall.scap'];

/**
 * The real captures the sysdig differential tests read, by name: the shared ones sysdig 0.29
 * reads (not curl_google_comments.scap: its section options are newer than 0.29's reader),
 * then the old traces.
 */
export const SYSDIG_CAPTURES: readonly { name: string; file: string }[] = [
  ...['curl_google.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'].map((name) => ({ name, file: `${CAPTURE_DIR}/${name}` })),
  ...OLD_CAPTURES.map((name) => ({ name, file: `${OLD_CAPTURE_DIR}${name}` })),
];

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

/**
 * How the differential tests find kestrel's event among sysdig's: evt.num differs (libs'
 * converter drops the enter events it merges, sysdig 0.29 has none), so an event is known by
 * its time, CPU, thread and direction. SYSDIG_EVENT_KEY is the same key as a sysdig `-p` format.
 */
export const SYSDIG_EVENT_KEY = '%evt.rawtime %evt.cpu %thread.tid %evt.dir';
export function eventKey(ev: { ts(): bigint; cpu: number; tid: number; type: number }): string {
  return `${ev.ts()} ${ev.cpu} ${ev.tid} ${EVENTS[ev.type]?.direction === 'exit' ? '<' : '>'}`;
}

/** Syscalls the sysdig captures record as generic events. */
export const GENERIC = [
  'mprotect',
  'arch_prctl',
  'set_tid_address',
  'set_robust_list',
  'rt_sigaction',
  'rt_sigprocmask',
  'clock_gettime',
  'getrusage',
  'gettimeofday',
  'madvise',
];
/** Exit events these captures record without parameters (not instrumented then: no return value). */
export const BARE_EXITS = ['setsockopt', 'getsockopt', 'getpeername', 'getsockname'];
