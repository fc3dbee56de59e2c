/** The plain-path fast path of concatenatePaths gives what the character-by-character fold gives. */
import { describe, expect, it } from 'vitest';
import { concatenatePaths, normalizeInto } from '../../../../src/sources/scap/state/paths.js';

describe('concatenatePaths fast path', () => {
  it('agrees with the full fold on every short path over a/./ (bases and paths up to 6 characters)', () => {
    const alphabet = ['a', '.', '/'];
    const all: string[] = [''];
    for (let len = 1, level = ['']; len <= 6; len++) {
      level = level.flatMap((p) => alphabet.map((c) => p + c));
      all.push(...level);
    }
    let checked = 0;
    for (const base of all.filter((b) => b.length <= 4)) {
      for (const path of all) {
        const want = path.length !== 0 && path[0] !== '/' ? normalizeInto(base, path) : normalizeInto('', path);
        if (concatenatePaths(base, path) !== want) expect(`${base} + ${path} -> ${concatenatePaths(base, path)}`).toBe(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });
});
