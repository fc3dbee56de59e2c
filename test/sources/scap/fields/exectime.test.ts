/**
 * thread.exectime and thread.totexectime keep a clock (the last switch event per CPU, a running
 * total per thread). libsinsp keeps one per check; kestrel reads the field through one accessor
 * per capture, so an event read twice (a condition, then an output; two rules) must give the
 * same value both times, and a new capture starts a new clock. Real capture: curl_google.scap
 * (context switches on several CPUs).
 */
import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../../../src/fields/catalogue.js';
import type { FieldValue } from '../../../../src/fields/source.js';
import { ScapEventSource } from '../../../../src/sources/scap/source.js';
import { readScapBytes } from '../../../../src/sources/scap/stream.js';
import { rawCapture } from '../helpers.js';

const capture = rawCapture('curl_google.scap');

/** Each event's values of `fields`, each read `times` times in a row. */
function read(fields: string[], times: number, captures = 1): FieldValue[][][] {
  const source = new ScapEventSource();
  const catalogue = FieldCatalogue.syscall();
  const readers = fields.map((name) => {
    const r = catalogue.resolve(name);
    if (!r.ok) throw new Error(r.message);
    return source.accessor(r.field);
  });
  const runs: FieldValue[][][] = [];
  for (let c = 0; c < captures; c++) {
    const rows: FieldValue[][] = [];
    source.beginCapture();
    readScapBytes(capture, (ev) => {
      source.update(ev);
      const row: FieldValue[] = [];
      for (const r of readers) for (let k = 0; k < times; k++) row.push(r(ev));
      rows.push(row);
    });
    runs.push(rows);
  }
  return runs;
}

describe('thread.exectime and thread.totexectime', () => {
  const fields = ['thread.exectime', 'thread.totexectime'];
  const once = read(fields, 1)[0]!;

  it('the capture has context switches with time between them', () => {
    expect(once.filter(([exectime]) => typeof exectime === 'number' && exectime > 0).length).toBeGreaterThan(10);
  });

  it('an event read twice gives the same values both times', () => {
    const twice = read(fields, 2)[0]!;
    expect(twice.map(([a, , b]) => [a, b])).toEqual(once);
    for (const row of twice) {
      expect(row[1]).toEqual(row[0]);
      expect(row[3]).toEqual(row[2]);
    }
  });

  it('a second capture read by the same source starts a new clock', () => {
    const [first, second] = read(fields, 1, 2);
    expect(second).toEqual(first);
  });
});
