import { readFileSync } from 'node:fs';
import type { Bench } from 'tinybench';
import { parseAllDocuments } from 'yaml';
import { loadRulesContents } from '../../src/rules/loader.js';
import { readYamlFast } from '../../src/rules/yaml-fast.js';
import { UPSTREAM_RULE_FILES } from '../shared.js';
import type { Registration, Suite } from '../types.js';

export const loadSuite: Suite = {
  name: 'load',
  register(bench: Bench): Registration {
    // Files are read once: the figure is load + expand + check, not disk I/O.
    const contents = UPSTREAM_RULE_FILES.map((name) => ({ name, text: readFileSync(name, 'utf8') }));
    const task = 'load + expand + check the three upstream files stacked';
    bench.add(task, () => {
      const loaded = loadRulesContents(contents);
      if (!loaded.successful) throw new Error('upstream rules did not load');
    });
    // What the fast YAML reader buys (src/rules/yaml-fast.ts): the same three files read by it
    // and by the yaml package alone, as the loader would read them without it.
    bench.add('YAML of the three upstream files: fast reader', () => {
      for (const c of contents) if (!readYamlFast(c.text)) throw new Error(`the fast reader declined ${c.name}`);
    });
    bench.add('YAML of the three upstream files: yaml package', () => {
      for (const c of contents) parseAllDocuments(c.text, { schema: 'failsafe', uniqueKeys: false });
    });
    return { timeTargets: [{ task, atMostMs: 100 }] };
  },
};
