/**
 * Reading a scap file on two threads: a worker reads, inflates, parses and converts the
 * blocks (everything `readScap` does before an event reaches the caller), and hands the
 * events over in batches; this thread only runs the caller's callback (state engine, rules).
 * The events, their order, the metadata calls and the result are those of `readScap`.
 *
 * Batches are slots of shared memory (SharedArrayBuffers made once), filled by the worker in
 * turn and read here in the same order; a slot is written again only once this thread has
 * consumed it (a shared counter of unconsumed batches, at most SLOTS). Nothing is allocated
 * or transferred per batch, and memory stays flat whatever the file size. Metadata calls
 * travel with the batch, each with the position of the event it precedes (a message per
 * call made a capture of many sections slow).
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ScapReadError, scapError } from './errors.js';
import { EventView } from './event-view.js';
import type { MetadataHandler } from './metadata.js';
import type { ScapReaderOptions } from './reader.js';
import { type EventCallback, readScap, type ScapReadResult, type ScapSource } from './stream.js';

/** Bytes of a slot (an event larger than this travels in a copied buffer of its own). */
export const SLOT_BYTES = 1 << 20;
/** Slots: batches the worker may have sent and this thread not yet consumed. */
export const SLOTS = 4;
/** Slots of the shared control array. */
export const CTL_INFLIGHT = 0;
export const CTL_STOP = 1;

/**
 * An event record: its header, then the event's bytes from its header to the end of its last
 * parameter (in the layout the reader left it: the file's, or the converter's). Records are
 * 8-byte aligned.
 */
export const REC_LENGTH = 0; // u32: record bytes, header and padding included
export const REC_NUM_LO = 4; // u32, u32: evt.num
export const REC_NUM_HI = 8;
export const REC_FLAGS = 12; // u32
export const REC_CPU = 16; // u16
export const REC_LEN_SIZE = 18; // u8: 2, or 4 for large-payload events
export const REC_LENS_AT = 20; // u32: offset of the length array from the event's start
export const REC_NPARAMS = 24; // u32
export const REC_HEADER = 32;

/** A metadata call, made before the event record at `before` of its batch (`count`: after the last). */
export type MetadataCall = [before: number, name: keyof MetadataHandler, args: unknown[]];

/** A batch: in slot `slot`, or (an oversize event) in `copy`. */
export interface Batch {
  slot: number;
  copy: ArrayBuffer | undefined;
  count: number;
  calls: MetadataCall[];
}

export type WorkerMessage = ({ kind: 'batch' } & Batch) | { kind: 'end'; result: ScapReadResult } | { kind: 'fatal'; message: string };

export interface WorkerInput {
  path: string;
  options: Omit<ScapReaderOptions, 'handler'>;
  control: SharedArrayBuffer;
  slots: SharedArrayBuffer[];
}

const WORKER = new URL('./pipeline-worker.js', import.meta.url);

/**
 * Whether reading can be pipelined here: a second CPU, the compiled worker module (absent
 * when the TypeScript sources run directly, as under vitest), and not turned off with
 * KESTREL_SCAP_THREADS=1 (for comparisons, or a machine where threads cost more than they give).
 */
export function pipelineAvailable(): boolean {
  return process.env['KESTREL_SCAP_THREADS'] !== '1' && availableParallelism() >= 2 && existsSync(fileURLToPath(WORKER));
}

/**
 * Files smaller than this are read on one thread: starting the worker (a second isolate that
 * loads the reader and warms up its JIT) costs about 0.1 s, and each event's copy through the
 * slots more; with the rules' work per event as it now is, a replay gains from the second
 * thread from about 120 MB (bench/README.md, session 8: 60 MB one thread 0.59-0.61 s against two
 * 0.64-0.69 s; 120 MB even; 179 MB two threads 7-15% faster).
 */
export const PIPELINE_MIN_BYTES = 128 * 1024 * 1024;

/**
 * The same for a filter (`replay --filter`): never. With light events its thread keeps state and
 * tests one condition, far less than the worker's reading and copying, and one thread was faster
 * at every size measured (bench/README.md, session 8: 298 MB 1.63-1.80 s against 1.73-1.83 s,
 * 1 GB 3.9 s against 4.5-5.4 s).
 */
export const FILTER_PIPELINE_MIN_BYTES = Number.POSITIVE_INFINITY;

/**
 * `readScap` for a file path of at least `minBytes` (PIPELINE_MIN_BYTES by default; any size
 * with `force`), pipelined over a worker thread when `pipelineAvailable()`; otherwise (or for
 * a descriptor or a stream) `readScap` itself.
 */
