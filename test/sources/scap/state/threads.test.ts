import { describe, expect, it } from 'vitest';
import { ThreadTable } from '../../../../src/sources/scap/state/threads.js';
import {
  PPM_CL_CLONE_FILES,
  PPM_CL_CLONE_INVERTED,
  PPM_CL_CLONE_THREAD,
  PPM_CL_CLONE_VFORK,
  PPM_PR_SET_CHILD_SUBREAPER,
} from '../../../../src/sources/scap/synth/index.js';
import { BOOT_TIME, Host, THREAD_FLAGS } from './host.js';

describe('thread table: clone and execve', () => {
  it('follows a fork/exec chain over several generations', () => {
    const h = new Host();
    h.clone(1, 100, { syscall: 'fork' });
    h.execve(100, '/bin/bash', { args: ['-l'] });
    h.clone(100, 200);
    h.execve(200, '/bin/sh', { args: ['-c', 'curl x'] });
    h.clone(200, 300, { syscall: 'vfork', flags: PPM_CL_CLONE_VFORK, order: 'child-caller' });
    h.execve(300, '/usr/bin/curl', { args: ['x'] });
    const curl = h.thread(300);
    expect(curl).toMatchObject({ pid: 300, ptid: 200, comm: 'curl', exe: '/usr/bin/curl', exepath: '/usr/bin/curl', args: ['x'] });
    expect(h.ancestry(300)).toEqual(['sh', 'bash', 'systemd']);
    expect(h.thread(200).args).toEqual(['-c', 'curl x']);
    // A clone copies what execve does not reset.
    expect(curl.loginuid).toBe(1000);
    expect(curl.cloneTs).toBeGreaterThan(0n);
    expect(curl.lastExecTs).toBeGreaterThan(curl.cloneTs);
    expect(curl.pidnsInitStartTs).toBe(BOOT_TIME);
  });

  it('creates the child from the caller event and keeps it when the child event follows', () => {
    const h = new Host();
    h.clone(1, 100, { order: 'caller' });
    const child = h.thread(100);
    expect(child).toMatchObject({ pid: 100, ptid: 1, comm: 'systemd' });
    expect(child.flags & PPM_CL_CLONE_INVERTED).toBe(0);
    h.clone(1, 100, { order: 'child' });
    expect(h.thread(100)).toBe(child);
  });

  it('builds the child from its own event when it arrives first or alone (inverted clone)', () => {
    const h = new Host();
    h.clone(1, 100, { order: 'child' });
    const child = h.thread(100);
    expect(child).toMatchObject({ pid: 100, ptid: 1, comm: 'systemd' });
    expect(child.flags & PPM_CL_CLONE_INVERTED).not.toBe(0);
    // The caller's event then finds an inverted clone and leaves it alone.
    h.clone(1, 100, { order: 'caller' });
    expect(h.thread(100)).toBe(child);
  });

  it('does not create a vfork child from the caller side (the child may be gone already)', () => {
    const h = new Host();
    h.clone(1, 100, { syscall: 'vfork', flags: PPM_CL_CLONE_VFORK, order: 'caller' });
    expect(h.engine.thread(100)).toBeUndefined();
  });

  it('ignores a failed clone or execve', () => {
    const h = new Host();
    h.exit('clone', 1, { res: -11, flags: 0 });
    expect([...h.engine.table.threads.keys()]).toEqual([1]);
    h.clone(1, 100);
    h.execve(100, '/bin/false', { res: -2 });
    expect(h.thread(100).comm).toBe('systemd');
  });

  it('gives an unknown tid a placeholder thread, completed by its first execve', () => {
    const h = new Host();
    h.tick(555);
    expect(h.thread(555)).toMatchObject({ pid: -1, ptid: -1, comm: '<NA>', exe: '<NA>' });
    h.exit('execve', 555, { res: 0, exe: 'ls', args: [], tid: 555, pid: 555, ptid: 1, cwd: '/', fdlimit: 1024, comm: 'ls' });
    expect(h.thread(555)).toMatchObject({ pid: 555, ptid: 1, comm: 'ls' });
    expect(h.ancestry(555)).toEqual(['systemd']);
  });

  it('takes exe flags, capabilities, tty, uid and cgroups from execve', () => {
    const h = new Host();
    h.clone(1, 100);
    h.execve(100, '/tmp/x', { flags: 1 | 2, caps: [1n, 2n, 3n], tty: 34816, uid: 1000, cgroups: ['cpuset=/', 'mem_cgroup=/user.slice'] });
    expect(h.thread(100)).toMatchObject({
      exeWritable: true,
      exeUpperLayer: true,
      exeFromMemfd: false,
      capInheritable: 1n,
      capPermitted: 2n,
      capEffective: 3n,
      tty: 34816,
      uid: 1000,
      exeIno: 1234n,
      cgroups: [
        ['cpuset', '/'],
        ['memory', '/user.slice'],
      ],
    });
  });

  it('keeps an empty argument list empty (sinsp_split of nothing)', () => {
    const h = new Host();
    h.clone(1, 100);
    h.execve(100, '/bin/true', { args: [] });
    expect(h.thread(100).args).toEqual([]);
  });

  it('resolves exepath from the enter event when the exit has no trusted_exepath', () => {
    const h = new Host();
    h.clone(1, 100);
    h.exit('chdir', 100, { res: 0, path: '/usr/bin' });
    h.enter('execve', 100, { filename: './env' });
    h.execve(100, './env', { trustedExepath: null });
    expect(h.thread(100).exepath).toBe('/usr/bin/env');
  });

  it('updates uid, gid, session, capabilities and root on the calling thread', () => {
    const h = new Host();
    h.clone(1, 100);
    h.exit('setuid', 100, { res: 0, uid: 33 });
    h.exit('setresgid', 100, { res: 0, rgid: 1, egid: 44, sgid: 1 });
    h.exit('setsid', 100, { res: 100 });
    h.exit('capset', 100, { res: 0, cap_inheritable: 0n, cap_permitted: 7n, cap_effective: 5n });
    h.exit('chroot', 100, { res: 0, path: '/srv/jail' });
    h.exit('setuid', 100, { res: -1, uid: 0 }); // failed: no change
    expect(h.thread(100)).toMatchObject({ uid: 33, gid: 44, sid: 100, capPermitted: 7n, capEffective: 5n, root: '/srv/jail' });
    h.exit('chdir', 100, { res: 0, path: '/srv' });
    h.exit('chroot', 100, { res: 0, path: 'other/../jail2' }); // relative: resolved against the cwd
    expect(h.thread(100).root).toBe('/srv/jail2');
  });
});

