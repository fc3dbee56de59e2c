/** Helpers the extractors share: addresses as inet_ntop prints them, paths as libsinsp joins them. */
import { describe, expect, it } from 'vitest';
import { capsToString } from '../../../../src/sources/scap/fields/caps.js';
import { concatenatePaths, ipText } from '../../../../src/sources/scap/fields/common.js';
import { ip } from './helpers.js';

// Expected texts are glibc's inet_ntop, checked with python3 socket.inet_ntop(AF_INET6, ...).
describe('ipText', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::', '::'],
    ['::1', '::1'],
    ['::2', '::2'],
    ['2001:4860:4860::8888', '2001:4860:4860::8888'],
    ['2600:1f18:262c:6542:9aa6:df7a:9a47:d29e', '2600:1f18:262c:6542:9aa6:df7a:9a47:d29e'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:0:1:1:0:0:1', '1::1:1:0:0:1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['::ffff:102:304', '::ffff:1.2.3.4'],
    ['::102:304', '::1.2.3.4'],
    ['fe80::1:0:0', 'fe80::1:0:0'],
  ])('%s prints as %s', (input, printed) => {
    expect(ipText(ip(input))).toBe(printed);
  });
});

describe('concatenatePaths (libsinsp concatenate_paths)', () => {
  it.each([
    ['/home/u/', 'a', '/home/u/a'],
    ['/home/u/', '../x', '/home/x'],
    ['/home/u/', './a//b/', '/home/u/a/b'],
    ['/home/u/', '/etc/./passwd', '/etc/passwd'],
    ['', '/tmp/dir1/dir2/../../..///file.txt', '/file.txt'],
    ['/', '..', '/'],
    ['', '/', '/'],
    ['<UNKNOWN>/', 'x', '<UNKNOWN>/x'],
  ])('%s + %s = %s', (dir, path, joined) => {
    expect(concatenatePaths(dir, path)).toBe(joined);
  });
});

describe('capsToString', () => {
  it('names set bits, low first, space separated', () => {
    expect(capsToString(0n)).toBe('');
    expect(capsToString((1n << 41n) - 1n).split(' ')).toHaveLength(41);
    expect(capsToString(1n << 12n)).toBe('CAP_NET_ADMIN');
    expect(capsToString((1n << 12n) | (1n << 13n))).toBe('CAP_NET_ADMIN CAP_NET_RAW');
  });
});
