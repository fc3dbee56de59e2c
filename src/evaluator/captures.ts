/**
 * Reading JSONL captures: files, directories, globs, `.gz`, and `-` for stdin. Every line
 * is one event; a bad line is reported with its file and line number and counted, and
 * reading goes on (unless strict). Integers too large for a double are kept exact.
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import fg from 'fast-glob';
import { FieldCatalogue, isNumericType } from '../fields/catalogue.js';
import type { FlatEvent } from '../fields/flat-source.js';
import { lineBatches } from './lines.js';

/** What a capture key's value must be: anything (text fields), a number, or a boolean. */
const enum ValueKind {
  Any = 0,
  Number = 1,
  Bool = 2,
}

/** Value kinds by capture key (`proc.aname[2]` and `evt.arg.flags` look up their base field). */
const kindCache = new Map<string, ValueKind>();
function keyKind(key: string): ValueKind {
  let kind = kindCache.get(key);
  if (kind === undefined) {
    const catalogue = FieldCatalogue.syscall();
    const base = key.replace(/\[.*\]$/, '');
    const type = catalogue.get(base)?.type ?? catalogue.get(base.split('.').slice(0, 2).join('.'))?.type;
    kind = type === undefined ? ValueKind.Any : isNumericType(type) ? ValueKind.Number : type === 'bool' ? ValueKind.Bool : ValueKind.Any;
    kindCache.set(key, kind);
  }
  return kind;
}

const NUMERIC_TEXT = /^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)$/;

/** Why a value cannot belong to a field of this kind, or undefined when it can. */
function wrongValue(value: unknown, kind: ValueKind): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return 'object';
  if (kind === ValueKind.Any) return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const problem = wrongValue(v, kind);
      if (problem) return problem;
    }
    return undefined;
  }
  if (kind === ValueKind.Number) {
    if (typeof value === 'number' || typeof value === 'bigint') return undefined;
    return typeof value === 'string' && NUMERIC_TEXT.test(value.trim()) ? undefined : 'a number';
  }
  return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : 'true or false';
}

export interface CaptureProblem {
  file: string;
  line: number;
  reason: string;
}

export interface CaptureEvent {
  event: FlatEvent;
  file: string;
  line: number;
  /** Length of the line in bytes (approximately: UTF-16 units), for throughput figures. */
  size: number;
}

/** Expands capture arguments into files (directories: their .jsonl/.jsonl.gz files in name order). */
export function expandCapturePaths(paths: string[], cwd: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    if (fg.isDynamicPattern(p)) {
      const matches = fg.sync(p, { cwd, absolute: true, onlyFiles: true }).sort();
      if (matches.length === 0) missing.push(p);
      files.push(...matches);
      continue;
    }
    const absolute = path.resolve(cwd, p);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      missing.push(p);
      continue;
    }
    if (stat.isDirectory()) {
      const found = fg.sync('**/*.{jsonl,jsonl.gz}', { cwd: absolute, absolute: true, onlyFiles: true }).sort();
      if (found.length === 0) missing.push(`${p} (no .jsonl files)`);
      files.push(...found);
    } else {
      files.push(absolute);
    }
  }
  return { files, missing };
}

const LONG_INTEGER_VALUE = /([:,[]\s*)(-?[0-9]{16,})(?=\s*[,\]}])/g;
/** Marks a long integer that was quoted so the reviver can turn it into a bigint. */
const BIG_MARK = '~kestrel-bigint~';
const reviveBigInts = (_key: string, v: unknown): unknown =>
  typeof v === 'string' && v.startsWith(BIG_MARK) ? BigInt(v.slice(BIG_MARK.length)) : v;

/** The keys of the previous line and their value kinds: consecutive lines usually share them. */
let lastKeys: string[] = [];
let lastKinds: ValueKind[] = [];
/** Keys of the current line whose values JSON.parse rounded, and where each can start at the earliest (reused). */
const roundedKeys: string[] = [];
const roundedFrom: number[] = [];

