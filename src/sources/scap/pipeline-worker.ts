/**
 * The reading thread of `readScapPipelined`: reads the capture with `readScap` and sends its
 * events in batches and its metadata calls as messages, in the reader's order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventView } from './event-view.js';
import type { MetadataHandler } from './metadata.js';
import {
  CTL_INFLIGHT,
  CTL_STOP,
  type MetadataCall,
  REC_CPU,
  REC_FLAGS,
  REC_HEADER,
  REC_LEN_SIZE,
  REC_LENGTH,
  REC_LENS_AT,
  REC_NPARAMS,
  REC_NUM_HI,
  REC_NUM_LO,
  SLOTS,
  type WorkerInput,
  type WorkerMessage,
} from './pipeline.js';
import { readScap } from './stream.js';

const port = parentPort!;
/** Set once the main thread asked to stop (read at batch boundaries, not per event). */
let stop = false;
const input = workerData as WorkerInput;
const ctl = new Int32Array(input.control);

const slots = input.slots.map((b) => ({ bytes: new Uint8Array(b), dv: new DataView(b) }));
let slot = 0;
let bytes: Uint8Array<ArrayBufferLike> = slots[0]!.bytes;
let dv: DataView<ArrayBufferLike> = slots[0]!.dv;
/** Set when the event being written does not fit a slot: it goes alone, copied. */
let oversize: ArrayBuffer | undefined;
let at = 0;
let count = 0;
let calls: MetadataCall[] = [];

const post = (m: WorkerMessage): void => port.postMessage(m);

/**
 * Sends the batch (its events and the metadata calls between them) and moves to the next
 * slot, waiting until this thread's consumer has read it. `size`: room needed in the next batch.
 */
function flush(size = 0): void {
  if (count === 0 && calls.length === 0 && oversize === undefined) {
    if (size <= bytes.length) return;
  } else if (oversize !== undefined) {
    post({ kind: 'batch', slot: -1, copy: oversize, count, calls });
  } else {
    post({ kind: 'batch', slot, copy: undefined, count, calls });
    Atomics.add(ctl, CTL_INFLIGHT, 1);
    slot = (slot + 1) % SLOTS;
  }
  calls = [];
  at = 0;
  count = 0;
  oversize = undefined;
  if (size > slots[0]!.bytes.length) {
    oversize = new ArrayBuffer(size);
    bytes = new Uint8Array(oversize);
    dv = new DataView(oversize);
    return;
  }
  // The next slot is free once fewer than SLOTS batches are unconsumed.
  for (;;) {
    const inflight = Atomics.load(ctl, CTL_INFLIGHT);
    if (inflight < SLOTS || Atomics.load(ctl, CTL_STOP) !== 0) break;
    Atomics.wait(ctl, CTL_INFLIGHT, inflight);
  }
  stop = Atomics.load(ctl, CTL_STOP) !== 0;
  bytes = slots[slot]!.bytes;
  dv = slots[slot]!.dv;
}

/** Records a metadata call, to be made before the next event of the batch. */
function record(name: keyof MetadataHandler) {
  return (...args: unknown[]): void => {
    // Copied now: the reader may reuse what it passed (the listening ports of a section) before the batch goes.
    calls.push([count, name, structuredClone(args)]);
  };
}

const handler: MetadataHandler = {
  onSection: record('onSection'),
  onMachine: record('onMachine'),
  onThread: record('onThread'),
  onFd: record('onFd'),
  onUser: record('onUser'),
  onGroup: record('onGroup'),
  onInterface: record('onInterface'),
  onMetadataEnd: record('onMetadataEnd'),
};

function onEvent(ev: EventView): boolean {
  const end = ev.paramOffset(ev.paramCount);
  const length = end - ev.off;
  const size = (REC_HEADER + length + 7) & ~7;
  if (at + size > bytes.length || oversize !== undefined) {
    flush(size);
    if (stop) return false;
  }
  dv.setUint32(at + REC_LENGTH, size, true);
  dv.setUint32(at + REC_NUM_LO, ev.num % 4294967296, true);
  dv.setUint32(at + REC_NUM_HI, Math.floor(ev.num / 4294967296), true);
  dv.setUint32(at + REC_FLAGS, ev.flags, true);
  dv.setUint16(at + REC_CPU, ev.cpu, true);
  dv.setUint8(at + REC_LEN_SIZE, ev.lenSize);
  dv.setUint32(at + REC_LENS_AT, ev.lensOff - ev.off, true);
  dv.setUint32(at + REC_NPARAMS, ev.paramCount, true);
  // Most events are a few dozen bytes: a loop beats a subarray (an object) and set.
  const src = ev.buf;
  const to = at + REC_HEADER - ev.off;
  if (length > 256) bytes.set(src.subarray(ev.off, end), to + ev.off);
  else for (let k = ev.off; k < end; k++) bytes[to + k] = src[k]!;
  at += size;
  count++;
  return true;
}

try {
  // The reader's event is an EventView (the reader's or the converter's window).
  const result = await readScap(input.path, (ev) => onEvent(ev as EventView), { ...input.options, handler });
  flush();
  post({ kind: 'end', result });
} catch (e) {
  post({ kind: 'fatal', message: (e as Error).message });
}
