/**
 * Loading with the fast YAML reader gives exactly what loading with the `yaml` package gives:
 * the same diagnostics at the same positions and the same compiled rules. This checks the
 * fast reader's contract (the loader only uses scalar values, styles and start/end offsets)
 * from the loader's side, on the fixtures, the bundled rules, the upstream files, and
 * upstream files with mistakes planted deep inside folded conditions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { printCondition } from '../../src/parser/index.js';
import type { LoadedRules, RulesContent } from '../../src/rules/loader.js';
import { loadResultJson } from '../../src/rules/report.js';
import { UPSTREAM_RULE_FILES } from '../helpers/upstream.js';

type Loader = (files: RulesContent[]) => LoadedRules;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = `${ROOT}test/fixtures/loader/`;

/** The normal loader, and one whose fast reader always declines (so `yaml` reads everything). */
async function loaders(): Promise<{ fast: Loader; general: Loader; reads: () => number }> {
  vi.resetModules();
  const fast = (await import('../../src/rules/loader.js')).loadRulesContents;
  const real = await import('../../src/rules/yaml-fast.js');
  let reads = 0;
  vi.resetModules();
  vi.doMock('../../src/rules/yaml-fast.js', () => ({ readYamlFast: () => undefined }));
  const general = (await import('../../src/rules/loader.js')).loadRulesContents;
  vi.doUnmock('../../src/rules/yaml-fast.js');
  return {
    fast: (files) => {
      reads += files.filter((f) => real.readYamlFast(f.text) !== undefined).length;
      return fast(files);
    },
    general,
    reads: () => reads,
  };
}

/** What a load shows: every file's diagnostics (Falco's JSON, positions included) and the rules. */
function summary(loaded: LoadedRules): unknown {
  return {
    successful: loaded.successful,
    results: loaded.results.map((r) => loadResultJson(r, loaded.contents)),
    rules: loaded.output?.rules.map((r) => ({
      name: r.name,
      condition: printCondition(r.condition),
      raw: r.rawCondition,
      output: r.output,
      description: r.description,
      priority: r.priority,
      tags: r.tags,
      enabled: r.enabled,
      eventTypes: [...r.eventTypes.codes].sort(),
      exceptions: r.exceptionNames,
      exceptionPositions: r.exceptionContexts.map((c) => c.map((l) => l.position)),
    })),
  };
}

function read(path: string): RulesContent {
  return { name: path, text: readFileSync(path, 'utf8') };
}

describe('loading through the fast YAML reader', async () => {
  const { fast, general, reads } = await loaders();

  it('gives the same results as the yaml package on every loader fixture', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));
    expect(fixtures.length).toBeGreaterThan(80);
    const before = reads();
    for (const file of fixtures) {
      const text = readFileSync(FIXTURES + file, 'utf8');
      const stack = text
        .split('\n')
        .filter((l) => l.startsWith('# stack: '))
        .map((l) => read(FIXTURES + l.slice('# stack: '.length).trim()));
      const files = [...stack, { name: FIXTURES + file, text }];
      expect(summary(fast(files)), file).toEqual(summary(general(files)));
    }
    // Most fixtures take the fast path, or the comparison would show little.
    expect(reads() - before).toBeGreaterThan(fixtures.length / 2);
  });

  it('gives the same results on the bundled rules and the upstream files stacked', () => {
    const bundled = readdirSync(`${ROOT}rules/`)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => read(`${ROOT}rules/${f}`));
    for (const files of [bundled, UPSTREAM_RULE_FILES.map(read)]) {
      const result = fast(files);
      expect(result.successful).toBe(true);
      expect(summary(result)).toEqual(summary(general(files)));
    }
  });

  it('reports a mistake inside a folded condition or an output at the same place', () => {
    // Misspell a field at places spread over the upstream file (conditions, most of them
    // folded block scalars, and outputs): each load stops at that error, whose position is
    // worked out from offsets inside the scalar.
    const file = read(UPSTREAM_RULE_FILES[0]!);
    const offsets = [...file.text.matchAll(/proc\.name\b/g)].map((m) => m.index!);
    expect(offsets.length).toBeGreaterThan(40);
    let failed = 0;
    for (const at of offsets.filter((_, i) => i % 3 === 0)) {
      const planted = { name: file.name, text: `${file.text.slice(0, at)}proc.nmae${file.text.slice(at + 'proc.name'.length)}` };
      const result = fast([planted]);
      if (!result.successful) failed++;
      expect(summary(result)).toEqual(summary(general([planted])));
    }
    // Some places are comments or descriptions; most must have produced an error.
    expect(failed).toBeGreaterThan(10);
  });
});
