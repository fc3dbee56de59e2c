/**
 * Reading JSONL captures: files, directories, globs, gzip, and `-` for stdin. Every line
 * is one event; a bad line (bad JSON, or a value of the wrong type for its field) is reported
 * with its file and line number and counted, and reading goes on (unless strict); a file that
 * is not a capture is reported once. Integers too large for a double are kept exact.
 */
import { createReadStream, type Stats, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FieldCatalogue, type FieldType } from '../../fields/catalogue.js';
import { isKnownEventName } from '../../fields/events.js';
import { TIME_TEXT_FIELDS } from '../../fields/time-fields.js';
import { openCapture } from '../capture-format.js';
import { type EventWithText, exactEvent, exactInteger, jsonWithBigInts, mayBeRounded, parseWithExactIntegers, SOURCE_TEXT } from './exact-integers.js';
import type { FlatEvent } from './flat-source.js';
import { lineBatches } from './lines.js';

/**
 * What a capture key's value must be, from its field's type. sysdig's JSON writer (libsinsp
 * `rawval_to_json`, userspace/libsinsp/sinsp_filtercheck.cpp) writes integers as JSON
 * numbers, except fields printed in hex or zero-padded decimal, which it writes as strings of
 * digits; booleans as `true`/`false`; text, addresses and buffers as strings. Exactly those
 * forms are accepted. Integer kinds come last, so `kind >= ValueKind.Int16` tests for one.
 */
const enum ValueKind {
  /** Unknown keys and dynamic fields: any scalar. */
  Any = 0,
  Text = 1,
  Bool = 2,
  Double = 3,
  Int16 = 4,
  Int32 = 5,
  Int64 = 6,
  UInt32 = 7,
  UInt64 = 8,
  Port = 9,
  /** A uint64 that sysdig may write as a zero-padded decimal string (`evt.rawtime.ns`). */
  PaddedDecimal = 10,
  /** An int32 that sysdig writes as a string of hex digits (`fd.dev`). */
  Hex = 11,
}

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
/**
 * Bounds by integer kind, as doubles. The 64-bit bounds 2^63 and 2^64 stand for the largest
 * values, which JSON.parse rounds up to them: a value equal to a 64-bit bound is checked
 * again against the exact digits of the line.
 */
const LOW: readonly number[] = [0, 0, 0, 0, -32768, -(2 ** 31), -TWO_63, 0, 0, 0, 0, -(2 ** 31)];
const HIGH: readonly number[] = [0, 0, 0, 0, 32767, 2 ** 31 - 1, TWO_63, 2 ** 32 - 1, TWO_64, 65535, TWO_64, 2 ** 31 - 1];
const EXACT_LOW: readonly bigint[] = [0n, 0n, 0n, 0n, 0n, 0n, -(2n ** 63n), 0n, 0n, 0n, 0n, 0n];
const EXACT_HIGH: readonly bigint[] = [0n, 0n, 0n, 0n, 0n, 0n, 2n ** 63n - 1n, 0n, 2n ** 64n - 1n, 0n, 2n ** 64n - 1n, 0n];
const TYPE_NAMES = ['', '', '', '', 'int16', 'int32', 'int64', 'uint32', 'uint64', 'port', 'uint64', 'int32'];

/** Fields libsinsp prints as zero-padded decimals or in hex (PF_10_PADDED_DEC, PF_HEX). */
const PADDED_DECIMAL_FIELDS = new Set(['evt.rawtime.ns', 'evt.reltime', 'evt.reltime.ns', 'evt.latency.ns', 'evt.deltatime.ns']);
const HEX_FIELDS = new Set(['fd.dev']);
/**
 * Fields sysdig 0.29 (Debian's, the converter the docs use) writes wider than their type:
 * it prints the uint32 `group.gid` as a 64-bit value whose high half is garbage
 * (8589934591 for 4294967295 in curl_google.scap), so the uint64 range is accepted.
 */
const WIDER_IN_SYSDIG: Record<string, ValueKind> = { 'group.gid': ValueKind.UInt64 };

