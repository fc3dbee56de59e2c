/**
 * Reading captures: line splitting across arbitrary chunk boundaries (including inside a
 * multi-byte character), and event lines: exact 64-bit integers wherever they stand, type
 * checks that do not depend on what the previous line looked like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProgramBuilder } from '../../src/evaluator/program-builder.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { parseCondition } from '../../src/parser/index.js';
import { parseEventLine, readEventLine } from '../../src/sources/jsonl/captures.js';
import { exactEvent, SOURCE_TEXT } from '../../src/sources/jsonl/exact-integers.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';
import { lineBatches } from '../../src/sources/jsonl/lines.js';

async function* chunks(buffers: Buffer[]): AsyncGenerator<Buffer> {
  for (const b of buffers) yield b;
}

async function splitInChunks(text: string, cuts: number[]): Promise<string[]> {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    parts.push(bytes.subarray(start, p));
    start = p;
  }
  parts.push(bytes.subarray(start));
  const lines: string[] = [];
  for await (const batch of lineBatches(chunks(parts))) lines.push(...batch);
  return lines;
}

/** What a reader of lines should see: split at \n, a \r before it dropped, no line after a final \n. */
function expectedLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

describe('line splitting', () => {
  it('gives the same lines however the bytes are cut into chunks', async () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'é', '€', '𝄞', '{', '"', ' ', '\r'), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 8 }), fc.boolean(), fc.array(fc.nat(200), { maxLength: 10 }), async (lines, finalNewline, cuts) => {
        const text = lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : '');
        expect(await splitInChunks(text, cuts)).toEqual(expectedLines(text));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('handles CRLF files and a last line without a newline', async () => {
    expect(await splitInChunks('{"a":1}\r\n{"b":2}\r\n\r\n{"c":3}', [3, 9, 10])).toEqual(['{"a":1}', '{"b":2}', '', '{"c":3}']);
  });
});

describe('event lines', () => {
  it('keeps integers beyond 2^53 exact wherever they stand', () => {
    const e = parseEventLine('{"evt.num": 1, "evt.rawtime" : 18446744073709551615,"fd.ino":-9223372036854775808}');
    expect(e).toEqual({ 'evt.num': 1, 'evt.rawtime': 18446744073709551615n, 'fd.ino': -9223372036854775808n });
    // In an array, after an escaped key, and with the key's text also present as a value.
    expect(parseEventLine('{"proc.apid":[9007199254740993,1]}')).toEqual({ 'proc.apid': [9007199254740993n, 1] });
    expect(parseEventLine('{"evt\\u002erawtime":1763120567000035217}')).toEqual({ 'evt.rawtime': 1763120567000035217n });
    expect(parseEventLine('{"proc.cmdline":"evt.rawtime","evt.rawtime":1763120567000035217}')).toEqual({
      'proc.cmdline': 'evt.rawtime',
      'evt.rawtime': 1763120567000035217n,
    });
    // Written as a double: stays a double.
    expect(parseEventLine('{"evt.rawtime":1e18}')).toEqual({ 'evt.rawtime': 1e18 });
  });

  it('checks value types on every line, whatever the previous line had under the same keys', () => {
    expect(parseEventLine('{"proc.pid":1,"proc.name":"a"}')).toEqual({ 'proc.pid': 1, 'proc.name': 'a' });
    const int64 = 'an integer from -9223372036854775808 to 9223372036854775807 (int64)';
    expect(parseEventLine('{"proc.pid":"x","proc.name":"a"}')).toBe(`field 'proc.pid' must hold ${int64}, found "x"`);
    expect(parseEventLine('{"proc.name":"a","proc.pid":12}')).toEqual({ 'proc.name': 'a', 'proc.pid': 12 });
    expect(parseEventLine('{"proc.name":"a","proc.pid":"12"}')).toBe(`field 'proc.pid' must hold ${int64}, found "12"`);
    expect(parseEventLine('{"proc.name":"a","evt.is_open_read":3}')).toBe(`field 'evt.is_open_read' must hold true or false, found 3`);
    expect(parseEventLine('{"proc.name":{"x":1}}')).toBe(`field 'proc.name' holds an object; values must be strings, numbers, booleans, arrays or null`);
    expect(parseEventLine('{"proc.name":"a","evt.is_open_read":true}')).toEqual({ 'proc.name': 'a', 'evt.is_open_read': true });
    expect(parseEventLine('{"proc.name":"a","evt.is_open_read":"true"}')).toBe(`field 'evt.is_open_read' must hold true or false, found "true"`);
  });
});

