/**
 * Chevrotain is loaded from its single-file build (start-up would otherwise import ~700
 * module files); it must be that build, and the same release as the package's entry point.
 */
import { describe, expect, it } from 'vitest';
import { chevrotainBuild, chevrotainVersion } from '../../src/parser/chevrotain.js';

describe('chevrotain loading', () => {
  it('takes the single-file build of the installed release', async () => {
    expect(chevrotainBuild).toBe('single file');
    const entry = await import('chevrotain');
    expect(chevrotainVersion).toBe(entry.VERSION);
  });
});