const KIND_BY_TYPE: Record<FieldType, ValueKind> = {
  charbuf: ValueKind.Text,
  bytebuf: ValueKind.Text,
  ipaddr: ValueKind.Text,
  ipnet: ValueKind.Text,
  dyn: ValueKind.Any,
  bool: ValueKind.Bool,
  double: ValueKind.Double,
  int16: ValueKind.Int16,
  int32: ValueKind.Int32,
  int64: ValueKind.Int64,
  uint32: ValueKind.UInt32,
  uint64: ValueKind.UInt64,
  abstime: ValueKind.UInt64,
  reltime: ValueKind.UInt64,
  port: ValueKind.Port,
};

/**
 * Value kinds by capture key (`proc.aname[2]` and `evt.arg.flags` look up their base field):
 * a memo of a pure function of the catalogue, so every reader may share it.
 */
const kindCache = new Map<string, ValueKind>();
function keyKind(key: string): ValueKind {
  let kind = kindCache.get(key);
  if (kind === undefined) {
    const catalogue = FieldCatalogue.syscall();
    const base = key.replace(/\[.*\]$/, '');
    const type = catalogue.get(base)?.type ?? catalogue.get(base.split('.').slice(0, 2).join('.'))?.type;
    if (PADDED_DECIMAL_FIELDS.has(base)) kind = ValueKind.PaddedDecimal;
    // Text fields that sysdig -j writes as their nanosecond number (evt.time, evt.datetime, ...).
    else if (TIME_TEXT_FIELDS.has(base)) kind = ValueKind.Any;
    else if (HEX_FIELDS.has(base)) kind = ValueKind.Hex;
    else kind = WIDER_IN_SYSDIG[base] ?? (type === undefined ? ValueKind.Any : KIND_BY_TYPE[type]);
    kindCache.set(key, kind);
  }
  return kind;
}

/** What a value of this kind must be, for messages. */
function expectedOf(kind: ValueKind): string {
  switch (kind) {
    case ValueKind.Text:
      return 'a string';
    case ValueKind.Bool:
      return 'true or false';
    case ValueKind.Double:
      return 'a number';
    case ValueKind.PaddedDecimal:
      return `an integer from 0 to ${EXACT_HIGH[kind]} (uint64; or a string of decimal digits)`;
    case ValueKind.Hex:
      return `an integer from ${LOW[kind]} to ${HIGH[kind]} (int32; or a string of hex digits)`;
    default:
      return `an integer from ${EXACT_LOW[kind] || LOW[kind]} to ${EXACT_HIGH[kind] || HIGH[kind]} (${TYPE_NAMES[kind]})`;
  }
}

const DECIMAL_DIGITS = /^[0-9]{1,20}$/;
const HEX_DIGITS = /^[0-9a-fA-F]{1,8}$/;

/**
 * Whether a number fits an integer kind. A value JSON.parse may have rounded onto a 64-bit
 * bound is checked on its digits in the line: of `key`, or of element `index` of the array
 * under `key` (index >= 0).
 */
function fitsInteger(v: number, kind: ValueKind, line: string, key: string, index: number): boolean {
  if (!(v >= LOW[kind]! && v <= HIGH[kind]! && Number.isInteger(v))) return false;
  if ((v === HIGH[kind] || v === LOW[kind]) && !Number.isSafeInteger(v)) {
    const x = index >= 0 ? (parseWithExactIntegers(line) as Record<string, unknown[]>)[key]?.[index] : exactInteger(line, key);
    return typeof x === 'bigint' && x >= EXACT_LOW[kind]! && x <= EXACT_HIGH[kind]!;
  }
  return true;
}

/**
 * Whether a scalar cannot be of this kind (the off-the-fast-path cases: array elements, and
 * strings and booleans where they are not plainly right). `index` is the element's index in
 * the array under `key` (-1: not in an array), to find exact digits of a rounded element.
 */
