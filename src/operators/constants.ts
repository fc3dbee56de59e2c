/**
 * Numeric constants as libsinsp reads them for a field's type (value_parser.cpp
 * string_to_rawval, sinsp_numparser in utils.cpp): sscanf of one decimal integer, so leading
 * white space and a sign are allowed and nothing may follow; no hexadecimal, no fraction (a
 * double field too reads an integer). The number is then stored in the type's width, so it
 * wraps as a C cast does (`user.uid = -1` is 4294967295). A port is digits or a service name
 * looked up as getservbyname does, in /etc/services. Addresses and networks as inet_pton and
 * the network parsers read them. (Beyond 64 bits strtol saturates where this wraps: no field
 * holds such values.)
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { type FieldType, SSCANF_INTEGER } from '../fields/catalogue.js';

/**
 * The width each numeric type is stored in, and whether it is signed: the parsed integer is
 * cast to it (a double field is read as a 32-bit integer, parsed32).
 */
const STORED: Partial<Record<FieldType, [bits: number, signed: boolean]>> = {
  int16: [16, true],
  int32: [32, true],
  int64: [64, true],
  double: [32, true],
  uint32: [32, false],
  uint64: [64, false],
  reltime: [64, false],
  abstime: [64, false],
};

/** Why libsinsp would refuse `text` as a constant of a field of `type` (its message), or undefined. */
export function numericConstantProblem(text: string, type: FieldType, services: ServiceTable = SYSTEM_SERVICES): string | undefined {
  if (type === 'port') return /^[0-9]*$/.test(text) || services.port(text) !== undefined ? undefined : `unrecognized protocol ${text}`;
  if (STORED[type] === undefined) return undefined;
  return SSCANF_INTEGER.test(text) ? undefined : `${text} is not a valid number`;
}

/**
 * The constant in plain decimal, as libsinsp stores it for `type` (unchanged for other types
 * and for text libsinsp would refuse: the validator reports those).
 */
export function canonicalConstant(text: string, type: FieldType, services: ServiceTable = SYSTEM_SERVICES): string {
  if (type === 'ipnet') return canonicalNetwork(text);
  if (type === 'port') {
    if (text === '') return '0';
    // stoi, stored in 16 bits
    if (/^[0-9]+$/.test(text)) return String(Number(BigInt.asUintN(16, BigInt(text))));
    const port = services.port(text);
    return port === undefined ? text : String(port);
  }
  const stored = STORED[type];
  const m = SSCANF_INTEGER.exec(text);
  if (stored === undefined || m === null) return text;
  const [bits, signed] = stored;
  const n = BigInt(m[1]!);
  return String(signed ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n));
}

/** sinsp_numparser::parseu8: sscanf of an unsigned number, cast to 8 bits (undefined when not a number). */
function parseu8(text: string): number | undefined {
  const m = SSCANF_INTEGER.exec(text);
  return m === null ? undefined : Number(BigInt.asUintN(8, BigInt.asUintN(32, BigInt(m[1]!))));
}

/**
 * Why libsinsp would refuse `text` as an address or a network constant (its message), or
 * undefined. A constant with a dot is IPv4, any other IPv6 (so `::ffff:1.2.3.4` is no IPv4
 * address); a network needs its `/`, the IPv4 mask is 0-32, the IPv6 one 1-128, both read by
 * parseu8 (value_parser.cpp, tuples.cpp ipv6net::init).
 */
export function ipConstantProblem(text: string, type: 'ipaddr' | 'ipnet'): string | undefined {
  const v4 = text.includes('.');
  // inet_pton takes no zone index
  const ipv6 = (ip: string) => isIPv6(ip) && !ip.includes('%');
  if (type === 'ipaddr') {
    if (v4) return isIPv4(text) ? undefined : `unrecognized IPv4 address ${text}`;
    return ipv6(text) ? undefined : `unrecognized IPv6 address ${text}`;
  }
  const slash = text.indexOf('/');
  const ip = slash < 0 ? text : text.slice(0, slash);
  const mask = slash < 0 ? '' : text.slice(slash + 1);
  if (v4) {
    if (slash < 0) return `unrecognized IP network ${text}`;
    if (!isIPv4(ip)) return `unrecognized IP address ${text}`;
  } else if (!ipv6(ip)) return `unrecognized IPv6 address ${text}`;
  const bits = parseu8(mask);
  if (bits === undefined) return `${mask} is not a valid number`;
  if (v4) return bits > 32 ? `invalid netmask ${mask}` : undefined;
  return bits === 0 || bits > 128 ? `invalid v6 netmask ${mask}` : undefined;
}

/** A network constant with its mask as libsinsp stores it (8 bits): `10.0.0.0/264` is `10.0.0.0/8`. */
function canonicalNetwork(text: string): string {
  const slash = text.indexOf('/');
  const bits = slash < 0 ? undefined : parseu8(text.slice(slash + 1));
  return bits === undefined ? text : `${text.slice(0, slash)}/${bits}`;
}

/** Service names to ports, as /etc/services lists them (the first line naming one wins). */
export class ServiceTable {
  private ports: Map<string, number> | undefined;

  constructor(private readonly read: () => string) {}

  port(name: string): number | undefined {
    if (this.ports === undefined) {
      this.ports = new Map();
      let text = '';
      try {
        text = this.read();
      } catch {
        // no services database: getservbyname finds nothing
      }
      for (const line of text.split('\n')) {
        const [entry = ''] = line.split('#');
        const [service, portProto, ...aliases] = entry.trim().split(/\s+/);
        const port = Number.parseInt(portProto?.split('/')[0] ?? '', 10);
        if (service === undefined || service === '' || Number.isNaN(port)) continue;
        for (const n of [service, ...aliases]) if (!this.ports.has(n)) this.ports.set(n, port);
      }
    }
    return this.ports.get(name);
  }
}

export const SYSTEM_SERVICES = new ServiceTable(() => readFileSync('/etc/services', 'utf8'));
