import { describe, expect, it } from 'vitest';
import { concatenatePaths } from '../../../../src/sources/scap/state/paths.js';

// Input/output pairs of libsinsp's own test of sinsp_utils::concatenate_paths
// (falcosecurity/libs userspace/libsinsp/test/sinsp_utils.ut.cpp).
const CASES: [string, string, string][] = [
  ['', '', ''],
  ['', '../', ''],
  ['', '..', ''],
  ['/', '../', '/'],
  ['a', '../', 'a..'],
  ['a/', '../', ''],
  ['', '/foo', '/foo'],
  ['foo/', '..//a', 'a'],
  ['/foo/', '..//a', '/a'],
  ['heolo', 'w////////////..//////.////////r.|', 'r.|'],
  ['heolo', 'w/////////////..//', ''],
  ['', './', ''],
  ['', 'dir/term', 'dir/term'],
  ['', '//dir/term', '/dir/term'],
  ['/', 'dir/term', '/dir/term'],
  ['', '///dir/term', '/dir/term'],
  ['', './dir/term', 'dir/term'],
  ['/', '//dir//////term', '/dir/term'],
  ['/', '/dir/term', '/dir/term'],
  ['../.../', 'dir/././././../../.../term/', '../.../term'],
  ['../.../', '/app/custom/dir/././././../../.../term/', '/app/.../term'],
  ['../.../', '/app/custom/dir/././././../../term/', '/app/term'],
  ['./app', 'custom/term', './appcustom/term'],
  ['/app', 'custom/term', '/appcustom/term'],
  ['app', 'custom/term', 'appcustom/term'],
  ['app/', 'custom/term', 'app/custom/term'],
  ['app/////', 'custom////term', 'app/////custom/term'],
  ['/', '/app/custom/dir/././././../../term/', '/app/term'],
  ['/', '////app', '/app'],
  ['C'.repeat(1500), 'dir/term', '/DIR_TOO_LONG/FILENAME_TOO_LONG'],
  ['/root/', '../😀', '/😀'],
  ['/root/', '../诶比西', '/诶比西'],
  ['/root/', '../АБВЙЛж', '/АБВЙЛж'],
];

describe('concatenatePaths (sinsp_utils::concatenate_paths)', () => {
  for (const [a, b, want] of CASES) {
    it(`${JSON.stringify(a.length > 40 ? `${a.slice(0, 8)}…(${a.length})` : a)} + ${JSON.stringify(b)}`, () => {
      expect(concatenatePaths(a, b)).toBe(want);
    });
  }
});
