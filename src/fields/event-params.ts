/**
 * The event parameters by name, across every event of the table: what `evt.arg.NAME` and
 * `evt.rawarg.NAME` can name (libsinsp looks the name up in all events, the first one with
 * that parameter giving its type).
 */
import eventTable from './event-table.json' with { type: 'json' };

const FIRST_TYPE = new Map<string, string>();
for (const e of (eventTable as { events: { params: { name: string; type: string }[] }[] }).events) {
  for (const p of e.params) if (!FIRST_TYPE.has(p.name)) FIRST_TYPE.set(p.name, p.type);
}

/** The PT_* type of the first event parameter named `name`, if any event has one. */
export function firstParamType(name: string): string | undefined {
  return FIRST_TYPE.get(name);
}

/**
 * How `evt.arg.NAME` / `evt.rawarg.NAME` names a parameter, as libsinsp's
 * find_longest_matching_evt_param reads it: a parameter of that name in some event, a longer
 * text starting with one (libsinsp then parses a shorter field than written: no such field),
 * or nothing.
 */
export function eventArgumentMatch(name: string): 'exact' | 'prefix' | 'none' {
  if (FIRST_TYPE.has(name)) return 'exact';
  for (const param of FIRST_TYPE.keys()) if (name.startsWith(param)) return 'prefix';
  return 'none';
}