/** JSON text of an event with bigints as plain integers, spaced or not, some key characters escaped. */
function writeLine(event: Record<string, unknown>, spaced: boolean, escapeKeys: boolean): string {
  const parts = Object.entries(event).map(([k, v]) => {
    let key = JSON.stringify(k);
    if (escapeKeys) key = key.replace('.', '\\u002e');
    const value = typeof v === 'bigint' ? String(v) : JSON.stringify(v);
    return spaced ? `${key} : ${value}` : `${key}:${value}`;
  });
  return `{${parts.join(spaced ? ', ' : ',')}}`;
}

/** Integers beyond 2^53 that fit each key's type: uint64 (abstime), or int64. */
const UINT64_LONG = fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 64n - 1n });
const INT64_LONG = fc.oneof(fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) - 1n }));
const NUMERIC_KEYS = { 'evt.rawtime': UINT64_LONG, 'fd.ino': INT64_LONG, 'proc.pid': INT64_LONG, 'thread.tid': INT64_LONG, 'proc.apid[2]': INT64_LONG };
/** Events with long integers among other values, strings that look like their keys included. */
const EVENTS = fc.record({
  longs: fc
    .uniqueArray(fc.constantFrom(...(Object.keys(NUMERIC_KEYS) as (keyof typeof NUMERIC_KEYS)[])), { minLength: 1 })
    .chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), NUMERIC_KEYS[k])))),
  safe: fc.nat(),
  text: fc.constantFrom('evt.rawtime', '"fd.ino":123456789012345678901', 'x'),
  spaced: fc.boolean(),
  escapeKeys: fc.boolean(),
});

describe('integers beyond 2^53 recovered when read', () => {
  const catalogue = FieldCatalogue.syscall();
  const source = new FlatEventSource();
  const compiler = new ProgramBuilder(source, catalogue);
  const check = (condition: string, event: FlatEvent) => {
    const parsed = parseCondition(condition);
    if (!parsed.ok) throw new Error(condition);
    return compiler.compile(parsed.ast)(event);
  };

  it('reads lines leaving rounded values and the text, and makes them exact on demand', () => {
    const line = '{"evt.num":1,"evt.rawtime":1763120567000035217,"proc.name":"a"}';
    const lazy = readEventLine(line) as FlatEvent;
    // biome-ignore lint/correctness/noPrecisionLoss: the number JSON.parse rounds the line's value to
    expect(lazy['evt.rawtime']).toBe(1763120567000035217);
    expect((lazy as Record<symbol, unknown>)[SOURCE_TEXT]).toBe(line);
    expect(exactEvent(lazy)).toEqual({ 'evt.num': 1, 'evt.rawtime': 1763120567000035217n, 'proc.name': 'a' });
    // No rounded value: nothing kept.
    expect((readEventLine('{"evt.num":1}') as Record<symbol, unknown>)[SOURCE_TEXT]).toBeUndefined();
  });

  it('gives every long integer exactly, made exact whole or read field by field', () => {
    fc.assert(
      fc.property(EVENTS, ({ longs, safe, text, spaced, escapeKeys }) => {
        const event: Record<string, unknown> = { 'evt.num': safe, 'proc.cmdline': text, ...Object.fromEntries(longs) };
        const line = writeLine(event, spaced, escapeKeys);
        expect(exactEvent(readEventLine(line) as FlatEvent)).toEqual(event);
        expect(parseEventLine(line)).toEqual(event);
        for (const [key, value] of longs) {
          const field = catalogue.resolve(key.replace(/\[.*$/, ''), key.includes('[') ? '2' : undefined);
          if (!field.ok) throw new Error(key);
          expect(source.accessor(field.field)(readEventLine(line) as FlatEvent)).toBe(value);
          // Conditions on fresh lazily read events: constants beyond 2^53 compare exactly,
          // and so do small ones (fast paths on the rounded double).
          const fresh = () => readEventLine(line) as FlatEvent;
          expect(check(`${key} = ${value}`, fresh())).toBe(true);
          expect(check(`${key} = ${value + 1n}`, fresh())).toBe(false);
          expect(check(`${key} < ${value}`, fresh())).toBe(false);
          expect(check(`${key} <= ${value}`, fresh())).toBe(true);
          expect(check(`${key} in (1, ${value - 1n}, ${value})`, fresh())).toBe(true);
          expect(check(`${key} in (1, ${value - 1n})`, fresh())).toBe(false);
          expect(check(`${key} > 0`, fresh())).toBe(value > 0n);
          expect(check(`${key} in (0, 1, 2)`, fresh())).toBe(false);
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
