/**
 * Light events (src/sources/scap/read-plan.ts): a run that says what it evaluates reads the
 * other events for their thread only. Whatever it skips, it must see what a full read sees:
 * the same events in the same order with the same errors, the same value of every field on
 * every event it evaluates, the same filter matches and the same alerts. Compared here on
 * every real capture, full read against planned read, and on corrupted copies of them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../../src/fields/catalogue.js';
import { eventCodes, genericSyscallNames } from '../../../src/fields/events.js';
import { ALL_EVENT_NEEDS, type EventNeeds } from '../../../src/fields/source.js';
import { FormatBinder } from '../../../src/output/bind.js';
import { renderFormat } from '../../../src/output/render.js';
import { parseCondition } from '../../../src/parser/index.js';
import { EventFilter } from '../../../src/replay/filter.js';
import { Profiler } from '../../../src/replay/profile.js';
import { type Alert, Replayer } from '../../../src/replay/replay.js';
import { replayScap, visitScap } from '../../../src/replay/scap.js';
import { loadRulesFiles } from '../../../src/rules/loader.js';
import { parseFormat } from '../../../src/rules/output-format.js';
import type { ScapEvent } from '../../../src/sources/scap/event.js';
import { blockKind } from '../../../src/sources/scap/format.js';
import { lightEvents } from '../../../src/sources/scap/read-plan.js';
import { ScapEventSource } from '../../../src/sources/scap/source.js';
import { H_CONTEXT_SWITCH, H_MEMORY, H_NONE, HANDLER } from '../../../src/sources/scap/state/dispatch.js';
import { readScapBytes } from '../../../src/sources/scap/stream.js';
import { Synth } from '../../../src/sources/scap/synth/index.js';
import { CONVERSIONS, codeOf, EVENTS } from '../../../src/sources/scap/tables.js';
import { CONDITIONS } from '../../helpers/sysdig-conditions.js';
import { UPSTREAM_RULE_FILES } from '../../helpers/upstream.js';
import { Bytes, block, concat, machineInfo, shb } from './build.js';
import { CAPTURE_DIR, CAPTURES, OLD_CAPTURE_DIR, OLD_CAPTURES, rawCapture } from './helpers.js';

const FILES = [...CAPTURES.map((n) => `${CAPTURE_DIR}/${n}`), ...OLD_CAPTURES.map((n) => `${OLD_CAPTURE_DIR}${n}`)];
const bytesOf = (file: string): Uint8Array => {
  const b = readFileSync(file);
  return new Uint8Array(b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b);
};
/** The most a run can skip: it evaluates nothing. */
const NOTHING: EventNeeds = { codes: new Set(), fields: [] };
const MOST_LIGHT = lightEvents(NOTHING)!;
const stable = loadRulesFiles([UPSTREAM_RULE_FILES[0]!]).output!.rules;

