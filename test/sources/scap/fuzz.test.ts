/**
 * Byte-level fuzzing of the scap reader over the real captures: truncated, corrupted and
 * extended inputs, and arbitrary chunkings. Whatever the bytes, reading ends (the reader's
 * loop consumes a block per step) with the events it could read and either a clean end or one
 * error value with a known code and an offset inside the input; it never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScapErrorCode } from '../../../src/sources/scap/errors.js';
import { CAPTURES, rawCapture, readAll } from './helpers.js';

const CODES: ScapErrorCode[] = [
  'SCAP_BAD_MAGIC',
  'SCAP_VERSION',
  'SCAP_TRUNCATED',
  'SCAP_BAD_BLOCK_LENGTH',
  'SCAP_BAD_BLOCK',
  'SCAP_BAD_EVENT',
  'SCAP_UNEXPECTED_BLOCK',
  'SCAP_NO_EVENTS',
  'SCAP_CONVERSION',
  'SCAP_IO',
];

const inputs = CAPTURES.map((name) => ({ name, bytes: rawCapture(name) }));
const full = new Map(inputs.map(({ name, bytes }) => [name, readAll(bytes, { render: true }).events]));
const fullRaw = new Map(inputs.map(({ name, bytes }) => [name, readAll(bytes, { convert: false }).events]));

function checkOutcome(r: ReturnType<typeof readAll>, length: number): void {
  const e = r.result.error;
  if (e !== undefined) {
    expect(CODES).toContain(e.code);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(length);
    expect(e.message.length).toBeGreaterThan(0);
  }
}

const capture = fc.constantFrom(...inputs);

describe('scap reader fuzzing', () => {
  it('reads every real capture without an error', () => {
    for (const { name } of inputs) expect(full.get(name)!.length, name).toBeGreaterThan(200);
  });

  it('gives the same events whatever the chunk sizes', () => {
    fc.assert(
      fc.property(capture, fc.integer({ min: 1, max: 70000 }), fc.boolean(), ({ name, bytes }, chunkSize, convert) => {
        const r = readAll(bytes, { chunkSize, convert, render: convert });
        expect(r.result.error).toBeUndefined();
        expect(r.events).toEqual(convert ? full.get(name) : fullRaw.get(name));
      }),
      { numRuns: 60 },
    );
  });

  it('truncated at any offset: the events before the cut, then a clean end or a truncation error', () => {
    fc.assert(
      fc.property(capture, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 9000 }), ({ name, bytes }, where, chunkSize) => {
        const cut = Math.floor(where * bytes.length);
        const r = readAll(bytes.subarray(0, cut), { chunkSize });
        checkOutcome(r, cut);
        const all = full.get(name)!.map((l) => l.split(' ').slice(0, 6).join(' '));
        expect(r.events).toEqual(all.slice(0, r.events.length));
        if (r.result.error !== undefined) expect(['SCAP_TRUNCATED', 'SCAP_NO_EVENTS']).toContain(r.result.error.code);
        else expect(r.events.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('with flipped bytes: events and at most one error value, never an exception', () => {
    fc.assert(
      fc.property(
        capture,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        ({ bytes }, flips, convert) => {
          const copy = bytes.slice();
          for (const [where, mask] of flips) {
            const at = Math.min(copy.length - 1, Math.floor(where * copy.length));
            copy[at] = copy[at]! ^ mask;
          }
          const r = readAll(copy, { convert, render: true, chunkSize: 4096 });
          checkOutcome(r, copy.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('corrupted in the first blocks (headers, lengths, metadata): an error value or a full read', () => {
    fc.assert(
      fc.property(capture, fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 1, max: 255 }), ({ bytes }, at, mask) => {
        const copy = bytes.slice();
        copy[at] = copy[at]! ^ mask;
        checkOutcome(readAll(copy, { render: true }), copy.length);
      }),
      { numRuns: 200 },
    );
  });

  it('extended with garbage: every original event, then an error value or a counted skip', () => {
    fc.assert(
      fc.property(capture, fc.uint8Array({ minLength: 1, maxLength: 600 }), ({ name, bytes }, garbage) => {
        const extended = new Uint8Array(bytes.length + garbage.length);
        extended.set(bytes);
        extended.set(garbage, bytes.length);
        const r = readAll(extended, { render: true });
        checkOutcome(r, extended.length);
        expect(r.events.slice(0, full.get(name)!.length)).toEqual(full.get(name));
        if (r.result.error !== undefined) expect(r.result.error.offset).toBeGreaterThanOrEqual(bytes.length);
      }),
      { numRuns: 100 },
    );
  });
});
