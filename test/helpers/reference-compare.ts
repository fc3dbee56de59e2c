/**
 * The reference evaluator's comparisons, written from libsinsp's semantics (filter_compare.cpp,
 * sinsp_filtercheck.cpp, value_parser.cpp at libs HEAD) and deliberately independent of
 * src/evaluator/compare.ts: slow, plain code that is easy to check line by line.
 *
 * A value is first read as the field's type (`typed`), then compared with constants parsed
 * as libsinsp parses them (`constant`). libsinsp's values always have their type; flat
 * events hold JSON values, and reading one as a type is this project's convention for
 * captures (the same as the engine's, restated here), not a libsinsp semantic:
 * - strings: a string; a number or boolean as its JSON text;
 * - integers: a number, a bigint, a boolean (1/0), or text: decimal or 0x-hex integer, or
 *   any other number JavaScript reads (a fraction compares by its value);
 * - double: the same, as a JavaScript number;
 * - bool: true/false, the texts "true"/"false", or a number (non-zero is true);
 * - ipaddr/ipnet: the text of an IPv4 or IPv6 address (no zone, as inet_pton);
 * - bytebuf: a string, taken as its UTF-8 bytes.
 * A value that cannot be read as the type makes every comparison false, like NA.
 */
import { RE2JS } from 're2js';

export type Kind = 'string' | 'bytes' | 'int' | 'double' | 'bool' | 'ip' | 'net';

/** How libsinsp stores a type: kind, and for integers the width and signedness of the constant's parse. */
export interface TypeInfo {
  kind: Kind;
  bits?: number;
  signed?: boolean;
}

export function typeInfo(type: string): TypeInfo {
  switch (type) {
    case 'charbuf':
      return { kind: 'string' };
    case 'bytebuf':
      return { kind: 'bytes' };
    case 'bool':
      return { kind: 'bool' };
    case 'int8':
      return { kind: 'int', bits: 8, signed: true };
    case 'int16':
      return { kind: 'int', bits: 16, signed: true };
    case 'uint8':
      return { kind: 'int', bits: 8, signed: false };
    case 'uint16':
      return { kind: 'int', bits: 16, signed: false };
    case 'int32':
      return { kind: 'int', bits: 32, signed: true };
    case 'int64':
      return { kind: 'int', bits: 64, signed: true };
    case 'uint32':
      return { kind: 'int', bits: 32, signed: false };
    case 'uint64':
    case 'reltime':
    case 'abstime':
      return { kind: 'int', bits: 64, signed: false };
    case 'port':
      return { kind: 'int', bits: 16, signed: false };
    case 'double':
      return { kind: 'double' };
    case 'ipaddr':
      return { kind: 'ip' };
    case 'ipnet':
      return { kind: 'net' };
    default:
      throw new Error(`reference: no comparison semantics for field type '${type}'`);
  }
}

/** Operators each kind accepts (flt_is_comparable_*); others do not compile in libsinsp. */
const ALLOWED: Record<Kind, readonly string[]> = {
  int: ['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects'],
  double: ['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects'],
  bool: ['=', '==', '!=', 'in', 'intersects'],
  string: ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'pmatch', 'regex', 'in', 'intersects'],
  bytes: ['=', '==', '!=', 'contains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'in', 'intersects'],
  ip: ['=', '==', '!=', 'in', 'intersects'],
  net: ['=', '==', '!=', 'in', 'intersects'],
};

export function checkOperator(info: TypeInfo, op: string): void {
  if (!ALLOWED[info.kind].includes(op)) throw new Error(`reference: '${op}' is not an operator for ${info.kind} fields in libsinsp`);
}

// ---- values ------------------------------------------------------------------------------------

export interface IpAddr {
  v6: boolean;
  bytes: number[];
}

export interface IpNet {
  v6: boolean;
  bytes: number[];
  prefix: number;
}

/** A typed value: string, Buffer, bigint, number, IpAddr; undefined when the value cannot be read as the type. */
export type Typed = string | Buffer | bigint | number | IpAddr | undefined;

