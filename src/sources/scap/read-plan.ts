/**
 * Light events: the events of a capture that a run reads only for their thread.
 *
 * libsinsp parses every event, then hands it to the filter or the rules. An event of a type
 * that no rule (or filter) can match, and that changes no state the run can see, does only
 * one thing in libsinsp that shows later: its thread is looked up (created as a placeholder
 * when unknown, kept from purging, its last event type noted). Such an event is light: the
 * reader checks it as usual and makes the converter's decisions for it (Converter.skip: the
 * same drops and errors), but builds nothing; the state engine does the thread bookkeeping
 * only (ScapStateEngine.update). The rest are full events, read as before.
 *
 * An event is full when the run evaluates its type, when the state engine has a parser for it,
 * when a conversion changes its type, or when the other half of its syscall (enter or exit) is
 * full. The memory sizes and page faults that mmap, brk, munmap and context switches report are
 * state only a few fields read: those events are light unless the run reads one of those fields.
 */
import type { EventNeeds } from '../../fields/source.js';
import { H_CONTEXT_SWITCH, H_MEMORY, H_NONE, HANDLER, N } from './state/dispatch.js';
import { CONVERSIONS } from './tables.js';

/** Fields of the state that only memory and context-switch events keep (also inside a transformer: `%val(proc.vmrss)`). */
const MEMORY_FIELDS = /\b(proc\.vm(size|rss|swap)|thread\.(vmsize|vmrss|pfmajor|pfminor))\b/;

/** Codes a conversion turns into another code: never light (the view would have the old code). */
const CHANGES_TYPE = new Uint8Array(N);
for (const c of CONVERSIONS.values()) if (c.action === 'change_type' && c.code < N) CHANGES_TYPE[c.code] = 1;

/** Light events by code (1: light), or undefined when every event is full. */
export function lightEvents(needs: EventNeeds): Uint8Array | undefined {
  if (needs.codes === 'all') return undefined;
  const memory = needs.fields === 'all' || [...needs.fields].some((f) => MEMORY_FIELDS.test(f));
  const full = new Uint8Array(N);
  for (let c = 0; c < N; c++) {
    const handler = HANDLER[c]!;
    const parsed = handler !== H_NONE && (memory || (handler !== H_MEMORY && handler !== H_CONTEXT_SWITCH));
    if (parsed || CHANGES_TYPE[c] === 1 || needs.codes.has(c)) full[c] = 1;
  }
  // A syscall's two halves go together: an exit's conversion and parser read its enter event
  // (the engine keeps the enter events of parsed exits, STORE_ENTER). Codes come in pairs, the
  // enter event even and its exit odd, as the converter pairs them.
  for (let c = 0; c + 1 < N; c += 2) if (full[c] === 1 || full[c + 1] === 1) full[c] = full[c + 1] = 1;
  const light = new Uint8Array(N);
  let any = false;
  for (let c = 0; c < N; c++) {
    if (full[c] === 0) {
      light[c] = 1;
      any = true;
    }
  }
  return any ? light : undefined;
}