/** Parses one line; returns the event or the reason it is not one. */
export function parseEventLine(line: string): FlatEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object (each line must be one event object)';
  const event = value as FlatEvent;
  // One pass over the keys checks every value against its field's type and finds integers
  // beyond 2^53 (nanosecond times, inode numbers), which JSON.parse rounds. Keys are compared
  // with the previous line's first (same strings, same order), and looked up only when they differ.
  let i = 0;
  let rounded = 0;
  let roundedInArray = false;
  // The least offset at which the current key can stand in the line: the text of every entry
  // before it is at least `"key":value,` with the value's shortest spelling. For compact JSON
  // without escapes it is the exact offset, so rounded values are found without a search.
  let from = 1;
  for (const key in event) {
    let kind: ValueKind;
    if (lastKeys[i] === key) kind = lastKinds[i]!;
    else {
      kind = keyKind(key);
      lastKeys[i] = key;
      lastKinds[i] = kind;
    }
    i++;
    const v = event[key];
    const at = from;
    from += key.length + 4 + shortestLength(v);
    if (typeof v === 'number') {
      if (kind === ValueKind.Bool) return wrongTypeMessage(key, v, 'true or false');
      if (!Number.isSafeInteger(v) && Number.isInteger(v)) {
        roundedFrom[rounded] = at;
        roundedKeys[rounded++] = key;
      }
      continue;
    }
    if (v === null || (typeof v === 'string' && kind === ValueKind.Any)) continue;
    const expected = wrongValue(v, kind);
    if (expected === 'object') return `field '${key}' holds an object; values must be strings, numbers, booleans, arrays or null`;
    if (expected) return wrongTypeMessage(key, v, expected);
    if (Array.isArray(v) && v.some(isRounded)) roundedInArray = true;
  }
  if (lastKeys.length > i) {
    lastKeys = lastKeys.slice(0, i);
    lastKinds = lastKinds.slice(0, i);
  }
  if (roundedInArray) return revivingParse(line);
  for (let k = 0; k < rounded; k++) {
    const key = roundedKeys[k]!;
    const digits = integerText(line, key, roundedFrom[k]!);
    if (digits === undefined) return revivingParse(line);
    if (digits !== null) event[key] = BigInt(digits);
  }
  return event;
}

/** A lower bound of the length of a value's JSON text. */
function shortestLength(v: unknown): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? integerDigits(v) : 1;
  if (v === null || v === true) return 4;
  if (v === false) return 5;
  if (Array.isArray(v)) {
    let n = v.length > 0 ? v.length + 1 : 2;
    for (let i = 0; i < v.length; i++) n += shortestLength(v[i]);
    return n;
  }
  return 2;
}

function integerDigits(n: number): number {
  let a = n < 0 ? -n : n;
  let d = n < 0 ? 2 : 1;
  while (a >= 10) {
    a = Math.floor(a / 10);
    d++;
  }
  return d;
}

function isRounded(x: unknown): boolean {
  return typeof x === 'number' && !Number.isSafeInteger(x) && Number.isInteger(x);
}

function wrongTypeMessage(key: string, value: unknown, expected: string): string {
  return `field '${key}' must hold ${expected}, found ${JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))}`;
}

/**
 * The integer text of `"key": value` in the line; null when the value is written otherwise
 * (`1e21`, `123.0`: a double, kept as one); undefined when the key cannot be found as written.
 * Outside strings, `"key"` followed by `:` can only be the key itself (a quote inside a string
 * is escaped), so the search may start at the least offset the key can have (`from`), and
 * from the start only if it is not found there (keys JSON.parse reorders, duplicates).
 */
