/**
 * `npm run bench [SUITE]`: runs the suites with tinybench, prints a table with each figure
 * next to its target, and writes bench/results.json (name, unit, median, min, max, samples,
 * plus node version and CPU).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bench } from 'tinybench';
import { evaluateSuite } from './suites/evaluate.js';
import { eventGeneratorSuite } from './suites/event-generator.js';
import { loadSuite } from './suites/load.js';
import { memorySuite } from './suites/memory.js';
import { parseSuite } from './suites/parse.js';
import { replaySuite } from './suites/replay.js';
import { scapSuite } from './suites/scap.js';
import { scapNativeSuite } from './suites/scap-native.js';
import { sysdigSuite } from './suites/sysdig.js';
import type { Figure, Suite } from './types.js';

const SUITES: Suite[] = [parseSuite, loadSuite, evaluateSuite, replaySuite, memorySuite, sysdigSuite, scapSuite, scapNativeSuite, eventGeneratorSuite];

/**
 * The CPU as precisely as the system says: Node's model name alone ("AMD EPYC") cannot tell
 * two generations apart, and every figure here depends on it.
 */
function describeCpu(): string {
  const model = os.cpus()[0]?.model ?? 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string) => new RegExp(`^${name}\\s*: (.*)$`, 'm').exec(info)?.[1]?.trim();
    const details = [
      field('cpu family') && `family ${field('cpu family')}`,
      field('model') && `model ${field('model')}`,
      field('cpu MHz') && `${Math.round(Number(field('cpu MHz')))} MHz`,
    ];
    const known = details.filter(Boolean);
    return known.length > 0 ? `${model} (${known.join(', ')})` : model;
  } catch {
    return model;
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const cpu = describeCpu();
  console.log(`machine: ${cpu}, ${os.cpus().length} cores, node ${process.version}`);
  const figures: Figure[] = [];
  for (const suite of SUITES) {
    if (only && suite.name !== only) continue;
    const bench = new Bench({ time: 1000, warmupTime: 200 });
    const registration = (await suite.register(bench)) ?? {};
    await bench.run();
    const timings = new Map<string, Figure>();
    for (const task of bench.tasks) {
      const r = task.result;
      if (!r || r.state !== 'completed') {
        throw new Error(`benchmark '${task.name}' did not complete: ${r && 'error' in r ? String(r.error) : r?.state}`);
      }
      const l = r.latency;
      const figure: Figure = { name: task.name, unit: 'ms', median: l.p50 ?? l.mean, min: l.min, max: l.max, samples: l.samplesCount };
      const target = registration.timeTargets?.find((t) => t.task === task.name);
      if (target) Object.assign(figure, { target: `<= ${target.atMostMs} ms`, met: figure.median <= target.atMostMs });
      timings.set(task.name, figure);
      figures.push(figure);
    }
    for (const t of registration.throughputs ?? []) {
      const timing = timings.get(t.task)!;
      const rate = (ms: number) => (t.perIteration / ms) * 1000;
      const median = rate(timing.median);
      figures.push({
        name: t.name,
        unit: t.unit,
        median,
        min: rate(timing.max),
        max: rate(timing.min),
        samples: timing.samples,
        ...(t.atLeast !== undefined ? { target: `>= ${format(t.atLeast)} ${t.unit}`, met: median >= t.atLeast } : {}),
      });
    }
    figures.push(...(registration.figures ?? []));
  }
  console.table(
    figures.map((f) => ({
      name: f.name,
      median: `${format(f.median)} ${f.unit}`,
      min: format(f.min),
      max: format(f.max),
      samples: f.samples,
      target: f.target ? `${f.target} ${f.met ? '(met)' : '(NOT met)'}` : '',
    })),
  );
  const results = { date: new Date().toISOString(), node: process.version, cpu, cores: os.cpus().length, figures };
  const out = path.resolve(process.cwd(), 'bench/results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results written to ${out}`);
}

function format(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n * 1000) / 1000);
}

await main();
