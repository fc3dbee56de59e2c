/**
 * Matchers that take more than a one-line comparison: fnmatch globs, path prefixes, and IP
 * addresses and networks. Address parsing is cached per `AddressCache`, which each check
 * planner owns, so two engines in one process share nothing.
 */
import { type IpAddress, type IpNetwork, networkContains, parseIpAddress, parseIpNetwork, sameAddress } from '../fields/ip.js';
import { asciiLower } from './ascii-case.js';
import { asString, type ValueTest } from './values.js';

/**
 * A glob whose only wildcard is the star (as the upstream `/proc/<star>/environ`) as literal
 * pieces: the first must start the value, the last end it, the others appear in order
 * between them. Cheaper than the regular expression; undefined for globs with `?`, classes
 * or escapes.
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

/**
 * A string's UTF-8 bytes as Latin-1 characters, one a byte (the string itself when ASCII).
 * fnmatch runs in the C locale under Falco (neither Falco nor libsinsp calls setlocale), where
 * a character is a byte: `?` matches one byte of `é`, and `[é]` is a set of its two bytes.
 * Globs with `?` or `[` therefore match the byte forms of pattern and text.
 */
export function byteText(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** glob/iglob as fnmatch without flags, on byteText forms: `*` and `?` also match `/`; `[...]` classes; `\` escapes. */
export function globToRegExp(pattern: string): RegExp {
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
  return new RegExp(`${out}$`, 's');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** glob or iglob of one pattern. */
export function globTest(pattern: string, caseInsensitive: boolean): ValueTest {
  const pieces = caseInsensitive ? undefined : starGlob(pattern);
  if (pieces)
    return (v) => {
      // Numbers and booleans in a string field compare as their text, as with the other operators.
      const s = typeof v === 'string' ? v : asString(v);
      return s !== undefined && pieces(s);
    };
  if (!caseInsensitive) {
    const re = globToRegExp(byteText(pattern));
    return (v) => {
      const s = asString(v);
      return s !== undefined && re.test(byteText(s));
    };
  }
  // FNM_CASEFOLD folds pattern and text alike, ASCII letters only (a regex's i flag folds more)
  const folded = globToRegExp(byteText(asciiLower(pattern)));
  return (v) => {
    const s = asString(v);
    return s !== undefined && folded.test(byteText(asciiLower(s)));
  };
}

/**
 * pmatch: the value is one of the paths or lies under one of them, comparing whole path
 * components as libsinsp's path prefix search does (empty components dropped, a component
 * with `*`, `?` or `[` matched as a glob). Absolute values without doubled slashes, against
 * plain paths, compare as text without allocating; anything else by components.
 */
export function pathPrefixTest(paths: string[]): ValueTest {
  const split = paths.map(pathComponents);
  const globs = split.map((c) => c.map((part) => (/[*?[]/.test(part) ? globToRegExp(byteText(part)) : undefined)));
  const simple = split.every((c) => c.length > 0) && globs.every((g) => g.every((x) => x === undefined));
  const texts = split.map((c) => `/${c.join('/')}`);
  const exact = new Set(texts);
  const prefixes = texts.map((t) => `${t}/`);
  return (v) => {
    const s = asString(v);
    if (s === undefined) return false;
    if (simple && s.charCodeAt(0) === 47 && !s.includes('//')) {
      if (exact.has(s)) return true;
      for (const p of prefixes) if (s.startsWith(p)) return true;
      return false;
    }
    const parts = pathComponents(s);
    return split.some((c, k) => c.length <= parts.length && c.every((part, i) => (globs[k]![i] ? globs[k]![i]!.test(byteText(parts[i]!)) : part === parts[i])));
  };
}

function pathComponents(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

const MAX_PARSED_ADDRESSES = 4096;

/**
 * Parsed addresses, for the IP checks of one planner: a capture repeats the same few
 * addresses, and parsing allocates.
 */
export class AddressCache {
  /** Addresses other than dotted quads (IPv6 mostly), by text. Bounded, emptied when full. */
  private readonly parsed = new Map<string, IpAddress | null>();
  /** The last dotted quad parsed: one event's address is usually tested by several checks in a row. */
  private lastText = '';
  private lastIp = -1;

  address(text: string): IpAddress | undefined {
    let a = this.parsed.get(text);
    if (a === undefined) {
      if (this.parsed.size >= MAX_PARSED_ADDRESSES) this.parsed.clear();
      a = parseIpAddress(text) ?? null;
      this.parsed.set(text, a);
    }
    return a ?? undefined;
  }

  /** Whether the text is an IPv4 or IPv6 address. */
  isAddress(text: string): boolean {
    return this.ipv4(text) >= 0 || this.address(text) !== undefined;
  }

  /** A dotted quad as an unsigned 32-bit integer, or -1 when the text is not one. */
  ipv4(text: string): number {
    if (text !== this.lastText) {
      this.lastIp = ipv4ToInt(text);
      this.lastText = text;
    }
    return this.lastIp;
  }
}

/** Equality with an address; dotted quads compare as 32-bit integers, without allocating. */
export function addressTest(constant: string, cache: AddressCache): ValueTest {
  const c = parseIpAddress(constant);
  if (!c) throw new Error(`${constant} is not a valid IP address`);
  const c4 = c.version === 4 ? ((c.bytes[0]! << 24) | (c.bytes[1]! << 16) | (c.bytes[2]! << 8) | c.bytes[3]!) >>> 0 : -1;
  return (v) => {
    if (typeof v !== 'string') return false;
    if (c4 >= 0) {
      const ip = cache.ipv4(v);
      if (ip >= 0) return ip === c4;
    }
    const a = cache.address(v);
    return a !== undefined && sameAddress(a, c);
  };
}

export function parseNetworks(items: string[]): IpNetwork[] {
  return items.map((i) => {
    const n = parseIpNetwork(i);
    if (!n) throw new Error(`${i} is not a valid IP network`);
    return n;
  });
}

/**
 * Membership in any of the networks; the value is parsed once, and a dotted quad is checked
 * against the IPv4 networks as a 32-bit integer, without allocating.
 */
export function networksTest(networks: IpNetwork[], cache: AddressCache): ValueTest {
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
    const ip = cache.ipv4(v);
    if (ip >= 0) {
      for (let i = 0; i < nets.length; i++) if ((ip & masks[i]!) >>> 0 === nets[i]) return true;
      if (others.length === 0) return false;
    }
    const a = cache.address(v);
    if (a === undefined) return false;
    for (const n of ip >= 0 ? others : networks) if (networkContains(n, a)) return true;
    return false;
  };
}

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
