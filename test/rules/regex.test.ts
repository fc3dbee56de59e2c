/**
 * `regex` values compile as libsinsp compiles them: RE2 with RE2::POSIX options. Each
 * expectation below is what RE2 itself answered (re2 2022-06-01, the version libs builds
 * against, through `RE2 re(pattern, RE2::POSIX)` and "invalid regex pattern: " + re.error(),
 * as sinsp_filter_check::add_filter_value words it).
 */
import { describe, expect, it } from 'vitest';
import { compileRegex } from '../../src/operators/regex.js';

// [pattern, libsinsp's error, or null when RE2 accepts the pattern]
const RE2_ANSWERS: [string, string | null][] = [
  ['$^', null],
  ['(', 'invalid regex pattern: missing ): ('],
  ['()', null],
  ['(?=a)', 'invalid regex pattern: no argument for repetition operator: ?'],
  ['(?P=n)', 'invalid regex pattern: no argument for repetition operator: ?'],
  ['(?i)abc', 'invalid regex pattern: no argument for repetition operator: ?'],
  ['(a))', 'invalid regex pattern: unexpected ): (a))'],
  ['(a{100}){100}', 'invalid regex pattern: invalid repetition size: {100}'],
  ['(|)', null],
  ['+a', 'invalid regex pattern: no argument for repetition operator: +'],
  ['.*\\.sh$', null],
  ['[-', 'invalid regex pattern: missing ]: [-'],
  ['[--', 'invalid regex pattern: invalid UTF-8'],
  ['[--a]', null],
  ['[-ab]', null],
  ['[[:alpha:]', 'invalid regex pattern: missing ]: [[:alpha:]'],
  ['[[:digit:]-a]', 'invalid regex pattern: invalid character class range: -a'],
  ['[[:foo:]]', 'invalid regex pattern: invalid character class range: [:foo:]'],
  ['[\\d]', 'invalid regex pattern: invalid escape sequence: \\d'],
  ['[]a]', null],
  ['[^-a]', null],
  ['[^]', 'invalid regex pattern: missing ]: [^]'],
  ['[a', 'invalid regex pattern: missing ]: [a'],
  ['[a-', 'invalid regex pattern: invalid UTF-8'],
  ['[a--]', 'invalid regex pattern: invalid character class range: a--'],
  ['[a-[:digit:]]', 'invalid regex pattern: invalid character class range: a-['],
  ['[a-\\d]', 'invalid regex pattern: invalid escape sequence: \\d'],
  ['[a-]', null],
  ['[a-b', 'invalid regex pattern: missing ]: [a-b'],
  ['[a-b-c]', 'invalid regex pattern: invalid character class range: -c'],
  ['[a-bc-]', null],
  ['[a-z-9]', 'invalid regex pattern: invalid character class range: -9'],
  ['[a-z-]x', null],
  ['[a\\-b]', null],
  ['[ab-]', null],
  ['[unclosed', 'invalid regex pattern: missing ]: [unclosed'],
  ['[z-a]', 'invalid regex pattern: invalid character class range: z-a'],
  ['[é-a]', 'invalid regex pattern: invalid character class range: é-a'],
  ['\\', 'invalid regex pattern: trailing \\'],
  ['\\1', 'invalid regex pattern: invalid escape sequence: \\1'],
  ['\\8', 'invalid regex pattern: invalid escape sequence: \\8'],
  ['\\C', 'invalid regex pattern: invalid escape sequence: \\C'],
  ['\\Qa\\E', 'invalid regex pattern: invalid escape sequence: \\Q'],
  ['\\Z', 'invalid regex pattern: invalid escape sequence: \\Z'],
  ['\\d+', 'invalid regex pattern: invalid escape sequence: \\d'],
  ['\\pL', 'invalid regex pattern: invalid escape sequence: \\p'],
  ['\\xZZ', 'invalid regex pattern: invalid escape sequence: \\xZZ'],
  ['\\x{110000}', 'invalid regex pattern: invalid escape sequence: \\x{110000'],
  ['\\x{41}', null],
  ['\\z', 'invalid regex pattern: invalid escape sequence: \\z'],
  ['^/etc/(passwd|shadow)$', null],
  ['a**', null],
  ['a*?', null],
  ['a++', null],
  ['a{,5}', null],
  ['a{1,2}{3}', null],
  ['a{1000}{1000}', 'invalid regex pattern: invalid repetition size: {1000}'],
  ['a{1001}', 'invalid regex pattern: invalid repetition size: {1001}'],
  ['a{2,1}', 'invalid regex pattern: invalid repetition size: {2,1}'],
  ['a|*', 'invalid regex pattern: no argument for repetition operator: *'],
  ['x)', 'invalid regex pattern: unexpected ): x)'],
  ['{', null],
  ['é', null],
  ['[\\d]', 'invalid regex pattern: invalid escape sequence: \\d'],
  ['\\bword\\b', 'invalid regex pattern: invalid escape sequence: \\b'],
  ['a*?', null],
  ['x{2}{3}{4}', null],
  ['[[:alpha:]_]+', null],
  ['^/usr/(s?bin)/.*$', null],
  ['\\x{2d}', null],
  ['a\\', 'invalid regex pattern: trailing \\'],
];

describe('regex values', () => {
  it.each(RE2_ANSWERS)('%j', (pattern, error) => {
    const result = compileRegex(pattern);
    if (error === null) expect(result.ok).toBe(true);
    else expect(result).toMatchObject({ ok: false, message: error });
  });

  it('match with POSIX semantics, anchored at both ends', () => {
    const match = (pattern: string, text: string) => {
      const result = compileRegex(pattern);
      if (!result.ok) throw new Error(result.message);
      return result.regex.matches(text);
    };
    expect(match('bash -c .*', 'bash -c ls')).toBe(true);
    expect(match('bash', 'bash -c ls')).toBe(false);
    // a stacked repetition is valid POSIX syntax (Perl syntax rejects it)
    expect(match('a**', 'aaa')).toBe(true);
    // `[^a]` matches a newline: RE2 sets ClassNL for every pattern
    expect(match('x[^a]y', 'x\ny')).toBe(true);
  });
});
