/**
 * `--dump-events`: the synthesized stream of a test as JSONL, one event a line, with the
 * fields read through the scap source exactly as rules read them (state updated by the
 * event first). The first line describes the test.
 */
import { FieldCatalogue } from '../../fields/catalogue.js';
import type { FieldAccessor, FieldValue } from '../../fields/source.js';
import type { ScapEvent } from '../../sources/scap/event.js';
import { ScapEventSource } from '../../sources/scap/source.js';
import type { Simulation } from './sim/simulate.js';
import type { EgTest } from './types.js';

/** The fields a dump shows by default: enough to follow the process tree, fds and arguments. */
export const DUMP_FIELDS = [
  'evt.num',
  'evt.rawtime',
  'evt.type',
  'evt.dir',
  'thread.tid',
  'proc.pid',
  'proc.ppid',
  'proc.name',
  'proc.exepath',
  'proc.cmdline',
  'proc.pname',
  'user.name',
  'user.uid',
  'container.id',
  'container.name',
  'fd.num',
  'fd.name',
  'evt.args',
];

export function dumpSimulation(test: EgTest, sim: Simulation, fields: readonly string[] = DUMP_FIELDS): string {
  const source = new ScapEventSource();
  source.beginCapture();
  source.state.seed(sim.seed);
  const catalogue = FieldCatalogue.syscall();
  const readers: [string, FieldAccessor<ScapEvent>][] = fields.map((name) => {
    const r = catalogue.resolve(name);
    if (!r.ok) throw new Error(`--dump-events: unknown field ${name}`);
    return [name, source.accessor(r.field)];
  });
  const lines = [JSON.stringify({ test: test.name, rule: test.rule ?? null, testId: sim.testId, leafTid: sim.leaf.tid, monitoredTids: [...sim.monitored] })];
  for (const ev of sim.events) {
    source.update(ev);
    const row: Record<string, unknown> = {};
    for (const [name, read] of readers) row[name] = jsonValue(read(ev));
    row['monitored'] = sim.monitored.has(ev.tid);
    lines.push(JSON.stringify(row));
  }
  return `${lines.join('\n')}\n`;
}

function jsonValue(v: FieldValue): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  if (Array.isArray(v)) return v.map((x) => jsonValue(x as FieldValue));
  return v ?? null;
}