describe('which events are light', () => {
  const plan = (codes: string[], fields: string[] = []) => lightEvents({ codes: new Set(codes.flatMap((n) => eventCodes(n))), fields })!;

  it('reads every event in full for a run that may evaluate any', () => {
    expect(lightEvents(ALL_EVENT_NEEDS)).toBeUndefined();
    expect(lightEvents({ codes: 'all', fields: [] })).toBeUndefined();
  });

  it('keeps in full what the run evaluates, both halves of its syscalls', () => {
    const light = plan(['fstat', 'poll']);
    for (const id of ['PPME_SYSCALL_FSTAT_E', 'PPME_SYSCALL_FSTAT_X', 'PPME_SYSCALL_POLL_E', 'PPME_SYSCALL_POLL_X']) expect(light[codeOf(id)], id).toBe(0);
    expect(MOST_LIGHT[codeOf('PPME_SYSCALL_FSTAT_X')]).toBe(1);
    expect(MOST_LIGHT[codeOf('PPME_GENERIC_X')]).toBe(1);
    const generic = genericSyscallNames()[0]!;
    expect(plan([generic])[codeOf('PPME_GENERIC_X')], `${generic} has no event of its own: generic events`).toBe(0);
  });

  it('keeps in full every event the state engine parses, and what changes type when converted', () => {
    for (const e of EVENTS) {
      const handler = HANDLER[e.code]!;
      if (handler !== H_NONE && handler !== H_MEMORY && handler !== H_CONTEXT_SWITCH) expect(MOST_LIGHT[e.code], e.id).toBe(0);
    }
    for (const c of CONVERSIONS.values()) if (c.action === 'change_type') expect(MOST_LIGHT[c.code], EVENTS[c.code]!.id).toBe(0);
    // the enter event of a parsed exit (its parameters complete the exit)
    expect(MOST_LIGHT[codeOf('PPME_SYSCALL_OPEN_E')]).toBe(0);
  });

  it('reads memory and context-switch events only for a run that reads the memory fields', () => {
    const ids = ['PPME_SYSCALL_MMAP_X', 'PPME_SYSCALL_MMAP_E', 'PPME_SYSCALL_BRK_4_X', 'PPME_SCHEDSWITCH_6_E'];
    for (const id of ids) expect(MOST_LIGHT[codeOf(id)], id).toBe(1);
    for (const fields of [['proc.vmrss'], ['thread.pfmajor'], ['thread.vmsize.b'], ['val(proc.vmswap)']]) {
      const light = plan(['open'], fields);
      for (const id of ids) expect(light[codeOf(id)], `${id} with ${fields}`).toBe(0);
    }
    expect(plan(['open'], ['proc.vmsizex'])[codeOf('PPME_SYSCALL_MMAP_X')]).toBe(1);
  });

  it('counts the fields of a filter format and of the alerts, not only those of the conditions', () => {
    const parsed = parseCondition('evt.type = open');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const mmap = codeOf('PPME_SYSCALL_MMAP_X');
    const filter = (format: string) => new EventFilter(parsed.ast, { format }, FieldCatalogue.syscall(), new ScapEventSource()).needs();
    expect(lightEvents(filter('%proc.name'))![mmap]).toBe(1);
    expect(lightEvents(filter('%proc.name %proc.vmrss'))![mmap]).toBe(0);
    const replay = (print?: string) =>
      new Replayer(stable, { alerts: print === undefined ? {} : { appendOutput: print } }, FieldCatalogue.syscall(), new ScapEventSource()).needs();
    expect(lightEvents(replay())![mmap]).toBe(1);
    expect(lightEvents(replay('%thread.vmsize'))![mmap]).toBe(0);
  });
});

/** What a reader delivers, per event: identity and, for a full event, its parameters. */
function delivered(bytes: Uint8Array, light: Uint8Array | undefined) {
  const events: string[] = [];
  const result = readScapBytes(
    bytes,
    (e) => {
      const params = light?.[e.type] === 1 ? '' : Array.from({ length: e.paramCount }, (_, i) => Buffer.from(e.paramBytes(i)).toString('hex')).join(',');
      events.push(`${e.num} ${e.type} ${e.ts()} ${e.tid} ${e.cpu} ${e.flags} ${params}`);
    },
    light === undefined ? {} : { lightEvents: light },
  );
  return { events, error: result.error, stats: result.stats };
}

/** The same read with nothing skipped, for the comparison: full events keep their parameters. */
function deliveredFull(bytes: Uint8Array) {
  const r = delivered(bytes, undefined);
  // A light event's parameters are not compared: blank them in the full read as well.
  r.events = r.events.map((line) => {
    const type = Number(line.split(' ')[1]);
    return MOST_LIGHT[type] === 1 ? line.replace(/ [^ ]*$/, ' ') : line;
  });
  return r;
}

