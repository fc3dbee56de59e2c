/** Capture arguments to files: files as they are, directories by their captures' names, patterns expanded. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandCapturePaths } from '../../src/sources/jsonl/captures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-paths-'));
for (const f of ['a.jsonl', 'b.scap', 'c.scap.gz', 'notes.txt', 'sub/d.jsonl', 'odd[1].scap']) {
  mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
  writeFileSync(path.join(dir, f), '');
}
const abs = (...fs: string[]) => fs.map((f) => path.join(dir, f));

describe('capture paths', () => {
  it('a directory gives its captures, below it too, in name order', () => {
    expect(expandCapturePaths(['.'], dir)).toEqual({ files: abs('a.jsonl', 'b.scap', 'c.scap.gz', 'odd[1].scap', 'sub/d.jsonl'), missing: [] });
  });

  it('a pattern gives what it matches; a file is taken as it is, whatever its name', () => {
    expect(expandCapturePaths(['*.scap', 'notes.txt', 'odd[1].scap', '-'], dir)).toEqual({
      files: [...abs('b.scap', 'odd[1].scap', 'notes.txt', 'odd[1].scap'), '-'],
      missing: [],
    });
  });

  it('says what it did not find: a path, a pattern matching nothing, a directory without captures', () => {
    mkdirSync(path.join(dir, 'empty'), { recursive: true });
    expect(expandCapturePaths(['nope.jsonl', '*.pcap', 'empty'], dir)).toEqual({
      files: [],
      missing: ['nope.jsonl', '*.pcap', 'empty (no .jsonl or .scap files)'],
    });
  });
});
