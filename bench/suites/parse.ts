import type { Bench } from 'tinybench';
import { parseCondition } from '../../src/parser/index.js';
import { upstreamConditionTexts } from '../shared.js';
import type { Suite } from '../types.js';

export const parseSuite: Suite = {
  name: 'parse',
  register(bench: Bench) {
    const conditions = upstreamConditionTexts();
    bench.add(`parse all ${conditions.length} upstream conditions`, () => {
      for (const text of conditions) {
        const result = parseCondition(text);
        if (!result.ok) throw new Error(result.error.message);
      }
    });
  },
};
