/**
 * Flat events: one JSON object per event whose keys are field names as written in
 * conditions (`proc.name`, `proc.aname[2]`, `evt.arg.flags`). `null` or a missing key is NA.
 * Equivalent spellings are read as one field, ancestry arrays are indexed, and the
 * filter-only fd fields are derived from the client/server/local/remote ones.
 */
import { ANCESTRY_FIELDS, type ResolvedField } from '../../fields/catalogue.js';
import { STATE_ONLY_ENTER_EVENTS } from '../../fields/events.js';
import type { EventSource, FieldAccessor, FieldValue } from '../../fields/source.js';
import { TIME_FIELDS, TIME_TEXT_FIELDS, timestampOf } from '../../fields/time-fields.js';
import { exactProperty } from './exact-integers.js';

export type FlatEvent = Record<string, unknown>;

const ANCESTRY = ANCESTRY_FIELDS;
const PARENT_TO_ANCESTRY = new Map(Object.entries(ANCESTRY).map(([a, { parent }]) => [parent, a]));
/** How many `proc.aname[N]` keys an any-ancestor match looks at when no array is given. */
const MAX_INDEXED_ANCESTORS = 32;

/** Filter-only fd fields that match either side, or one side, of a connection. */
export const DERIVED_FD: Readonly<Record<string, string[]>> = {
  'fd.ip': ['fd.cip', 'fd.sip'],
  'fd.port': ['fd.cport', 'fd.sport'],
  'fd.proto': ['fd.cproto', 'fd.sproto'],
  'fd.net': ['fd.cip', 'fd.sip'],
  'fd.cnet': ['fd.cip'],
  'fd.snet': ['fd.sip'],
  'fd.lnet': ['fd.lip'],
  'fd.rnet': ['fd.rip'],
};

export class FlatEventSource implements EventSource<FlatEvent> {
  readonly name = 'syscall';

  eventType(event: FlatEvent): string | undefined {
    const t = event['evt.type'];
    return typeof t === 'string' ? t : undefined;
  }

  /** Not an enter event libsinsp keeps to itself (a sysdig JSON conversion has them; Falco never evaluates them). */
  delivered(event: FlatEvent): boolean {
    return event['evt.dir'] !== '>' || !STATE_ONLY_ENTER_EVENTS.has(event['evt.type'] as string);
  }

  /** One accessor per field: generating one is a compilation. */
  private readonly accessors = new Map<string, FieldAccessor<FlatEvent>>();

  accessor(field: ResolvedField): FieldAccessor<FlatEvent> {
    let read = this.accessors.get(field.key);
    if (read === undefined) {
      read = this.build(field);
      this.accessors.set(field.key, read);
    }
    return read;
  }

  private build(field: ResolvedField): FieldAccessor<FlatEvent> {
    const name = field.def.name;
    const ancestry = ANCESTRY[name];
    if (ancestry) return ancestryAccessor(name, ancestry.self, field.arg);
    const derived = DERIVED_FD[name];
    if (derived) return derivedAccessor(name, derived);
    const time = TIME_FIELDS[name];
    if (time && field.arg === undefined) return timeAccessor(name, time);
    if (name === 'evt.rawtime' && field.arg === undefined) return rawtimeAccessor();
    const keys = spellings(field);
    if (keys.length === 1 && !PARENT_TO_ANCESTRY.has(name)) {
      const k = keys[0]!;
      return Object.assign((e: FlatEvent) => exactProperty(e, k), { property: k, propertyMayRound: true });
    }
    let body = keys.map((k) => `v = e[${lit(k)}]; if (v != null) return ${scalar(k)};`).join('\n');
    // proc.pname defaults to the first ancestor when only the ancestry array is given.
    const ancestors = PARENT_TO_ANCESTRY.get(name);
    if (ancestors) body += `\nv = e[${lit(ancestors)}]; return Array.isArray(v) && v[0] != null ? v[0] : undefined;`;
    return generated(`${body}\nreturn undefined;`);
  }
}

/** Every key under which a field may be written: `evt.arg.flags` and `evt.arg[flags]`. */
export function spellings(field: ResolvedField): string[] {
  const name = field.def.name;
  if (field.arg === undefined) return [name];
  return [`${name}[${field.arg}]`, `${name}.${field.arg}`];
}

