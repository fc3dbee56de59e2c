/**
 * Reading JSONL captures: files, directories, globs, `.gz`, and `-` for stdin. Every line
 * is one event; a bad line is reported with its file and line number and counted, and
 * reading goes on (unless strict). Integers too large for a double are kept exact.
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import fg from 'fast-glob';
import { FieldCatalogue, isNumericType, type FieldType } from '../fields/catalogue.js';
import type { FlatEvent } from '../fields/flat-source.js';

/** Catalogue types by capture key (`proc.aname[2]` and `evt.arg.flags` look up their base field). */
const typeCache = new Map<string, FieldType | null>();
function keyType(key: string): FieldType | null {
  let type = typeCache.get(key);
  if (type === undefined) {
    const catalogue = FieldCatalogue.syscall();
    const base = key.replace(/\[.*\]$/, '');
    type = catalogue.get(base)?.type ?? catalogue.get(base.split('.').slice(0, 2).join('.'))?.type ?? null;
    typeCache.set(key, type);
  }
  return type;
}

const NUMERIC_TEXT = /^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)$/;

/** Why a value cannot belong to a field of this type, or undefined when it can. */
function wrongType(value: unknown, type: FieldType): string | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const problem = wrongType(v, type);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isNumericType(type)) {
    if (typeof value === 'number' || typeof value === 'bigint') return undefined;
    return typeof value === 'string' && NUMERIC_TEXT.test(value.trim()) ? undefined : 'a number';
  }
  if (type === 'bool') return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : 'true or false';
  return undefined;
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

const LONG_INTEGER = /[0-9]{16,}/;
const LONG_INTEGER_VALUE = /([:,[]\s*)(-?[0-9]{16,})(?=\s*[,\]}])/g;
/** Marks a long integer that was quoted so the reviver can turn it into a bigint. */
const BIG_MARK = '~kestrel-bigint~';
const reviveBigInts = (_key: string, v: unknown): unknown =>
  typeof v === 'string' && v.startsWith(BIG_MARK) ? BigInt(v.slice(BIG_MARK.length)) : v;

/** A run of 16+ digits that is a number token (not touching quotes, letters or dots). */
const ANY_LONG_INTEGER = /(?<![0-9."\w])-?[0-9]{16,}(?![0-9."\w])/g;

/**
 * Sets every `"key":1234567890123456789` of the line on the event as a bigint. Returns false
 * when a long integer stands elsewhere (in an array) or after an escaped key, for the caller to
 * re-parse the slow way.
 */
function patchLongIntegers(line: string, event: Record<string, unknown>): boolean {
  ANY_LONG_INTEGER.lastIndex = 0;
  for (let m = ANY_LONG_INTEGER.exec(line); m; m = ANY_LONG_INTEGER.exec(line)) {
    let j = m.index - 1;
    while (j >= 0 && line.charCodeAt(j) === 32) j--;
    if (line[j] !== ':') return false;
    j--;
    while (j >= 0 && line.charCodeAt(j) === 32) j--;
    if (line[j] !== '"') return false;
    const start = line.lastIndexOf('"', j - 1);
    if (start < 0) return false;
    const key = line.slice(start + 1, j);
    if (key.includes('\\')) return false;
    event[key] = BigInt(m[0]);
  }
  return true;
}

/** Parses one line; returns the event or the reason it is not one. */
export function parseEventLine(line: string): FlatEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
    // Integers beyond 2^53 (nanosecond times, inode numbers) lose digits in JSON.parse: they are
    // read again from the text as bigints. `"key":digits` is patched in place; anything else
    // (a long integer inside an array) takes the slower reviving parse.
    if (LONG_INTEGER.test(line) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (!patchLongIntegers(line, value as Record<string, unknown>)) {
        value = JSON.parse(
          line.replace(LONG_INTEGER_VALUE, (_, before: string, digits: string) => `${before}"${BIG_MARK}${digits}"`),
          reviveBigInts,
        );
      }
    }
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object (each line must be one event object)';
  // (bigints are fine values; objects are not)
  const event = value as FlatEvent;
  for (const key in event) {
    const v = event[key];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return `field '${key}' holds an object; values must be strings, numbers, booleans, arrays or null`;
    const type = keyType(key);
    const expected = type === null ? undefined : wrongType(v, type);
    if (expected) return `field '${key}' must hold ${expected}, found ${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))}`;
  }
  return event;
}

/** Reads events from capture files in order, reporting bad lines through `onProblem`. */
export async function* readCaptures(
  files: string[],
  stdin: NodeJS.ReadableStream,
  onProblem: (p: CaptureProblem) => void,
): AsyncGenerator<CaptureEvent> {
  for (const file of files) {
    const input = file === '-' ? stdin : createReadStream(file);
    const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let lineNumber = 0;
    const name = file === '-' ? '<stdin>' : file;
    try {
      for await (const line of lines) {
        lineNumber++;
        if (line.trim() === '') continue;
        const parsed = parseEventLine(line);
        if (typeof parsed === 'string') {
          onProblem({ file: name, line: lineNumber, reason: parsed });
          continue;
        }
        yield { event: parsed, file: name, line: lineNumber, size: line.length + 1 };
      }
    } catch (error) {
      onProblem({ file: name, line: lineNumber + 1, reason: `cannot read: ${(error as Error).message}` });
    }
  }
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
