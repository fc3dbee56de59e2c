/**
 * Turning field values into output text and JSON, as Falco prints them: `<NA>` for a
 * missing value in messages, `null` in JSON; numbers of numeric fields as JSON numbers
 * (exact, however long).
 */
import type { FieldType } from '../fields/catalogue.js';
import type { FieldAccessor, FieldValue } from '../fields/source.js';
import type { ParsedFormat } from '../rules/output-format.js';

export const NA = '<NA>';

export function valueText(v: FieldValue): string {
  if (v === undefined) return NA;
  if (Array.isArray(v)) return v.map((x) => valueText(x as FieldValue)).join(',');
  return String(v);
}

const NUMERIC = /^(u?int(16|32|64)|double|reltime|abstime|port)$/;
const NUMBER_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;

/** A JSON literal for an output field: a bare number for numeric fields, null for NA. */
export function valueJson(v: FieldValue, type: FieldType | undefined): string {
  if (v === undefined) return 'null';
  if (typeof v === 'boolean') return type === 'bool' ? String(v) : JSON.stringify(String(v));
  const text = valueText(v);
  if (type && NUMERIC.test(type) && NUMBER_TEXT.test(text)) return text;
  return jsonString(text);
}

/** JSON string literal; lone surrogates (invalid UTF-8 read as text) become U+FFFD. */
export function jsonString(s: string): string {
  return JSON.stringify(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

export interface BoundToken<E> {
  text: string;
  read?: FieldAccessor<E>;
  type?: FieldType;
  width: number;
}

/** Substitutes field values into a parsed format for one event. */
export function renderFormat<E>(tokens: readonly BoundToken<E>[], event: E): string {
  let out = '';
  for (const t of tokens) {
    if (!t.read) {
      out += t.text;
      continue;
    }
    const value = valueText(t.read(event));
    out += t.width > 0 ? value.padEnd(t.width).slice(0, t.width) : value;
  }
  return out;
}

/**
 * As `renderFormat`, but undefined when a field has no value: a format without libsinsp's
 * `*` prefix prints only events that have every field.
 */
export function renderComplete<E>(tokens: readonly BoundToken<E>[], event: E): string | undefined {
  for (const t of tokens) if (t.read && t.read(event) === undefined) return undefined;
  return renderFormat(tokens, event);
}

export type { ParsedFormat };
