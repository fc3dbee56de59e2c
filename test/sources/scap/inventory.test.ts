/**
 * The metadata blocks of the real captures against sysdig: threads of the process list as
 * libsinsp shows them on their first printed event (before an execve changes them), and the
 * counts of every block kind.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixSocketsComingFromProc } from '../../../src/sources/scap/metadata.js';
import type { FdInfo, ThreadInfo, UserInfo } from '../../../src/sources/scap/state/model.js';
import { readScap } from '../../../src/sources/scap/stream.js';
import { EVENTS } from '../../../src/sources/scap/tables.js';
import { requireSysdig } from '../../helpers/sysdig.js';

const DIR = '../shared/captures/scap';

async function inventory(file: string) {
  const threads = new Map<number, ThreadInfo>();
  const fds = new Map<number, FdInfo[]>();
  const users = new Map<number, UserInfo>();
  const firstType = new Map<number, string>();
  const result = await readScap(
    file,
    (e) => {
      if (!firstType.has(e.tid)) firstType.set(e.tid, `${EVENTS[e.type]!.name}${EVENTS[e.type]!.direction}`);
    },
    {
      convert: false,
      handler: {
        onThread: (t) => threads.set(t.tid, t),
        onFd: (tid, fd) => fds.set(tid, [...(fds.get(tid) ?? []), fd]),
        onUser: (u) => users.set(u.uid, u),
        onMetadataEnd: (ports) => fixSocketsComingFromProc([...fds.values()].flat(), ports),
      },
    },
  );
  return { result, threads, fds, users, firstType };
}

describe('scap metadata blocks', () => {
  requireSysdig();

  // sysdig's ps and lsof chisels list its thread table at the end of the capture: the process
  // list and fd list blocks, minus what the events changed (only the traced processes)
  it.each(['curl_google.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'])(
    "%s: process and fd lists as sysdig's ps and lsof list them",
    async (name) => {
      const file = `${DIR}/${name}`;
      const { result, threads, fds, users, firstType } = await inventory(file);
      expect(result.error).toBeUndefined();
      expect(result.stats.threads).toBe(threads.size);
      const ps = execFileSync('sysdig', ['-r', file, '-c', 'ps'], { encoding: 'utf8', maxBuffer: 1 << 26 })
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/));
      const traced = new Set(firstType.keys());
      const mine = [...threads.values()]
        .filter((t) => !traced.has(t.tid))
        .map((t) => `${t.tid} ${t.pid} ${(users.get(t.uid)?.name ?? String(t.uid)).slice(0, 11)} ${t.fdlimit} ${t.comm}`)
        .sort();
      const theirs = ps
        .filter((c) => !traced.has(Number(c[0])))
        .map((c) => `${c[0]} ${c[1]} ${c[2]} ${c[5]} ${c.slice(6).join(' ')}`)
        .sort();
      expect(mine.length).toBeGreaterThan(10);
      expect(mine).toEqual(theirs);

      const lsof = execFileSync('sysdig', ['-r', file, '-c', 'lsof'], { encoding: 'utf8', maxBuffer: 1 << 26 })
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(/\s+/));
      const tracedPids = new Set([...traced].map((tid) => threads.get(tid)?.pid ?? tid));
      const theirFds = new Set(lsof.filter((c) => !tracedPids.has(Number(c[1]))).map((c) => `${c[1]} ${c[4]} ${c.slice(6).join(' ').trim()}`));
      const myFds = new Set<string>();
      for (const [tid, list] of fds) {
        const pid = threads.get(tid)?.pid ?? tid;
        if (tracedPids.has(pid)) continue;
        // lsof prints one line per row: a name ending in a newline (unix socket paths read from
        // /proc/net/unix keep theirs) loses it there
        for (const fd of list) myFds.add(`${pid} ${fd.fd} ${fd.name.replace(/\n$/, '')}`);
      }
      expect(myFds.size).toBeGreaterThan(10);
      expect([...myFds].sort()).toEqual([...theirFds].sort());
    },
  );

  it('counts every block kind of curl_google.scap', async () => {
    const { result, fds } = await inventory(`${DIR}/curl_google.scap`);
    const s = result.stats;
    // one section; the metadata blocks as listed by the reader's stats; all events read
    expect(s.sections).toBe(1);
    expect(s.unknownBlocks).toBe(0);
    expect(result.machine?.hostname).toBe('ip-10-0-0-79');
    expect(result.machine?.numCpus).toBeGreaterThan(0);
    expect(s.threads).toBeGreaterThan(10);
    expect([...fds.values()].reduce((n, l) => n + l.length, 0)).toBe(s.fds);
    expect(s.users).toBeGreaterThan(0);
    expect(s.groups).toBeGreaterThan(0);
    expect(s.interfaces).toBeGreaterThan(0);
    // blocks = section + machine + metadata blocks + one block per event
    expect(s.events).toBe(1536);
  });
});
