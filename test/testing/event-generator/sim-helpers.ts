/** Test helper: simulate one test from YAML and read fields of its events through the scap source. */
import { FieldCatalogue } from '../../../src/fields/catalogue.js';
import type { FieldValue } from '../../../src/fields/source.js';
import type { ScapEvent } from '../../../src/sources/scap/event.js';
import { ScapEventSource } from '../../../src/sources/scap/source.js';
import { loadSuite } from '../../../src/testing/event-generator/index.js';
import { type Simulation, simulateTest } from '../../../src/testing/event-generator/sim/simulate.js';

export interface Replayed {
  sim: Simulation;
  /** Field values of every event, read right after the event updated the state (as rules read them). */
  rows: Record<string, FieldValue>[];
  /** Rows of the events of one type and direction ('<' exit, '>' enter). */
  of(type: string, dir?: '<' | '>'): Record<string, FieldValue>[];
}

export function replayTest(yaml: string, fields: string[], index = 0): Replayed {
  const loaded = loadSuite(yaml, 'inline.yaml', { requireRule: false });
  if (loaded.errors.length > 0) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const sim = simulateTest(loaded.tests[index]!);
  return replaySimulation(sim, fields);
}

export function replaySimulation(sim: Simulation, fields: string[]): Replayed {
  const source = new ScapEventSource();
  source.beginCapture();
  source.state.seed(sim.seed);
  const all = ['evt.type', 'evt.dir', 'thread.tid', ...fields];
  const catalogue = FieldCatalogue.syscall();
  const readers = all.map((name) => {
    const m = /^([^[]+)(?:\[(.*)\])?$/.exec(name)!;
    const arg = /^(evt\.(?:raw)?arg)\.(.+)$/.exec(name);
    const r = arg ? catalogue.resolve(arg[1]!, arg[2]) : catalogue.resolve(m[1]!, m[2]);
    if (!r.ok) throw new Error(`unknown field ${name}`);
    return source.accessor(r.field);
  });
  const rows = sim.events.map((ev: ScapEvent) => {
    source.update(ev);
    const row: Record<string, FieldValue> = {};
    all.forEach((name, i) => {
      row[name] = readers[i]!(ev);
    });
    return row;
  });
  return { sim, rows, of: (type, dir = '<') => rows.filter((r) => r['evt.type'] === type && r['evt.dir'] === dir) };
}
