/**
 * Values as comparisons see them: the class of a field type, conversions of extracted values
 * (which may be strings, numbers, bigints or booleans whatever the source), and constants
 * parsed once per check.
 */
import { type FieldType, NUMERIC_TYPES } from '../fields/catalogue.js';

/** A value test built once per check, with its constants pre-processed. */
export type ValueTest = (value: unknown) => boolean;

/** How values of a field type compare: libsinsp groups its PT_* types the same way. */
export type TypeClass = 'number' | 'string' | 'buffer' | 'bool' | 'ip' | 'net';

export function typeClass(type: FieldType): TypeClass {
  switch (type) {
    case 'charbuf':
    case 'dyn':
      return 'string';
    case 'bytebuf':
      return 'buffer';
    case 'bool':
      return 'bool';
    case 'ipaddr':
      return 'ip';
    case 'ipnet':
      return 'net';
    default:
      return 'number';
  }
}

export { NUMERIC_TYPES };
/** The text field types (the numeric ones are the catalogue's). */
export const TEXT_TYPES: readonly FieldType[] = ['charbuf', 'dyn'];

export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** A number, or a bigint when the value does not fit a double exactly. */
export function asNumber(v: unknown): number | bigint | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    if (/^[+-]?[0-9]{16,}$/.test(t)) return BigInt(t);
    if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
    const n = Number(t);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

export function asBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (typeof v === 'number') return v !== 0;
  return undefined;
}

/** Numeric comparison that stays exact across number/bigint. */
export function numericOrder(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = typeof a === 'bigint' ? a : Number.isInteger(a) ? BigInt(a) : undefined;
  const y = typeof b === 'bigint' ? b : Number.isInteger(b) ? BigInt(b) : undefined;
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  const fa = Number(a);
  const fb = Number(b);
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

export function parseNumberConstant(text: string): number | bigint {
  const n = asNumber(text);
  if (n === undefined) throw new Error(`${text} is not a valid number`);
  if (typeof n === 'number' && !Number.isSafeInteger(n) && Number.isInteger(n) && /^[+-]?[0-9]+$/.test(text.trim())) {
    return BigInt(text.trim());
  }
  return n;
}

/** A numeric constant that generated code may compare with `===`/`<` directly. */
export function belowExactLimit(n: number | bigint): n is number {
  return typeof n === 'number' && Math.abs(n) < 2 ** 53;
}

/** `bcontains`/`bstartswith` take hex bytes; compared against the value's bytes as latin1 text. */
export function hexToLatin1(hex: string): string {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`${hex} is not a valid hex byte string`);
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return out;
}
