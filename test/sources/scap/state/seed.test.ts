import { describe, expect, it } from 'vitest';
import { ScapStateEngine } from '../../../../src/sources/scap/state/engine.js';
import { newFd } from '../../../../src/sources/scap/state/fd-flags.js';
import { Host } from './host.js';

describe('seeding from the capture lists', () => {
  it('links the process list: parents, threads sharing the main thread fd table, containers', () => {
    const engine = new ScapStateEngine();
    const fds = new Map([[3, { ...newFd(3, 'file'), name: '/var/log/syslog' }]]);
    engine.seed({
      machine: { hostname: 'h', bootTime: 5n, numCpus: 2 },
      threads: [
        { tid: 1, pid: 1, ptid: 0, comm: 'init', cwd: '/' },
        { tid: 501, pid: 500, ptid: 1, comm: 'rsyslogd', cgroups: [['cpuset', `/docker/${'a'.repeat(64)}`]] },
        { tid: 500, pid: 500, ptid: 1, comm: 'rsyslogd', cwd: '/var', fds },
        { tid: 600, pid: 600, ptid: 999, comm: 'orphan' },
      ],
    });
    const thread = engine.thread(501)!;
    expect(engine.mainThread(thread)).toBe(engine.thread(500));
    expect(engine.fdTable(thread)?.get(3)?.name).toBe('/var/log/syslog');
    expect(engine.cwd(thread)).toBe('/var/');
    expect(engine.parent(engine.thread(500)!)?.comm).toBe('init');
    expect(engine.thread(600)!.ptid).toBe(0); // unknown parent: an orphan, as libsinsp makes it
    expect(thread.containerId).toBe('aaaaaaaaaaaa');
    expect(engine.machine.numCpus).toBe(2);
  });
});

describe('events libsinsp does not parse leave the state alone', () => {
  it('keeps fd names through rename and pgid through setpgid', () => {
    const h = new Host();
    h.clone(1, 100);
    h.openat(100, 3, '/tmp/a');
    h.exit('rename', 100, { res: 0, oldpath: '/tmp/a', newpath: '/tmp/b' });
    h.exit('renameat2', 100, { res: 0, olddirfd: -100, oldpath: '/tmp/a', newdirfd: -100, newpath: '/tmp/b', flags: 0 });
    expect(h.fd(100, 3)?.name).toBe('/tmp/a');
    const pgid = h.thread(100).pgid;
    h.exit('setpgid', 100, { res: 0, pid: 0, pgid: 4242 });
    expect(h.thread(100).pgid).toBe(pgid);
  });

  it('changes nothing on events of known threads that carry no state', () => {
    const h = new Host();
    h.clone(1, 100);
    h.openat(100, 3, '/tmp/a');
    const before = JSON.stringify(
      [...h.engine.table.threads.values()].map((t) => ({ ...t, fds: [...t.fds.keys()], children: t.children.size })),
      (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
    );
    h.exit('read', 100, { res: 5, data: 'hello', fd: 3, size: 5 });
    h.exit('write', 100, { res: 5, data: 'hello', fd: 3, size: 5 });
    h.exit('getcwd', 100, { res: -1, path: '/x' });
    const after = JSON.stringify(
      [...h.engine.table.threads.values()].map((t) => ({ ...t, fds: [...t.fds.keys()], children: t.children.size })),
      (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
    );
    // Only the bookkeeping of the last event differs (libsinsp's m_lastevent_*).
    const strip = (s: string): string => s.replace(/"lastEvent(Fd|Type)":-?\d+/g, '');
    expect(strip(after)).toBe(strip(before));
  });
});
