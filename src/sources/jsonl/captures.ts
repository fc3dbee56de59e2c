/**
 * Reading JSONL captures: files, directories, globs, `.gz`, and `-` for stdin. Every line
 * is one event; a bad line is reported with its file and line number and counted, and
 * reading goes on (unless strict). Integers too large for a double are kept exact.
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import fg from 'fast-glob';
import { FieldCatalogue, isNumericType } from '../../fields/catalogue.js';
import { exactEvent, jsonWithBigInts, mayBeRounded, parseWithExactIntegers, SOURCE_TEXT, type EventWithText } from './exact-integers.js';
import type { FlatEvent } from './flat-source.js';
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

export interface CaptureReadOptions {
  /**
   * Leave integers beyond 2^53 rounded until a field is read (the line is kept to recover
   * them): cheaper when few are read, but events must then be read through FlatEventSource
   * or made exact with `exactEvent`. By default every event is exact when handed over.
   */
  exactWhenRead?: boolean;
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

/** The keys of the previous line and their value kinds: consecutive lines usually share them. */
let lastKeys: string[] = [];
let lastKinds: ValueKind[] = [];

/** Parses one line, with every integer exact; returns the event or the reason it is not one. */
export function parseEventLine(line: string): FlatEvent | string {
  const parsed = readEventLine(line);
  return typeof parsed === 'string' ? parsed : exactEvent(parsed);
}

/**
 * Parses one line; returns the event or the reason it is not one. Integers beyond 2^53 may
 * be left rounded, with the line kept to recover them when read (see exact-integers.ts):
 * the event must be read through FlatEventSource, or made exact with `exactEvent`.
 */
export function readEventLine(line: string): FlatEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object (each line must be one event object)';
  const event = value as EventWithText;
  // One pass over the keys checks every value against its field's type and notes integers
  // JSON.parse rounded. Keys are compared with the previous line's first (same strings, same
  // order), and looked up only when they differ.
  let i = 0;
  let rounded = false;
  let roundedInArray = false;
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
    if (typeof v === 'number') {
      if (kind === ValueKind.Bool) return wrongTypeMessage(key, v, 'true or false');
      if (mayBeRounded(v)) rounded = true;
      continue;
    }
    if (v === null || (typeof v === 'string' && kind === ValueKind.Any)) continue;
    const expected = wrongValue(v, kind);
    if (expected === 'object') return `field '${key}' holds an object; values must be strings, numbers, booleans, arrays or null`;
    if (expected) return wrongTypeMessage(key, v, expected);
    if (Array.isArray(v) && v.some(mayBeRounded)) roundedInArray = true;
  }
  if (lastKeys.length > i) {
    lastKeys = lastKeys.slice(0, i);
    lastKinds = lastKinds.slice(0, i);
  }
  // Arrays are rare: their long integers are made exact at once.
  if (roundedInArray) return parseWithExactIntegers(line) as FlatEvent;
  if (rounded) event[SOURCE_TEXT] = line;
  return event;
}

function wrongTypeMessage(key: string, value: unknown, expected: string): string {
  return `field '${key}' must hold ${expected}, found ${JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))}`;
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
  options: CaptureReadOptions = {},
): AsyncGenerator<Iterable<CaptureEvent>> {
  const parse = options.exactWhenRead ? readEventLine : parseEventLine;
  for (const file of files) {
    const input = file === '-' ? stdin : createReadStream(file, { highWaterMark: CHUNK_BYTES });
    const stream = file.endsWith('.gz') ? input.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : input;
    let lineNumber = 0;
    const name = file === '-' ? '<stdin>' : file;
    try {
      for await (const lines of lineBatches(stream as AsyncIterable<Buffer>)) {
        yield parsedLines(lines, name, lineNumber, onProblem, parse);
        lineNumber += lines.length;
      }
    } catch (error) {
      onProblem({ file: name, line: lineNumber + 1, reason: `cannot read: ${(error as Error).message}` });
    }
  }
}

function* parsedLines(
  lines: string[],
  file: string,
  before: number,
  onProblem: (p: CaptureProblem) => void,
  parse: (line: string) => FlatEvent | string,
): Generator<CaptureEvent> {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const parsed = parse(line);
    if (typeof parsed === 'string') onProblem({ file, line: before + i + 1, reason: parsed });
    else yield { event: parsed, file, line: before + i + 1, size: line.length + 1 };
  }
}

/** Reads events from capture files in order, one at a time. */
export async function* readCaptures(
  files: string[],
  stdin: NodeJS.ReadableStream,
  onProblem: (p: CaptureProblem) => void,
  options: CaptureReadOptions = {},
): AsyncGenerator<CaptureEvent> {
  for await (const batch of readCaptureBatches(files, stdin, onProblem, options)) yield* batch;
}

const CHUNK_BYTES = 1 << 20;

function isBlank(line: string): boolean {
  // A JSON object line starts with `{`: only lines that do not need the full check.
  return line.charCodeAt(0) !== 123 && line.trim() === '';
}

/** JSON text of an event as read, long integers printed exactly. */
export function eventJson(event: FlatEvent): string {
  return jsonWithBigInts(exactEvent(event));
}
