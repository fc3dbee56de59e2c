/**
 * Replay of a scap capture: the reader hands each event to the state engine, then to the
 * replayer, synchronously (no batch, no asynchronous step per event); the metadata blocks
 * seed the state first. Reading errors come back as values with their byte offset.
 */
import type { ScapEvent } from '../sources/scap/event.js';
import type { ScapEventSource } from '../sources/scap/source.js';
import { readScap, type ScapReadResult, type ScapSource } from '../sources/scap/stream.js';
import type { Alert, CaptureItem, Replayer, RunControl } from './replay.js';

/**
 * Replays one scap capture (a path, a descriptor or a stream; gzip or plain) through
 * `replayer`, whose source must be `source`. Every event updates the state, whether or not
 * a rule wants it, before rules are tried.
 */
export async function replayScap(
  input: ScapSource,
  file: string,
  replayer: Replayer<ScapEvent>,
  source: ScapEventSource,
  onAlert: (alert: Alert) => void,
  control: RunControl = {},
): Promise<ScapReadResult> {
  source.beginCapture();
  const start = process.hrtime.bigint();
  const seconds = replayer.stats.seconds;
  const item: CaptureItem<ScapEvent> = { event: undefined as unknown as ScapEvent, file, line: 0, size: 0 };
  const { stopped } = control;
  const result = await readScap(
    input,
    (event) => {
      source.update(event);
      item.event = event;
      item.line = event.num;
      replayer.process(item, onAlert);
      return stopped === undefined || !stopped();
    },
    { file, handler: source.metadataHandler() },
  );
  replayer.stats.seconds = seconds + Number(process.hrtime.bigint() - start) / 1e9;
  return result;
}
