/**
 * The one interface between the evaluator and where events come from. A source turns a
 * resolved field into an accessor, once, at compile time; the evaluator then calls
 * accessors per event. The flat JSONL source implements it today; a stateful syscall
 * source (thread, fd, container and user tables) plugs in the same way.
 */
import type { ResolvedField } from './catalogue.js';

/**
 * What an accessor returns: `undefined` when the field has no value (NA); otherwise a
 * string, number, boolean or bigint, or an array for multi-valued reads (a list field,
 * or an ancestry field without index, which matches when any element does).
 */
export type FieldValue = string | number | boolean | bigint | readonly unknown[] | undefined;

export type FieldAccessor<E> = ((event: E) => FieldValue) & {
  /**
   * Set when the field's value is simply `event[property]` (null or undefined meaning NA):
   * the evaluator may then read the property in generated code instead of calling the
   * accessor. The accessor itself must return the same value, with NA as undefined (but see
   * `propertyMayRound`).
   */
  readonly property?: string;
  /**
   * Set by sources whose property values may be approximations: a number there that is not a
   * safe integer may be a rounded copy of a longer integer (JSON text read with JSON.parse),
   * which the accessor returns exactly. Generated code then calls the accessor before any
   * test the rounding could change.
   */
  readonly propertyMayRound?: boolean;
};

export interface EventSource<E> {
  readonly name: string;
  /** A reader for `field`; called once per field when rules are compiled. */
  accessor(field: ResolvedField): FieldAccessor<E>;
  /**
   * The event's type name, for the rule index; undefined if absent. It must be what the
   * `evt.type` accessor returns: the evaluator folds `evt.type` checks per event type.
   */
  eventType(event: E): string | undefined;
  /**
   * The event's code in libsinsp's event table (PPME_*), for sources that have it (a scap
   * capture): the engine then finds an event's program by an array index. Generic syscall
   * events (codes of `syscall`) are still looked up by `eventType`, since their type is the
   * syscall they stand for.
   */
  eventCode?(event: E): number;
  /**
   * Whether the event goes on to rules, filters and coverage once it has updated the state
   * (libsinsp's sinsp_evt_filter; see STATE_ONLY_ENTER_EVENTS). Absent: every event does.
   */
  delivered?(event: E): boolean;
}

/**
 * What a consumer of events evaluates: the event codes its rules or its filter can match
 * (libsinsp's ppm codes, as conditionEventTypes computes them), and the fields it reads. A
 * stateful source may read the other events for their state only (the scap source's light
 * events, src/sources/scap/read-plan.ts).
 */
export interface EventNeeds {
  /** Event codes that can match, or all. */
  codes: ReadonlySet<number> | 'all';
  /** Fields read (conditions, exceptions, outputs), canonical names; 'all' when not known. */
  fields: Iterable<string> | 'all';
}

/** Every event and every field: what a consumer that does not say gets. */
export const ALL_EVENT_NEEDS: EventNeeds = { codes: 'all', fields: 'all' };
