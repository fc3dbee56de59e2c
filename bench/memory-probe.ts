/**
 * Run with --expose-gc by the memory suite, in a process of its own: heap growth across a
 * million evaluations (the evaluation loop must allocate nothing), and peak RSS of a replay.
 * Prints one JSON line.
 */

import { Engine } from '../src/evaluator/engine.js';
import { FieldCatalogue } from '../src/fields/catalogue.js';
import { Replayer } from '../src/replay/replay.js';
import { loadRulesFiles } from '../src/rules/loader.js';
import { readCaptures } from '../src/sources/jsonl/captures.js';
import { FlatEventSource } from '../src/sources/jsonl/flat-source.js';
import { UPSTREAM_RULE_FILES } from './shared.js';
import { eventMix } from './suites/evaluate.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const mode = process.argv[2];
const rules = loadRulesFiles(UPSTREAM_RULE_FILES).output!.rules;

if (mode === 'heap') {
  const engine = new Engine(rules, new FlatEventSource(), FieldCatalogue.syscall());
  const events = eventMix();
  const evaluations = 1_000_000;
  // Warm up (compilation, caches per event type), then measure.
  for (let i = 0; i < 100_000; i++) engine.evaluate(events[i % events.length]!);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < evaluations; i++) engine.evaluate(events[i % events.length]!);
  gc();
  const after = process.memoryUsage().heapUsed;
  console.log(JSON.stringify({ evaluations, growthBytes: after - before }));
} else {
  const replayer = new Replayer(rules);
  for await (const item of readCaptures([process.argv[3]!], process.stdin, () => {}, { exactWhenRead: true })) replayer.process(item, () => {});
  console.log(JSON.stringify({ events: replayer.stats.eventsRead, maxRssKb: process.resourceUsage().maxRSS }));
}
