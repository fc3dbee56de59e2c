/**
 * Comparisons by field type, as libsinsp does them, built once per check with their
 * constants pre-processed (sets for lists, lower case for `i*` operators, compiled
 * globs and RE2 regexes, parsed networks). Each returns a test of one extracted value.
 */
import { compileRegex } from '../rules/regex.js';
import type { FieldType } from '../fields/catalogue.js';
import { networkContains, parseIpAddress, parseIpNetwork, sameAddress, type IpAddress, type IpNetwork } from '../fields/ip.js';

export type ValueTest = (value: unknown) => boolean;

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

// ---- value conversion --------------------------------------------------------------------------

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
function numericOrder(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = typeof a === 'bigint' ? a : Number.isInteger(a) ? BigInt(a) : undefined;
  const y = typeof b === 'bigint' ? b : Number.isInteger(b) ? BigInt(b) : undefined;
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  const fa = Number(a);
  const fb = Number(b);
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

// ---- constants ---------------------------------------------------------------------------------

export function parseNumberConstant(text: string): number | bigint {
  const n = asNumber(text);
  if (n === undefined) throw new Error(`${text} is not a valid number`);
  if (typeof n === 'number' && !Number.isSafeInteger(n) && Number.isInteger(n) && /^[+-]?[0-9]+$/.test(text.trim())) {
    return BigInt(text.trim());
  }
  return n;
}

/**
 * A glob whose only wildcard is the star (as the upstream `/proc/<star>/environ`) as literal
 * pieces: the first must start the value, the last end it, the others appear in order
 * between them.
 * Cheaper than the regular expression; undefined for globs with `?`, classes or escapes.
 */
export function starGlob(pattern: string): ((s: string) => boolean) | undefined {
  if (/[?[\\]/.test(pattern)) return undefined;
  const pieces = pattern.split('*');
  const first = pieces[0]!;
  if (pieces.length === 1) return (s) => s === first;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  const least = pieces.reduce((n, p) => n + p.length, 0);
  return (s) => {
    if (s.length < least || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (let i = 0; i < middle.length; i++) {
      const found = s.indexOf(middle[i]!, at);
      if (found < 0 || found + middle[i]!.length > end) return false;
      at = found + middle[i]!.length;
    }
    return true;
  };
}

/** glob/iglob as fnmatch without flags: `*` and `?` also match `/`; `[...]` classes; `\` escapes. */
export function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRegExp(pattern[++i]!);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/]/g, '\\]')}]`;
      i = close;
    } else out += escapeRegExp(c);
  }
  return new RegExp(out + '$', caseInsensitive ? 'is' : 's');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `bcontains`/`bstartswith` take hex bytes; compared against the value's bytes as latin1 text. */
export function hexToLatin1(hex: string): string {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`${hex} is not a valid hex byte string`);
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

// ---- single-constant tests ---------------------------------------------------------------------

/** A test of one value against one constant with a non-list operator. */
export function scalarTest(cls: TypeClass, op: string, constant: string): ValueTest {
  switch (cls) {
    case 'number': {
      const c = parseNumberConstant(constant);
      return numberTest(op, c);
    }
    case 'bool': {
      const c = constant === 'true';
      if (op === '!=') return (v) => asBool(v) !== undefined && asBool(v) !== c;
      return (v) => asBool(v) === c;
    }
    case 'ip': {
      const c = parseIpAddress(constant);
      if (!c) throw new Error(`${constant} is not a valid IP address`);
      const eq = addressTest(c);
      return op === '!=' ? (v) => typeof v === 'string' && !eq(v) : eq;
    }
    case 'net': {
      const c = parseIpNetwork(constant);
      if (!c) throw new Error(`${constant} is not a valid IP network`);
      const inside = networksTest([c]);
      return op === '!=' ? (v) => typeof v === 'string' && !inside(v) : inside;
    }
    case 'buffer':
    case 'string':
      return stringTest(op, constant);
  }
}

function numberTest(op: string, c: number | bigint): ValueTest {
  const cmp = (v: unknown): number | undefined => {
    const n = asNumber(v);
    return n === undefined ? undefined : numericOrder(n, c);
  };
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return typeof c === 'number' ? (v) => (typeof v === 'number' ? v === c : cmp(v) === 0) : (v) => cmp(v) === 0;
    case '!=':
      return (v) => {
        const r = cmp(v);
        return r !== undefined && r !== 0;
      };
    case '<':
      return (v) => (cmp(v) ?? 0) < 0;
    case '<=':
      return (v) => {
        const r = cmp(v);
        return r !== undefined && r <= 0;
      };
    case '>':
      return (v) => (cmp(v) ?? 0) > 0;
    case '>=':
      return (v) => {
        const r = cmp(v);
        return r !== undefined && r >= 0;
      };
    default:
      throw new Error(`operator '${op}' is not supported for numbers`);
  }
}

function stringTest(op: string, c: string): ValueTest {
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return (v) => (typeof v === 'string' ? v === c : asString(v) === c);
    case '!=':
      return (v) => {
        const s = asString(v);
        return s !== undefined && s !== c;
      };
    case 'contains':
      return (v) => asString(v)?.includes(c) ?? false;
    case 'icontains': {
      const lower = c.toLowerCase();
      return (v) => asString(v)?.toLowerCase().includes(lower) ?? false;
    }
    case 'bcontains': {
      const bytes = hexToLatin1(c);
      return (v) => asString(v)?.includes(bytes) ?? false;
    }
    case 'startswith':
      return (v) => asString(v)?.startsWith(c) ?? false;
    case 'bstartswith': {
      const bytes = hexToLatin1(c);
      return (v) => asString(v)?.startsWith(bytes) ?? false;
    }
    case 'endswith':
      return (v) => asString(v)?.endsWith(c) ?? false;
    case 'glob':
    case 'iglob': {
      const pieces = op === 'glob' ? starGlob(c) : undefined;
      if (pieces) return (v) => typeof v === 'string' && pieces(v);
      const re = globToRegExp(c, op === 'iglob');
      return (v) => {
        const s = asString(v);
        return s !== undefined && re.test(s);
      };
    }
    case 'regex': {
      // RE2 with libsinsp's POSIX options, anchored at both ends as libsinsp matches. The
      // loader rejects a pattern RE2 rejects (LOAD_ERR_COMPILE_CONDITION).
      const compiled = compileRegex(c);
      if (!compiled.ok) throw new Error(compiled.message);
      const re = compiled.regex;
      return (v) => {
        const s = asString(v);
        return s !== undefined && re.matches(s);
      };
    }
    case 'pmatch':
      return pathPrefixTest([c]);
    case '<':
      return (v) => (asString(v) ?? '\uffff') < c;
    case '<=':
      return (v) => {
        const s = asString(v);
        return s !== undefined && s <= c;
      };
    case '>':
      return (v) => {
        const s = asString(v);
        return s !== undefined && s > c;
      };
    case '>=':
      return (v) => {
        const s = asString(v);
        return s !== undefined && s >= c;
      };
    default:
      throw new Error(`operator '${op}' is not supported for strings`);
  }
}

/** pmatch: the value is one of the paths or lies under one of them. */
export function pathPrefixTest(paths: string[]): ValueTest {
  const exact = new Set(paths.map((p) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p)));
  const prefixes = [...exact].map((p) => (p.endsWith('/') ? p : p + '/'));
  return (v) => {
    const s = asString(v);
    if (s === undefined) return false;
    if (exact.has(s)) return true;
    for (const p of prefixes) if (s.startsWith(p)) return true;
    return false;
  };
}

/** `in`/`intersects` against a literal list: a set lookup where the type allows it. */
export function setTest(cls: TypeClass, items: string[]): ValueTest {
  if (cls === 'string' || cls === 'buffer') {
    const set = new Set(items);
    return (v) => {
      if (typeof v === 'string') return set.has(v);
      const s = asString(v);
      return s !== undefined && set.has(s);
    };
  }
  if (cls === 'number') {
    const values = items.map(parseNumberConstant);
    const plain = new Set(values.filter((x): x is number => typeof x === 'number'));
    const big = values.filter((x): x is bigint => typeof x === 'bigint');
    return (v) => {
      if (typeof v === 'number' && plain.has(v)) return true;
      const n = asNumber(v);
      if (n === undefined) return false;
      if (typeof n === 'number') return plain.has(n) || big.some((b) => numericOrder(n, b) === 0);
      return values.some((x) => numericOrder(n, x) === 0);
    };
  }
  if (cls === 'net') {
    return networksTest(
      items.map((i) => {
        const n = parseIpNetwork(i);
        if (!n) throw new Error(`${i} is not a valid IP network`);
        return n;
      }),
    );
  }
  const tests = items.map((i) => scalarTest(cls, '=', i));
  return (v) => tests.some((t) => t(v));
}

/** Equality with an address; dotted quads compare as 32-bit integers, without allocating. */
function addressTest(c: IpAddress): ValueTest {
  const c4 = c.version === 4 ? ((c.bytes[0]! << 24) | (c.bytes[1]! << 16) | (c.bytes[2]! << 8) | c.bytes[3]!) >>> 0 : -1;
  return (v) => {
    if (typeof v !== 'string') return false;
    if (c4 >= 0) {
      const ip = ipv4Of(v);
      if (ip >= 0) return ip === c4;
    }
    const a = addressOf(v);
    return a !== undefined && sameAddress(a, c);
  };
}

/**
 * Membership in any of the networks; the value is parsed once, and a dotted quad is checked
 * against the IPv4 networks as a 32-bit integer, without allocating.
 */
function networksTest(networks: IpNetwork[]): ValueTest {
  const v4 = networks.filter((n) => n.address.version === 4);
  const nets = new Uint32Array(v4.length);
  const masks = new Uint32Array(v4.length);
  v4.forEach((n, i) => {
    const b = n.address.bytes;
    masks[i] = n.prefix === 0 ? 0 : (0xffffffff << (32 - n.prefix)) >>> 0;
    nets[i] = (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & masks[i]!) >>> 0;
  });
  // A dotted quad can only be inside an IPv4 network or an IPv6 one holding mapped addresses.
  const others = networks.filter((n) => n.address.version !== 4);
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = ipv4Of(v);
    if (ip >= 0) {
      for (let i = 0; i < nets.length; i++) if ((ip & masks[i]!) >>> 0 === nets[i]) return true;
      if (others.length === 0) return false;
    }
    const a = addressOf(v);
    if (a === undefined) return false;
    for (const n of ip >= 0 ? others : networks) if (networkContains(n, a)) return true;
    return false;
  };
}

/**
 * Addresses other than dotted quads (IPv6 mostly), parsed once per distinct text: a capture
 * repeats the same few addresses, and parsing allocates. Bounded, emptied when full.
 */
const parsedAddresses = new Map<string, IpAddress | null>();
const MAX_PARSED_ADDRESSES = 4096;
function addressOf(text: string): IpAddress | undefined {
  let a = parsedAddresses.get(text);
  if (a === undefined) {
    if (parsedAddresses.size >= MAX_PARSED_ADDRESSES) parsedAddresses.clear();
    a = parseIpAddress(text) ?? null;
    parsedAddresses.set(text, a);
  }
  return a ?? undefined;
}

/** The last dotted quad parsed: one event's address is usually tested by several checks in a row. */
let lastIpText = '';
let lastIp = -1;
function ipv4Of(text: string): number {
  if (text !== lastIpText) {
    lastIp = ipv4ToInt(text);
    lastIpText = text;
  }
  return lastIp;
}

/** A dotted quad as an unsigned 32-bit integer, or -1 when the text is not one. */
function ipv4ToInt(text: string): number {
  let result = 0;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code === 46) {
      if (digits === 0 || value > 255 || part > 3) return -1;
      result = result * 256 + value;
      part++;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      value = value * 10 + code - 48;
      digits++;
    } else return -1;
  }
  return part === 4 ? result : -1;
}

