import { describe, expect, it } from 'vitest';
import {
  IPPROTO_TCP,
  IPPROTO_UDP,
  PPM_AF_INET,
  PPM_AF_INET6,
  PPM_AF_UNIX,
  PPM_FCNTL_F_DUPFD,
  PPM_FCNTL_F_DUPFD_CLOEXEC,
  PPM_FCNTL_F_SETFD,
  PPM_O_CLOEXEC,
  PPM_O_DIRECTORY,
  PPM_O_RDONLY,
  SOCK_DGRAM,
  SOCK_STREAM,
} from '../../../../src/sources/scap/synth/index.js';
import { Host } from './host.js';

function proc(): Host {
  const h = new Host();
  h.clone(1, 100);
  h.execve(100, '/usr/bin/app');
  return h;
}

describe('fd table: open and close', () => {
  it('reuses an fd number after close, the close event still seeing the old fd', () => {
    const h = proc();
    h.openat(100, 3, '/etc/passwd');
    expect(h.fd(100, 3)).toMatchObject({ type: 'file', name: '/etc/passwd', openFlags: PPM_O_RDONLY });
    h.close(100, 3);
    expect(h.fd(100, 3)?.name).toBe('/etc/passwd'); // removal is deferred past the close event
    h.tick(100);
    expect(h.fd(100, 3)).toBeUndefined();
    h.openat(100, 3, '/etc/shadow');
    expect(h.fd(100, 3)?.name).toBe('/etc/shadow');
  });

  it('keeps the fd when close fails, and ignores failed opens', () => {
    const h = proc();
    h.openat(100, 3, '/etc/passwd');
    h.close(100, 3, -9);
    h.tick(100);
    expect(h.fd(100, 3)?.name).toBe('/etc/passwd');
    h.openat(100, -2, '/nonexistent');
    expect(h.fd(100, -2)).toBeUndefined();
  });

  it('types directories, and keeps the raw name beside the resolved one', () => {
    const h = proc();
    h.exit('chdir', 100, { res: 0, path: '/home/u' });
    h.openat(100, 4, 'docs/../src', { flags: PPM_O_DIRECTORY });
    expect(h.fd(100, 4)).toMatchObject({ type: 'directory', name: '/home/u/src', nameRaw: 'docs/../src' });
  });

  it('takes open, creat and openat2 names and flags', () => {
    const h = proc();
    h.exit('open', 100, { fd: 5, name: '/a', flags: 2, mode: 0, dev: 7, ino: 9n });
    h.exit('creat', 100, { fd: 6, name: 'b', mode: 0o644, dev: 0, ino: 0n, creat_flags: 1 });
    h.exit('openat2', 100, { fd: 7, dirfd: -100, name: 'c', flags: 1, mode: 0, resolve: 0, dev: 0, ino: 0n });
    expect(h.fd(100, 5)).toMatchObject({ name: '/a', openFlags: 2, dev: 7, ino: 9n });
    expect(h.fd(100, 6)?.name).toBe('/b');
    expect(h.fd(100, 6)?.openFlags).toBe(1 << 15); // PPM_FD_UPPER_LAYER from creat_flags
    expect(h.fd(100, 7)?.name).toBe('/c');
  });

  it('respects the fd table limit', () => {
    const h = new Host({ maxFds: 2 });
    h.clone(1, 100);
    h.openat(100, 3, '/a');
    h.openat(100, 4, '/b');
    h.openat(100, 5, '/c');
    expect(h.fd(100, 5)).toBeUndefined();
    h.openat(100, 4, '/d'); // replacing a known fd is allowed
    expect(h.fd(100, 4)?.name).toBe('/d');
  });
});

