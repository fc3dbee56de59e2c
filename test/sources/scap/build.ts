/**
 * Builds scap capture bytes for the reader's unit tests: the block versions and damaged files
 * no real capture at hand covers are synthesized here, field by field, from the layouts in
 * libscap's scap_savefile.c (see docs/scap.md).
 */
export class Bytes {
  private parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: number | bigint): this {
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b & 0xffffffffn)).u32(Number(b >> 32n));
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.u8(b[i]!);
    return this;
  }
  /** u16 length + bytes (no NUL), as the metadata blocks store strings. */
  str16(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u16(b.length).raw(b);
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A block: type, total length, body, padding to 4 bytes, total length again. */
export function block(type: number, body: Uint8Array, opts: { trailer?: number; total?: number } = {}): Uint8Array {
  const pad = (4 - (body.length % 4)) % 4;
  const total = opts.total ?? 12 + body.length + pad;
  return new Bytes()
    .u32(type)
    .u32(total)
    .raw(body)
    .raw(new Array(pad).fill(0))
    .u32(opts.trailer ?? total)
    .bytes();
}

export function shb(opts: { magic?: number; major?: number; minor?: number; options?: Uint8Array } = {}): Uint8Array {
  const body = new Bytes()
    .u32(opts.magic ?? 0x1a2b3c4d)
    .u16(opts.major ?? 1)
    .u16(opts.minor ?? 2)
    .u64(-1n)
    .raw(opts.options ?? [])
    .bytes();
  return block(0x0a0d0d0a, body);
}

export function machineInfo(hostname: string, numCpus = 4): Uint8Array {
  const name = new Uint8Array(128);
  name.set(Buffer.from(hostname));
  return block(
    0x201,
    new Bytes()
      .u32(numCpus)
      .u64(8n << 30n)
      .u64(32768)
      .raw(name)
      .u64(1700000000000000000n)
      .u64(0)
      .u64(0)
      .u64(0)
      .bytes(),
  );
}

export interface EventSpec {
  type: number;
  ts?: bigint;
  tid?: number;
  cpu?: number;
  flags?: number;
  params: Uint8Array[];
}

/** An event block; `kind` picks the block type (V1: no nparams in the header). */
export function eventBlock(e: EventSpec, kind: 'EV' | 'EVF' | 'EV_V2' | 'EVF_V2' | 'EV_V2_LARGE' | 'EVF_V2_LARGE' = 'EVF_V2', lenSize: 2 | 4 = 2): Uint8Array {
  const types = { EV: 0x204, EVF: 0x208, EV_V2: 0x216, EVF_V2: 0x217, EV_V2_LARGE: 0x221, EVF_V2_LARGE: 0x222 };
  const v2 = kind.includes('V2');
  const hdr = v2 ? 26 : 22;
  const data = e.params.reduce((n, p) => n + p.length, 0);
  const len = hdr + e.params.length * lenSize + data;
  const b = new Bytes().u16(e.cpu ?? 0);
  if (kind.startsWith('EVF')) b.u32(e.flags ?? 0);
  b.u64(e.ts ?? 1000n)
    .u64(e.tid ?? 42)
    .u32(len)
    .u16(e.type);
  if (v2) b.u32(e.params.length);
  for (const p of e.params) lenSize === 2 ? b.u16(p.length) : b.u32(p.length);
  for (const p of e.params) b.raw(p);
  return block(types[kind], b.bytes());
}

export const p = {
  u8: (v: number) => new Bytes().u8(v).bytes(),
  u16: (v: number) => new Bytes().u16(v).bytes(),
  u32: (v: number) => new Bytes().u32(v).bytes(),
  u64: (v: number | bigint) => new Bytes().u64(v).bytes(),
  str: (s: string) => new Bytes().raw(Buffer.from(`${s}\0`)).bytes(),
  bytes: (b: ArrayLike<number>) => Uint8Array.from(b),
};

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}
