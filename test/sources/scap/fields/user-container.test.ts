/**
 * user.*, group.* and container.* extraction.
 * Users: TZ=UTC sysdig -r ../shared/captures/scap/curl_google.scap -p '*%evt.num|%user.uid|%user.name|%user.homedir|%user.shell|%user.loginuid|%user.loginname|%group.gid|%group.name'
 *   gives for curl's second thread (evt.num 1060) uid 1000 ubuntu /home/ubuntu /bin/bash, and for
 *   an unknown uid (evt.num 211, uid 4294967295) <NA> for name, homedir and shell, loginuid -1.
 * Containers follow the container plugin (plugins/container/src/caps/extract/extract.cpp).
 */
import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../../../../src/sources/scap/state/model.js';
import { fakeEvent, fakeState, fd, i64, read, thread, u32 } from './helpers.js';

const ev = (tid: number) => fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid, ts: 2_000_000_000_000n, params: { res: i64(0), fd: i64(3) } });

describe('user and group fields', () => {
  const users = [
    { uid: 1000, gid: 1000, name: 'ubuntu', homedir: '/home/ubuntu', shell: '/bin/bash' },
    { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/sh' },
  ];
  const groups = [{ gid: 1000, name: 'ubuntu' }];
  const s = fakeState({
    threads: [
      thread({ tid: 1060, uid: 1000, gid: 1000, loginuid: 1000 }),
      thread({ tid: 211, uid: 4294967295, gid: 4294967295, loginuid: 4294967295 }),
      thread({ tid: 5, uid: 0, gid: 0, loginuid: 0 }),
    ],
    users: users.filter((u) => u.uid !== 0),
    groups,
  });

  it('reads the thread user from the user table (event 1060)', () => {
    expect(read('user.uid', ev(1060), s)).toBe(1000);
    expect(read('user.name', ev(1060), s)).toBe('ubuntu');
    expect(read('user.homedir', ev(1060), s)).toBe('/home/ubuntu');
    expect(read('user.shell', ev(1060), s)).toBe('/bin/bash');
    expect(read('user.loginuid', ev(1060), s)).toBe(1000);
    expect(read('user.loginname', ev(1060), s)).toBe('ubuntu');
    expect(read('group.gid', ev(1060), s)).toBe(1000);
    expect(read('group.name', ev(1060), s)).toBe('ubuntu');
  });

  it('prints libsinsp fallbacks for unknown ids (event 211, and root without a table entry)', () => {
    expect(read('user.uid', ev(211), s)).toBe(4294967295);
    expect(read('user.name', ev(211), s)).toBe('<NA>');
    expect(read('user.homedir', ev(211), s)).toBe('<NA>');
    expect(read('user.shell', ev(211), s)).toBe('<NA>');
    expect(read('user.loginuid', ev(211), s)).toBe(-1);
    expect(read('user.loginname', ev(211), s)).toBe('<NA>');
    expect(read('group.name', ev(211), s)).toBe('<NA>');
    expect(read('user.name', ev(5), s)).toBe('root');
    expect(read('user.homedir', ev(5), s)).toBe('/root');
    expect(read('user.shell', ev(5), s)).toBe('<NA>');
    expect(read('user.loginname', ev(5), s)).toBe('root');
    expect(read('group.name', ev(5), s)).toBe('root');
    expect(read('user.name', ev(404), s)).toBeUndefined();
  });
});

describe('container fields', () => {
  const nginx: ContainerInfo = {
    id: '3ad7b26ded6d',
    type: 'docker',
    name: 'web',
    image: 'nginx:1.25',
    imageId: 'sha256:abc',
    imageRepository: 'nginx',
    imageTag: '1.25',
    imageDigest: 'sha256:def',
    privileged: true,
    extra: {
      fullId: '3ad7b26ded6d0123456789abcdef0123456789abcdef0123456789abcdef0123',
      mounts: [
        { source: '/var/run/docker.sock', dest: '/var/run/docker.sock', mode: '', rdwr: true, propagation: 'rprivate' },
        { source: '/data', dest: '/srv', mode: 'ro', rdwr: false, propagation: '' },
      ],
      labels: { 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'prod', 'io.kubernetes.pod.uid': 'u-1', app: 'web', tier: '' },
      ip: '172.17.0.2',
      hostNetwork: true,
    },
  };
  const s = fakeState({
    threads: [
      thread({ tid: 1, comm: 'systemd' }),
      thread({ tid: 2, containerId: '3ad7b26ded6d', pidnsInitStartTs: 1_000_000_000_000n }),
      thread({ tid: 3, containerId: 'unknown12345' }),
    ],
    containers: [nginx],
  });

  it('puts host threads in the plugin\'s "host" container', () => {
    expect(read('container.id', ev(1), s)).toBe('host');
    expect(read('container.name', ev(1), s)).toBe('host');
    expect(read('container.type', ev(1), s)).toBe('host');
    expect(read('container.full_id', ev(1), s)).toBe('host');
    expect(read('container.image.repository', ev(1), s)).toBe('');
    expect(read('container.privileged', ev(1), s)).toBe(false);
    expect(read('k8s.pod.name', ev(1), s)).toBeUndefined();
    expect(read('container.start_ts', ev(1), s)).toBeUndefined();
  });

  it("reads a container's metadata, mounts, labels and pod fields", () => {
    const v = (f: string) => read(f, ev(2), s);
    expect(v('container.id')).toBe('3ad7b26ded6d');
    expect(v('container.full_id')).toBe('3ad7b26ded6d0123456789abcdef0123456789abcdef0123456789abcdef0123');
    expect(v('container.name')).toBe('web');
    expect(v('container.image')).toBe('nginx:1.25');
    expect(v('container.image.id')).toBe('sha256:abc');
    expect(v('container.image.tag')).toBe('1.25');
    expect(v('container.image.digest')).toBe('sha256:def');
    expect(v('container.type')).toBe('docker');
    expect(v('container.privileged')).toBe(true);
    expect(v('container.mounts')).toBe('/var/run/docker.sock:/var/run/docker.sock::true:rprivate,/data:/srv:ro:false:');
    expect(v('container.mount.dest[/var/run/docker.sock]')).toBe('/var/run/docker.sock');
    expect(v('container.mount.dest[/var/run/*.sock]')).toBe('/var/run/docker.sock');
    expect(v('container.mount.mode[1]')).toBe('ro');
    // mount.source looks mounts up by destination.
    expect(v('container.mount.source[/srv]')).toBe('/data');
    expect(v('container.mount.rdwr[/data]')).toBe('false');
    expect(v('container.mount[5]')).toBeUndefined();
    expect(v('container.label[app]')).toBe('web');
    expect(v('container.label[nope]')).toBeUndefined();
    expect(v('container.labels')).toBe('app:web, tier');
    expect(v('container.ip')).toBe('172.17.0.2');
    expect(v('container.host_network')).toBe(true);
    expect(v('container.host_pid')).toBe(false);
    expect(v('k8s.pod.name')).toBe('web-0');
    expect(v('k8s.ns.name')).toBe('prod');
    expect(v('k8s.pod.uid')).toBe('u-1');
    expect(v('container.start_ts')).toBe(1_000_000_000_000);
    expect(v('container.duration')).toBe(1_000_000_000_000);
    expect(v('k8s.rs.name')).toBeUndefined();
    expect(v('container.healthcheck')).toBeUndefined();
  });

  it('knows only the id of a container without metadata', () => {
    expect(read('container.id', ev(3), s)).toBe('unknown12345');
    expect(read('container.name', ev(3), s)).toBeUndefined();
    expect(read('container.image.repository', ev(3), s)).toBeUndefined();
  });
});

describe('fs.path fields', () => {
  const t = thread({ tid: 9, cwd: '/home/u/', fds: new Map([[5, fd({ fd: 5, type: 'directory', name: '/etc' })]]) });
  const s = fakeState({ threads: [t] });

  it('gives the path of successful filesystem syscalls, resolved or raw', () => {
    const mkdir = fakeEvent({ id: 'PPME_SYSCALL_MKDIR_2_X', tid: 9, params: { res: i64(0), path: 'a/../b', mode: u32(0o755) } });
    expect(read('fs.path.name', mkdir, s)).toBe('/home/u/b');
    expect(read('fs.path.nameraw', mkdir, s)).toBe('a/../b');
    expect(read('fs.path.source', mkdir, s)).toBeUndefined();
    const failed = fakeEvent({ id: 'PPME_SYSCALL_MKDIR_2_X', tid: 9, params: { res: i64(-17), path: 'b', mode: u32(0o755) } });
    expect(read('fs.path.name', failed, s)).toBeUndefined();
    const rename = fakeEvent({ id: 'PPME_SYSCALL_RENAME_X', tid: 9, params: { res: i64(0), oldpath: '/tmp//x', newpath: 'y' } });
    expect(read('fs.path.source', rename, s)).toBe('/tmp/x');
    expect(read('fs.path.target', rename, s)).toBe('/home/u/y');
    expect(read('fs.path.targetraw', rename, s)).toBe('y');
    expect(read('fs.path.name', rename, s)).toBeUndefined();
    // *at() paths are relative to the event's directory fd.
    const t2 = thread({ tid: 10, cwd: '/home/u/', lastEventFd: 5, fds: t.fds });
    const s2 = fakeState({ threads: [t2] });
    const unlinkat = fakeEvent({ id: 'PPME_SYSCALL_UNLINKAT_2_X', tid: 10, params: { res: i64(0), dirfd: i64(5), name: 'shadow', flags: u32(0) } });
    expect(read('fs.path.name', unlinkat, s2)).toBe('/etc/shadow');
  });
});
