/**
 * Chevrotain, loaded from the single-file build its package ships (`lib/chevrotain.mjs`)
 * instead of its entry point, which imports some 700 module files (its sources and
 * lodash-es) and so cost ~200 ms of every kestrel start-up. The package's export map does
 * not name that file, so it is found beside the entry point; should a release move it,
 * the entry point is used.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function loadChevrotain(): Promise<{ chevrotain: Chevrotain; build: 'single file' | 'entry point' }> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    const bundle = path.join(path.dirname(entry), '..', 'chevrotain.mjs');
    return { chevrotain: (await import(pathToFileURL(bundle).href)) as Chevrotain, build: 'single file' };
  } catch {
    return { chevrotain: await import('chevrotain'), build: 'entry point' };
  }
}

const { chevrotain, build } = await loadChevrotain();

/** Which of Chevrotain's builds was loaded (a test checks that start-up takes the fast one). */
export const chevrotainBuild = build;
export const chevrotainVersion = chevrotain.VERSION;

export const { createToken, EmbeddedActionsParser, EOF, Lexer, tokenMatcher } = chevrotain;
export type { IToken, TokenType } from 'chevrotain';
