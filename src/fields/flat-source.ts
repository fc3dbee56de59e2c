/**
 * Flat events: one JSON object per event whose keys are field names as written in
 * conditions (`proc.name`, `proc.aname[2]`, `evt.arg.flags`). `null` or a missing key is NA.
 * Equivalent spellings are read as one field, ancestry arrays are indexed, and the
 * filter-only fd fields are derived from the client/server/local/remote ones.
 */
import type { ResolvedField } from './catalogue.js';
import type { EventSource, FieldAccessor, FieldValue } from './source.js';

export type FlatEvent = Record<string, unknown>;

/** Ancestry fields and, for each, the field for the process itself and its parent. */
const ANCESTRY: Record<string, { self: string; parent: string }> = {
  'proc.aname': { self: 'proc.name', parent: 'proc.pname' },
  'proc.aexe': { self: 'proc.exe', parent: 'proc.pexe' },
  'proc.aexepath': { self: 'proc.exepath', parent: 'proc.pexepath' },
  'proc.acmdline': { self: 'proc.cmdline', parent: 'proc.pcmdline' },
  'proc.apid': { self: 'proc.pid', parent: 'proc.ppid' },
};
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

  accessor(field: ResolvedField): FieldAccessor<FlatEvent> {
    const name = field.def.name;
    const ancestry = ANCESTRY[name];
    if (ancestry) return ancestryAccessor(name, ancestry.self, field.arg);
    const derived = DERIVED_FD[name];
    if (derived) return derivedAccessor(name, derived);
    const parentOf = PARENT_TO_ANCESTRY.get(name);
    const keys = spellings(field);
    const direct = keysAccessor(keys);
    if (parentOf) {
      // proc.pname defaults to the first ancestor when only the ancestry array is given.
      const ancestors = parentOf;
      return (e) => {
        const v = direct(e);
        if (v !== undefined) return v;
        const list = e[ancestors];
        return Array.isArray(list) ? present(list[0]) : undefined;
      };
    }
    return direct;
  }
}

/** Every key under which a field may be written: `evt.arg.flags` and `evt.arg[flags]`. */
export function spellings(field: ResolvedField): string[] {
  const name = field.def.name;
  if (field.arg === undefined) return [name];
  return [`${name}[${field.arg}]`, `${name}.${field.arg}`];
}

function keysAccessor(keys: string[]): FieldAccessor<FlatEvent> {
  if (keys.length === 1) {
    const k = keys[0]!;
    return Object.assign((e: FlatEvent) => present(e[k]), { property: k });
  }
  const [a, b] = keys as [string, string];
  return (e) => present(e[a]) ?? present(e[b]);
}

function ancestryAccessor(name: string, self: string, arg: string | undefined): FieldAccessor<FlatEvent> {
  if (arg !== undefined) {
    const index = Number(arg);
    const exact = `${name}[${arg}]`;
    if (index === 0) return (e) => present(e[exact]) ?? present(e[self]);
    return (e) => {
      const v = present(e[exact]);
      if (v !== undefined) return v;
      const list = e[name];
      return Array.isArray(list) ? present(list[index - 1]) : undefined;
    };
  }
  // Without an index: every ancestor, from the array or from indexed keys.
  const indexedKeys = Array.from({ length: MAX_INDEXED_ANCESTORS }, (_, i) => `${name}[${i + 1}]`);
  const scratch: unknown[] = [];
  return (e) => {
    const list = e[name];
    if (Array.isArray(list)) return list.length > 0 ? list : undefined;
    if (list !== undefined && list !== null) return [list];
    clear(scratch);
    for (const key of indexedKeys) {
      const v = e[key];
      if (v === undefined || v === null) break;
      scratch.push(v);
    }
    return scratch.length > 0 ? scratch : undefined;
  };
}

function derivedAccessor(name: string, sources: string[]): FieldAccessor<FlatEvent> {
  const scratch: unknown[] = [];
  return (e) => {
    const own = present(e[name]);
    if (own !== undefined) return own;
    clear(scratch);
    for (const key of sources) {
      const v = e[key];
      if (v !== undefined && v !== null) scratch.push(v);
    }
    return scratch.length > 0 ? scratch : undefined;
  };
}

/** Empties a reused array; setting `length` instead is a runtime call, slow on this path. */
function clear(values: unknown[]): void {
  while (values.length > 0) values.pop();
}

function present(v: unknown): FieldValue {
  return v === null ? undefined : (v as FieldValue);
}
