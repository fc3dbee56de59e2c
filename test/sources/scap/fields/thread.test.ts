/**
 * proc.* / thread.* extraction. The state reproduces, by hand, curl_google.scap at its
 * first event (evt.num 211, curl's execve exit):
 *   TZ=UTC sysdig -r ../shared/captures/scap/curl_google.scap \
 *     -p '*%evt.num|%proc.apid[1]|%proc.apid[2]|%proc.apid[3]|%proc.apid[4]|%proc.apid[5]|%proc.aname[5]|%proc.aname[6]|%proc.exeline|%proc.fdlimit|%proc.vmsize|%proc.vmrss|%thread.vmsize|%thread.pfmajor|%thread.pfminor|%proc.duration|%thread.cgroups|%proc.fdopencount|%proc.loginshellid|%proc.is_exe_writable|%thread.vtid|%proc.vmswap'
 *   211|3200|3199|3111|1397|1|systemd|<NA>|curl -6 http://www.google.com|1024|508|4|508|0|34|<NA>|cpuset=/ cpu=/user.slice ...|0|3200|false|<NA>|0
 * and '%proc.name %proc.pname %proc.aname[2] %proc.cmdline %proc.pcmdline %proc.sid %proc.vpgid %proc.tty %proc.vpid %thread.ismain':
 *   curl bash sshd curl -6 http://www.google.com bash -1 -1 0 <NA> true
 * Where libsinsp has changed since sysdig 0.29, the expectation follows the libs mirror
 * and says so.
 */
import { describe, expect, it } from 'vitest';
import { fakeEvent, fakeState, fd, read, thread } from './helpers.js';

