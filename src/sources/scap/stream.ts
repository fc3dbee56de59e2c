/**
 * Drives a ScapReader from a file, a file descriptor or a Node stream: chunks are read as the
 * reader asks for them (constant memory on multi-GB captures), gzip input (1f 8b) is inflated
 * on the way, and every event is handed to a callback as the reader's one reused ScapEvent.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { type ScapReadError, scapError } from './errors.js';
import type { ScapEvent } from './event.js';
import type { MachineInfo } from './metadata.js';
import { ScapReader, type ScapReaderOptions, type ScapReaderStats, STEP_END, STEP_ERROR, STEP_EVENT } from './reader.js';

export type ScapSource = string | number | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

export interface ScapReadResult {
  /** Set when reading stopped on an error (events before it were delivered). */
  error: ScapReadError | undefined;
  stats: ScapReaderStats;
  machine: MachineInfo | undefined;
  /** The input was gzip-compressed. */
  gzip: boolean;
}

/** Return false to stop reading early. */
export type EventCallback = (event: ScapEvent) => void | boolean;

const CHUNK = 1 << 20;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function open(source: ScapSource): AsyncIterable<Uint8Array> {
  if (typeof source === 'string') return createReadStream(source, { highWaterMark: CHUNK });
  if (typeof source === 'number') return createReadStream('', { fd: source, autoClose: false, highWaterMark: CHUNK });
  return source as AsyncIterable<Uint8Array>;
}

/** Reads a whole capture, calling onEvent for each event. Never throws for bad input. */
export async function readScap(source: ScapSource, onEvent: EventCallback, options: ScapReaderOptions = {}): Promise<ScapReadResult> {
  const file = options.file ?? (typeof source === 'string' ? source : undefined);
  const reader = new ScapReader({ ...options, file });
  const result = (error?: ScapReadError): ScapReadResult => ({ error: error ?? reader.error, stats: reader.stats, machine: reader.machine, gzip });
  let gzip = false;
  let stopped = false;
  /** Runs the reader over what it has; true when reading is over (end, error or stop). */
  const drain = (): boolean => {
    for (;;) {
      const step = reader.next();
      if (step === STEP_EVENT) {
        if (onEvent(reader.event) === false) {
          stopped = true;
          return true;
        }
        continue;
      }
      return step === STEP_END || step === STEP_ERROR;
    }
  };
  const raw = open(source)[Symbol.asyncIterator]();
  try {
    const first = await raw.next();
    if (!first.done) {
      gzip = isGzip(first.value);
      let input: AsyncIterable<Uint8Array>;
      if (gzip) {
        const rest = async function* (): AsyncGenerator<Uint8Array> {
          yield first.value;
          for (;;) {
            const r = await raw.next();
            if (r.done) return;
            yield r.value;
          }
        };
        const gunzip = createGunzip({ chunkSize: CHUNK });
        Readable.from(rest())
          .on('error', (e) => gunzip.destroy(e))
          .pipe(gunzip);
        input = gunzip;
      } else {
        input = (async function* () {
          yield first.value;
          for (;;) {
            const r = await raw.next();
            if (r.done) return;
            yield r.value;
          }
        })();
      }
      for await (const chunk of input) {
        reader.feed(chunk);
        if (drain()) return result();
      }
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (gzip && (err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message))) {
      return result(scapError('SCAP_TRUNCATED', 'the gzip-compressed capture ends early (truncated file)', reader.offset, file));
    }
    const what = gzip && err.code?.startsWith('Z_') ? 'bad gzip data' : 'cannot read the capture';
    return result(scapError('SCAP_IO', `${what}: ${err.message}`, reader.offset, file));
  } finally {
    if (stopped) await raw.return?.();
  }
  reader.finish();
  drain();
  return result();
}

/**
 * Reads a capture held in memory (gzip or not), in chunks of `chunkSize` bytes (to exercise
 * the chunk boundaries). For tests and small inputs.
 */
export function readScapBytes(bytes: Uint8Array, onEvent: EventCallback, options: ScapReaderOptions & { chunkSize?: number } = {}): ScapReadResult {
  let data = bytes;
  const gzip = isGzip(bytes);
  const reader = new ScapReader(options);
  const result = (error?: ScapReadError): ScapReadResult => ({ error: error ?? reader.error, stats: reader.stats, machine: reader.machine, gzip });
  if (gzip) {
    try {
      data = gunzipSync(bytes);
    } catch (e) {
      return result(scapError('SCAP_IO', `bad gzip data: ${(e as Error).message}`, 0, options.file));
    }
  }
  const size = options.chunkSize ?? data.length;
  const drain = (): boolean => {
    for (;;) {
      const step = reader.next();
      if (step === STEP_EVENT) {
        if (onEvent(reader.event) === false) return true;
        continue;
      }
      return step === STEP_END || step === STEP_ERROR;
    }
  };
  for (let at = 0; at < data.length; at += Math.max(1, size)) {
    reader.feed(data.subarray(at, at + Math.max(1, size)));
    if (drain()) return result();
  }
  reader.finish();
  drain();
  return result();
}
