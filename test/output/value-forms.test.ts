/** The text forms of field values in outputs, as libsinsp's rawval_to_string prints them. */
import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import type { FieldValue } from '../../src/fields/source.js';
import { bufferDots, fixedOne, jsonForm, textForm } from '../../src/output/value-forms.js';

const def = (name: string) => FieldCatalogue.syscall().get(name)!;
const text = (name: string, v: FieldValue) => textForm(def(name), () => v)(undefined);

describe('output text forms', () => {
  it('PF_10_PADDED_DEC fields are zero-padded to 9 digits (%09), whichever they are in the catalogue', () => {
    for (const f of ['evt.rawtime.ns', 'evt.reltime', 'evt.reltime.ns', 'evt.deltatime.ns', 'evt.latency.ns']) expect(text(f, 5)).toBe('000000005');
    expect(text('evt.rawtime.ns', 123456789n)).toBe('123456789');
    expect(text('evt.reltime', 12_000_000_000)).toBe('12000000000');
    expect(text('evt.rawtime.ns', -5)).toBe('-00000005');
    // Other numeric fields print as they are.
    expect(text('evt.rawtime', 5)).toBe(5);
    expect(text('evt.rawtime.ns', undefined)).toBeUndefined();
  });

  it('doubles print with one decimal, C rounding (ties to even)', () => {
    expect(text('proc.fdusage', 0)).toBe('0.0');
    expect(text('thread.cpu', 12.345)).toBe('12.3');
    expect(text('thread.cpu', 0.96)).toBe('1.0');
    expect(fixedOne(0.25)).toBe('0.2');
    expect(fixedOne(0.75)).toBe('0.8');
    expect(fixedOne(-0.25)).toBe('-0.2');
    expect(fixedOne(2.5)).toBe('2.5');
    expect(fixedOne(Number.NaN)).toBe('nan');
  });

  it('buffers print non-printable bytes as dots, in text and in JSON', () => {
    expect(bufferDots(Uint8Array.from([0x41, 0x0a, 0x7e, 0x7f, 0xff, 0x20]))).toBe('A.~.. ');
    // The scap source reads a buffer one character per byte.
    expect(text('evt.buffer', 'GET /\r\n\x00\xff')).toBe('GET /....');
    // A JSONL capture's text: a character beyond U+00FF stands for its UTF-8 bytes.
    expect(text('evt.buffer', 'a€b')).toBe('a...b');
    expect(jsonForm(def('evt.buffer'), () => 'x\ty')(undefined)).toBe('x.y');
    expect(jsonForm(def('proc.fdusage'), () => 0.5)(undefined)).toBe(0.5);
  });
});
