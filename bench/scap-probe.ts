/**
 * Native scap runs for the scap-native suite, each in a process of its own (a fresh heap, and
 * wall time comparable with sysdig's, startup included). Prints one JSON line on stderr.
 *   filter FILE COND   the events COND selects, their evt.num printed one a line (as
 *                      `sysdig -r FILE -p %evt.num COND` prints them)
 *   replay FILE [N]    replay against the three upstream rules files, N passes (the first
 *                      in a cold process, the others warm)
 *   memory FILE        the same with --expose-gc: heap after a full collection every 2^20
 *                      events, and peak RSS
 */
import { writeSync } from 'node:fs';
import { ProgramBuilder } from '../src/evaluator/program-builder.js';
import { FieldCatalogue } from '../src/fields/catalogue.js';
import { parseCondition } from '../src/parser/index.js';
import type { ScapEvent } from '../src/sources/scap/event.js';
import { readScapPipelined } from '../src/sources/scap/pipeline.js';
import { ScapEventSource } from '../src/sources/scap/source.js';

const [mode, file, condition] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: scap-probe filter|replay|memory FILE [COND]');
const start = process.hrtime.bigint();
const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
const cpu0 = process.cpuUsage();
/** CPU seconds of this process so far (less sensitive than wall time to other jobs on the machine). */
const cpu = () => {
  const c = process.cpuUsage(cpu0);
  return (c.user + c.system) / 1e6;
};
const report = (r: Record<string, unknown>) => writeSync(2, `${JSON.stringify(r)}\n`);

if (mode === 'filter') {
  const parsed = parseCondition(condition ?? '');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const source = new ScapEventSource();
  const predicate = new ProgramBuilder(source, FieldCatalogue.syscall()).compile(parsed.ast);
  let events = 0;
  let matched = 0;
  let out = '';
  source.beginCapture();
  // As `kestrel replay --filter` reads a file: on two threads from 32 MB (KESTREL_SCAP_THREADS=1: one).
  const r = await readScapPipelined(
    file,
    (ev: ScapEvent) => {
      events++;
      source.update(ev);
      if (!predicate(ev)) return;
      matched++;
      out += `${ev.num}\n`;
      if (out.length > 1 << 16) {
        writeSync(1, out);
        out = '';
      }
    },
    { handler: source.metadataHandler() },
  );
  if (out !== '') writeSync(1, out);
  if (r.error) throw new Error(r.error.message);
  report({ events, matched, seconds: elapsed(), cpuSeconds: cpu() });
} else if (mode === 'replay' || mode === 'memory') {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (mode === 'memory' && !gc) throw new Error('run memory with --expose-gc');
  // Imported here: filtering needs neither the rules loader nor the yaml package (a third of
  // a filtering process's start-up).
  const { Replayer } = await import('../src/replay/replay.js');
  const { replayScap } = await import('../src/replay/scap.js');
  const { loadRulesFiles } = await import('../src/rules/loader.js');
  const { UPSTREAM_RULE_FILES } = await import('./shared.js');
  const rules = loadRulesFiles(UPSTREAM_RULE_FILES).output!.rules;
  // replay [PASSES]: the first pass is a cold process (JIT warming up), later ones warm.
  const passes = mode === 'replay' ? Math.max(1, Number(condition ?? 1)) : 1;
  let alerts = 0;
  let seen = 0;
  const heap: number[] = [];
  const loaded = elapsed();
  const passSeconds: number[] = [];
  const passCpuSeconds: number[] = [];
  let events = 0;
  for (let pass = 0; pass < passes; pass++) {
    const source = new ScapEventSource();
    const replayer = new Replayer<ScapEvent>(rules, {}, undefined, source);
    const cpuBefore = cpu();
    const r = await replayScap(file, file, replayer, source, () => void alerts++, {
      // called before each event: samples the heap every 2^20 events
      stopped:
        mode === 'memory'
          ? () => {
              if ((++seen & 0xfffff) === 0) {
                gc!();
                heap.push(process.memoryUsage().heapUsed);
              }
              return false;
            }
          : undefined,
    });
    if (r.error) throw new Error(r.error.message);
    passSeconds.push(replayer.stats.seconds);
    passCpuSeconds.push(cpu() - cpuBefore);
    events = replayer.stats.eventsRead;
  }
  report({
    events,
    alerts,
    seconds: passSeconds[0],
    cpuSeconds: passCpuSeconds[0],
    passSeconds,
    passCpuSeconds,
    loadSeconds: loaded,
    heap,
    maxRssKb: process.resourceUsage().maxRSS,
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