/**
 * An accessor from generated code: each field's reads get load sites of their own (with
 * constant keys), which stay fast where one shared closure would see every key and shape.
 * `v` is a scratch variable; `scratch` a reused array for multi-valued results.
 */
function generated(body: string): FieldAccessor<FlatEvent> {
  return new Function('scratch', 'clear', 'exact', `return function read(e) {\nlet v;\n${body}\n};`)([], clear, exactProperty) as FieldAccessor<FlatEvent>;
}

/** Code for the scalar `v` just read from key `k`: a number may stand for a longer integer (exact-integers.ts). */
function scalar(k: string): string {
  return `typeof v === "number" ? exact(e, ${lit(k)}) : v`;
}

function lit(key: string): string {
  return JSON.stringify(key);
}

function ancestryAccessor(name: string, self: string, arg: string | undefined): FieldAccessor<FlatEvent> {
  if (arg !== undefined) {
    const index = Number(arg);
    const indexedKey = `${name}[${arg}]`;
    const indexed = `v = e[${lit(indexedKey)}]; if (v != null) return ${scalar(indexedKey)};`;
    if (index === 0) return generated(`${indexed}\nv = e[${lit(self)}]; return v == null ? undefined : ${scalar(self)};`);
    return generated(`${indexed}\nv = e[${lit(name)}]; return Array.isArray(v) && v[${index - 1}] != null ? v[${index - 1}] : undefined;`);
  }
  // Without an index: every ancestor, from the array or from indexed keys.
  const indexed = Array.from({ length: MAX_INDEXED_ANCESTORS }, (_, i) => {
    const key = `${name}[${i + 1}]`;
    return `v = e[${lit(key)}]; if (v == null) return scratch.length > 0 ? scratch : undefined; scratch.push(${scalar(key)});`;
  });
  return generated(
    [
      `v = e[${lit(name)}];`,
      'if (Array.isArray(v)) return v.length > 0 ? v : undefined;',
      `if (v != null) return [${scalar(name)}];`,
      'clear(scratch);',
      ...indexed,
      'return scratch;',
    ].join('\n'),
  );
}

function derivedAccessor(name: string, sources: string[]): FieldAccessor<FlatEvent> {
  return generated(
    [
      `v = e[${lit(name)}]; if (v != null) return ${scalar(name)};`,
      'clear(scratch);',
      ...sources.map((k) => `v = e[${lit(k)}]; if (v != null) scratch.push(${scalar(k)});`),
      'return scratch.length > 0 ? scratch : undefined;',
    ].join('\n'),
  );
}

/** A time field: its own key when given, else derived from the event's timestamp (time-fields.ts). */
function timeAccessor(name: string, derive: (ns: bigint) => string | number): FieldAccessor<FlatEvent> {
  const text = TIME_TEXT_FIELDS.has(name);
  return (e) => {
    const own = exactProperty(e, name);
    if (own !== undefined) {
      if (!text || typeof own === 'string') return own;
      const ns = timestampOf(own);
      return ns === undefined ? own : derive(ns);
    }
    const ns = eventTimestamp(e);
    return ns === undefined ? undefined : (derive(ns) as FieldValue);
  };
}

/** evt.rawtime, or else a text time field holding the raw number (as `sysdig -j` writes them). */
function eventTimestamp(e: FlatEvent): bigint | undefined {
  const raw = exactProperty(e, 'evt.rawtime');
  if (raw !== undefined) return timestampOf(raw);
  for (const key of TIME_TEXT_FIELDS) {
    const v = e[key];
    if (typeof v === 'number' || typeof v === 'bigint') return timestampOf(exactProperty(e, key));
  }
  return undefined;
}

/** evt.rawtime: its own key, or the raw number under a text time field. */
function rawtimeAccessor(): FieldAccessor<FlatEvent> {
  return (e) => {
    const own = exactProperty(e, 'evt.rawtime');
    if (own !== undefined) return own;
    const ns = eventTimestamp(e);
    return ns === undefined ? undefined : ns <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(ns) : ns;
  };
}

/** Empties a reused array; setting `length` instead is a runtime call, slow on this path. */
function clear(values: unknown[]): void {
  while (values.length > 0) values.pop();
}