function wrongValue(value: unknown, kind: ValueKind, line: string, key: string, index: number): boolean {
  switch (typeof value) {
    case 'number':
      if (kind === ValueKind.Any) return false;
      if (kind === ValueKind.Double) return !Number.isFinite(value);
      if (kind < ValueKind.Int16) return true;
      return !fitsInteger(value, kind, line, key, index);
    case 'string':
      if (kind <= ValueKind.Text) return false;
      if (kind === ValueKind.PaddedDecimal) return !DECIMAL_DIGITS.test(value) || BigInt(value) > EXACT_HIGH[kind]!;
      if (kind === ValueKind.Hex) return !HEX_DIGITS.test(value);
      return true;
    case 'boolean':
      return kind !== ValueKind.Any && kind !== ValueKind.Bool;
    default:
      return true;
  }
}

export interface CaptureProblem {
  /**
   * `line`: a bad line, skipped (reading goes on); `file`: the file is not a capture or cannot
   * be read, and the rest of it is not read; `warning`: events were read, but something in
   * them cannot be right (an unknown event type, reported once per name with its count).
   */
  kind: 'line' | 'file' | 'warning';
  file: string;
  /** Where the problem is (for `file`, the line reading stopped at; 1 for the whole file). */
  line: number;
  /** One line of printable text: control characters of the input are escaped. */
  reason: string;
}

export interface CaptureReadOptions {
  /**
   * Leave integers beyond 2^53 rounded until a field is read (the line is kept to recover
   * them): cheaper when few are read, but events must then be read through FlatEventSource
   * or made exact with `exactEvent`. By default every event is exact when handed over.
   */
  exactWhenRead?: boolean;
  /**
   * Reads a scap capture met among the files (its bytes, inflated if it was gzipped): the
   * caller's scap driver evaluates its events as they are read, in file order with the JSONL
   * files. Without it a scap capture is reported as a file this reader cannot read. `path`
   * is given for a regular file, which the driver may read again from the start instead of
   * `bytes` (to read it on another thread); `bytes` is then left unread and closed.
   */
  scap?: (bytes: AsyncIterable<Buffer>, file: string, path?: string) => Promise<void>;
}

export interface CaptureEvent {
  event: FlatEvent;
  file: string;
  line: number;
  /** Length of the line in bytes (approximately: UTF-16 units), for throughput figures. */
  size: number;
}

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** fast-glob, loaded when a pattern or a directory needs it (a tenth of a filtering process's start-up otherwise). */
let globber: typeof import('fast-glob') | undefined;
function fastGlob(): typeof import('fast-glob') {
  globber ??= createRequire(import.meta.url)('fast-glob') as typeof import('fast-glob');
  return globber;
}

/** Expands capture arguments into files (directories: their .jsonl, .scap and gzipped files in name order). */
export function expandCapturePaths(paths: string[], cwd: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    const absolute = path.resolve(cwd, p);
    let stat: Stats | undefined;
    try {
      stat = statSync(absolute);
    } catch {
      stat = undefined;
    }
    // A path that exists is taken as it is; one that does not may be a pattern.
    if (stat === undefined) {
      if (GLOB_CHARS.test(p) && fastGlob().isDynamicPattern(p)) {
        const matches = fastGlob().sync(p, { cwd, absolute: true, onlyFiles: true }).sort();
        if (matches.length === 0) missing.push(p);
        files.push(...matches);
      } else missing.push(p);
      continue;
    }
    if (stat.isDirectory()) {
      // In a directory, captures are told by their names (a file given by name is told by its bytes).
      const found = fastGlob().sync('**/*.{jsonl,jsonl.gz,scap,scap.gz}', { cwd: absolute, absolute: true, onlyFiles: true }).sort();
      if (found.length === 0) missing.push(`${p} (no .jsonl or .scap files)`);
      files.push(...found);
    } else {
      files.push(absolute);
    }
  }
  return { files, missing };
}

/** Parses one line, with every integer exact; returns the event or the reason it is not one. */
export function parseEventLine(line: string): FlatEvent | string {
  return new EventLineReader().readExact(line);
}

/**
 * Parses one line; returns the event or the reason it is not one. Integers beyond 2^53 may
 * be left rounded, with the line kept to recover them when read (see exact-integers.ts):
 * the event must be read through FlatEventSource, or made exact with `exactEvent`.
 */
export function readEventLine(line: string): FlatEvent | string {
  return new EventLineReader().read(line);
}

