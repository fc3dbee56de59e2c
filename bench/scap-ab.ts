/**
 * A/B comparison of two builds on the native scap path, in one process, runs alternated
 * (A, B, A, B, …) so that both see the same machine load:
 *   node dist/bench/scap-ab.js DIST_A DIST_B filter|replay|read FILE [RUNS]
 * DIST_A/DIST_B are build directories (dist/ of two commits: copy one aside first). Prints the
 * CPU seconds of each run and the median ratio B/A.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UPSTREAM_RULE_FILES } from './shared.js';

const [distA, distB, mode, file, runsArg] = process.argv.slice(2);
if (!distA || !distB || !file || (mode !== 'filter' && mode !== 'replay' && mode !== 'read'))
  throw new Error('usage: scap-ab DIST_A DIST_B filter|replay|read FILE [RUNS]');
const RUNS = Number(runsArg ?? 5);
const CONDITION = 'evt.type in (open, openat) and fd.name startswith /etc';

type Run = () => Promise<number>;

async function build(dist: string): Promise<Run> {
  const load = (p: string) => import(pathToFileURL(path.resolve(dist, p)).href);
  const { ScapEventSource } = await load('src/sources/scap/source.js');
  const { EventFilter } = await load('src/replay/filter.js');
  const { FieldCatalogue } = await load('src/fields/catalogue.js');
  const { parseCondition } = await load('src/parser/index.js');
  const { Replayer } = await load('src/replay/replay.js');
  const { replayScap, visitScap } = await load('src/replay/scap.js');
  const { readScap } = await load('src/sources/scap/stream.js');
  const { lightEvents } = await load('src/sources/scap/read-plan.js').catch(() => ({ lightEvents: undefined }));
  const { loadRulesFiles } = await load('src/rules/loader.js');
  const rules = mode === 'replay' ? loadRulesFiles(UPSTREAM_RULE_FILES).output!.rules : [];
  return async () => {
    const cpu = process.cpuUsage();
    let n = 0;
    if (mode === 'read') {
      // the reader and the converter alone, with the light events of the filter below (all
      // events in full for a build without read-plan.ts)
      const parsed = parseCondition(CONDITION).ast;
      const needs = new EventFilter(parsed, { format: '%evt.num' }, FieldCatalogue.syscall(), new ScapEventSource()).needs?.();
      const light = needs !== undefined && lightEvents !== undefined ? lightEvents(needs) : undefined;
      await readScap(file, () => void n++, light !== undefined ? { lightEvents: light } : {});
    } else if (mode === 'filter') {
      // as `kestrel replay --filter` reads a capture (a build without EventFilter.needs reads every event in full)
      const source = new ScapEventSource();
      const filter = new EventFilter(parseCondition(CONDITION).ast, { format: '%evt.num' }, FieldCatalogue.syscall(), source);
      await visitScap(file, file, source, (item: unknown) => filter.process(item, () => void n++), { needs: filter.needs?.() });
    } else {
      const source = new ScapEventSource();
      const replayer = new Replayer(rules, {}, undefined, source);
      await replayScap(file, file, replayer, source, () => void n++);
    }
    const c = process.cpuUsage(cpu);
    return (c.user + c.system) / 1e6;
  };
}

const a = await build(distA);
const b = await build(distB);
await a();
await b();
const as: number[] = [];
const bs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  as.push(await a());
  bs.push(await b());
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const ratios = as.map((x, i) => bs[i]! / x);
console.log(`A ${as.map((x) => x.toFixed(3)).join(' ')}\nB ${bs.map((x) => x.toFixed(3)).join(' ')}`);
console.log(`median A ${median(as).toFixed(3)} s, B ${median(bs).toFixed(3)} s; median pairwise B/A ${median(ratios).toFixed(3)}`);
