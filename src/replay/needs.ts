/**
 * What a run over a capture evaluates and reads (EventNeeds, src/fields/source.ts), from its
 * rules: a stateful source reads the other events for their state only.
 */
import { ALL_EVENT_NEEDS, type EventNeeds } from '../fields/source.js';
import type { CompiledRule } from '../rules/model.js';

/** What running `rules` evaluates and reads: their event types, and the fields of their conditions, exceptions and outputs (and `more`). */
export function rulesNeeds(rules: readonly CompiledRule[], more: Iterable<string> = []): EventNeeds {
  const codes = new Set<number>();
  const fields = new Set<string>(more);
  for (const rule of rules) {
    if (rule.eventTypes.all) return ALL_EVENT_NEEDS;
    for (const c of rule.eventTypes.codes) codes.add(c);
    for (const f of [...rule.conditionFields, ...rule.exceptionFields, ...rule.outputFields]) fields.add(f);
  }
  return { codes, fields };
}

/** What two runs over the same events evaluate and read together. */
export function unionNeeds(a: EventNeeds, b: EventNeeds): EventNeeds {
  if (a.codes === 'all' || b.codes === 'all') return ALL_EVENT_NEEDS;
  const fields = a.fields === 'all' || b.fields === 'all' ? 'all' : new Set([...a.fields, ...b.fields]);
  return { codes: new Set([...a.codes, ...b.codes]), fields };
}
