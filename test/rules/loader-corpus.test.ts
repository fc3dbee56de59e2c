/**
 * One small rules file per behaviour (test/fixtures/loader). Each starts with its
 * expectations, derived from Falco's loader (falcosecurity/falco userspace/engine):
 *   # expect: error|warning CODE ITEM-TYPE "ITEM-NAME" LINE:COL   (or * for any position)
 *   # expect: ok                                                   (no error, no warning)
 *   # stack: other.yaml                                            (loaded first)
 *   # message: TEXT       (the message of the first diagnostic, errors first: Falco's words, exactly)
 * LOAD_UNSAFE_NA_CHECK (only for ka./jevt. fields of the k8s audit source) and the
 * extension codes are never produced for syscall rules, so no fixture shows them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/rules/diagnostics.js';
import { loadRulesFiles } from '../../src/rules/loader.js';

const DIR = fileURLToPath(new URL('../fixtures/loader/', import.meta.url));
const ITEM_TYPES = ['rule', 'macro', 'list', 'exception', 'required_engine_version', 'required plugin versions entry', 'rules content item'];
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The innermost named item (rule, macro, list, exception…), else the innermost item of those types. */
function itemOf(d: Diagnostic): string {
  const inner = [...d.locations].reverse().filter((l) => ITEM_TYPES.includes(l.itemType));
  const item = inner.find((l) => l.itemName !== '') ?? inner[0];
  return item ? `${item.itemType} "${item.itemName}"` : 'rules content ""';
}

function describeDiagnostic(d: Diagnostic, anyPosition: boolean): string {
  const pos = d.locations[d.locations.length - 1]!.position;
  return `${d.severity} ${d.code} ${itemOf(d)} ${anyPosition ? '*' : `${pos.line}:${pos.column}`}`;
}

describe('loader corpus', () => {
  it('has at least 80 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(80);
  });

  it.each(fixtures)('%s', (file) => {
    const text = readFileSync(DIR + file, 'utf8');
    const header = text.split('\n').filter((l) => l.startsWith('# '));
    const expected = header.filter((l) => l.startsWith('# expect: ')).map((l) => l.slice('# expect: '.length).trim());
    const stack = header.filter((l) => l.startsWith('# stack: ')).map((l) => DIR + l.slice('# stack: '.length).trim());
    const messages = header.filter((l) => l.startsWith('# message: ')).map((l) => l.slice('# message: '.length).trim());
    expect(expected.length).toBeGreaterThan(0);
    const loaded = loadRulesFiles([...stack, DIR + file]);
    const result = loaded.results[loaded.results.length - 1]!;
    const diagnostics = [...result.errors, ...result.warnings];
    if (expected.includes('ok')) {
      expect(diagnostics.map((d) => `${describeDiagnostic(d, false)}: ${d.message}`)).toEqual([]);
      expect(result.successful).toBe(true);
      return;
    }
    const actual = diagnostics.map((d) => {
      const wanted = expected.find((e) => e.endsWith(' *') && describeDiagnostic(d, true) === e);
      return wanted ?? describeDiagnostic(d, false);
    });
    expect({ diagnostics: actual.sort(), messages: diagnostics.map((d) => d.message) }).toMatchObject({ diagnostics: [...expected].sort() });
    expect(result.successful).toBe(!expected.some((e) => e.startsWith('error')));
    expect(diagnostics.slice(0, messages.length).map((d) => d.message)).toEqual(messages);
  });
});
