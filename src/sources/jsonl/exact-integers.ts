/**
 * Exact integers in flat events read from JSON text. `JSON.parse` rounds integers beyond
 * 2^53 (nanosecond times, inode numbers, capability masks) to the nearest double. Finding
 * their digits in the text costs more than parsing the line, and few are ever read, so the
 * reader leaves the rounded double in place and keeps the line under `SOURCE_TEXT`; the
 * exact value is recovered from the text when a field is read (and stored back).
 */
import type { FieldValue } from '../../fields/source.js';

/** The JSON text an event was parsed from, kept only when some value was rounded. */
export const SOURCE_TEXT: unique symbol = Symbol('kestrel.sourceText');

export type EventWithText = Record<string, unknown> & { [SOURCE_TEXT]?: string };

/** A number that may stand for a longer integer: integral but beyond the exact range. */
export function mayBeRounded(v: unknown): v is number {
  return typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v);
}

/**
 * The value of `key`, exact: a rounded number is replaced by a bigint read from the event's
 * text (when it has one). NA (null or missing) is undefined.
 */
export function exactProperty(event: EventWithText, key: string): FieldValue {
  const v = event[key];
  if (v == null) return undefined;
  if (!mayBeRounded(v)) return v as FieldValue;
  const text = event[SOURCE_TEXT];
  if (text === undefined) return v;
  const exact = exactInteger(text, key);
  if (exact === undefined) return v;
  event[key] = exact;
  return exact;
}

/** Makes every rounded value of the event exact (before printing it whole, say); returns the event. */
export function exactEvent<E extends EventWithText>(event: E): E {
  const text = event[SOURCE_TEXT];
  if (text === undefined) return event;
  for (const key in event) if (mayBeRounded(event[key])) exactProperty(event, key);
  delete event[SOURCE_TEXT];
  return event;
}

/** Marks a long integer that was quoted so the reviver can turn it into a bigint. */
const BIG_MARK = '~kestrel-bigint~';
const LONG_INTEGER_VALUE = /([:,[]\s*)(-?[0-9]{16,})(?=\s*[,\]}])/g;
const reviveBigInts = (_key: string, v: unknown): unknown => (typeof v === 'string' && v.startsWith(BIG_MARK) ? BigInt(v.slice(BIG_MARK.length)) : v);

/** Parses JSON text with every integer of 16 digits or more, anywhere (arrays too), exact. */
export function parseWithExactIntegers(text: string): unknown {
  return JSON.parse(
    text.replace(LONG_INTEGER_VALUE, (_, before: string, digits: string) => `${before}"${BIG_MARK}${digits}"`),
    reviveBigInts,
  );
}

/** The text of a JSON value with bigints printed as plain integers. */
export function jsonWithBigInts(value: unknown): string {
  let big = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    big = true;
    return `${BIG_MARK}${v}`;
  });
  return big ? text.replace(/"~kestrel-bigint~(-?[0-9]+)"/g, '$1') : text;
}

/**
 * The exact integer `key` holds in the JSON text of an object, undefined when it is written
 * otherwise (`1e21`, `123.0`: a double, kept as one). Outside strings, `"key"` followed by
 * `:` can only be the key itself (a quote inside a string is escaped); a key written with
 * escapes is found by parsing the whole text again.
 */
export function exactInteger(text: string, key: string): bigint | undefined {
  const quoted = JSON.stringify(key);
  const at = keyAt(text, quoted);
  if (at < 0) {
    const whole = parseWithExactIntegers(text) as Record<string, unknown>;
    const v = whole[key];
    return typeof v === 'bigint' ? v : undefined;
  }
  let j = skipBlanks(text, skipBlanks(text, at + quoted.length) + 1);
  const start = j;
  if (text.charCodeAt(j) === 45) j++;
  while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
  const next = text.charCodeAt(skipBlanks(text, j));
  return next === 44 || next === 125 ? BigInt(text.slice(start, j)) : undefined;
}

/**
 * The offset of the last `quoted` followed by `:`, or -1: with a duplicated key JSON.parse
 * keeps the last one.
 */
function keyAt(text: string, quoted: string): number {
  for (let at = text.lastIndexOf(quoted); at >= 0; at = at > 0 ? text.lastIndexOf(quoted, at - 1) : -1) {
    if (text.charCodeAt(skipBlanks(text, at + quoted.length)) === 58) return at;
  }
  return -1;
}

function skipBlanks(text: string, at: number): number {
  let j = at;
  for (let c = text.charCodeAt(j); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++j));
  return j;
}
