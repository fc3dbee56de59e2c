/**
 * Reading a scap capture for a driver: the reader hands each event to the state engine,
 * then to the driver, synchronously (no batch, no asynchronous step per event); the
 * metadata blocks seed the state first. Reading errors come back as values with their byte
 * offset.
 */

import { ALL_EVENT_NEEDS, type EventNeeds } from '../fields/source.js';
import type { ScapReadError } from '../sources/scap/errors.js';
import type { ScapEvent } from '../sources/scap/event.js';
import { readScapPipelined } from '../sources/scap/pipeline.js';
import { lightEvents } from '../sources/scap/read-plan.js';
import type { ScapEventSource } from '../sources/scap/source.js';
import type { ScapReadResult, ScapSource } from '../sources/scap/stream.js';
import type { Alert, CaptureItem, Replayer, RunControl } from './replay.js';

/** How `visitScap` reads. */
export interface VisitOptions {
  /** Stops reading when it returns true (asked after each event). */
  stopped?: () => boolean;
  /** What the driver evaluates: the rest is read as light events (read-plan.ts). Every event in full by default. */
  needs?: EventNeeds;
  /** Files from this size are read on two threads (PIPELINE_MIN_BYTES by default). */
  pipelineMinBytes?: number;
}

/**
 * Reads one scap capture (a path, a descriptor or a stream; gzip or plain) with fresh state:
 * every event updates the state, whether or not anything wants it, and is then given to
 * `visit` (as one reused item: copy what you keep); the drivers skip the events libsinsp
 * keeps for the state only (`ScapEventSource.delivered`). With `needs`, the events the driver
 * cannot match and whose state nothing reads are light: `visit` still gets them, and may read
 * their type (a generic event's is its first parameter, which no conversion changes) but no
 * field: their parameters are unconverted and the state skipped them.
 */
export async function visitScap(
  input: ScapSource,
  file: string,
  source: ScapEventSource,
  visit: (item: CaptureItem<ScapEvent>) => void,
  { stopped, needs = ALL_EVENT_NEEDS, pipelineMinBytes }: VisitOptions = {},
): Promise<ScapReadResult> {
  const light = lightEvents(needs);
  source.beginCapture(light);
  const item: CaptureItem<ScapEvent> = { event: undefined as unknown as ScapEvent, file, line: 0, size: 0 };
  // A file is read and decoded on a second thread, when there is one (same events, same order).
  return readScapPipelined(
    input,
    (event) => {
      source.update(event);
      item.event = event;
      item.line = event.num;
      visit(item);
      return stopped === undefined || !stopped();
    },
    { file, handler: source.metadataHandler(), ...(light !== undefined ? { lightEvents: light } : {}) },
    pipelineMinBytes !== undefined ? { minBytes: pipelineMinBytes } : {},
  );
}

/** Replays one scap capture through `replayer`, whose source must be `source`. */
export async function replayScap(
  input: ScapSource,
  file: string,
  replayer: Replayer<ScapEvent>,
  source: ScapEventSource,
  onAlert: (alert: Alert) => void,
  control: RunControl = {},
): Promise<ScapReadResult> {
  const start = process.hrtime.bigint();
  const seconds = replayer.stats.seconds;
  const result = await visitScap(input, file, source, (item) => replayer.process(item, onAlert), {
    ...(control.stopped ? { stopped: control.stopped } : {}),
    needs: replayer.needs(),
  });
  replayer.stats.seconds = seconds + Number(process.hrtime.bigint() - start) / 1e9;
  return result;
}

/** A scap reading error as a capture problem's reason: where in the file, what, and its code. */
export function scapErrorReason(error: ScapReadError): string {
  return `byte ${error.offset}: ${error.message} (${error.code})`;
}
