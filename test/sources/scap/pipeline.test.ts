/**
 * Reading on two threads gives exactly what reading on one gives: the same events (every byte
 * of every parameter), in the same order, the same metadata calls between them, the same
 * result (error and offset, statistics). The worker is compiled code, so both sides are taken
 * from dist/ (built by `npm test` before vitest runs).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Pipeline from '../../../src/sources/scap/pipeline.js';
import type * as ReadPlan from '../../../src/sources/scap/read-plan.js';
import type { ScapReaderOptions } from '../../../src/sources/scap/reader.js';
import type * as Stream from '../../../src/sources/scap/stream.js';
import { concat, eventBlock, machineInfo, p, shb } from './build.js';
import { CAPTURE_DIR, CAPTURES, rawCapture } from './helpers.js';

const DIST = new URL('../../../dist/src/sources/scap/', import.meta.url);
const { readScapPipelined, pipelineAvailable, SLOT_BYTES, SLOTS } = (await import(new URL('pipeline.js', DIST).href)) as typeof Pipeline;
const { readScap } = (await import(new URL('stream.js', DIST).href)) as typeof Stream;
const { lightEvents: lightEventsOf } = (await import(new URL('read-plan.js', DIST).href)) as typeof ReadPlan;

const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-pipeline-'));
const write = (name: string, bytes: Uint8Array) => {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
};

interface Reading {
  /** One line per event, and one per metadata call, in the order they came. */
  log: string[];
  result: Omit<Stream.ScapReadResult, 'error'> & { error: unknown };
}

const text = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Set || x instanceof Map ? [...x] : x));

async function read(
  how: 'one thread' | 'two threads',
  file: string,
  stopAfter = Number.POSITIVE_INFINITY,
  // A slow consumer lets the worker run ahead until its slots are full.
  work = 0,
  options: ScapReaderOptions = {},
): Promise<Reading> {
  const log: string[] = [];
  const handler = Object.fromEntries(
    ['onSection', 'onMachine', 'onThread', 'onFd', 'onUser', 'onGroup', 'onInterface', 'onMetadataEnd'].map((name) => [
      name,
      (...args: unknown[]) => log.push(`${name} ${text(args)}`),
    ]),
  );
  let n = 0;
  const onEvent = (e: Parameters<Stream.EventCallback>[0]) => {
    const h = createHash('sha1');
    for (let i = 0; i < e.paramCount; i++) h.update(e.paramBytes(i));
    log.push(`${e.num} ${e.type} ${e.ts()} ${e.tid} ${e.cpu} ${e.flags} ${e.paramCount} ${h.digest('hex')}`);
    for (let k = 0; k < work; k++) createHash('sha1').update(log.at(-1)!).digest();
    return ++n < stopAfter;
  };
  const result =
    how === 'one thread'
      ? await readScap(file, onEvent, { ...options, handler })
      : await readScapPipelined(file, onEvent, { ...options, handler }, { force: true });
  return { log, result: JSON.parse(text(result)) };
}

async function same(file: string, stopAfter?: number, work?: number, options?: ScapReaderOptions): Promise<Reading> {
  const one = await read('one thread', file, stopAfter, 0, options);
  const two = await read('two threads', file, stopAfter, work, options);
  expect(two.log.length).toBe(one.log.length);
  expect(two.log).toEqual(one.log);
  if (stopAfter === undefined) expect(two.result).toEqual(one.result);
  else {
    // After an early stop the reading thread has read ahead (at most SLOTS batches): its
    // counters say what it read; the rest of the result is the same.
    expect({ ...two.result, stats: undefined }).toEqual({ ...one.result, stats: undefined });
    expect(two.result.stats.events).toBeGreaterThanOrEqual(one.result.stats.events);
  }
  return one;
}

describe('reading a scap file on two threads', () => {
  it('is available here (a second CPU and the compiled worker)', () => {
    expect(pipelineAvailable()).toBe(true);
  });

  it.each(CAPTURES)('%s (gzip): the same events, metadata calls and result', async (name) => {
    const one = await same(path.resolve(CAPTURE_DIR, name));
    expect(one.log.length).toBeGreaterThan(100);
  });

  // Concatenated captures: a section per copy (metadata calls between events of one batch),
  // more than SLOTS batches (the worker waits for the slowed consumer and reuses its slots).
  const copies = Array.from({ length: 60 }, () => rawCapture('curl_google.scap'));
  const many = concat(...copies);

  it('many sections, many batches, a slow consumer', async () => {
    expect(many.length).toBeGreaterThan(SLOTS * SLOT_BYTES);
    const one = await same(write('many.scap', many), undefined, 20);
    expect(one.log.filter((l) => l.startsWith('onSection')).length).toBe(60);
  });

  it('stops where the consumer stops', async () => {
    const one = await same(write('stop.scap', many), 12_345);
    expect(one.log.filter((l) => /^\d/.test(l))).toHaveLength(12_345);
  });

  it('a truncated file: the events before the damage, then the same error at the same offset', async () => {
    // Not at a copy's boundary (that would be a whole capture).
    const one = await same(write('truncated.scap', many.subarray(0, Math.floor(many.length * 0.7) + 1001)));
    expect(one.result.error).toMatchObject({ code: 'SCAP_TRUNCATED' });
  });

  it('an event larger than a slot travels on its own', async () => {
    const big = new Uint8Array(SLOT_BYTES + 12345).map((_, i) => i % 251);
    const small = (ts: bigint) => eventBlock({ type: 322, ts, tid: 7, params: [p.u32(1), p.bytes([1, 2, 3])] }, 'EVF_V2_LARGE', 4);
    const bytes = concat(
      shb(),
      machineInfo('h'),
      small(1000n),
      eventBlock({ type: 322, ts: 1001n, tid: 7, params: [p.u32(2), big] }, 'EVF_V2_LARGE', 4),
      small(1002n),
    );
    const one = await same(write('big.scap', bytes));
    expect(one.log.filter((l) => /^\d/.test(l))).toHaveLength(3);
  });

  it('light events (read-plan.ts): the same events, as written, and the same result', async () => {
    const lightEvents = lightEventsOf({ codes: new Set(), fields: [] })!;
    const one = await same(write('light.scap', many), undefined, 0, { lightEvents });
    const light = one.log.filter((l) => /^\d/.test(l) && lightEvents[Number(l.split(' ')[1])] === 1);
    expect(light.length).toBeGreaterThan(10_000);
  });

  it('a file that cannot be read: the same error', async () => {
    await same(path.join(dir, 'missing.scap'));
  });
});

describe('reading on two threads, when the callback throws', () => {
  it('ends the reading with the error, as one thread does', async () => {
    const file = path.resolve(CAPTURE_DIR, 'curl_google.scap');
    const boom = (e: Parameters<Stream.EventCallback>[0]) => {
      if (e.num === 100) throw new Error('consumer failed');
    };
    const one = await readScap(file, boom);
    const two = await readScapPipelined(file, boom, {}, { force: true });
    expect(one.error?.message).toContain('consumer failed');
    expect(two.error?.message).toContain('consumer failed');
    expect(two.error?.code).toBe(one.error?.code);
  });
});
