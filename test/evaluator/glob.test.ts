/**
 * Globs made only of literal text and `*` are matched as pieces (prefix, suffix, ordered
 * middles) instead of a regular expression: both must agree on every pattern and value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globToRegExp, starGlob } from '../../src/operators/matchers.js';

const text = (units: string[], maxLength: number) => fc.string({ unit: fc.constantFrom(...units), maxLength });

describe('star globs', () => {
  it('match exactly what the glob regular expression matches', () => {
    fc.assert(
      fc.property(text(['a', 'b', '/', '.', '*'], 8), fc.array(text(['a', 'b', '/', '.'], 10), { minLength: 1, maxLength: 6 }), (pattern, values) => {
        const pieces = starGlob(pattern)!;
        const re = globToRegExp(pattern);
        for (const v of values) expect(pieces(v)).toBe(re.test(v));
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  it('upstream shapes', () => {
    const environ = starGlob('/proc/*/environ')!;
    expect(environ('/proc/1/environ')).toBe(true);
    expect(environ('/proc//environ')).toBe(true);
    expect(environ('/proc/environ')).toBe(false);
    const traversal = starGlob('*../*/../*')!;
    expect(traversal('/a/../b/../c')).toBe(true);
    expect(traversal('/a/../b')).toBe(false);
    // Overlapping pieces cannot share characters.
    expect(starGlob('ab*ba')!('aba')).toBe(false);
  });

  it('leaves other wildcards to the regular expression', () => {
    for (const p of ['a?b', '[ab]*', 'a\\*b']) expect(starGlob(p)).toBeUndefined();
  });
});
