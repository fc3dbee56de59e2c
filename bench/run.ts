/**
 * `npm run bench`: runs every suite with tinybench, prints a table and writes
 * bench/results.json (name, unit, median, min, max, samples, plus node version and CPU).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bench } from 'tinybench';
import { loadSuite } from './suites/load.js';
import { parseSuite } from './suites/parse.js';
import type { Figure, Suite } from './types.js';

const SUITES: Suite[] = [parseSuite, loadSuite];

async function main(): Promise<void> {
  const only = process.argv[2];
  const figures: Figure[] = [];
  for (const suite of SUITES) {
    if (only && suite.name !== only) continue;
    const bench = new Bench({ time: 1000, warmupTime: 200 });
    const extra = (await suite.register(bench)) ?? [];
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (!r || r.state !== 'completed') {
        throw new Error(`benchmark '${task.name}' did not complete: ${r && 'error' in r ? String(r.error) : r?.state}`);
      }
      const latency = r.latency;
      figures.push({ name: task.name, unit: 'ms', median: latency.p50, min: latency.min, max: latency.max, samples: latency.samplesCount });
    }
    figures.push(...extra);
  }
  const rows = figures.map((f) => ({
    name: f.name,
    median: `${round(f.median)} ${f.unit}`,
    min: round(f.min),
    max: round(f.max),
    samples: f.samples,
    target: f.target ? `${f.target} ${f.met ? '(met)' : '(NOT met)'}` : '',
  }));
  console.table(rows);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    figures,
  };
  const out = path.resolve(process.cwd(), 'bench/results.json');
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`results written to ${out}`);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

await main();