export function typed(info: TypeInfo, v: unknown): Typed {
  switch (info.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
      return undefined;
    case 'bytes':
      return typeof v === 'string' ? Buffer.from(v, 'utf8') : undefined;
    case 'int':
      return numberOf(v);
    case 'bool':
      if (v === true || v === 'true') return 1n;
      if (v === false || v === 'false') return 0n;
      if (typeof v === 'number' || typeof v === 'bigint') return v === 0 || v === 0n ? 0n : 1n;
      return undefined;
    case 'double': {
      const n = numberOf(v);
      return n === undefined ? undefined : Number(n);
    }
    case 'ip':
    case 'net':
      return typeof v === 'string' ? parseAddress(v) : undefined;
  }
}

/** An integer as a bigint (exact), anything else numeric as a number. */
function numberOf(v: unknown): bigint | number | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : Number.isNaN(v) ? undefined : v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^[+-]?\d+$/.test(t)) return BigInt(t);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t);
  const n = t === '' ? NaN : Number(t);
  return Number.isNaN(n) ? undefined : Number.isInteger(n) && Math.abs(n) < 2 ** 53 ? BigInt(n) : n;
}

/** A constant as libsinsp parses it for the type (sinsp_filter_value_parser::string_to_rawval). */
export function constant(info: TypeInfo, op: string, text: string): Typed | IpNet | RegExpLike {
  if (op === 'regex') return RE2JS.compile(text);
  switch (info.kind) {
    case 'string':
      return text;
    case 'bytes':
      // bcontains/bstartswith take hex bytes; the other operators the text itself.
      if (op === 'bcontains' || op === 'bstartswith') {
        if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error(`reference: '${text}' is not hex bytes`);
        return Buffer.from(text, 'hex');
      }
      return Buffer.from(text, 'utf8');
    case 'int': {
      // sscanf("%d"/"%u"): optional blanks and sign, digits, nothing after; stored at the type's width.
      if (!/^\s*[+-]?\d+$/.test(text)) throw new Error(`reference: ${text} is not a valid number`);
      const n = BigInt(text.trim());
      return info.signed ? BigInt.asIntN(info.bits!, n) : BigInt.asUintN(info.bits!, n);
    }
    case 'double':
      // libsinsp parses double constants as 32-bit integers.
      if (!/^\s*[+-]?\d+$/.test(text)) throw new Error(`reference: ${text} is not a valid number`);
      return Number(BigInt.asIntN(32, BigInt(text.trim())));
    case 'bool':
      if (text === 'true') return 1n;
      if (text === 'false') return 0n;
      throw new Error(`reference: unrecognized boolean value ${text}`);
    case 'ip': {
      // A constant with a dot is an IPv4 address, anything else IPv6.
      const a = text.includes('.') ? parseIpv4(text) : parseIpv6(text);
      if (!a) throw new Error(`reference: unrecognized IP address ${text}`);
      return a;
    }
    case 'net':
      return parseNetwork(text);
  }
}

export interface RegExpLike {
  matches(s: string): boolean;
}

// ---- one comparison ----------------------------------------------------------------------------

/** `value op c` for one value and one constant (both already typed), as flt_compare does per type. */
export function compare(info: TypeInfo, op: string, value: Typed, c: unknown): boolean {
  if (value === undefined) return false;
  switch (info.kind) {
    case 'int':
    case 'bool':
    case 'double':
      return compareNumbers(op, value as bigint | number, c as bigint | number);
    case 'string':
      return compareStrings(op, value as string, c);
    case 'bytes':
      return compareBytes(op, value as Buffer, c as Buffer);
    case 'ip': {
      const a = value as IpAddr;
      const b = c as IpAddr;
      // Addresses of different families never compare equal (no mapping of IPv4 into IPv6).
      const same = a.v6 === b.v6 && a.bytes.every((x, i) => x === b.bytes[i]);
      return op === '!=' ? !same : same;
    }
    case 'net': {
      const a = value as IpAddr;
      const n = c as IpNet;
      const inside = a.v6 === n.v6 && inNetwork(a, n);
      return op === '!=' ? !inside : inside;
    }
  }
}

