/**
 * IP checks: dotted quads are compared as 32-bit integers (and the last one parsed is
 * remembered); every answer must be the one the byte-wise IPv4/IPv6 comparison gives,
 * whatever mix of families, mapped addresses and prefixes, and in whatever order values come.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkContains, parseIpAddress, parseIpNetwork, sameAddress } from '../../src/fields/ip.js';
import { AddressCache } from '../../src/operators/matchers.js';
import { listComparison, scalarComparison } from '../../src/operators/registry.js';

/** One cache for every check built here, as one planner's checks share theirs. */
const cache = new AddressCache();

const octet = fc.integer({ min: 0, max: 255 });
const v4 = fc.tuple(octet, octet, octet, octet).map((b) => b.join('.'));
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const v6 = fc.oneof(
  fc.array(hextet, { minLength: 8, maxLength: 8 }).map((h) => h.join(':')),
  v4.map((a) => `::ffff:${a}`),
  fc.constantFrom('::1', '::', 'fe80::1'),
);
// Addresses near each other, so that networks often contain them.
const address = fc.oneof(v4, v6, fc.constantFrom('10.0.0.5', '10.0.0.255', '192.168.1.1', '127.0.0.1', 'not-an-ip', ''));
const network = fc.oneof(
  fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
  fc.constantFrom('10.0.0.0/8', '10.0.0.0/24', '0.0.0.0/0', '::ffff:0:0/96', '::/0', '127.0.0.1'),
);

function reference(items: string[], value: string): boolean {
  const a = parseIpAddress(value);
  return a !== undefined && items.some((i) => networkContains(parseIpNetwork(i)!, a));
}

describe('IP checks', () => {
  it('networks: one parse of the value gives the byte-wise answer', () => {
    fc.assert(
      fc.property(fc.array(network, { minLength: 1, maxLength: 5 }), fc.array(address, { minLength: 1, maxLength: 6 }), (items, values) => {
        const inAny = listComparison('in', 'net', items, cache);
        const inFirst = scalarComparison('=', 'net', items[0]!, cache);
        const notInFirst = scalarComparison('!=', 'net', items[0]!, cache);
        // Several values in a row: the remembered last parse must never answer for another.
        for (const v of [...values, ...values.reverse()]) {
          expect(inAny(v)).toBe(reference(items, v));
          expect(inFirst(v)).toBe(reference([items[0]!], v));
          // A value that is not an address compares false with every operator, != too.
          expect(notInFirst(v)).toBe(parseIpAddress(v) !== undefined && !reference([items[0]!], v));
        }
      }),
      { numRuns: 1000, seed: 5 },
    );
  });

  it('addresses: equality as the byte-wise comparison', () => {
    fc.assert(
      fc.property(fc.oneof(v4, v6), fc.array(address, { minLength: 1, maxLength: 6 }), (constant, values) => {
        const eq = scalarComparison('=', 'ip', constant, cache);
        const c = parseIpAddress(constant)!;
        for (const v of [...values, constant, ...values]) {
          const a = parseIpAddress(v);
          expect(eq(v)).toBe(a !== undefined && sameAddress(a, c));
        }
      }),
      { numRuns: 1000, seed: 6 },
    );
  });
});
