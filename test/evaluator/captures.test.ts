/**
 * Reading captures: line splitting across arbitrary chunk boundaries (including inside a
 * multi-byte character), and event lines: exact 64-bit integers wherever they stand, type
 * checks that do not depend on what the previous line looked like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../src/evaluator/captures.js';
import { lineBatches } from '../../src/evaluator/lines.js';

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
    const e = parseEventLine('{"evt.num": 1, "evt.rawtime" : 1763120567000035217,"fd.ino":18446744073709551615}');
    expect(e).toEqual({ 'evt.num': 1, 'evt.rawtime': 1763120567000035217n, 'fd.ino': 18446744073709551615n });
    // In an array, after an escaped key, and with the key's text also present as a value.
    expect(parseEventLine('{"proc.apid":[9007199254740993,1]}')).toEqual({ 'proc.apid': [9007199254740993n, 1] });
    expect(parseEventLine('{"evt\\u002erawtime":1763120567000035217}')).toEqual({ 'evt.rawtime': 1763120567000035217n });
    expect(parseEventLine('{"proc.cmdline":"evt.rawtime","evt.rawtime":1763120567000035217}')).toEqual({
      'proc.cmdline': 'evt.rawtime',
      'evt.rawtime': 1763120567000035217n,
    });
    // Written as a double: stays a double.
    expect(parseEventLine('{"evt.rawtime":1e21}')).toEqual({ 'evt.rawtime': 1e21 });
  });

  it('checks value types on every line, whatever the previous line had under the same keys', () => {
    expect(parseEventLine('{"proc.pid":1,"proc.name":"a"}')).toEqual({ 'proc.pid': 1, 'proc.name': 'a' });
    expect(parseEventLine('{"proc.pid":"x","proc.name":"a"}')).toBe(`field 'proc.pid' must hold a number, found "x"`);
    expect(parseEventLine('{"proc.name":"a","proc.pid":"12"}')).toEqual({ 'proc.name': 'a', 'proc.pid': '12' });
    expect(parseEventLine('{"proc.name":"a","evt.is_open_read":3}')).toBe(`field 'evt.is_open_read' must hold true or false, found 3`);
    expect(parseEventLine('{"proc.name":{"x":1}}')).toBe(`field 'proc.name' holds an object; values must be strings, numbers, booleans, arrays or null`);
    expect(parseEventLine('{"proc.name":"a","evt.is_open_read":"true"}')).toEqual({ 'proc.name': 'a', 'evt.is_open_read': 'true' });
  });
});
