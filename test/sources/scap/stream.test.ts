/**
 * The drivers: a file descriptor and a Node stream as sources, and memory that stays bounded by
 * the largest block whatever the length of the input.
 */
import { closeSync, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatScapError } from '../../../src/sources/scap/errors.js';
import { ScapReader, STEP_END, STEP_EVENT, STEP_NEED_MORE } from '../../../src/sources/scap/reader.js';
import { readScap } from '../../../src/sources/scap/stream.js';
import { codeOf } from '../../../src/sources/scap/tables.js';
import { concat, eventBlock, p, shb } from './build.js';
import { CAPTURE_DIR, rawCapture, readAll } from './helpers.js';

describe('scap drivers', () => {
  it('reads a file descriptor (gzip) and a Node stream (uncompressed) like the file itself', async () => {
    const expected = readAll(rawCapture('test_ipv6_client.scap')).events;
    const fromFd: string[] = [];
    const fd = openSync(`${CAPTURE_DIR}/test_ipv6_client.scap`, 'r');
    try {
      const r = await readScap(fd, (e) => void fromFd.push(`${e.num} ${e.type} ${e.ts()} ${e.tid} ${e.cpu} ${e.paramCount}`));
      expect(r.error).toBeUndefined();
      expect(r.gzip).toBe(true);
    } finally {
      closeSync(fd);
    }
    expect(fromFd).toEqual(expected);
    const raw = rawCapture('test_ipv6_client.scap');
    const chunks = Array.from({ length: Math.ceil(raw.length / 777) }, (_, k) => raw.subarray(k * 777, (k + 1) * 777));
    const fromStream: string[] = [];
    const r = await readScap(Readable.from(chunks), (e) => void fromStream.push(`${e.num} ${e.type} ${e.ts()} ${e.tid} ${e.cpu} ${e.paramCount}`));
    expect(r.gzip).toBe(false);
    expect(fromStream).toEqual(expected);
  });

  it('unreadable and foreign files are error values naming the file', async () => {
    const missing = await readScap('/nonexistent/x.scap', () => {});
    expect(missing.error).toMatchObject({ code: 'SCAP_IO', offset: 0, file: '/nonexistent/x.scap' });
    expect(formatScapError(missing.error!)).toMatch(/^\/nonexistent\/x\.scap: byte 0: cannot read the capture: ENOENT/);
    const text = await readScap('package.json', () => {});
    expect(text.error).toMatchObject({ code: 'SCAP_BAD_MAGIC', offset: 0, file: 'package.json' });
    const notGzip = await readScap(Readable.from([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]), () => {}, {
      file: 'bad.gz',
    });
    expect(notGzip.error?.file).toBe('bad.gz');
    expect(['SCAP_IO', 'SCAP_TRUNCATED']).toContain(notGzip.error?.code);
  });

  it('stops when the callback returns false', async () => {
    let n = 0;
    const r = await readScap(`${CAPTURE_DIR}/curl_google.scap`, () => ++n < 10);
    expect(n).toBe(10);
    expect(r.error).toBeUndefined();
  });

  it('reads blocks split across chunks, also when fed several chunks before reading', () => {
    // two sections (a concatenated capture)
    const raw = concat(rawCapture('single_ipv6_conn.scap'), rawCapture('single_ipv6_conn.scap'));
    const expected = readAll(raw).events;
    const line = (r: ScapReader): string => `${r.event.num} ${r.event.type} ${r.event.ts()} ${r.event.tid} ${r.event.cpu} ${r.event.paramCount}`;
    for (const [size, perRead] of [
      [150_001, 1],
      [150_001, 2],
      [1_001, 3],
    ] as const) {
      const reader = new ScapReader();
      const seen: string[] = [];
      let k = 0;
      for (let at = 0; at < raw.length; at += size) {
        reader.feed(raw.subarray(at, at + size));
        if (++k % perRead !== 0 && at + size < raw.length) continue;
        for (let step = reader.next(); step === STEP_EVENT; step = reader.next()) seen.push(line(reader));
      }
      reader.finish();
      for (let step = reader.next(); step === STEP_EVENT; step = reader.next()) seen.push(line(reader));
      expect(reader.error).toBeUndefined();
      expect(seen).toEqual(expected);
    }
  });

  it('holds at most about one block and one chunk, however long the input (constant memory)', () => {
    // 20 MB of events fed in odd-sized chunks: blocks straddle every chunk boundary
    const ev = eventBlock({ type: codeOf('PPME_SYSCALL_OPEN_X'), params: [p.u64(3), p.str('/etc/passwd'), p.u32(1), p.u32(0), p.u32(0), p.u64(1)] });
    // consecutive pieces of an endless repetition of the block, of varying odd sizes
    const run = concat(...Array.from({ length: Math.ceil(120_000 / ev.length) + 2 }, () => ev));
    const reader = new ScapReader({ convert: false });
    reader.feed(shb());
    let events = 0;
    let fed = 0;
    let k = 0;
    while (fed < 20e6) {
      const size = 100_003 - ((k++ * 7919) % 60_000);
      const start = fed % ev.length;
      const part = run.subarray(start, start + size);
      reader.feed(part);
      fed += part.length;
      let step = reader.next();
      for (; step === STEP_EVENT; step = reader.next()) events++;
      expect(step).toBe(STEP_NEED_MORE);
      expect(reader.carryCapacity).toBeLessThanOrEqual(1 << 18);
    }
    reader.finish();
    const last = reader.next();
    // the last chunk may end inside a block
    expect([STEP_END, 3]).toContain(last);
    expect(events).toBeGreaterThan(20e6 / ev.length - 2);
  });
});
