/**
 * Numeric constants read as libsinsp reads them (value_parser.cpp, sinsp_numparser): the
 * reference evaluator's constant() models the same independently; these pin the messages and
 * the service-name lookup, which the reference does not cover.
 */
import { describe, expect, it } from 'vitest';
import { canonicalConstant, ipConstantProblem, numericConstantProblem, ServiceTable } from '../../src/operators/constants.js';

const services = new ServiceTable(
  () => `# a services database
tcpmux    1/tcp                 # TCP port service multiplexer
http      80/tcp   www          # WorldWideWeb HTTP
https     443/tcp
https     443/udp
domain    53/tcp
domain    53/udp
`,
);
const none = new ServiceTable(() => {
  throw new Error('ENOENT');
});

describe('numeric constants', () => {
  it.each([
    ['5', 'int64', '5'],
    ['+5', 'int64', '5'],
    [' \t5', 'uint64', '5'],
    ['-1', 'uint32', '4294967295'],
    ['4294967296', 'uint32', '0'],
    ['-1', 'uint64', '18446744073709551615'],
    ['65537', 'int16', '1'],
    ['2147483648', 'int32', '-2147483648'],
    ['-5', 'double', '-5'],
    ['-1', 'reltime', '18446744073709551615'],
  ] as const)('%j for %s is %s', (text, type, value) => {
    expect(numericConstantProblem(text, type)).toBeUndefined();
    expect(canonicalConstant(text, type)).toBe(value);
  });

  it.each([
    ['0x10', 'int64'],
    ['1.5', 'double'],
    ['0.0', 'double'],
    ['5 ', 'uint32'],
    ['', 'int64'],
    ['abc', 'abstime'],
  ] as const)('%j for %s is not a valid number', (text, type) => {
    expect(numericConstantProblem(text, type)).toBe(`${text} is not a valid number`);
  });

  it('leaves other types alone', () => {
    expect(numericConstantProblem('0x10', 'charbuf')).toBeUndefined();
    expect(canonicalConstant(' -1', 'charbuf')).toBe(' -1');
  });
});

describe('ports', () => {
  it('take digits (stored in 16 bits), nothing (0), or a service name or alias, the first line naming it', () => {
    expect(canonicalConstant('443', 'port', services)).toBe('443');
    expect(canonicalConstant('65616', 'port', services)).toBe('80');
    expect(canonicalConstant('', 'port', services)).toBe('0');
    expect(canonicalConstant('https', 'port', services)).toBe('443');
    expect(canonicalConstant('www', 'port', services)).toBe('80');
    expect(numericConstantProblem('domain', 'port', services)).toBeUndefined();
  });

  it('refuse an unknown name, or any name without a services database, with getservbyname failing', () => {
    expect(numericConstantProblem('nosuch', 'port', services)).toBe('unrecognized protocol nosuch');
    expect(numericConstantProblem('-1', 'port', services)).toBe('unrecognized protocol -1');
    expect(numericConstantProblem('http', 'port', none)).toBe('unrecognized protocol http');
    expect(canonicalConstant('http', 'port', none)).toBe('http');
  });
});

describe('addresses and networks', () => {
  it.each([
    ['127.0.0.1', 'ipaddr', undefined],
    ['::1', 'ipaddr', undefined],
    ['127.1', 'ipaddr', 'unrecognized IPv4 address 127.1'],
    ['127.000.000.001', 'ipaddr', 'unrecognized IPv4 address 127.000.000.001'],
    ['::ffff:1.2.3.4', 'ipaddr', 'unrecognized IPv4 address ::ffff:1.2.3.4'],
    ['fe80::1%eth0', 'ipaddr', 'unrecognized IPv6 address fe80::1%eth0'],
    ['1.2.3.4/8', 'ipaddr', 'unrecognized IPv4 address 1.2.3.4/8'],
    ['10.0.0.0/8', 'ipnet', undefined],
    ['10.0.0.0/0', 'ipnet', undefined],
    ['10.0.0.0', 'ipnet', 'unrecognized IP network 10.0.0.0'],
    ['10.0.0/8', 'ipnet', 'unrecognized IP address 10.0.0/8'],
    ['10.0.0.0/33', 'ipnet', 'invalid netmask 33'],
    ['10.0.0.0/-1', 'ipnet', 'invalid netmask -1'],
    ['10.0.0.0/8x', 'ipnet', '8x is not a valid number'],
    ['2001:db8::/32', 'ipnet', undefined],
    ['2001:db8::/0', 'ipnet', 'invalid v6 netmask 0'],
    ['2001:db8::/129', 'ipnet', 'invalid v6 netmask 129'],
    ['2001:db8::', 'ipnet', ' is not a valid number'],
    ['2001:zz8::/32', 'ipnet', 'unrecognized IPv6 address 2001:zz8::/32'],
  ] as const)('%s as %s', (text, type, problem) => {
    expect(ipConstantProblem(text, type)).toBe(problem);
  });

  it('keep a network mask in 8 bits, as parseu8 does', () => {
    expect(canonicalConstant('10.0.0.0/264', 'ipnet')).toBe('10.0.0.0/8');
    expect(canonicalConstant('10.0.0.0/08', 'ipnet')).toBe('10.0.0.0/8');
    expect(ipConstantProblem('10.0.0.0/264', 'ipnet')).toBeUndefined();
  });
});