function compareNumbers(op: string, a: bigint | number, b: bigint | number): boolean {
  const order = numericOrder(a, b);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      throw new Error(`reference: '${op}' on numbers`);
  }
}

/** Exact when both are integers (bigints); a fraction compares as a double. */
function numericOrder(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareStrings(op: string, a: string, c: unknown): boolean {
  const b = c as string;
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return a === b;
    case '!=':
      return a !== b;
    case 'contains':
      return a.includes(b);
    case 'icontains':
      // strcasestr: ASCII letters only.
      return asciiLower(a).includes(asciiLower(b));
    case 'startswith':
      return a.startsWith(b);
    case 'endswith':
      return a.endsWith(b);
    case 'glob':
      return fnmatch(b, a, false);
    case 'iglob':
      return fnmatch(b, a, true);
    case 'regex':
      return (c as RegExpLike).matches(a);
    case 'pmatch':
      return underPath(a, b);
    case '<':
      return byteOrder(a, b) < 0;
    case '<=':
      return byteOrder(a, b) <= 0;
    case '>':
      return byteOrder(a, b) > 0;
    case '>=':
      return byteOrder(a, b) >= 0;
    default:
      throw new Error(`reference: '${op}' on strings`);
  }
}

function compareBytes(op: string, a: Buffer, b: Buffer): boolean {
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return a.equals(b);
    case '!=':
      return !a.equals(b);
    case 'contains':
    case 'bcontains':
      return a.indexOf(b) >= 0;
    case 'startswith':
    case 'bstartswith':
      return b.length <= a.length && a.subarray(0, b.length).equals(b);
    case 'endswith':
      return b.length <= a.length && a.subarray(a.length - b.length).equals(b);
    default:
      throw new Error(`reference: '${op}' on buffers`);
  }
}

/** strcmp: unsigned bytes of the UTF-8 text. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function asciiLower(s: string): string {
  let out = '';
  for (const ch of s) out += ch >= 'A' && ch <= 'Z' ? String.fromCharCode(ch.charCodeAt(0) + 32) : ch;
  return out;
}

export function asciiUpper(s: string): string {
  let out = '';
  for (const ch of s) out += ch >= 'a' && ch <= 'z' ? String.fromCharCode(ch.charCodeAt(0) - 32) : ch;
  return out;
}

/**
 * pmatch: libsinsp's path prefix search splits paths into components at `/`, dropping
 * empty ones, and matches when the constant's components begin the value's; a constant's
 * component holding `*`, `?` or `[` matches a value's component as a glob.
 */
