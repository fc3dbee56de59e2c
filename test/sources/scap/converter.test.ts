/**
 * libscap's savefile converter as kestrel runs it (src/sources/scap/converter.ts, driven by the
 * table generated from converter/table.cpp). Events are synthesized (build.ts); the last tests
 * run over the real captures.
 */
import { describe, expect, it } from 'vitest';
import { renderArgs } from '../../../src/sources/scap/render.js';
import { readScapBytes } from '../../../src/sources/scap/stream.js';
import { CONVERSIONS, CONVERTER_MANAGED, codeOf, EVENTS, NPARAMS, OLD_VERSION } from '../../../src/sources/scap/tables.js';
import { concat, type EventSpec, eventBlock, p, shb } from './build.js';
import { CAPTURES, rawCapture, readAll } from './helpers.js';

const code = codeOf;

function convert(...events: EventSpec[]) {
  const out: { id: string; tid: number; num: number; params: string[]; args: string }[] = [];
  const result = readScapBytes(concat(shb(), ...events.map((e) => eventBlock(e))), (e) => {
    const params: string[] = [];
    for (let i = 0; i < e.paramCount; i++) params.push(Buffer.from(e.paramBytes(i)).toString('hex'));
    out.push({ id: EVENTS[e.type]!.id, tid: e.tid, num: e.num, params, args: renderArgs(e) });
  });
  return { out, result };
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('scap converter', () => {
  it('an old read exit takes fd and size from its stored enter event, which is dropped', () => {
    const { out, result } = convert(
      { type: code('PPME_SYSCALL_READ_E'), tid: 7, params: [p.u64(3), p.u32(100)] },
      { type: code('PPME_SYSCALL_READ_X'), tid: 7, params: [p.u64(5), p.bytes([104, 105, 0, 1, 2])] },
    );
    expect(result.error).toBeUndefined();
    expect(result.stats.droppedEvents).toBe(1);
    expect(out).toEqual([
      {
        id: 'PPME_SYSCALL_READ_X',
        tid: 7,
        num: 1,
        params: ['0500000000000000', '6869000102', '0300000000000000', '64000000'],
        args: 'res=5 data=hi... fd=3 size=100',
      },
    ]);
  });

  it('without the enter event the added parameters take their default value', () => {
    const { out } = convert({ type: code('PPME_SYSCALL_READ_X'), tid: 7, params: [p.u64(5), p.bytes([1])] });
    expect(out[0]!.params.slice(2)).toEqual(['0000000000000000', '00000000']);
  });

  it("enter events are kept per thread: another thread's enter event is not used", () => {
    const { out } = convert(
      { type: code('PPME_SYSCALL_READ_E'), tid: 1, params: [p.u64(3), p.u32(100)] },
      { type: code('PPME_SYSCALL_READ_E'), tid: 2, params: [p.u64(4), p.u32(200)] },
      { type: code('PPME_SYSCALL_READ_X'), tid: 1, params: [p.u64(5), p.bytes([1])] },
      { type: code('PPME_SYSCALL_READ_X'), tid: 2, params: [p.u64(6), p.bytes([1])] },
    );
    expect(out.map((e) => e.args)).toEqual(['res=5 data=. fd=3 size=100', 'res=6 data=. fd=4 size=200']);
    expect(out.map((e) => e.num)).toEqual([1, 2]);
  });

  it('an old dup exit becomes a dup_1 exit with the old fd from the enter event (change of type)', () => {
    const { out } = convert({ type: code('PPME_SYSCALL_DUP_E'), params: [p.u64(5)] }, { type: code('PPME_SYSCALL_DUP_X'), params: [p.u64(6)] });
    expect(out).toMatchObject([{ id: 'PPME_SYSCALL_DUP_1_X', params: [hex(p.u64(6)), hex(p.u64(5))] }]);
  });

  it('a parameter marked fallback-to-empty is empty (and renders <NA>) without its enter event', () => {
    const { out } = convert({ type: code('PPME_SYSCALL_SETUID_X'), params: [p.u64(0)] });
    expect(out).toMatchObject([{ id: 'PPME_SYSCALL_SETUID_X', params: ['0000000000000000', ''], args: 'res=0 uid=<NA>' }]);
  });

  it('current events pass unchanged; unused events are dropped', () => {
    const open = { type: code('PPME_SYSCALL_OPEN_X'), params: [p.u64(3), p.str('/x'), p.u32(1), p.u32(0), p.u32(0), p.u64(1)] };
    const { out, result } = convert(open, { type: code('PPME_PROCEXIT_X'), params: [] });
    expect(out.map((e) => e.id)).toEqual(['PPME_SYSCALL_OPEN_X']);
    expect(result.stats.droppedEvents).toBe(1);
  });

  it('errors as libscap gives them: no table entry, too many parameters, the wrong enter event', () => {
    const noEntry = convert({ type: code('PPME_SYSCALL_READ_X'), params: [p.u64(1), p.bytes([1]), p.u64(3)] });
    expect(noEntry.result.error).toMatchObject({
      code: 'SCAP_CONVERSION',
      message: `Required conversion for event (type: ${code('PPME_SYSCALL_READ_X')}, nparams: 3), but we don't handle it in the table.`,
    });
    const tooMany = convert({ type: code('PPME_SYSCALL_READ_X'), params: [p.u64(1), p.bytes([1]), p.u64(3), p.u32(1), p.u32(9)] });
    expect(tooMany.result.error?.message).toBe(`Event (type: ${code('PPME_SYSCALL_READ_X')}) has more parameters (5) than expected (4).`);
    const wrong = convert({ type: code('PPME_SYSCALL_CLOSE_E'), params: [p.u64(1)] }, { type: code('PPME_SYSCALL_READ_X'), params: [p.u64(1), p.bytes([1])] });
    expect(wrong.result.error?.message).toBe("The enter event for 'read_X' is not the right one! Event found 'close_E'.");
  });

  it('a 2016-era execve (EXECVE_8 pair, V1 blocks as sysdig wrote them) becomes the current execve exit', () => {
    const exitParams = [p.u64(0), p.str('/bin/ls'), p.bytes([45, 108, 0]), p.u64(10), p.u64(10), p.u64(1), p.str('/root'), p.u64(1024)];
    const bytes = concat(
      shb(),
      eventBlock({ type: code('PPME_SYSCALL_EXECVE_8_E'), tid: 10, params: [] }, 'EVF'),
      eventBlock({ type: code('PPME_SYSCALL_EXECVE_8_X'), tid: 10, params: exitParams }, 'EVF'),
    );
    const out: { id: string; n: number; params: string[] }[] = [];
    const r = readScapBytes(bytes, (e) => {
      const params: string[] = [];
      for (let i = 0; i < e.paramCount; i++) params.push(hex(e.paramBytes(i)));
      out.push({ id: EVENTS[e.type]!.id, n: e.paramCount, params });
    });
    expect(r.error).toBeUndefined();
    // the enter event becomes EXECVE_19_E through the chain, which is stored and passed
    expect(out.map((e) => e.id)).toEqual(['PPME_SYSCALL_EXECVE_19_E', 'PPME_SYSCALL_EXECVE_19_X']);
    const x = out[1]!;
    expect(x.n).toBe(NPARAMS[code('PPME_SYSCALL_EXECVE_19_X')]);
    expect(x.params.slice(0, 8)).toEqual(exitParams.map(hex));
  });

  it.each(CAPTURES)('%s: every converter-managed event comes out in its current layout', (name) => {
    const bytes = rawCapture(name);
    let delivered = 0;
    const r = readScapBytes(bytes, (e) => {
      delivered++;
      if (!CONVERTER_MANAGED[e.type]) return;
      expect(OLD_VERSION[e.type], EVENTS[e.type]!.id).toBe(0);
      expect(e.paramCount, EVENTS[e.type]!.id).toBe(NPARAMS[e.type]);
      // a managed enter event reaches the consumer only through a pass entry of the table
      if ((e.type & 1) === 0) expect(CONVERSIONS.get(e.type * 256 + e.paramCount)?.action, EVENTS[e.type]!.id).toMatch(/pass/);
    });
    expect(r.error).toBeUndefined();
    expect(delivered).toBe(r.stats.events);
    // every event read is delivered or consumed by the converter
    const raw = readAll(bytes, { convert: false });
    expect(r.stats.events + r.stats.droppedEvents).toBe(raw.events.length);
  });

  it('curl_google.scap converted: an open exit carries the name, flags and mode it had (and dev, ino empty)', () => {
    const opens: string[] = [];
    readScapBytes(rawCapture('curl_google.scap'), (e) => {
      if (e.type === code('PPME_SYSCALL_OPEN_X') && opens.length < 1) opens.push(renderArgs(e, { threadKnown: true, cwd: () => '/' }));
    });
    expect(opens).toEqual(['fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=<NA> ino=<NA>']);
  });
});