describe('fd table: dup family', () => {
  it('copies the fd for dup, dup2, dup3 and fcntl(F_DUPFD*), with their close-on-exec rules', () => {
    const h = proc();
    h.openat(100, 3, '/var/log/x', { flags: PPM_O_RDONLY | PPM_O_CLOEXEC });
    h.exit('dup', 100, { res: 4, oldfd: 3 });
    h.exit('dup2', 100, { res: 1, oldfd: 3, newfd: 1 });
    h.exit('dup3', 100, { res: 6, oldfd: 3, newfd: 6, flags: PPM_O_CLOEXEC });
    h.exit('fcntl', 100, { res: 7, fd: 3, cmd: PPM_FCNTL_F_DUPFD, arg: 0n });
    h.exit('fcntl', 100, { res: 8, fd: 3, cmd: PPM_FCNTL_F_DUPFD_CLOEXEC, arg: 0n });
    for (const fd of [4, 1, 6, 7, 8]) expect(h.fd(100, fd)?.name, `fd ${fd}`).toBe('/var/log/x');
    const cloexec = (fd: number): boolean => ((h.fd(100, fd)?.openFlags ?? 0) & PPM_O_CLOEXEC) !== 0;
    expect([3, 4, 1, 6, 7, 8].map(cloexec)).toEqual([true, false, false, true, false, true]);
    // dup2 onto stdout marks the process as a pipe source.
    expect(h.thread(100).flags & (1 << 21)).not.toBe(0);
    // A copy is independent of the original.
    expect(h.fd(100, 4)).not.toBe(h.fd(100, 3));
  });

  it('drops close-on-exec fds at execve, F_SETFD toggling the flag', () => {
    const h = proc();
    h.openat(100, 3, '/a', { flags: PPM_O_CLOEXEC });
    h.openat(100, 4, '/b', { flags: PPM_O_CLOEXEC });
    h.openat(100, 5, '/c');
    h.exit('fcntl', 100, { res: 0, fd: 4, cmd: PPM_FCNTL_F_SETFD, arg: 0n });
    h.exit('fcntl', 100, { res: 0, fd: 5, cmd: PPM_FCNTL_F_SETFD, arg: 1n });
    h.execve(100, '/bin/next');
    expect([3, 4, 5].map((fd) => h.fd(100, fd)?.name)).toEqual([undefined, '/b', undefined]);
  });

  it('ignores a failed dup', () => {
    const h = proc();
    h.openat(100, 3, '/a');
    h.exit('dup2', 100, { res: -9, oldfd: 3, newfd: 9 });
    expect(h.fd(100, 9)).toBeUndefined();
  });
});

describe('fd table: other fd kinds', () => {
  it('types pipes, eventfds, signalfds, timerfds, inotify, epoll, memfd, pidfd, userfaultfd, io_uring, bpf', () => {
    const h = proc();
    h.exit('pipe2', 100, { res: 0, fd1: 3, fd2: 4, ino: 77n, flags: 0 });
    h.exit('eventfd2', 100, { res: 5, flags: 0, initval: 0n });
    h.exit('signalfd4', 100, { res: 6, flags: 0, fd: -1, mask: 0 });
    h.exit('timerfd_create', 100, { res: 7, clockid: 0, flags: 0 });
    h.exit('inotify_init1', 100, { res: 8, flags: 0 });
    h.exit('epoll_create1', 100, { res: 9, flags: 0 });
    h.exit('memfd_create', 100, { fd: 10, name: 'memfd:x', flags: 0 });
    h.exit('pidfd_open', 100, { fd: 11, pid: 1, flags: 0 });
    h.exit('userfaultfd', 100, { res: 12, flags: 0 });
    h.exit('io_uring_setup', 100, { res: 13, entries: 0, sq_entries: 0, cq_entries: 0, flags: 0, sq_thread_cpu: 0, sq_thread_idle: 0, features: 0 });
    h.exit('bpf', 100, { fd: 14, cmd: 0 });
    const types = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((fd) => h.fd(100, fd)?.type);
    expect(types).toEqual(['pipe', 'pipe', 'event', 'signalfd', 'timerfd', 'inotify', 'eventpoll', 'memfd', 'pidfd', 'userfaultfd', 'io_uring', 'bpf']);
    expect(h.fd(100, 3)?.ino).toBe(77n);
    expect(h.fd(100, 11)?.name).toBe('/proc/1');
    expect(h.fd(100, 10)?.name).toBe('memfd:x');
  });

  it('copies another process fd with pidfd_getfd', () => {
    const h = proc();
    h.clone(1, 200);
    h.openat(200, 3, '/secret');
    h.exit('pidfd_open', 100, { fd: 5, pid: 200, flags: 0 });
    h.exit('pidfd_getfd', 100, { fd: 6, pid_fd: 5, target_fd: 3, flags: 0 });
    expect(h.fd(100, 6)?.name).toBe('/secret');
  });
});

