import { execFileSync } from 'node:child_process';
import { replayCapture } from '../data.js';
import type { Registration, Suite } from '../types.js';

function probe(args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, ['--expose-gc', 'dist/bench/memory-probe.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Peak RSS of a million-event replay and heap growth across a million evaluations. */
export const memorySuite: Suite = {
  name: 'memory',
  async register(): Promise<Registration> {
    const file = await replayCapture();
    const heap = probe(['heap']);
    const rss = probe(['replay', file]);
    const perEvent = heap['growthBytes']! / heap['evaluations']!;
    return {
      figures: [
        {
          name: `heap growth across ${heap['evaluations']} evaluations`,
          unit: 'bytes/event',
          median: perEvent,
          min: perEvent,
          max: perEvent,
          samples: 1,
          target: '<= 0.01 (flat)',
          met: perEvent <= 0.01,
        },
        {
          name: `peak RSS, replay of ${rss['events']} events`,
          unit: 'MB',
          median: rss['maxRssKb']! / 1024,
          min: rss['maxRssKb']! / 1024,
          max: rss['maxRssKb']! / 1024,
          samples: 1,
        },
      ],
    };
  },
};