/**
 * Reads the lines of one capture. It remembers the keys of the previous line and their value
 * kinds (consecutive lines usually share them), so each reading of a capture has its own.
 */
export class EventLineReader {
  private lastKeys: string[] = [];
  private lastKinds: ValueKind[] = [];

  /** As `read`, with every integer exact. */
  readExact(line: string): FlatEvent | string {
    const parsed = this.read(line);
    return typeof parsed === 'string' ? parsed : exactEvent(parsed);
  }

  /**
   * Parses one line; returns the event or the reason it is not one. Integers beyond 2^53 may
   * be left rounded, with the line kept to recover them when read (see exact-integers.ts):
   * the event must be read through FlatEventSource, or made exact with `exactEvent`.
   */
  read(line: string): FlatEvent | string {
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
    // order), and looked up only when they differ. Numbers, the common case, are checked inline.
    let i = 0;
    let rounded = false;
    let roundedInArray = false;
    for (const key in event) {
      let kind: ValueKind;
      if (this.lastKeys[i] === key) kind = this.lastKinds[i]!;
      else {
        kind = keyKind(key);
        this.lastKeys[i] = key;
        this.lastKinds[i] = kind;
      }
      i++;
      const v = event[key];
      if (typeof v === 'number') {
        if (kind >= ValueKind.Int16) {
          if (!(v >= LOW[kind]! && v <= HIGH[kind]!) || !Number.isInteger(v)) return wrongTypeMessage(key, exactInteger(line, key) ?? v, kind);
          if (!Number.isSafeInteger(v)) {
            // Rounded by JSON.parse: only a value on a 64-bit bound needs its exact digits.
            rounded = true;
            if ((v === HIGH[kind] || v === LOW[kind]) && !fitsInteger(v, kind, line, key, -1)) return wrongTypeMessage(key, exactInteger(line, key) ?? v, kind);
          }
          continue;
        }
        if (kind !== ValueKind.Any && (kind !== ValueKind.Double || !Number.isFinite(v))) return wrongTypeMessage(key, v, kind);
        if (mayBeRounded(v)) rounded = true;
        continue;
      }
      if (v === null || (typeof v === 'string' && kind <= ValueKind.Text) || (typeof v === 'boolean' && (kind === ValueKind.Bool || kind === ValueKind.Any)))
        continue;
      if (Array.isArray(v)) {
        for (let j = 0; j < v.length; j++) {
          const x: unknown = v[j];
          if (x === null || (typeof x === 'string' && kind <= ValueKind.Text)) continue;
          if (typeof x === 'object') return objectMessage(key);
          if (wrongValue(x, kind, line, key, j)) return wrongTypeMessage(key, v, kind);
          if (mayBeRounded(x)) roundedInArray = true;
        }
        continue;
      }
      if (typeof v === 'object') return objectMessage(key);
      if (wrongValue(v, kind, line, key, -1)) return wrongTypeMessage(key, v, kind);
      // sysdig prints hex fields as bare hex digits ("55E5"); conditions compare the number.
      if (kind === ValueKind.Hex) event[key] = parseInt(v as string, 16);
    }
    if (this.lastKeys.length > i) {
      this.lastKeys = this.lastKeys.slice(0, i);
      this.lastKinds = this.lastKinds.slice(0, i);
    }
    // Arrays are rare: their long integers are made exact at once.
    if (roundedInArray) return parseWithExactIntegers(line) as FlatEvent;
    if (rounded) event[SOURCE_TEXT] = line;
    return event;
  }
}

function objectMessage(key: string): string {
  return `field '${key}' holds an object; values must be strings, numbers, booleans, arrays or null`;
}

function wrongTypeMessage(key: string, value: unknown, kind: ValueKind): string {
  return `field '${key}' must hold ${expectedOf(kind)}, found ${typeof value === 'bigint' ? String(value) : jsonWithBigInts(value)}`;
}

/** The error for a file that is none of the capture formats. */
export const NOT_A_CAPTURE = 'not a capture: expected a JSONL capture (one JSON object per line), a scap capture, or either gzipped';
/** The error for a scap capture given to a reader without a scap driver. */
export const SCAP_NOT_SUPPORTED = 'a scap capture, which this command does not read: give it a JSONL capture (kestrel convert FILE.scap writes one)';

