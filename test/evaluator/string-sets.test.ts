/** The trie-walking string-set test against the builtins it replaces. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type StringOp, stringSetTest } from '../../src/evaluator/string-sets.js';

const naive: Record<StringOp, (v: string, c: string) => boolean> = {
  equals: (v, c) => v === c,
  prefix: (v, c) => v.startsWith(c),
  suffix: (v, c) => v.endsWith(c),
  contains: (v, c) => v.includes(c),
};

describe('string sets', () => {
  it('match exactly when one of the comparisons they stand for does', () => {
    // A small alphabet (with a character outside the BMP) so that constants and values overlap often.
    // Regular-expression syntax characters too: substrings are matched by a regular expression.
    const text = fc.string({ unit: fc.constantFrom('/', 'a', 'b', 'é', '𝄞', '.', '*', '(', '|', '\\', '[', '$', '\n'), maxLength: 5 });
    const pattern = fc.record({ op: fc.constantFrom<StringOp>('equals', 'prefix', 'suffix', 'contains'), text });
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 6 }), fc.array(text, { maxLength: 10 }), (patterns, values) => {
        const test = stringSetTest(patterns);
        for (const v of values) expect(test(v), `${JSON.stringify(v)} against ${JSON.stringify(patterns)}`).toBe(patterns.some((p) => naive[p.op](v, p.text)));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});