describe('thread table: threads and fd table sharing', () => {
  it('makes CLONE_THREAD children threads of the caller process sharing its fd table', () => {
    const h = new Host();
    h.clone(1, 100);
    h.execve(100, '/usr/bin/app');
    h.clone(100, 101, { flags: THREAD_FLAGS });
    const thread = h.thread(101);
    expect(thread).toMatchObject({ pid: 100, ptid: 1 });
    expect(h.engine.mainThread(thread)).toBe(h.thread(100));
    h.openat(101, 5, '/var/log/app.log');
    expect(h.fd(100, 5)?.name).toBe('/var/log/app.log');
    expect(thread.fds).toBe(h.thread(100).fds);
  });

  it('copies the fd table for a new process, with or without CLONE_FILES (as libsinsp does)', () => {
    const h = new Host();
    h.clone(1, 100);
    h.openat(100, 3, '/etc/hosts');
    h.clone(100, 200, { flags: PPM_CL_CLONE_FILES });
    h.clone(100, 300, { flags: 0 });
    expect(h.fd(200, 3)?.name).toBe('/etc/hosts');
    expect(h.fd(300, 3)?.name).toBe('/etc/hosts');
    h.openat(200, 4, '/etc/passwd');
    expect(h.fd(100, 4)).toBeUndefined();
    expect(h.fd(300, 4)).toBeUndefined();
  });

  it('drops the other threads of a process on execve', () => {
    const h = new Host();
    h.clone(1, 100);
    h.clone(100, 101, { flags: THREAD_FLAGS });
    h.execve(100, '/bin/new');
    expect(h.engine.thread(101)).toBeUndefined();
  });
});

describe('thread table: exits and reparenting', () => {
  it('removes an exited thread when the next event arrives', () => {
    const h = new Host();
    h.clone(1, 100);
    h.procexit(100);
    expect(h.thread(100).dead).toBe(true); // the procexit event itself still sees it
    h.tick();
    expect(h.engine.thread(100)).toBeUndefined();
    expect(h.thread(1).children.size).toBe(0);
  });

  it('hands the children of an exiting process to init', () => {
    const h = new Host();
    h.clone(1, 100);
    h.clone(100, 200);
    h.clone(200, 300);
    h.procexit(200);
    h.tick();
    expect(h.thread(300).ptid).toBe(1);
    expect(h.ancestry(300)).toEqual(['systemd']);
    expect(h.thread(1).children.has(h.thread(300))).toBe(true);
  });

  it('uses the reaper the kernel names at procexit', () => {
    const h = new Host();
    h.clone(1, 100);
    h.clone(100, 200);
    h.clone(200, 300);
    h.procexit(200, 100);
    h.tick();
    expect(h.thread(300).ptid).toBe(100);
  });

  it('prefers the nearest child subreaper (prctl) among the ancestors', () => {
    const h = new Host();
    h.clone(1, 100);
    h.exit('prctl', 100, { res: 0, option: PPM_PR_SET_CHILD_SUBREAPER, arg2_str: null, arg2_int: 1 });
    h.clone(100, 200);
    h.clone(200, 300);
    h.procexit(200);
    h.tick();
    expect(h.thread(300).ptid).toBe(100);
  });

  it('gives the children to a live thread of the exiting process first', () => {
    const h = new Host();
    h.clone(1, 100);
    h.clone(100, 101, { flags: THREAD_FLAGS });
    h.clone(100, 200);
    h.procexit(100);
    h.tick();
    // The main thread stays (dead) while its thread lives; the child now belongs to the thread.
    expect(h.thread(100).dead).toBe(true);
    expect(h.thread(200).ptid).toBe(101);
    h.procexit(101);
    h.tick();
    expect(h.engine.thread(100)).toBeUndefined();
    expect(h.engine.thread(101)).toBeUndefined();
    expect(h.thread(200).ptid).toBe(1);
    // The removed main thread is no longer among init's children.
    expect([...h.thread(1).children].map((c) => c.tid)).toEqual([200]);
  });

  it('does not re-add a child whose exit came before the caller clone event', () => {
    const h = new Host();
    h.clone(1, 100, { order: 'child' });
    h.procexit(100);
    h.tick();
    h.clone(1, 100, { order: 'caller' });
    expect(h.engine.thread(100)).toBeUndefined();
  });
});

