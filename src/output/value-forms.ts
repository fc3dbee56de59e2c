/**
 * The text forms libsinsp gives field values in outputs (sinsp_filter_check::rawval_to_string),
 * beyond the plain value: by the field's print format and type.
 */
import type { FieldDef } from '../fields/catalogue.js';
import type { FieldAccessor, FieldValue } from '../fields/source.js';

/** libsinsp's binary_buffer_to_string_dots: printable ASCII as is, every other byte a dot. */
export function bufferDots(b: Uint8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k++) {
    const c = b[k]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}

const NON_PRINTABLE = /[^\x20-\x7e]/gu;
const utf8 = new TextEncoder();

/**
 * bufferDots of a buffer read as text: the scap source gives one character per byte (latin1);
 * a JSONL capture gives text, whose characters beyond U+00FF stand for their UTF-8 bytes.
 */
function textDots(s: string): string {
  return s.replace(NON_PRINTABLE, (c) => (c.codePointAt(0)! <= 0xff ? '.' : '.'.repeat(utf8.encode(c).length)));
}

/** printf("%.1lf"): one decimal, ties to even as C rounds the exact binary value. */
export function fixedOne(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const scaled = x * 10;
  // toFixed rounds an exact tie away from zero; C rounds it to even.
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {
    const down = Math.floor(scaled);
    const even = down % 2 === 0 ? down : down + 1;
    return (even / 10).toFixed(1);
  }
  return x.toFixed(1);
}

/** printf("%09d") of an integer. */
function paddedNine(v: number | bigint): string {
  const s = String(v);
  return s.startsWith('-') ? `-${s.slice(1).padStart(8, '0')}` : s.padStart(9, '0');
}

/**
 * The reader of a field's text form in a message (outputs, -p), or the plain reader when the
 * form is the value itself: PF_10_PADDED_DEC numbers zero-padded to 9 digits, doubles with
 * one decimal, buffers with dots for non-printable bytes.
 */
export function textForm<E>(def: FieldDef, read: FieldAccessor<E>): FieldAccessor<E> {
  if (def.printFormat === '10_padded_dec') {
    return (e) => {
      const v = read(e);
      return typeof v === 'number' || typeof v === 'bigint' ? paddedNine(v) : v;
    };
  }
  if (def.type === 'double') {
    return (e) => {
      const v = read(e);
      return typeof v === 'number' ? fixedOne(v) : v;
    };
  }
  return def.type === 'bytebuf' ? bufferForm(read) : read;
}

/** The JSON form keeps numbers as they are; a buffer is text with dots (rawval_to_json goes through rawval_to_string). */
export function jsonForm<E>(def: FieldDef, read: FieldAccessor<E>): FieldAccessor<E> {
  return def.type === 'bytebuf' ? bufferForm(read) : read;
}

function bufferForm<E>(read: FieldAccessor<E>): FieldAccessor<E> {
  return (e) => {
    const v: FieldValue = read(e);
    return typeof v === 'string' ? textDots(v) : v;
  };
}