describe('the reader with light events', () => {
  it('delivers the events, the parameters of full events, the counts and the end of a full read', () => {
    let light = 0;
    for (const file of FILES) {
      const bytes = bytesOf(file);
      const planned = delivered(bytes, MOST_LIGHT);
      expect(planned, file).toEqual(deliveredFull(bytes));
      light += planned.events.filter((l) => MOST_LIGHT[Number(l.split(' ')[1])] === 1).length;
    }
    expect(light).toBeGreaterThan(1000);
  });

  it('fails where a full read fails, with the same error, on corrupted captures', () => {
    const inputs = FILES.map(bytesOf);
    fc.assert(
      fc.property(
        fc.constantFrom(...inputs),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (bytes, flips) => {
          const copy = bytes.slice();
          for (const [at, value] of flips) copy[at % copy.length] = value;
          expect(delivered(copy, MOST_LIGHT)).toEqual(deliveredFull(copy));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('converts a full event that takes nothing from an enter event after a skipped enter event (synthesized: a lost exit)', () => {
    // a light enter event whose exit was lost, then an old procexit that the converter
    // rebuilds from its own parameters only
    const synth = new Synth();
    const evf = (e: { bytes: Uint8Array }) => block(0x217, concat(new Bytes().u16(0).u32(0).bytes(), e.bytes));
    const capture = concat(shb(), machineInfo('h'), evf(synth.enter('fstat', { tid: 7 }, { fd: 3 })), evf(synth.event('PPME_PROCEXIT_E', { tid: 7 }, {})));
    const full = deliveredFull(capture);
    expect(full.error).toBeUndefined();
    expect(full.events.map((l) => Number(l.split(' ')[1]))).toEqual([codeOf('PPME_PROCEXIT_1_E')]);
    expect(delivered(capture, MOST_LIGHT)).toEqual(full);
  });

  it('fails where a full read fails when an exit meets the wrong skipped enter event', () => {
    // curl_google.scap's event blocks twice in one section: at the seam, libscap's converter
    // pairs an execve exit with the generic enter event (light here) the first copy left.
    const bytes = rawCapture('curl_google.scap');
    const events = bytes.subarray(firstEventBlock(bytes));
    const seamless = new Uint8Array(bytes.length + events.length);
    seamless.set(bytes);
    seamless.set(events, bytes.length);
    const full = deliveredFull(seamless);
    expect(full.error?.code).toBe('SCAP_CONVERSION');
    expect(full.error?.message).toContain("Event found 'syscall_E'");
    expect(delivered(seamless, MOST_LIGHT)).toEqual(full);
  });
});

/** Offset of a capture's first event block (blocks: type, total length, body, total length). */
function firstEventBlock(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (blockKind(dv.getUint32(at, true)) !== 'event') at += dv.getUint32(at + 4, true);
  return at;
}

/** Every field an output can print, plain or with an index, but the memory fields (a run that does not read them skips what keeps them). */
function comparedFields(): string[] {
  return FieldCatalogue.syscall()
    .all()
    .filter((d) => !d.flags.has('arg_required') && !d.flags.has('filter_only'))
    .map((d) => d.name)
    .concat([0, 1, 2, 3].flatMap((i) => [`proc.aname[${i}]`, `proc.apid[${i}]`, `proc.aexe[${i}]`, `evt.arg[${i}]`]))
    .filter((n) => !/^(proc\.vm|thread\.(vm|pf))/.test(n));
}

/** Field values (as outputs print them) of the events a plan evaluates, read with or without the plan. */
async function fieldValues(file: string, needs: EventNeeds, planned: boolean): Promise<Map<number, string>> {
  const source = new ScapEventSource();
  const catalogue = FieldCatalogue.syscall();
  const binder = new FormatBinder(source, catalogue);
  const fields = comparedFields().map((name) => {
    const token = binder.bind(parseFormat(`%${name}`, catalogue).tokens).message[0]!;
    return (ev: ScapEvent) => renderFormat([token], ev);
  });
  const codes = needs.codes as ReadonlySet<number>;
  const values = new Map<number, string>();
  const { error } = await visitScap(
    file,
    file,
    source,
    ({ event }) => {
      if (!codes.has(event.type)) return;
      values.set(event.num, fields.map((read) => read(event)).join('\x1e'));
    },
    { needs: planned ? needs : ALL_EVENT_NEEDS },
  );
  expect(error).toBeUndefined();
  return values;
}

const filterNeeds = (condition: string) => {
  const parsed = parseCondition(condition);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return new EventFilter(parsed.ast, {}, FieldCatalogue.syscall(), new ScapEventSource()).needs();
};

describe('fields of the evaluated events', () => {
  const plans: [string, EventNeeds][] = [
    ['the upstream stable rules', new Replayer(stable, {}, FieldCatalogue.syscall(), new ScapEventSource()).needs()],
    ['a filter on opens', filterNeeds('evt.type in (open, openat)')],
    // events no parser reads, evaluated while the others like them are skipped
    [
      'a filter on unparsed syscalls',
      filterNeeds(`evt.type in (fstat, access, poll, ioctl, futex, setsockopt, lseek, stat, lstat, ${genericSyscallNames().join(', ')})`),
    ],
  ];
  for (const [what, needs] of plans) {
    it(`are those of a full read, for ${what}`, async () => {
      expect(needs.codes).not.toBe('all');
      let compared = 0;
      for (const file of FILES) {
        const full = await fieldValues(file, needs, false);
        const planned = await fieldValues(file, needs, true);
        expect(planned.size, file).toBe(full.size);
        const names = comparedFields();
        for (const [num, line] of full) {
          const mine = planned.get(num)!.split('\x1e');
          for (const [i, value] of line.split('\x1e').entries()) expect(mine[i], `${file} event ${num} ${names[i]}`).toBe(value);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(200);
    });
  }
});

/**
 * The state engine's thread table, fd tables included, as comparable text. Left out: what only
 * light events set and nothing reads after them (an enter event's fd; the fd name an event
 * compares with, fd.name_changed), and the memory sizes and page faults the skipped memory and
 * context-switch events carry.
 */
const NOT_KEPT = new Set(['lastEventFd', 'vmsizeKb', 'vmrssKb', 'vmswapKb', 'pfMajor', 'pfMinor', 'oldName', 'nameChanged']);
function tables(source: ScapEventSource): string {
  const plain = (value: unknown): unknown => {
    if (typeof value === 'bigint') return `${value}n`;
    if (value instanceof Set) return [...value].map((t: { tid: number }) => t.tid).sort((a, b) => a - b);
    if (value instanceof Map) return [...value].map(([k, v]) => [k, plain(v)]);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (NOT_KEPT.has(k) ? [] : [[k, plain(v)]])));
  };
  return JSON.stringify([...source.state.table.threads.values()].sort((a, b) => a.tid - b.tid).map(plain));
}

describe('the state after light events', () => {
  it('has the threads and fds of a full read, all along the capture', async () => {
    for (const file of FILES) {
      const run = async (needs: EventNeeds) => {
        const source = new ScapEventSource();
        const snapshots: string[] = [];
        await visitScap(file, file, source, ({ event }) => void (event.num % 97 === 0 && snapshots.push(tables(source))), { needs });
        snapshots.push(tables(source));
        return snapshots;
      };
      const full = await run(ALL_EVENT_NEEDS);
      expect(full.at(-1)!.length, file).toBeGreaterThan(100);
      const planned = await run(NOTHING);
      for (const [i, snapshot] of planned.entries()) expect(snapshot, `${file}, snapshot ${i}`).toBe(full[i]);
    }
  });
});

describe('the state after light events, synthesized (no real capture has a light event on a thread it does not list)', () => {
  const synth = new Synth();
  const evf = (e: { bytes: Uint8Array }) => block(0x217, concat(new Bytes().u16(0).u32(0).bytes(), e.bytes));

  it('has the placeholder thread a full read makes for an unknown thread, and its last event type', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kestrel-light-')), 'c.scap');
    writeFileSync(
      file,
      concat(
        shb(),
        machineInfo('h'),
        // the enter event is the converter's (stored, dropped); the exit makes the thread
        evf(synth.enter('fstat', { tid: 300 }, { fd: 3 })),
        evf(synth.exit('fstat', { tid: 300 }, { res: 0, fd: 3 })),
        // an enter event that reaches the state engine: its type is the thread's last
        evf(synth.event('PPME_SIGNALDELIVER_E', { tid: 301 }, { spid: 1, dpid: 301, sig: 9 })),
      ),
    );
    const run = async (needs: EventNeeds) => {
      const source = new ScapEventSource();
      await visitScap(file, file, source, () => undefined, { needs });
      return tables(source);
    };
    const full = await run(ALL_EVENT_NEEDS);
    expect(full).toContain('"tid":300');
    expect(full).toContain(`"tid":301,`);
    expect(full).toContain(`"lastEventType":${codeOf('PPME_SIGNALDELIVER_E')}`);
    expect(await run(NOTHING)).toBe(full);
  });
});

describe('runs with a plan', () => {
  it('match what a full read matches, for every condition of the sysdig corpus', async () => {
    for (const condition of CONDITIONS) {
      const parsed = parseCondition(condition);
      if (!parsed.ok) continue;
      for (const file of FILES) {
        const run = async (planned: boolean) => {
          const source = new ScapEventSource();
          let filter: EventFilter<ScapEvent>;
          try {
            filter = new EventFilter(parsed.ast, { format: '%evt.num %evt.type %fd.name %proc.name' }, FieldCatalogue.syscall(), source);
          } catch {
            return undefined; // a condition the catalogue rejects (the corpus holds some)
          }
          const lines: string[] = [];
          await visitScap(file, file, source, (item) => filter.process(item, (l) => lines.push(l)), {
            needs: planned ? filter.needs() : ALL_EVENT_NEEDS,
          });
          return lines;
        };
        expect(await run(true), `${condition} on ${file}`).toEqual(await run(false));
      }
    }
  });

  it('profile the rules as a full read does (evaluations, matches, events), for the upstream stable rules', async () => {
    let profiled = 0;
    for (const file of FILES) {
      const run = async (planned: boolean) => {
        const source = new ScapEventSource();
        const profiler = new Profiler(stable, FieldCatalogue.syscall(), source);
        const one: ScapEvent[] = [];
        const visit = ({ event }: { event: ScapEvent }) => {
          one[0] = event;
          profiler.addBatch(one);
        };
        await visitScap(file, file, source, visit, { needs: planned ? profiler.needs() : ALL_EVENT_NEEDS });
        const report = profiler.report();
        // (the report is ordered by time, which differs from run to run)
        return { events: report.events, rules: report.rules.map((r) => [r.rule, r.evaluations, r.matches]).sort() };
      };
      const full = await run(false);
      for (const [, evaluations] of full.rules) profiled += evaluations as number;
      expect(await run(true), file).toEqual(full);
    }
    expect(profiled).toBeGreaterThan(100);
  });

  it.each([false, true])('fire the alerts of a full read, with the same counts, for the upstream stable rules (live event set: %s)', async (liveEventSet) => {
    let ignored = 0;
    for (const file of FILES) {
      const run = async (planned: boolean) => {
        const source = new ScapEventSource();
        const replayer = new Replayer(stable, { alerts: { hostname: 'h' }, liveEventSet }, FieldCatalogue.syscall(), source);
        const alerts: Alert[] = [];
        if (planned) await replayScap(file, file, replayer, source, (a) => alerts.push(a));
        else await visitScap(file, file, source, (item) => replayer.process(item, (a) => alerts.push(a)), { needs: ALL_EVENT_NEEDS });
        const { seconds: _, ...stats } = replayer.stats;
        return { alerts, stats };
      };
      const full = await run(false);
      ignored += full.stats.eventsIgnored;
      // (the live event set's types are read from light events too: generic ones by their syscall)
      expect(await run(true), file).toEqual(full);
    }
    if (liveEventSet) expect(ignored).toBeGreaterThan(50);
  });
});