describe('cwd and relative paths', () => {
  it('tracks chdir/fchdir and resolves relative opens against the cwd or the dirfd', () => {
    const h = proc();
    h.exit('chdir', 100, { res: 0, path: '/var/lib' });
    expect(h.engine.cwd(h.thread(100))).toBe('/var/lib/');
    h.exit('chdir', 100, { res: 0, path: '../log/./apt' });
    expect(h.engine.cwd(h.thread(100))).toBe('/var/log/apt/');
    h.exit('chdir', 100, { res: -2, path: '/nope' });
    expect(h.engine.cwd(h.thread(100))).toBe('/var/log/apt/');
    h.openat(100, 3, 'history.log');
    expect(h.fd(100, 3)?.name).toBe('/var/log/apt/history.log');
    h.openat(100, 4, '/etc', { flags: PPM_O_DIRECTORY });
    h.openat(100, 5, 'hosts', { dirfd: 4 });
    expect(h.fd(100, 5)?.name).toBe('/etc/hosts');
    // An unknown dirfd: parse_dirfd gives '<UNKNOWN>', which concatenate_paths joins as is.
    h.openat(100, 6, 'x', { dirfd: 99 });
    expect(h.fd(100, 6)?.name).toBe('<UNKNOWN>x');
    h.exit('fchdir', 100, { res: 0, fd: 4 });
    expect(h.engine.cwd(h.thread(100))).toBe('/etc/');
    h.exit('open', 100, { fd: 7, name: '../root/.ssh/id_rsa', flags: 1, mode: 0, dev: 0, ino: 0n });
    expect(h.fd(100, 7)?.name).toBe('/root/.ssh/id_rsa');
  });

  it('inherits the cwd on fork and shares it between threads', () => {
    const h = proc();
    h.exit('chdir', 100, { res: 0, path: '/srv' });
    h.clone(100, 200);
    h.clone(100, 101, { flags: (1 << 13) | 1 | 2 });
    expect(h.engine.cwd(h.thread(200))).toBe('/srv/');
    expect(h.engine.cwd(h.thread(101))).toBe('/srv/');
    h.exit('chdir', 200, { res: 0, path: '/tmp' });
    expect(h.engine.cwd(h.thread(100))).toBe('/srv/');
  });
});

