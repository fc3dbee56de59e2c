import { createReadStream, statSync } from 'node:fs';
import { Replayer } from '../../src/replay/replay.js';
import { loadRulesFiles } from '../../src/rules/loader.js';
import { readCaptureBatches } from '../../src/sources/jsonl/captures.js';
import { lineBatches } from '../../src/sources/jsonl/lines.js';
import { replayCapture } from '../data.js';
import { UPSTREAM_RULE_FILES } from '../shared.js';
import type { Figure, Registration, Suite } from '../types.js';

/** Runs of each loop, alternating; the ratio is taken per run (same conditions), then the median. */
const RUNS = 3;

/** End to end: replay of a million-event JSONL capture against the three upstream files. */
export const replaySuite: Suite = {
  name: 'replay',
  async register(): Promise<Registration> {
    const file = await replayCapture();
    const megabytes = statSync(file).size / 1e6;
    const rules = loadRulesFiles(UPSTREAM_RULE_FILES).output!.rules;

    const replay: number[] = [];
    const bare: number[] = [];
    let events = 0;
    // An untimed pass first, so that every timed run reads the file from the page cache.
    for await (const lines of lineBatches(createReadStream(file, { highWaterMark: 1 << 20 }))) void lines;
    for (let run = 0; run < RUNS; run++) {
      // The floor for JSONL input: split lines (with kestrel's own splitter, the fastest
      // we have) and JSON.parse them, nothing else.
      let start = process.hrtime.bigint();
      let parsed = 0;
      for await (const lines of lineBatches(createReadStream(file, { highWaterMark: 1 << 20 }))) {
        for (const line of lines) if (line !== '' && JSON.parse(line)) parsed++;
      }
      bare.push(Number(process.hrtime.bigint() - start) / 1e9);

      start = process.hrtime.bigint();
      const replayer = new Replayer(rules);
      const onAlert = () => {};
      for await (const batch of readCaptureBatches([file], process.stdin, () => {}, { exactWhenRead: true })) {
        for (const item of batch) replayer.process(item, onAlert);
      }
      replay.push(Number(process.hrtime.bigint() - start) / 1e9);
      events = replayer.stats.eventsRead;
      if (events !== parsed) throw new Error(`replay read ${events} events, the bare loop ${parsed}`);
    }
    const ratio = replay.map((seconds, i) => bare[i]! / seconds).sort((x, y) => x - y);
    const rate = (s: number[]) => s.map((x) => events / x).sort((a, b) => a - b);
    const r = rate(replay);
    const b = rate(bare);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
    const figures: Figure[] = [
      { name: `end to end replay (${events} events, three upstream files)`, unit: 'events/s', median: median(r), min: r[0]!, max: r.at(-1)!, samples: RUNS },
      {
        name: 'end to end replay',
        unit: 'MB/s',
        median: (median(r) / events) * megabytes,
        min: (r[0]! / events) * megabytes,
        max: (r.at(-1)! / events) * megabytes,
        samples: RUNS,
      },
      { name: 'bare loop: split lines + JSON.parse', unit: 'events/s', median: median(b), min: b[0]!, max: b.at(-1)!, samples: RUNS },
      {
        name: 'end to end / bare JSON.parse',
        unit: 'ratio',
        median: median(ratio),
        min: ratio[0]!,
        max: ratio.at(-1)!,
        samples: RUNS,
        target: '>= 0.75',
        met: median(ratio) >= 0.75,
      },
    ];
    return { figures };
  },
};
