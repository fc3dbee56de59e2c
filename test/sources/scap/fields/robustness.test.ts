/**
 * Every field on every event code, with empty or missing parameters, with and without a
 * thread: extraction never throws (errors are data; a capture with an odd event must not
 * stop a replay), and fields NA by design are NA.
 */
import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../../../src/fields/catalogue.js';
import eventTable from '../../../../src/fields/event-table.json' with { type: 'json' };
import { extractor, NA_BY_DESIGN } from '../../../../src/sources/scap/fields/index.js';
import { fakeEvent, fakeState, fd, thread } from './helpers.js';

const catalogue = FieldCatalogue.syscall();
const ids = (eventTable as { events: { id: string }[] }).events.map((e) => e.id);

function sampleArg(name: string, flags: ReadonlySet<string>): string | undefined {
  if (!flags.has('arg_required')) return undefined;
  if (name === 'evt.type.is') return 'open';
  if (name === 'evt.abspath') return 'src';
  if (name === 'thread.cgroup') return 'cpu';
  if (flags.has('arg_index')) return '0';
  return 'app';
}

describe('scap extraction robustness', () => {
  const fields = catalogue.all().map((def) => {
    // evt.arg and evt.rawarg name their parameter after a dot (evt.arg.fd)
    const dotted = def.name === 'evt.arg' || def.name === 'evt.rawarg';
    const r = dotted ? catalogue.resolve(`${def.name}.fd`) : catalogue.resolve(def.name, sampleArg(def.name, def.flags));
    if (!r.ok) throw new Error(r.message);
    return { name: def.name, read: extractor(r.field) };
  });
  const t = thread({ tid: 5, ptid: 4, fds: new Map([[0, fd({ fd: 0, type: 'ipv4', role: 'client' })]]) });
  const parent = thread({ tid: 4, ptid: 5 });
  const states = [fakeState({}), fakeState({ threads: [t, parent] }), fakeState({ threads: [t], eventFd: fd({ fd: 9, type: 'unknown' }) })];

  it('never throws, on any event code, with empty or missing parameters', () => {
    let calls = 0;
    const failures: string[] = [];
    for (const id of ids) {
      const events = [fakeEvent({ id, tid: 5 }), fakeEvent({ id, tid: 5, params: [] })];
      for (const ev of events) {
        for (const s of states) {
          for (const f of fields) {
            try {
              f.read(ev, s);
            } catch (e) {
              if (failures.length < 20) failures.push(`${f.name} on ${id}: ${String(e)}`);
            }
            calls++;
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(100_000);
  });

  it('reads fields NA by design as NA', () => {
    const s = states[1]!;
    const events = ids.map((id) => fakeEvent({ id, tid: 5 }));
    const values: unknown[] = [];
    for (const f of fields.filter((x) => NA_BY_DESIGN.has(x.name))) {
      for (const ev of events) {
        const v = f.read(ev, s);
        if (v !== undefined) values.push(`${f.name}=${String(v)}`);
      }
    }
    expect(values).toEqual([]);
  });
});
