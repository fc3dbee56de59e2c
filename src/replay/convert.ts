/**
 * Conversion of a scap capture into the flat JSONL kestrel replays (docs/captures.md): every
 * event becomes one JSON object holding the chosen fields, computed natively (state engine and
 * extractors, as replay of the scap computes them). Keys are spelt as a sysdig conversion
 * spells them (`kestrel fields --sysdig-format`): ancestry as indexed keys, the filter-only fd
 * fields as the fields they are derived from, event arguments in the dotted form.
 */
import { ANCESTRY_FIELDS, FieldCatalogue, type FieldType, isNumericType } from '../fields/catalogue.js';
import type { FieldAccessor, FieldValue } from '../fields/source.js';
import { jsonString } from '../output/render.js';
import { BASE_FIELDS } from '../sources/jsonl/conversion.js';
import { DERIVED_FD } from '../sources/jsonl/flat-source.js';
import type { ScapEvent } from '../sources/scap/event.js';
import { ScapEventSource } from '../sources/scap/source.js';
import { readScap, type ScapReadResult, type ScapSource } from '../sources/scap/stream.js';

/** One output key: the field it reads, how it is written. */
interface Column {
  /** `"key":` */
  prefix: string;
  read: FieldAccessor<ScapEvent>;
  numeric: boolean;
  bool: boolean;
  /** An ancestry field without index: its values are written as `key[1]`, `key[2]`, … */
  ancestry?: string;
}

export class FieldListError extends Error {}

/**
 * The keys a conversion writes for `fields` (names as conditions write them, canonical or
 * not): the base fields replay needs first, then each field in sysdig's spelling. Ancestry
 * fields without an index stay as they are (their indexed keys depend on the event).
 * Throws FieldListError for a field the catalogue does not know.
 */
export function conversionKeys(fields: readonly string[], catalogue: FieldCatalogue = FieldCatalogue.syscall()): string[] {
  const keys: string[] = [...BASE_FIELDS];
  for (const written of fields) {
    const match = /^([^[]+)(?:\[(.*)\])?$/.exec(written.trim());
    const lookup = catalogue.resolve(match?.[1] ?? written, match?.[2]);
    if (!lookup.ok) throw new FieldListError(`field '${written}': ${lookup.message}`);
    const { def, arg } = lookup.field;
    const derived = DERIVED_FD[def.name];
    if (derived) keys.push(...derived);
    else keys.push(FieldCatalogue.spelling(def.name, arg));
  }
  return [...new Set(keys)];
}

/** Writes events as JSONL lines; `write` receives text in chunks of about 64 KiB. */
export class ScapConverter {
  readonly source: ScapEventSource;
  private readonly columns: Column[];
  eventsWritten = 0;

  constructor(keys: readonly string[], catalogue: FieldCatalogue = FieldCatalogue.syscall(), source = new ScapEventSource()) {
    this.source = source;
    this.columns = keys.map((key) => {
      const match = /^([^[]+)(?:\[(.*)\])?$/.exec(key)!;
      const lookup = catalogue.resolve(match[1]!, match[2]);
      if (!lookup.ok) throw new FieldListError(`field '${key}': ${lookup.message}`);
      const type: FieldType = lookup.field.def.type;
      const ancestry = lookup.field.arg === undefined && ANCESTRY_FIELDS[lookup.field.def.name] ? key : undefined;
      return {
        prefix: `,${JSON.stringify(key)}:`,
        read: source.accessor(lookup.field),
        numeric: isNumericType(type),
        bool: type === 'bool',
        ...(ancestry ? { ancestry } : {}),
      };
    });
  }

  /** The line of one event (the state must have been updated with it), without newline. */
  line(event: ScapEvent): string {
    let out = '';
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const v = c.read(event);
      if (c.ancestry !== undefined) {
        // Indexed keys, one per ancestor (the parent is [1]); the leading separator of the
        // column is kept only when something was written for it.
        const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
        for (let k = 0; k < values.length; k++) {
          out += `${(out === '' ? '{' : ',') + JSON.stringify(`${c.ancestry}[${k + 1}]`)}:${jsonValue(values[k] as FieldValue, c.numeric, c.bool)}`;
        }
        continue;
      }
      out += (out === '' ? `{${c.prefix.slice(1)}` : c.prefix) + jsonValue(v, c.numeric, c.bool);
    }
    return out === '' ? '{}' : `${out}}`;
  }

  /**
   * Converts a capture (path, descriptor or stream; gzip or plain): every event updates the
   * state, then its line is written. Stops at the reader's error (returned, with its offset),
   * after the lines of the events before it.
   */
  async convert(input: ScapSource, file: string, write: (text: string) => void): Promise<ScapReadResult> {
    const source = this.source;
    source.beginCapture();
    let pending = '';
    const result = await readScap(
      input,
      (event) => {
        source.update(event);
        // Events libsinsp keeps for the state only are not part of the flat capture.
        if (!source.delivered(event)) return;
        pending += `${this.line(event)}\n`;
        this.eventsWritten++;
        if (pending.length >= 1 << 16) {
          write(pending);
          pending = '';
        }
      },
      { file, handler: source.metadataHandler() },
    );
    if (pending !== '') write(pending);
    return result;
  }
}

/** A JSON literal for a field's value, typed as the catalogue says; NA is null. */
export function jsonValue(v: FieldValue, numeric: boolean, bool: boolean): string {
  switch (typeof v) {
    case 'undefined':
      return 'null';
    case 'number':
      if (!Number.isFinite(v)) return 'null';
      return numeric ? String(v) : jsonString(String(v));
    case 'bigint':
      return numeric ? v.toString() : jsonString(v.toString());
    case 'boolean':
      return bool ? String(v) : jsonString(String(v));
    case 'string':
      return numeric && /^-?[0-9]+(\.[0-9]+)?$/.test(v) ? v : jsonString(v);
    default:
      if (Array.isArray(v)) return `[${v.map((x) => jsonValue(x as FieldValue, numeric, bool)).join(',')}]`;
      return jsonString(String(v));
  }
}