describe('sockets', () => {
  it('names a TCP client socket from connect and marks it connected client', () => {
    const h = proc();
    h.socket(100, 3, PPM_AF_INET, SOCK_STREAM, IPPROTO_TCP);
    expect(h.fd(100, 3)).toMatchObject({ type: 'ipv4', name: '' });
    h.connect(100, 3, { family: 'inet', sip: '10.0.0.2', sport: 40000, dip: '93.184.216.34', dport: 80 }, { family: 'inet', ip: '93.184.216.34', port: 80 });
    expect(h.fd(100, 3)).toMatchObject({ name: '10.0.0.2:40000->93.184.216.34:80', role: 'client', connected: true, nameChanged: true });
    expect(h.fd(100, 3)?.tuple).toMatchObject({ family: 4, sport: 40000, dport: 80, l4proto: 'tcp' });
  });

  it('leaves a socket untouched when connect fails (EINPROGRESS still counts)', () => {
    const h = proc();
    h.socket(100, 3, PPM_AF_INET, SOCK_STREAM, 0);
    h.connect(100, 3, { family: 'inet', sip: '10.0.0.2', sport: 1, dip: '10.0.0.3', dport: 2 }, { family: 'inet', ip: '10.0.0.3', port: 2 }, -111);
    expect(h.fd(100, 3)?.name).toBe('');
    h.connect(100, 3, { family: 'inet', sip: '10.0.0.2', sport: 1, dip: '10.0.0.3', dport: 2 }, { family: 'inet', ip: '10.0.0.3', port: 2 }, -115);
    expect(h.fd(100, 3)?.name).toBe('10.0.0.2:1->10.0.0.3:2');
  });

  // sysdig -r single_ipv6_conn.scap: "851 bind < addr=2001:db8::3:1234", "852 listen > fd=3(<6t>2001:db8::3:1234)",
  // "1153 accept < fd=4(<6t>2001:db8::4:54405->2001:db8::3:1234)".
  it('makes a bound socket a server socket and an accepted one a connected server fd', () => {
    const h = proc();
    h.socket(100, 3, PPM_AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    h.exit('bind', 100, { res: 0, addr: { family: 'inet6', ip: '2001:db8::3', port: 1234 }, fd: 3 });
    expect(h.fd(100, 3)).toMatchObject({ type: 'ipv6_server', name: '2001:db8::3:1234', role: 'server' });
    expect(h.fd(100, 3)?.server?.port).toBe(1234);
    h.exit('accept4', 100, {
      fd: 4,
      tuple: { family: 'inet6', sip: '2001:db8::4', sport: 54405, dip: '2001:db8::3', dport: 1234 },
      queuepct: 0,
      queuelen: 0,
      queuemax: 1,
      flags: 0,
    });
    expect(h.fd(100, 4)).toMatchObject({ type: 'ipv6', name: '2001:db8::4:54405->2001:db8::3:1234', role: 'server', connected: true });
  });

  it('maps IPv4-mapped IPv6 tuples to IPv4', () => {
    const h = proc();
    h.exit('accept4', 100, {
      fd: 4,
      tuple: { family: 'inet6', sip: '::ffff:10.1.1.1', sport: 5000, dip: '::ffff:10.1.1.2', dport: 22 },
      queuepct: 0,
      queuelen: 0,
      queuemax: 1,
      flags: 0,
    });
    expect(h.fd(100, 4)).toMatchObject({ type: 'ipv4', name: '10.1.1.1:5000->10.1.1.2:22' });
  });

  it('fills UDP tuples from sendto/recvfrom, inferring the socket when socket() was not seen', () => {
    const h = proc();
    h.exit('sendto', 100, { res: 6, data: 'hi', fd: 9, size: 6, tuple: { family: 'inet', sip: '10.0.0.2', sport: 5353, dip: '8.8.8.8', dport: 53 } });
    expect(h.fd(100, 9)).toMatchObject({ type: 'ipv4', name: '10.0.0.2:5353->8.8.8.8:53', role: 'client' });
    expect(h.fd(100, 9)?.tuple?.l4proto).toBe('udp');
    h.socket(100, 3, PPM_AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    h.exit('recvfrom', 100, { res: 4, data: 'x', tuple: { family: 'inet', sip: '10.0.0.9', sport: 999, dip: '10.0.0.2', dport: 53 }, fd: 3, size: 4 });
    expect(h.fd(100, 3)).toMatchObject({ name: '10.0.0.9:999->10.0.0.2:53', role: 'server' });
  });

  it('names unix sockets from connect and socketpair', () => {
    const h = proc();
    h.socket(100, 3, PPM_AF_UNIX, SOCK_STREAM, 0);
    h.connect(100, 3, { family: 'unix', source: 0xabcn, dest: 0xdefn, path: '/run/docker.sock' }, { family: 'unix', path: '/run/docker.sock' });
    expect(h.fd(100, 3)).toMatchObject({ type: 'unix', name: 'abc->def /run/docker.sock', role: 'client' });
    h.exit('socketpair', 100, { res: 0, fd1: 5, fd2: 6, source: 1n, peer: 2n, domain: PPM_AF_UNIX, type: SOCK_STREAM, proto: 0 });
    expect(h.fd(100, 5)?.unix).toMatchObject({ source: 1n, dest: 2n });
    expect(h.fd(100, 6)?.type).toBe('unix');
  });
});