function underPath(value: string, path: string): boolean {
  const components = (s: string) => s.split('/').filter((c) => c !== '');
  const v = components(value);
  const p = components(path);
  return p.length <= v.length && p.every((c, i) => (/[*?[]/.test(c) ? fnmatch(c, v[i]!, false) : c === v[i]));
}

/**
 * fnmatch(3) without flags (FNM_CASEFOLD for iglob), in the C locale (a character is a byte of
 * the UTF-8 text): `*` any run of characters, `/` and leading dots included; `?` one character; `[...]` a set with ranges, `!` or `^` negating;
 * `\` quotes the next character. Backtracking, written for clarity.
 */
export function fnmatch(pattern: string, text: string, fold: boolean): boolean {
  const p = bytes(pattern);
  const t = bytes(fold ? asciiLower(text) : text);
  const eq = (a: string, b: string) => (fold ? asciiLower(a) === asciiLower(b) : a === b);
  const match = (pi: number, ti: number): boolean => {
    while (pi < p.length) {
      const c = p[pi]!;
      if (c === '*') {
        while (p[pi] === '*') pi++;
        if (pi === p.length) return true;
        for (let k = ti; k <= t.length; k++) if (match(pi, k)) return true;
        return false;
      }
      if (ti >= t.length) return false;
      if (c === '?') {
        pi++;
        ti++;
        continue;
      }
      if (c === '[') {
        const set = bracket(p, pi + 1);
        if (set) {
          if (set.matches(t[ti]!, fold) !== true) return false;
          pi = set.end;
          ti++;
          continue;
        }
        // An unclosed bracket is an ordinary character.
      }
      if (c === '\\' && pi + 1 < p.length) {
        if (!eq(p[pi + 1]!, t[ti]!)) return false;
        pi += 2;
        ti++;
        continue;
      }
      if (!eq(c, t[ti]!)) return false;
      pi++;
      ti++;
    }
    return ti === t.length;
  };
  return match(0, 0);
}

/** The C locale's characters: a string's UTF-8 bytes, each as a one-character string. */
function bytes(s: string): string[] {
  return [...new TextEncoder().encode(s)].map((b) => String.fromCharCode(b));
}

/** A bracket expression starting after `[`: its test and where the pattern continues, or undefined if unclosed. */
function bracket(p: string[], start: number): { matches: (ch: string, fold: boolean) => boolean; end: number } | undefined {
  let i = start;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  const ranges: [string, string][] = [];
  let first = true;
  while (i < p.length && (p[i] !== ']' || first)) {
    first = false;
    let lo = p[i]!;
    if (lo === '\\' && i + 1 < p.length) lo = p[++i]!;
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      let hi = p[i + 2]!;
      if (hi === '\\' && i + 3 < p.length) hi = p[++i + 2]!;
      ranges.push([lo, hi]);
      i += 3;
    } else {
      ranges.push([lo, lo]);
      i++;
    }
  }
  if (i >= p.length) return undefined;
  return {
    end: i + 1,
    matches: (ch, fold) => {
      const options = fold ? [asciiLower(ch), asciiUpper(ch)] : [ch];
      const inside = options.some((o) => ranges.some(([lo, hi]) => o >= lo && o <= hi));
      return inside !== negate;
    },
  };
}

// ---- addresses ---------------------------------------------------------------------------------

/** An event's address text: IPv6 when it has a colon, else a dotted quad. */
export function parseAddress(text: string): IpAddr | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** inet_pton(AF_INET): four decimal parts of at most 255. */
function parseIpv4(text: string): IpAddr | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255)) return undefined;
  return { v6: false, bytes: parts.map(Number) };
}

/** inet_pton(AF_INET6): eight groups, one `::` run of zeros, an optional dotted-quad tail. */
function parseIpv6(text: string): IpAddr | undefined {
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4.bytes[0]! << 8) | v4.bytes[1]!, (v4.bytes[2]! << 8) | v4.bytes[3]!];
    // The colon before the tail separates it, unless it ends a `::` (as in `::1.2.3.4`).
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...left, ...right].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const given = left.length + right.length + tail.length;
  let words: number[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    words = [...left.map(hex), ...Array<number>(8 - given).fill(0), ...right.map(hex), ...tail];
  } else {
    if (given !== 8) return undefined;
    words = [...left.map(hex), ...tail];
  }
  return { v6: true, bytes: words.flatMap((w) => [w >> 8, w & 0xff]) };
}

function hex(g: string): number {
  return parseInt(g, 16);
}

/** A network constant `address/prefix` (IPv4 when it has a dot); libsinsp rejects one without a prefix. */
function parseNetwork(text: string): IpNet {
  const slash = text.indexOf('/');
  if (slash < 0) throw new Error(`reference: unrecognized IP network ${text}`);
  const v4 = text.includes('.');
  const address = v4 ? parseIpv4(text.slice(0, slash)) : parseIpv6(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d+$/.test(prefixText)) throw new Error(`reference: unrecognized IP network ${text}`);
  const prefix = Number(prefixText);
  if (prefix > (v4 ? 32 : 128) || (!v4 && prefix === 0)) throw new Error(`reference: invalid netmask ${text}`);
  return { v6: !v4, bytes: address.bytes, prefix };
}

function inNetwork(a: IpAddr, n: IpNet): boolean {
  for (let bit = 0; bit < n.prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((a.bytes[byte]! & mask) !== (n.bytes[byte]! & mask)) return false;
  }
  return true;
}
