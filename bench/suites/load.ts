import type { Bench } from 'tinybench';
import { readFileSync } from 'node:fs';
import { loadRulesContents } from '../../src/rules/loader.js';
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
    return { timeTargets: [{ task, atMostMs: 100 }] };
  },
};
