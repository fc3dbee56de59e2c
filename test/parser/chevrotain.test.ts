/**
 * Chevrotain is loaded from its single-file build (start-up would otherwise import ~700
 * module files); it must be that build, and the same release as the package's entry point.
 * Commands build the parser without Chevrotain's grammar checks: they run here instead.
 */
import { describe, expect, it } from 'vitest';
import { chevrotainBuild, chevrotainVersion } from '../../src/parser/chevrotain.js';
import { ConditionParser } from '../../src/parser/parser.js';

describe('chevrotain loading', () => {
  it('takes the single-file build of the installed release', async () => {
    expect(chevrotainBuild).toBe('single file');
    const entry = await import('chevrotain');
    expect(chevrotainVersion).toBe(entry.VERSION);
  });
});

describe('the condition grammar', () => {
  it('passes the checks of Chevrotain (ambiguous alternatives, left recursion, unused rules)', () => {
    expect(() => new ConditionParser({ validate: true })).not.toThrow();
  });
});
