/** IPv4/IPv6 addresses and networks, as libsinsp compares them (16-byte form for both). */
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  version: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
}

export interface IpNetwork {
  address: IpAddress;
  prefix: number;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { version: 4, bytes: Uint8Array.from(text.split('.').map(Number)) };
  if (isIPv6(text)) return { version: 6, bytes: ipv6Bytes(text) };
  return undefined;
}

/** `10.0.0.0/8`, `2001:db8::/32`; a bare address is a host network. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const max = address.version === 4 ? 32 : 128;
  if (slash < 0) return { address, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]+$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= max ? { address, prefix } : undefined;
}

export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  const version = network.address.version;
  if (!comparable(address, version)) return false;
  const n = network.address.bytes;
  let bits = network.prefix;
  for (let i = 0; i < n.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((byteAs(address, version, i) & mask) !== (n[i]! & mask)) return false;
  }
  return true;
}

export function sameAddress(a: IpAddress, b: IpAddress): boolean {
  if (!comparable(a, b.version)) return false;
  for (let i = 0; i < b.bytes.length; i++) if (byteAs(a, b.version, i) !== b.bytes[i]) return false;
  return true;
}

/** Whether the address has a form in the other family (IPv4-mapped IPv6 ↔ IPv4). */
function comparable(address: IpAddress, version: 4 | 6): boolean {
  if (address.version === version || version === 6) return true;
  const b = address.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** Byte `i` of the address in `version`'s form (checked with `comparable`); allocates nothing. */
function byteAs(address: IpAddress, version: 4 | 6, i: number): number {
  const b = address.bytes;
  if (address.version === version) return b[i]!;
  if (version === 4) return b[12 + i]!;
  return i < 10 ? 0 : i < 12 ? 0xff : b[i - 12]!;
}

function ipv6Bytes(text: string): Uint8Array {
  let head = text;
  let tail4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.split('::') as [string, string | undefined];
  const l = left ? left.split(':') : [];
  const r = right !== undefined && right !== '' ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array(8 - l.length - r.length).fill('0'), ...r];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g || '0', 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 0xff;
  });
  if (tail4.length === 4) bytes.set(tail4, 12);
  return bytes;
}