const curl = thread({
  tid: 17497,
  pid: 17497,
  ptid: 3200,
  sid: -1,
  vpgid: -1,
  pgid: -1,
  vtid: -1,
  vpid: -1,
  comm: 'curl',
  exe: 'curl',
  exepath: '',
  args: ['-6', 'http://www.google.com'],
  env: ['USER=ubuntu', 'SHLVL=1', 'PADDED=  x y  ', 'HOME=/home/ubuntu'],
  cwd: '',
  cgroups: [
    ['cpuset', '/'],
    ['cpu', '/user.slice'],
    ['pids', '/user.slice/user-1000.slice'],
  ],
  uid: 4294967295,
  gid: 4294967295,
  loginuid: 4294967295,
  fdlimit: 1024,
  vmsizeKb: 508,
  vmrssKb: 4,
  pfMinor: 34n,
});
const bash = thread({
  tid: 3200,
  ptid: 3199,
  comm: 'bash',
  exe: '-bash',
  exepath: '/bin/bash',
  env: ['SHLVL=1', 'FROM_BASH=1'],
  cloneTs: 1_534_527_000_000_000_000n,
});
const sshd3 = thread({ tid: 3199, ptid: 3111, comm: 'sshd', exe: 'sshd: ubuntu@pts/1', env: ['FROM_SSHD=yes'] });
const sshd2 = thread({ tid: 3111, ptid: 1397, comm: 'sshd', exe: 'sshd: ubuntu [priv]' });
const sshd1 = thread({ tid: 1397, ptid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', args: ['-D'] });
const systemd = thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', args: ['splash'] });

const state = fakeState({ threads: [curl, bash, sshd3, sshd2, sshd1, systemd] });
const execve = fakeEvent({ id: 'PPME_SYSCALL_EXECVE_19_X', tid: 17497, num: 211, ts: 1_534_527_348_514_632_619n });

describe('proc fields (curl_google.scap, event 211)', () => {
  it('reads the process and its ancestry as sysdig prints it', () => {
    const v = (f: string) => read(f, execve, state);
    expect(v('proc.name')).toBe('curl');
    expect(v('proc.pname')).toBe('bash');
    expect(v('proc.aname[2]')).toBe('sshd');
    expect(v('proc.aname[5]')).toBe('systemd');
    expect(v('proc.aname[6]')).toBeUndefined();
    expect(v('proc.aname[0]')).toBe('curl');
    expect([1, 2, 3, 4, 5].map((i) => v(`proc.apid[${i}]`))).toEqual([3200, 3199, 3111, 1397, 1]);
    expect(v('proc.cmdline')).toBe('curl -6 http://www.google.com');
    expect(v('proc.pcmdline')).toBe('bash');
    expect(v('proc.exeline')).toBe('curl -6 http://www.google.com');
    expect(v('proc.ppid')).toBe(3200);
    expect(v('proc.pexe')).toBe('-bash');
    expect(v('proc.pexepath')).toBe('/bin/bash');
    expect(v('proc.aexe[3]')).toBe('sshd: ubuntu [priv]');
    expect(v('proc.acmdline[4]')).toBe('sshd -D');
    expect(v('proc.sid')).toBe(-1);
    expect(v('proc.vpgid')).toBe(-1);
    expect(v('proc.tty')).toBe(0);
    expect(v('proc.vpid')).toBeUndefined();
    expect(v('thread.vtid')).toBeUndefined();
    expect(v('thread.ismain')).toBe(true);
    expect(v('proc.fdlimit')).toBe(1024);
    expect(v('proc.vmsize')).toBe(508);
    expect(v('proc.vmrss')).toBe(4);
    expect(v('thread.vmsize')).toBe(508);
    expect(v('thread.pfmajor')).toBe(0);
    expect(v('thread.pfminor')).toBe(34);
    expect(v('proc.vmswap')).toBe(0);
    expect(v('proc.duration')).toBeUndefined();
    expect(v('proc.fdopencount')).toBe(0);
    expect(v('proc.loginshellid')).toBe(3200);
    expect(v('proc.is_exe_writable')).toBe(false);
    expect(v('thread.cgroups')).toBe('cpuset=/ cpu=/user.slice pids=/user.slice/user-1000.slice');
    expect(v('thread.cgroup[pids]')).toBe('/user.slice/user-1000.slice');
    expect(v('thread.cgroup[blkio]')).toBeUndefined();
  });

  it('gives every ancestor, parent first, for an ancestry field without index', () => {
    // libsinsp compare_full_aname walks traverse_parent_state from the main thread's parent.
    expect(read('proc.aname', execve, state)).toEqual(['bash', 'sshd', 'sshd', 'sshd', 'systemd']);
    expect(read('proc.apid', execve, state)).toEqual([3200, 3199, 3111, 1397, 1]);
    // libsinsp parses [-1] as "no index".
    expect(read('proc.aname[-1]', execve, state)).toEqual(['bash', 'sshd', 'sshd', 'sshd', 'systemd']);
    expect(read('proc.aname[-2]', execve, state)).toBeUndefined();
    expect(read('proc.aexepath', execve, state)).toEqual(['/bin/bash', '', '', '', '']);
    expect(read('proc.acmdline', execve, state)).toEqual(['bash', 'sshd', 'sshd', 'sshd -D', 'systemd splash']);
    // A process without known parent has no ancestors: NA.
    expect(read('proc.aname', fakeEvent({ id: 'PPME_SYSCALL_EXECVE_19_X', tid: 1 }), state)).toBeUndefined();
  });

  it('stops at a loop in the parent chain', () => {
    const a = thread({ tid: 10, ptid: 11, comm: 'a' });
    const b = thread({ tid: 11, ptid: 12, comm: 'b' });
    const c = thread({ tid: 12, ptid: 11, comm: 'c' });
    const s = fakeState({ threads: [a, b, c] });
    const v = read('proc.aname', fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 10 }), s) as string[];
    // traverse_parent_state: after visiting b the fast pointer meets the slow one at c.
    expect(v).toEqual(['b']);
  });

  it('reads arguments and environment as libsinsp does', () => {
    expect(read('proc.args', execve, state)).toBe('-6 http://www.google.com');
    expect(read('proc.args[1]', execve, state)).toBe('http://www.google.com');
    // Past the last argument: an empty string, not NA (sinsp_filtercheck_thread TYPE_ARGS).
    expect(read('proc.args[7]', execve, state)).toBe('');
    expect(read('proc.cmdnargs', execve, state)).toBe(2);
    expect(read('proc.cmdlenargs', execve, state)).toBe(23);
    expect(read('proc.env[USER]', execve, state)).toBe('ubuntu');
    // Values are trimmed of spaces (threadinfo get_env); a missing variable is ''.
    expect(read('proc.env[PADDED]', execve, state)).toBe('x y');
    expect(read('proc.env[NOPE]', execve, state)).toBe('');
    expect(read('proc.env', execve, state)).toBe('USER=ubuntu SHLVL=1 PADDED=  x y   HOME=/home/ubuntu');
    // aenv[NAME] starts at the parent; aenv without a name matches any ancestor's environment.
    expect(read('proc.aenv[FROM_SSHD]', execve, state)).toBe('yes');
    expect(read('proc.aenv[USER]', execve, state)).toBe('');
    expect(read('proc.aenv', execve, state)).toEqual(['SHLVL=1 FROM_BASH=1', 'FROM_SSHD=yes', '', '', '']);
    expect(read('proc.aargs[4]', execve, state)).toBe('-D');
    expect(read('proc.aargs', execve, state)).toBe('-D splash');
  });

  it('reads a non-main thread through its process (libs mirror: get_ancestor_process)', () => {
    const t2 = thread({ tid: 17498, pid: 17497, ptid: 17497, comm: 'curl', vmsizeKb: 0, cwd: '/tmp/' });
    const s = fakeState({ threads: [curl, t2, bash, sshd3, sshd2, sshd1, systemd], countThreads: true });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 17498, num: 1060 });
    // sysdig 0.29 prints pname=curl here (its parent was the thread's ptid); the libs mirror
    // walks from the main thread, whose parent is bash.
    expect(read('proc.pname', ev, s)).toBe('bash');
    expect(read('thread.ismain', ev, s)).toBe(false);
    expect(read('thread.tid', ev, s)).toBe(17498);
    expect(read('proc.pid', ev, s)).toBe(17497);
    // sysdig: nthreads=2 nchilds=1 for the second thread's events once both run.
    expect(read('proc.nthreads', ev, s)).toBe(2);
    expect(read('proc.nchilds', ev, s)).toBe(1);
    expect(read('thread.vmsize', ev, s)).toBe(0);
    expect(read('proc.env[USER]', ev, s)).toBe('ubuntu');
    expect(read('proc.pvpid', ev, s)).toBe(-1);
    // Threads share the main thread's cwd (threadinfo get_cwd); without one libsinsp says './'.
    expect(read('proc.cwd', ev, s)).toBe('');
    const orphan = thread({ tid: 600, pid: 555, cwd: '/x/' });
    expect(read('proc.cwd', fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 600 }), fakeState({ threads: [orphan] }))).toBe('./');
  });

  it('is NA without a thread, except thread.tid', () => {
    const ev = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 999 });
    expect(read('proc.name', ev, state)).toBeUndefined();
    expect(read('proc.aname', ev, state)).toBeUndefined();
    expect(read('thread.tid', ev, state)).toBe(999);
    expect(read('proc.nthreads', ev, state)).toBeUndefined();
  });

  it('finds session and group leaders; none is an empty string (libs mirror, not sysdig 0.29)', () => {
    // sysdig 0.29 prints sname=systemd for sid -1; the libs mirror returns '' when the id is -1.
    expect(read('proc.sname', execve, state)).toBe('');
    const leader = thread({ tid: 50, sid: 50, vpgid: 50, pgid: 50, comm: 'sh', exe: 'sh', exepath: '/bin/sh' });
    const child = thread({ tid: 51, ptid: 50, sid: 50, vpgid: 50, pgid: 50, comm: 'ls' });
    const s = fakeState({ threads: [leader, child] });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 51 });
    expect(read('proc.sname', ev, s)).toBe('sh');
    expect(read('proc.sid.exepath', ev, s)).toBe('/bin/sh');
    expect(read('proc.vpgid.name', ev, s)).toBe('sh');
    expect(read('proc.pgid.exe', ev, s)).toBe('sh');
    expect(read('proc.is_sid_leader', ev, s)).toBe(false);
    expect(read('proc.is_vpgid_leader', fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 50 }), s)).toBe(true);
    expect(read('proc.is_pgid_leader', fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 50 }), s)).toBe(true);
    // In a pid namespace the virtual ids are not host tids: the leader is the oldest
    // consecutive ancestor sharing the id.
    const nsLeader = thread({ tid: 200, vtid: 1, vpid: 1, ptid: 100, sid: 1, vpgid: 1, comm: 'init' });
    const nsChild = thread({ tid: 201, vtid: 7, vpid: 7, ptid: 200, sid: 1, vpgid: 1, comm: 'app' });
    const host = thread({ tid: 1, comm: 'systemd' });
    const outside = thread({ tid: 100, ptid: 1, sid: 9, vpgid: 9, comm: 'containerd-shim' });
    const ns = fakeState({ threads: [host, outside, nsLeader, nsChild] });
    expect(read('proc.sname', fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 201 }), ns)).toBe('init');
  });

  it('reads times, inodes and capabilities with libsinsp NA rules', () => {
    const t = thread({
      tid: 70,
      ptid: 3200,
      cloneTs: 1_534_527_348_000_000_000n,
      exeIno: 1234n,
      exeInoCtime: 1_534_527_300_000_000_000n,
      exeInoMtime: 1_534_527_200_000_000_000n,
      pidnsInitStartTs: 1_534_527_100_000_000_000n,
      capPermitted: (1n << 0n) | (1n << 5n) | (1n << 21n),
      capEffective: 0n,
      capInheritable: 1n << 40n,
      exeUpperLayer: true,
    });
    const s = fakeState({ threads: [t, bash, sshd3, sshd2, sshd1, systemd] });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 70, ts: 1_534_527_348_514_632_619n });
    expect(read('proc.duration', ev, s)).toBe(514_632_619);
    expect(read('proc.pid.ts', ev, s)).toBe(1_534_527_348_000_000_000n);
    expect(read('proc.ppid.ts', ev, s)).toBe(1_534_527_000_000_000_000n);
    expect(read('proc.ppid.duration', ev, s)).toBe(348_514_632_619);
    expect(read('proc.exe_ino', ev, s)).toBe(1234);
    expect(read('proc.exe_ino.ctime', ev, s)).toBe(1_534_527_300_000_000_000n);
    expect(read('proc.exe_ino.mtime', ev, s)).toBe(1_534_527_200_000_000_000n);
    // clone_ts - ctime, and ctime - pidns start (parsers.cpp at execve).
    expect(read('proc.exe_ino.ctime_duration_proc_start', ev, s)).toBe(48_000_000_000);
    expect(read('proc.exe_ino.ctime_duration_pidns_start', ev, s)).toBe(200_000_000_000);
    expect(read('proc.pidns_init_start_ts', ev, s)).toBe(1_534_527_100_000_000_000n);
    expect(read('thread.cap_permitted', ev, s)).toBe('CAP_CHOWN CAP_KILL CAP_SYS_ADMIN');
    expect(read('thread.cap_effective', ev, s)).toBe('');
    expect(read('thread.cap_inheritable', ev, s)).toBe('CAP_CHECKPOINT_RESTORE');
    expect(read('proc.is_exe_upper_layer', ev, s)).toBe(true);
    // Zero means unknown for inodes and times.
    expect(read('proc.exe_ino', execve, state)).toBeUndefined();
    expect(read('proc.exe_ino.ctime_duration_proc_start', execve, state)).toBeUndefined();
    // A parent without clone time: libsinsp falls through to the fd count (a missing break).
    const p0 = thread({ tid: 80, comm: 'p' });
    const c0 = thread({ tid: 81, ptid: 80, fds: new Map([[0, fd({ fd: 0, type: 'file' })]]) });
    expect(read('proc.ppid.duration', fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 81 }), fakeState({ threads: [p0, c0] }))).toBe(1);
  });

  it('reads the standard fds and fd usage', () => {
    const t = thread({
      tid: 90,
      fdlimit: 8,
      fds: new Map([
        [0, fd({ fd: 0, type: 'unknown', name: '/dev/pts/1' })],
        [1, fd({ fd: 1, type: 'pipe', name: 'pipe:[123]' })],
      ]),
    });
    const s = fakeState({ threads: [t] });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 90 });
    expect(read('proc.stdin.type', ev, s)).toBe('<NA>');
    expect(read('proc.stdin.name', ev, s)).toBe('/dev/pts/1');
    expect(read('proc.stdout.type', ev, s)).toBe('pipe');
    expect(read('proc.stderr.name', ev, s)).toBeUndefined();
    expect(read('proc.fdopencount', ev, s)).toBe(2);
    expect(read('proc.fdusage', ev, s)).toBe(25);
  });
});