export async function readScapPipelined(
  source: ScapSource,
  onEvent: EventCallback,
  options: ScapReaderOptions = {},
  { force = false, minBytes = PIPELINE_MIN_BYTES }: { force?: boolean; minBytes?: number } = {},
): Promise<ScapReadResult> {
  if (typeof source !== 'string' || !pipelineAvailable() || !(force || fileSize(source) >= minBytes)) return readScap(source, onEvent, options);
  const { handler, ...rest } = options;
  const control = new SharedArrayBuffer(8);
  const ctl = new Int32Array(control);
  const slots = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
  const views = slots.map((b) => ({ bytes: new Uint8Array(b), dv: new DataView(b) }));
  const input: WorkerInput = { path: source, options: { ...rest, file: rest.file ?? source }, control, slots };
  const worker = new Worker(WORKER, { workerData: input });
  const view = new EventView();
  const file = input.options.file;
  return new Promise<ScapReadResult>((resolve) => {
    let done = false;
    let stopped = false;
    let last: ScapReadResult | undefined;
    const finish = (result: ScapReadResult): void => {
      if (done) return;
      done = true;
      resolve(result);
      void worker.terminate();
    };
    const failed = (message: string): ScapReadResult => ({
      error: scapError('SCAP_IO', `cannot read the capture: ${message}`, 0, file) as ScapReadError,
      stats: last?.stats ?? emptyStats(),
      machine: undefined,
      gzip: false,
    });
    worker.on('message', (m: WorkerMessage) => {
      switch (m.kind) {
        case 'batch': {
          const memory = m.copy === undefined ? views[m.slot]! : { bytes: new Uint8Array(m.copy), dv: new DataView(m.copy) };
          try {
            if (!stopped && consume(memory, m, view, onEvent, handler) === false) {
              stopped = true;
              Atomics.store(ctl, CTL_STOP, 1);
            }
          } catch (e) {
            // As readScap: what the callback throws ends the reading as an error of it.
            stopped = true;
            Atomics.store(ctl, CTL_STOP, 1);
            Atomics.notify(ctl, CTL_INFLIGHT);
            finish(failed((e as Error).message));
          }
          if (m.copy === undefined) {
            Atomics.sub(ctl, CTL_INFLIGHT, 1);
            Atomics.notify(ctl, CTL_INFLIGHT);
          }
          return;
        }
        case 'end':
          last = m.result;
          finish(m.result);
          return;
        case 'fatal':
          finish(failed(m.message));
          return;
      }
    });
    worker.on('error', (e) => finish(failed(e.message)));
    // Messages sent before the worker ended are delivered first; anything after is a crash.
    worker.on('exit', (code) => setImmediate(() => finish(failed(`the reading thread stopped (exit code ${code})`))));
  });
}

/**
 * Makes a batch's metadata calls and hands each record to the callback through one reused
 * view, in the reader's order; false when the callback asked to stop.
 */
function consume(
  { bytes, dv }: { bytes: Uint8Array; dv: DataView },
  { count, calls }: Batch,
  view: EventView,
  onEvent: EventCallback,
  handler: MetadataHandler | undefined,
): boolean {
  let at = 0;
  let call = 0;
  const callsUpTo = (i: number): void => {
    for (; call < calls.length && calls[call]![0] <= i; call++) {
      const [, name, args] = calls[call]!;
      (handler?.[name] as ((...a: unknown[]) => void) | undefined)?.apply(handler, args);
    }
  };
  for (let i = 0; i < count; i++) {
    if (call < calls.length) callsUpTo(i);
    const start = at + REC_HEADER;
    view.set(bytes, dv, start, start + dv.getUint32(at + REC_LENS_AT, true), dv.getUint8(at + REC_LEN_SIZE), dv.getUint32(at + REC_NPARAMS, true));
    view.num = dv.getUint32(at + REC_NUM_LO, true) + dv.getUint32(at + REC_NUM_HI, true) * 4294967296;
    view.flags = dv.getUint32(at + REC_FLAGS, true);
    view.cpu = dv.getUint16(at + REC_CPU, true);
    if (onEvent(view) === false) return false;
    at += dv.getUint32(at + REC_LENGTH, true);
  }
  callsUpTo(count);
  return true;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // readScap reports why the file cannot be read
  }
}

function emptyStats(): ScapReadResult['stats'] {
  return { blocks: 0, unknownBlocks: 0, unknownEvents: 0, droppedEvents: 0, events: 0, sections: 0, threads: 0, fds: 0, users: 0, groups: 0, interfaces: 0 };
}