function integerText(line: string, key: string, from: number): string | null | undefined {
  const quoted = quotedKey(key);
  let found = textAt(line, quoted, from) && line.charCodeAt(skipBlanks(line, from + quoted.length)) === 58 ? from : keyAt(line, quoted, from);
  if (found < 0) found = keyAt(line, quoted, 0);
  if (found < 0) return undefined;
  let j = skipBlanks(line, skipBlanks(line, found + quoted.length) + 1);
  const start = j;
  if (line.charCodeAt(j) === 45) j++;
  while (j < line.length && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
  const end = j;
  const next = line.charCodeAt(skipBlanks(line, j));
  return next === 44 || next === 125 ? line.slice(start, end) : null;
}

function textAt(line: string, text: string, at: number): boolean {
  if (at + text.length > line.length) return false;
  for (let i = 0; i < text.length; i++) if (line.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}

/** The offset of `quoted` followed by `:` at or after `from`, or -1. */
function keyAt(line: string, quoted: string, from: number): number {
  for (let at = line.indexOf(quoted, from); at >= 0; at = line.indexOf(quoted, at + 1)) {
    if (line.charCodeAt(skipBlanks(line, at + quoted.length)) === 58) return at;
  }
  return -1;
}

const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) quotedKeys.set(key, (quoted = JSON.stringify(key)));
  return quoted;
}

function skipBlanks(line: string, at: number): number {
  let j = at;
  for (let c = line.charCodeAt(j); c === 32 || c === 9 || c === 10 || c === 13; c = line.charCodeAt(++j));
  return j;
}

function revivingParse(line: string): FlatEvent {
  return JSON.parse(
    line.replace(LONG_INTEGER_VALUE, (_, before: string, digits: string) => `${before}"${BIG_MARK}${digits}"`),
    reviveBigInts,
  ) as FlatEvent;
}

/**
 * Reads events from capture files in order, a batch per chunk of input, reporting bad lines
 * through `onProblem`. Batching keeps asynchronous steps off the per-event path; a batch
 * parses each line only when iterated to it, so that events die young (parsed a chunk ahead,
 * they outlived the young generation and garbage collection took a tenth of a replay).
 */
export async function* readCaptureBatches(
  files: string[],
  stdin: NodeJS.ReadableStream,
  onProblem: (p: CaptureProblem) => void,
): AsyncGenerator<Iterable<CaptureEvent>> {
  for (const file of files) {
    const input = file === '-' ? stdin : createReadStream(file, { highWaterMark: CHUNK_BYTES });
    const stream = file.endsWith('.gz') ? input.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : input;
    let lineNumber = 0;
    const name = file === '-' ? '<stdin>' : file;
    try {
      for await (const lines of lineBatches(stream as AsyncIterable<Buffer>)) {
        yield parsedLines(lines, name, lineNumber, onProblem);
        lineNumber += lines.length;
      }
    } catch (error) {
      onProblem({ file: name, line: lineNumber + 1, reason: `cannot read: ${(error as Error).message}` });
    }
  }
}

function* parsedLines(lines: string[], file: string, before: number, onProblem: (p: CaptureProblem) => void): Generator<CaptureEvent> {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const parsed = parseEventLine(line);
    if (typeof parsed === 'string') onProblem({ file, line: before + i + 1, reason: parsed });
    else yield { event: parsed, file, line: before + i + 1, size: line.length + 1 };
  }
}

/** Reads events from capture files in order, one at a time. */
export async function* readCaptures(
  files: string[],
  stdin: NodeJS.ReadableStream,
  onProblem: (p: CaptureProblem) => void,
): AsyncGenerator<CaptureEvent> {
  for await (const batch of readCaptureBatches(files, stdin, onProblem)) yield* batch;
}

const CHUNK_BYTES = 1 << 20;

function isBlank(line: string): boolean {
  // A JSON object line starts with `{`: only lines that do not need the full check.
  return line.charCodeAt(0) !== 123 && line.trim() === '';
}

/** JSON text of an event as read, long integers printed exactly. */
export function eventJson(event: FlatEvent): string {
  let big = false;
  const text = JSON.stringify(event, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    big = true;
    return `${BIG_MARK}${v}`;
  });
  return big ? text.replace(/"~kestrel-bigint~(-?[0-9]+)"/g, '$1') : text;
}
