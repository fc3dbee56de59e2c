/**
 * Parameter encodings of the kernel drivers (PT_* types), as a scap file stores them:
 * integers little-endian at their width, strings NUL-terminated, argument lists as
 * NUL-terminated strings back to back, socket addresses and tuples in the drivers' packed
 * layouts (family byte first, IPs in network order, ports in host order), fd lists as a
 * 16-bit count followed by (int64 fd, int16 flags) pairs.
 */
import { fixedWidth } from '../tables.js';

/** PPM_AF_* socket families as the drivers write them in the family byte. */
export const PPM_AF_UNIX = 1;
export const PPM_AF_INET = 2;
export const PPM_AF_INET6 = 10;
export const PPM_AF_NETLINK = 16;

/** A socket address (PT_SOCKADDR) or tuple (PT_SOCKTUPLE) described by value. */
export type SockAddrSpec = { family: 'inet'; ip: string; port: number } | { family: 'inet6'; ip: string; port: number } | { family: 'unix'; path: string };

export type SockTupleSpec =
  | { family: 'inet'; sip: string; sport: number; dip: string; dport: number }
  | { family: 'inet6'; sip: string; sport: number; dip: string; dport: number }
  | { family: 'unix'; source: bigint; dest: bigint; path: string };

/** A parameter value: numbers/bigints for integers, strings, string lists, raw bytes, specs; null = empty. */
export type ParamValue =
  | number
  | bigint
  | boolean
  | string
  | readonly string[]
  | Uint8Array
  | SockAddrSpec
  | SockTupleSpec
  | readonly { fd: number; flags: number }[]
  | null
  | undefined;

const utf8 = new TextEncoder();

/** IPv4 text to its 4 bytes in network order. */
export function ipv4Bytes(ip: string): Uint8Array {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  return Uint8Array.from(
    parts.map((p) => {
      const n = Number(p);
      if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error(`not an IPv4 address: ${ip}`);
      return n;
    }),
  );
}

/** IPv6 text (with :: compression and an optional dotted IPv4 tail) to its 16 bytes. */
export function ipv6Bytes(ip: string): Uint8Array {
  const out = new Uint8Array(16);
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // A dotted IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
    const v4 = ipv4Bytes(last);
    text = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) throw new Error(`not an IPv6 address: ${ip}`);
  const parse = (s: string): number[] =>
    s === ''
      ? []
      : s.split(':').map((h) => {
          const n = parseInt(h, 16);
          if (!/^[0-9a-fA-F]{1,4}$/.test(h)) throw new Error(`not an IPv6 address: ${ip}`);
          return n;
        });
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const groups = [...head, ...rest];
  const fill = 8 - groups.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) throw new Error(`not an IPv6 address: ${ip}`);
  const all = halves.length === 2 ? [...head, ...new Array<number>(fill).fill(0), ...rest] : groups;
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function isSpec(v: unknown): v is { family: string } {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && 'family' in v;
}

class Bytes {
  readonly parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >> 8);
  }
  u64(v: bigint): this {
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.parts.push(Number(x & 0xffn));
      x >>= 8n;
    }
    return this;
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  cstr(s: string): this {
    return this.raw(utf8.encode(s)).u8(0);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** PT_SOCKADDR bytes of an address. */
export function encodeSockAddr(a: SockAddrSpec): Uint8Array {
  const b = new Bytes();
  if (a.family === 'inet') return b.u8(PPM_AF_INET).raw(ipv4Bytes(a.ip)).u16(a.port).done();
  if (a.family === 'inet6') return b.u8(PPM_AF_INET6).raw(ipv6Bytes(a.ip)).u16(a.port).done();
  return b.u8(PPM_AF_UNIX).cstr(a.path).done();
}

/** PT_SOCKTUPLE bytes of a tuple. */
export function encodeSockTuple(t: SockTupleSpec): Uint8Array {
  const b = new Bytes();
  if (t.family === 'inet') {
    return b.u8(PPM_AF_INET).raw(ipv4Bytes(t.sip)).u16(t.sport).raw(ipv4Bytes(t.dip)).u16(t.dport).done();
  }
  if (t.family === 'inet6') {
    return b.u8(PPM_AF_INET6).raw(ipv6Bytes(t.sip)).u16(t.sport).raw(ipv6Bytes(t.dip)).u16(t.dport).done();
  }
  return b.u8(PPM_AF_UNIX).u64(t.source).u64(t.dest).cstr(t.path).done();
}

function intBytes(width: number, v: number | bigint | boolean): Uint8Array {
  const out = new Uint8Array(width);
  const dv = new DataView(out.buffer);
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  switch (width) {
    case 1:
      dv.setUint8(0, Number(BigInt.asUintN(8, BigInt(n))));
      break;
    case 2:
      dv.setUint16(0, Number(BigInt.asUintN(16, BigInt(n))), true);
      break;
    case 4:
      dv.setUint32(0, Number(BigInt.asUintN(32, BigInt(n))), true);
      break;
    default:
      dv.setBigUint64(0, BigInt.asUintN(64, BigInt(n)), true);
  }
  return out;
}

/**
 * Bytes of one parameter of type `type`. `null`/`undefined` is an empty parameter (length 0),
 * which is how the drivers and the scap converter mark a value they could not get.
 */
export function encodeParam(type: string, value: ParamValue, where: string): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  const width = fixedWidth(type);
  if (width > 0) {
    if (type === 'PT_IPV4ADDR' && typeof value === 'string') return ipv4Bytes(value);
    if (type === 'PT_IPV6ADDR' && typeof value === 'string') return ipv6Bytes(value);
    if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean') {
      throw new Error(`${where}: ${type} needs a number, got ${JSON.stringify(value)}`);
    }
    return intBytes(width, value);
  }
  switch (type) {
    case 'PT_CHARBUF':
    case 'PT_FSPATH':
    case 'PT_FSRELPATH':
      if (typeof value !== 'string') throw new Error(`${where}: ${type} needs a string`);
      return new Bytes().cstr(value).done();
    case 'PT_BYTEBUF':
    case 'PT_CHARBUFARRAY':
    case 'PT_CHARBUF_PAIR_ARRAY':
      // Argument, environment and cgroup lists: each string NUL-terminated, back to back.
      if (Array.isArray(value)) {
        const b = new Bytes();
        for (const s of value as readonly string[]) b.cstr(s);
        return b.done();
      }
      if (typeof value === 'string') return utf8.encode(value);
      break;
    case 'PT_SOCKADDR':
      if (isSpec(value)) return encodeSockAddr(value as SockAddrSpec);
      break;
    case 'PT_SOCKTUPLE':
      if (isSpec(value)) return encodeSockTuple(value as SockTupleSpec);
      break;
    case 'PT_FDLIST':
      if (Array.isArray(value)) {
        const list = value as readonly { fd: number; flags: number }[];
        const b = new Bytes().u16(list.length);
        for (const { fd, flags } of list) b.u64(BigInt(fd)).u16(flags);
        return b.done();
      }
      break;
    default:
      break;
  }
  throw new Error(
    `${where}: cannot encode ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))} as ${type} (pass its bytes as a Uint8Array)`,
  );
}
