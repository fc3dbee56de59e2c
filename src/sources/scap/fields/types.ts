/**
 * The seam between the scap field extractors and the evaluator: an extractor is built once
 * per field when rules are compiled (everything about the field, its argument included, is
 * resolved then) and called per event with the event and the state the engine keeps.
 */
import type { FieldValue } from '../../../fields/source.js';
import type { ScapEvent } from '../event.js';
import type { StateView } from '../state/model.js';

export type { FieldValue };

/** Reads one field of one event: `undefined` is NA. */
export type Extractor = (ev: ScapEvent, state: StateView) => FieldValue;

/**
 * Delegation point for what the reader helper's parameter renderer owns (`evt.arg.*`,
 * `evt.args`, `evt.info`, `evt.rawarg.*`, `evt.res` text of errors, `evt.buffer`). The
 * lead connects it; until then those fields are NA.
 */
export interface ParamRenderer {
  /** `evt.arg[name]` / `evt.arg[N]`: the rendered parameter (resolved where libsinsp resolves), undefined if absent. */
  arg(ev: ScapEvent, state: StateView, key: string | number): string | undefined;
  /** `evt.rawarg[name]`: the parameter as its raw typed value. */
  rawArg(ev: ScapEvent, state: StateView, name: string): FieldValue;
  /** `evt.res` of a failed syscall: the errno name (`ENOENT`). */
  errno(ev: ScapEvent, state: StateView): string | undefined;
  /** `evt.buffer`: the data parameter, in the form the evaluator compares buffers in. */
  buffer(ev: ScapEvent, state: StateView): FieldValue;
  /** `evt.args` (and `evt.info`, which libsinsp makes the same). */
  args(ev: ScapEvent, state: StateView): string;
}

/** What an extractor may need besides the field: today only the renderer. */
export interface ExtractorOptions {
  renderer?: ParamRenderer;
}

/** An extractor that is NA for every event. */
export const NA: Extractor = () => undefined;