describe('thread table: recently exited threads', () => {
  const SECOND = 1_000_000_000n;
  it('remembers an exit for 2 s and for the last 8192 exits (thread_manager has_recently_exited)', () => {
    const t = new ThreadTable(1000);
    t.recordExited(100, 1, 10n * SECOND);
    expect(t.hasRecentlyExited(100, 1, 11n * SECOND)).toBe(true);
    expect(t.hasRecentlyExited(100, 2, 11n * SECOND)).toBe(false);
    expect(t.hasRecentlyExited(101, 1, 11n * SECOND)).toBe(false);
    expect(t.hasRecentlyExited(100, 1, 12n * SECOND)).toBe(false);
    expect(t.hasRecentlyExited(100, 1, 9n * SECOND)).toBe(false);
    // The same key twice: losing the older entry to the ring keeps the newer one.
    t.recordExited(100, 1, 20n * SECOND);
    for (let i = 0; i < 8191; i++) t.recordExited(1000 + i, 1, 20n * SECOND);
    expect(t.hasRecentlyExited(100, 1, 20n * SECOND)).toBe(true);
    t.recordExited(5, 1, 20n * SECOND);
    expect(t.hasRecentlyExited(100, 1, 20n * SECOND)).toBe(false);
    expect(t.hasRecentlyExited(5, 1, 20n * SECOND)).toBe(true);
    expect(t.hasRecentlyExited(1000, 1, 20n * SECOND)).toBe(true);
    t.recordExited(6, 1, 20n * SECOND);
    expect(t.hasRecentlyExited(1000, 1, 20n * SECOND)).toBe(false);
    expect(t.hasRecentlyExited(1001, 1, 20n * SECOND)).toBe(true);
  });

  it('keys exits by the low 32 bits of ptid and tid, and knows no exit before the first', () => {
    const t = new ThreadTable(1000);
    // nothing recorded: thread 0 of parent 0 at time 0 has not exited (the ring's unused slots are not exits)
    expect(t.hasRecentlyExited(0, 0, 0n)).toBe(false);
    t.recordExited(2 ** 32 + 100, -1, SECOND);
    expect(t.hasRecentlyExited(100, 2 ** 32 - 1, SECOND)).toBe(true);
    expect(t.hasRecentlyExited(100, 1, SECOND)).toBe(false);
    expect(t.hasRecentlyExited(0, 0, SECOND)).toBe(false);
  });
});

describe('thread table: limits', () => {
  it('refuses new threads beyond the table size', () => {
    const h = new Host({ maxThreads: 3 });
    h.clone(1, 100);
    h.clone(1, 101);
    h.clone(1, 102);
    expect(h.engine.table.threads.size).toBe(3);
    expect(h.engine.thread(102)).toBeUndefined();
    expect(h.engine.table.droppedFull).toBeGreaterThan(0);
  });

  it('purges idle threads only when purging is on (libsinsp does not purge when reading a capture)', () => {
    for (const purge of [false, true]) {
      const h = new Host({ purgeInactiveThreads: purge, purgeIntervalNs: 10_000n, threadTimeoutNs: 50_000n });
      h.clone(1, 100);
      for (let i = 0; i < 200; i++) h.tick(1);
      expect(h.engine.thread(100) === undefined, `purge ${purge}`).toBe(purge);
      expect(h.engine.thread(1)).toBeDefined();
    }
  });
});

describe('thread flags', () => {
  it('marks threads as CLONE_THREAD and sharing files', () => {
    const h = new Host();
    h.clone(1, 100, { flags: THREAD_FLAGS, order: 'child' });
    expect(h.thread(100).flags & (PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES)).toBe(PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES);
  });
});