/**
 * Reads events from capture files in order, a batch per chunk of input, reporting bad lines
 * through `onProblem`. Each input is sniffed first (capture-format.ts): gzip is recognised by
 * its bytes, whatever the name, and a file that is not a JSONL capture gets one problem of
 * kind `file` instead of a problem per line. Batching keeps asynchronous steps off the
 * per-event path; a batch parses each line only when iterated to it, so that events die
 * young (parsed a chunk ahead, they outlived the young generation and garbage collection
 * took a tenth of a replay).
 */
export async function* readCaptureBatches(
  files: string[],
  stdin: NodeJS.ReadableStream,
  onProblem: (p: CaptureProblem) => void,
  options: CaptureReadOptions = {},
): AsyncGenerator<Iterable<CaptureEvent>> {
  const reader = new EventLineReader();
  const exact = !options.exactWhenRead;
  const types = new EventTypeCheck();
  try {
    for (const file of files) {
      const name = file === '-' ? '<stdin>' : file;
      let lineNumber = 0;
      const input = file === '-' ? stdin : createReadStream(file, { highWaterMark: CHUNK_BYTES });
      try {
        const opened = await openCapture(input as AsyncIterable<Buffer>, CHUNK_BYTES);
        if (opened.format === 'scap' && options.scap !== undefined) {
          await options.scap(opened.bytes, name, file !== '-' && statSync(file).isFile() ? file : undefined);
          if (file !== '-') (input as ReturnType<typeof createReadStream>).destroy();
          continue;
        }
        if (opened.format !== 'jsonl') {
          if (file !== '-') (input as ReturnType<typeof createReadStream>).destroy();
          const reason = opened.format === 'scap' ? SCAP_NOT_SUPPORTED : `${NOT_A_CAPTURE} (found ${opened.found ?? 'something else'})`;
          onProblem({ kind: 'file', file: name, line: 1, reason });
          continue;
        }
        for await (const lines of lineBatches(opened.bytes)) {
          yield parsedLines(lines, name, lineNumber, onProblem, reader, exact, types);
          lineNumber += lines.length;
        }
      } catch (error) {
        onProblem({ kind: 'file', file: name, line: lineNumber + 1, reason: printable(`cannot read: ${(error as Error).message}`) });
      }
    }
  } finally {
    types.report(onProblem);
  }
}

/**
 * Event type names no event table knows: counted per name, reported once per name when
 * reading ends. Names seen to be known are remembered, so a known type costs one lookup.
 */
class EventTypeCheck {
  private readonly known = new Set<string>();
  private readonly unknown = new Map<string, { file: string; line: number; count: number }>();

  check(type: unknown, file: string, line: number): void {
    if (typeof type !== 'string' || this.known.has(type)) return;
    if (isKnownEventName(type)) {
      this.known.add(type);
      return;
    }
    const seen = this.unknown.get(type);
    if (seen) seen.count++;
    else this.unknown.set(type, { file, line, count: 1 });
  }

  report(onProblem: (p: CaptureProblem) => void): void {
    for (const [type, { file, line, count }] of this.unknown) {
      onProblem({
        kind: 'warning',
        file,
        line,
        reason: printable(`unknown event type ${JSON.stringify(type)} in ${count} event(s), the first here: no rule can match them`),
      });
    }
    this.unknown.clear();
  }
}

/**
 * Text safe to print on one line: control characters (C0, DEL, C1) become `\xNN`, so that
 * garbage input cannot move the cursor, ring the bell or split a message.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function* parsedLines(
  lines: string[],
  file: string,
  before: number,
  onProblem: (p: CaptureProblem) => void,
  reader: EventLineReader,
  exact: boolean,
  types: EventTypeCheck,
): Generator<CaptureEvent> {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const parsed = exact ? reader.readExact(line) : reader.read(line);
    if (typeof parsed === 'string') onProblem({ kind: 'line', file, line: before + i + 1, reason: printable(parsed) });
    else {
      types.check(parsed['evt.type'], file, before + i + 1);
      yield { event: parsed, file, line: before + i + 1, size: line.length + 1 };
    }
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
