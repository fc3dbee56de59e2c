/**
 * The simulated host: each context, resource and step emits the driver's events, and the
 * state engine, reading them as a capture, gives the fields a rule would see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dumpSimulation } from '../../../src/testing/event-generator/dump.js';
import { loadSuite } from '../../../src/testing/event-generator/index.js';
import { parseCapabilities } from '../../../src/testing/event-generator/sim/flags.js';
import { BASE_IMAGE, simulateTest, TEST_ID_ENV } from '../../../src/testing/event-generator/sim/simulate.js';
import { EVENT_GENERATOR_DIR } from '../../helpers/json-schema.js';
import { replayTest } from './sim-helpers.js';

function test(body: string): string {
  return `tests:\n  - name: t\n    runner: HostRunner\n${body.replace(/^/gm, '    ')}\n`;
}

const PROC = [
  'proc.name',
  'proc.exepath',
  'proc.exe',
  'proc.args',
  'proc.cmdline',
  'proc.pname',
  'proc.aname[1]',
  'proc.aname[2]',
  'user.name',
  'user.uid',
  'proc.env',
  'container.id',
  'container.name',
  'container.image',
  'thread.cap_effective',
  'proc.is_exe_upper_layer',
];

describe('process chain', () => {
  it('starts each process from its parent by clone and execve, from event-generator down to the leaf', () => {
    const r = replayTest(
      test(
        `context:\n  processes:\n    - name: node\n      exePath: /opt/app/node-bin\n    - name: webapp\n      exe: /srv/webapp\n      args: "--port 8080 'a b'"`,
      ),
      PROC,
    );
    const execs = r.of('execve');
    expect(execs).toHaveLength(2);
    const leaf = execs[1]!;
    expect(leaf['proc.name']).toBe('webapp');
    expect(leaf['proc.exe']).toBe('/srv/webapp');
    expect(leaf['proc.args']).toBe('--port 8080 a b');
    expect(leaf['proc.cmdline']).toBe('webapp --port 8080 a b');
    expect(leaf['proc.pname']).toBe('node');
    expect(leaf['proc.aname[1]']).toBe('node');
    expect(leaf['proc.aname[2]']).toBe('event-generator');
    // The parent runs its own executable through a symlink named after `name`: exepath is the target.
    expect(execs[0]!['proc.exepath']).toBe('/opt/app/node-bin');
    expect(String(leaf['proc.exepath'])).toMatch(/^\/tmp\/event-generator[A-Za-z]{10}$/);
    expect(r.of('clone')).toHaveLength(4);
  });

  it('truncates the process name to the kernel comm length (15)', () => {
    const r = replayTest(test(`context:\n  processes:\n    - name: a-very-long-process-name`), PROC);
    expect(r.of('execve')[0]!['proc.name']).toBe('a-very-long-pro');
  });

  it('marks only the leaf with the test id, the ancestors with the ignore prefix', () => {
    const r = replayTest(test(`context:\n  processes:\n    - name: a\n    - name: b`), PROC);
    const [a, b] = r.of('execve');
    expect(String(a!['proc.env'])).toContain(`${TEST_ID_ENV}=ignore:${r.sim.testId}`);
    expect(String(b!['proc.env'])).toContain(`${TEST_ID_ENV}=${r.sim.testId}`);
    expect(r.sim.monitored.has(r.sim.leaf.tid)).toBe(true);
    expect(r.sim.monitored.size).toBe(1);
  });

  it('gives a chain without processes one default process, with a random executable under /tmp', () => {
    const r = replayTest(test(`steps:\n  - type: syscall\n    name: w\n    syscall: write\n    args: { fd: 1, buffer: hi }`), PROC);
    const exec = r.of('execve')[0]!;
    expect(exec['proc.name']).toBe('event-generator');
    expect(String(exec['proc.exepath'])).toMatch(/^\/tmp\/event-generator[A-Za-z]{10}$/);
    expect(r.of('write')[0]!['proc.pname']).toBe('event-generator');
  });

  it('creates a missing user with a fresh uid and finds an existing one', () => {
    const r = replayTest(test(`context:\n  processes:\n    - user: alice\n    - user: bob\n    - user: root`), PROC);
    const uids = r.of('execve').map((e) => [e['user.name'], e['user.uid']]);
    expect(uids).toEqual([
      ['alice', 1000],
      ['bob', 1001],
      ['root', 0],
    ]);
  });

  it('gives the leaf the capabilities of its file (all by default)', () => {
    const r = replayTest(test(`context:\n  processes:\n    - {}\n    - capabilities: "cap_net_admin,cap_chown=ep"`), PROC);
    const [first, leaf] = r.of('execve');
    expect(String(first!['thread.cap_effective'])).toContain('CAP_SYS_ADMIN');
    expect(leaf!['thread.cap_effective']).toBe('CAP_CHOWN CAP_NET_ADMIN');
    expect(parseCapabilities('cap_sys_admin=i').effective).toBe(0n);
  });
});

describe('container', () => {
  it('runs the chain in a container the container plugin reports with its name and image', () => {
    const r = replayTest(test(`context:\n  container:\n    name: box\n    env: { GREETING: hello }\n  processes:\n    - name: inner`), PROC);
    const [init, inner] = r.of('execve');
    expect(init!['proc.name']).toBe('event-generator');
    expect(init!['proc.exepath']).toBe('/bin/event-generator');
    expect(String(init!['proc.env'])).toContain('GREETING=hello');
    expect(inner!['container.id']).toBe(r.sim.container!.id.slice(0, 12));
    expect(inner!['container.id']).toMatch(/^[0-9a-f]{12}$/);
    expect(inner!['container.name']).toBe('box');
    expect(inner!['container.image']).toBe(BASE_IMAGE);
    // The executable event-generator links into the container lands in the overlay's upper layer.
    expect(inner!['proc.is_exe_upper_layer']).toBe(true);
  });

  it('gives container processes no terminal (event-generator creates its containers without one); host processes have its terminal', () => {
    const inBox = replayTest(test(`context:\n  container:\n    name: box\n  processes:\n    - name: sh`), ['proc.tty']);
    expect(inBox.of('execve').map((e) => e['proc.tty'])).toEqual([0, 0]);
    const onHost = replayTest(test(`context:\n  processes:\n    - name: sh`), ['proc.tty']);
    expect(onHost.of('execve').at(-1)!['proc.tty']).toBe(34816);
  });

  it('uses the given image name', () => {
    const r = replayTest(test(`context:\n  container:\n    image: my-image:1.2\n  processes:\n    - {}`), PROC);
    expect(r.of('execve')[1]!['container.image']).toBe('my-image:1.2');
    expect(r.of('execve')[1]!['container.name']).toBe('event-generator');
  });

  it('keeps host processes out of the container', () => {
    const r = replayTest(test(`context:\n  processes:\n    - {}`), PROC);
    expect(r.of('execve')[0]!['container.id']).toBe('host');
  });
});

const FD = ['fd.name', 'fd.type', 'fd.typechar', 'fd.num', 'evt.res', 'evt.arg.flags', 'fd.lport', 'fd.rport', 'fd.sip', 'fd.rip', 'fd.l4proto', 'evt.rawres'];

describe('resources', () => {
  it('opens a file read-write, created when missing', () => {
    const r = replayTest(
      test(`resources:\n  - { type: fd, name: f, subtype: file, filePath: /tmp/x/new.txt }\n  - { type: fd, name: g, subtype: file, filePath: /etc/shadow }`),
      FD,
    );
    const [created, existing] = r.of('openat');
    expect(created!['fd.name']).toBe('/tmp/x/new.txt');
    expect(created!['evt.arg.flags']).toBe('O_CREAT|O_RDWR|O_F_CREATED');
    expect(existing!['fd.name']).toBe('/etc/shadow');
    expect(existing!['evt.arg.flags']).toBe('O_RDWR');
  });

  it('opens a directory', () => {
    const r = replayTest(test(`resources:\n  - { type: fd, name: d, subtype: directory, dirPath: /tmp/dir }`), FD);
    expect(r.of('openat')[0]!['fd.type']).toBe('directory');
    expect(r.of('openat')[0]!['fd.name']).toBe('/tmp/dir');
  });

  it.each([
    ['pipe', 'pipe2', 'pipe'],
    ['event', 'eventfd2', 'event'],
    ['signalfd', 'signalfd4', 'signalfd'],
    ['eventpoll', 'epoll_create1', 'eventpoll'],
    ['inotify', 'inotify_init1', 'inotify'],
    ['memfd', 'memfd_create', 'memfd'],
  ])('%s: %s makes an fd of type %s', (subtype, syscall, type) => {
    const r = replayTest(
      test(
        `resources:\n  - { type: fd, name: x, subtype: ${subtype} }\nsteps:\n  - { type: syscall, name: w, syscall: write, args: { fd: "\${x.${subtype === 'pipe' ? 'writeFd' : 'fd'}}", buffer: abc } }`,
      ),
      FD,
    );
    expect(r.of(syscall)).toHaveLength(1);
    const w = r.of('write')[0]!;
    expect(w['fd.type']).toBe(type);
    expect(w['fd.num']).toBe(subtype === 'pipe' ? 4 : 3);
  });

  it('clientServer: a listening server and a connected client on the address', () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: clientServer, name: cs, l4Proto: tcp4, address: "11.11.11.11:80" }\nsteps:\n  - { type: syscall, name: w, syscall: write, args: { fd: "\${cs.client.fd}", buffer: abc } }`,
      ),
      FD,
    );
    expect(r.of('listen')).toHaveLength(1);
    const w = r.of('write')[0]!;
    expect(w['fd.typechar']).toBe('4');
    expect(w['fd.l4proto']).toBe('tcp');
    expect(w['fd.rip']).toBe('11.11.11.11');
    expect(String(w['fd.name'])).toMatch(/^11\.11\.11\.11:\d+->11\.11\.11\.11:80$/);
  });

  it('process: a child that runs, whose pid a step can use', () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: process, name: p, procName: sleeper }\nsteps:\n  - { type: syscall, name: k, syscall: kill, args: { pid: "\${p.pid}", sig: SIGKILL } }`,
      ),
      [...PROC, 'evt.rawarg.pid', 'evt.arg.sig'],
    );
    const exec = r.of('execve').at(-1)!;
    expect(exec['proc.name']).toBe('sleeper');
    const kill = r.of('kill')[0]!;
    expect(String(kill['evt.rawarg.pid'])).toBe(String(exec['thread.tid']));
    expect(kill['evt.arg.sig']).toBe('SIGKILL');
    expect(r.of('procexit', '>')).toHaveLength(1);
  });

  it("process: inherits the test process's environment (its test id included), so its alerts count", () => {
    const r = replayTest(test(`resources:\n  - { type: process, name: p, procName: sleeper, env: { EXTRA: "1" } }`), ['proc.env', 'proc.exepath']);
    const exec = r.of('execve').at(-1)!;
    const leafEnv = String(r.of('execve').at(-2)!['proc.env']);
    expect(String(exec['proc.env'])).toBe(`${leafEnv} EXTRA=1`);
    expect(leafEnv).toMatch(/FALCO_EVENT_GENERATOR_TEST_ID=[0-9a-f-]{36}/);
    expect(r.sim.monitored.has(Number(exec['thread.tid']))).toBe(true);
  });

  it('process with fileLess: runs from a memfd; the driver flags the executable EXE_FROM_MEMFD (and EXE_WRITABLE: root owns it)', () => {
    const r = replayTest(test(`resources:\n  - { type: process, name: p, procName: ghost, fileLess: true }`), [
      'evt.arg.flags',
      'proc.is_exe_from_memfd',
      'proc.is_exe_writable',
      'proc.exepath',
      'proc.name',
      'evt.arg.name',
      'fd.num',
    ]);
    const memfd = r.of('memfd_create')[0]!;
    expect(memfd['evt.arg.name']).toBe('ghost');
    const exec = r.of('execve').at(-1)!;
    expect(exec['evt.arg.flags']).toBe('EXE_WRITABLE|EXE_FROM_MEMFD');
    expect(exec['proc.is_exe_from_memfd']).toBe(true);
    expect(exec['proc.exepath']).toBe('/memfd:ghost (deleted)');
    // The kernel names the program after the last component of the path it was run by.
    expect(exec['proc.name']).toBe(String(memfd['fd.num']));
    // Without fileLess, a file: no memfd flag.
    const plain = replayTest(test(`resources:\n  - { type: process, name: p, procName: ghost }`), ['evt.arg.flags', 'proc.is_exe_from_memfd']);
    expect(plain.of('execve').at(-1)!['evt.arg.flags']).toBe('EXE_WRITABLE');
    expect(plain.of('execve').at(-1)!['proc.is_exe_from_memfd']).toBe(false);
  });

  it('EXE_WRITABLE as the driver computes it: the owner (root) or a task that may override permissions', () => {
    const flags = (processes: string) =>
      replayTest(test(`context:\n  processes:\n${processes}`), ['proc.is_exe_writable'])
        .of('execve')
        .at(-1)!['proc.is_exe_writable'];
    expect(flags('    - user: root')).toBe(true);
    // event-generator's default file capabilities (all, effective) include CAP_DAC_OVERRIDE.
    expect(flags('    - user: alice')).toBe(true);
    expect(flags('    - { user: alice, capabilities: "cap_net_admin=ep" }')).toBe(false);
    expect(flags('    - { user: alice, capabilities: "cap_dac_override=ep" }')).toBe(true);
  });
});

const STEP = [
  'fd.name',
  'fd.nameraw',
  'evt.arg.flags',
  'evt.res',
  'evt.rawres',
  'fd.num',
  'evt.arg.target',
  'evt.arg.linkpath',
  'evt.arg.oldpath',
  'evt.arg.newpath',
  'evt.arg.domain',
  'fd.rip',
  'evt.arg.resolve',
  'proc.name',
  'evt.rawarg.flags',
];

describe('syscall steps', () => {
  it('open and openat: fd.name is the resolved path', () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: fd, name: d, subtype: directory, dirPath: /dev }\nsteps:\n  - { type: syscall, name: o, syscall: open, args: { pathname: /etc/../etc/passwd, flags: O_RDONLY } }\n  - { type: syscall, name: a, syscall: openat, args: { dirFd: "\${d.fd}", pathname: ./random, flags: "O_WRONLY|O_TRUNC", mode: 0 } }`,
      ),
      STEP,
    );
    const open = r.of('open')[0]!;
    expect(open['fd.name']).toBe('/etc/passwd');
    expect(open['fd.nameraw']).toBe('/etc/../etc/passwd');
    expect(open['evt.arg.flags']).toBe('O_RDONLY');
    const at = r.of('openat').at(-1)!;
    expect(at['fd.name']).toBe('/dev/random');
    expect(at['evt.arg.flags']).toBe('O_TRUNC|O_WRONLY');
  });

  it('openat2 with its how', () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: fd, name: d, subtype: directory, dirPath: /etc }\nsteps:\n  - { type: syscall, name: o, syscall: openat2, args: { dirFd: "\${d.fd}", pathname: shadow, how: { flags: O_RDONLY, resolve: RESOLVE_NO_MAGICLINKS } } }`,
      ),
      STEP,
    );
    const o = r.of('openat2')[0]!;
    expect(o['fd.name']).toBe('/etc/shadow');
    expect(o['evt.arg.resolve']).toBe('RESOLVE_NO_MAGICLINKS');
  });

  it('symlink, symlinkat, link, linkat', () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: fd, name: d, subtype: directory, dirPath: /tmp/d }\nsteps:\n  - { type: syscall, name: s, syscall: symlink, args: { target: /etc/shadow, linkPath: /tmp/d/l1 } }\n  - { type: syscall, name: t, syscall: symlinkat, args: { target: /etc/shadow, newDirFd: "\${d.fd}", linkPath: l2 } }\n  - { type: syscall, name: l, syscall: link, args: { oldPath: /etc/shadow, newPath: /tmp/d/h1 } }\n  - { type: syscall, name: m, syscall: linkat, args: { oldDirFd: "\${d.fd}", oldPath: h1, newDirFd: "\${d.fd}", newPath: h2, flags: AT_SYMLINK_FOLLOW } }`,
      ),
      STEP,
    );
    expect(r.of('symlink')[0]!['evt.arg.target']).toBe('/etc/shadow');
    expect(r.of('symlink')[0]!['evt.arg.linkpath']).toBe('/tmp/d/l1');
    expect(r.of('symlinkat')[0]!['evt.arg.linkpath']).toBe('/tmp/d/l2');
    expect(r.of('link')[0]!['evt.arg.newpath']).toBe('/tmp/d/h1');
    // The first linkat is event-generator linking its executable for the chain's process.
    expect(r.of('linkat').at(-1)!['evt.arg.oldpath']).toBe('/tmp/d/h1');
    expect(String(r.of('linkat').at(-1)!['evt.rawarg.flags'])).toBe('1'); // PPM_LINKAT_SYMLINK_FOLLOW
  });

  it('socket, connect and sendto', () => {
    const r = replayTest(
      test(
        `steps:\n  - { type: syscall, name: s, syscall: socket, args: { domain: AF_INET, type: SOCK_DGRAM, protocol: 0 } }\n  - { type: syscall, name: c, syscall: connect, args: { fd: "\${s.ret}", address: "8.8.8.8:53" } }\n  - { type: syscall, name: t, syscall: sendto, args: { fd: "\${s.ret}", buf: hello, len: 5, flags: 0, destAddr: "8.8.8.8:53" } }`,
      ),
      STEP,
    );
    expect(r.of('socket')[0]!['evt.arg.domain']).toBe('AF_INET');
    const c = r.of('connect')[0]!;
    expect(String(c['fd.name'])).toMatch(/^10\.0\.0\.2:\d+->8\.8\.8\.8:53$/);
    expect(r.of('sendto')[0]!['evt.rawres']).toBe(5);
  });

  it('dup, dup2, dup3 copy the descriptor', () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: fd, name: f, subtype: file, filePath: /etc/passwd }\nsteps:\n  - { type: syscall, name: a, syscall: dup, args: { oldFd: "\${f.fd}" } }\n  - { type: syscall, name: b, syscall: dup2, args: { oldFd: "\${f.fd}", newFd: 100 } }\n  - { type: syscall, name: c, syscall: dup3, args: { oldFd: "\${f.fd}", newFd: 101, flags: O_CLOEXEC } }\n  - { type: syscall, name: w, syscall: write, args: { fd: "\${c.ret}", buffer: x } }`,
      ),
      STEP,
    );
    expect(r.of('dup')[0]!['evt.rawres']).toBe(4);
    expect(r.of('dup2')[0]!['evt.rawres']).toBe(100);
    expect(r.of('write')[0]!['fd.name']).toBe('/etc/passwd');
    expect(r.of('write')[0]!['fd.num']).toBe(101);
  });

  it('init_module and finit_module', () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: fd, name: f, subtype: file, filePath: /tmp/m.ko }\nsteps:\n  - { type: syscall, name: i, syscall: init_module, args: { moduleImage: abc, paramValues: "x=1" } }\n  - { type: syscall, name: j, syscall: finit_module, args: { fd: "\${f.fd}", paramValues: "y=2", flags: MODULE_INIT_IGNORE_VERMAGIC } }`,
      ),
      [...STEP, 'evt.arg.uargs'],
    );
    expect(r.of('init_module')[0]!['evt.arg.uargs']).toBe('x=1');
    expect(r.of('finit_module')[0]!['fd.name']).toBe('/tmp/m.ko');
  });

  it('read and write carry the data and size', () => {
    const r = replayTest(
      test(
        `steps:\n  - { type: syscall, name: w, syscall: write, args: { fd: 1, buffer: "hello" } }\n  - { type: syscall, name: r, syscall: read, args: { fd: 0, len: 16 } }`,
      ),
      STEP,
    );
    expect(r.of('write')[0]!['evt.rawres']).toBe(5);
    expect(r.of('read')[0]!['evt.rawres']).toBe(16);
  });
});

describe('scripts', () => {
  it('runs before and after in one bash -c child of the leaf, resumed by SIGUSR1 after the steps; sleep advances the clock', () => {
    const r = replayTest(
      test(
        `before: |\n  echo hi\n  sleep 2\n  touch /tmp/a\nafter: "rm -f /tmp/a"\nsteps:\n  - { type: syscall, name: w, syscall: write, args: { fd: 1, buffer: x } }`,
      ),
      [...PROC, 'evt.rawtime', 'evt.arg.sig'],
    );
    const execs = r.of('execve');
    const names = execs.map((e) => e['proc.name']);
    expect(names).toEqual(['event-generator', 'bash', 'touch', 'sleep', 'rm']);
    expect(r.of('kill').map((k) => k['evt.arg.sig'])).toEqual(['SIGUSR1', 'SIGKILL']);
    expect(execs[1]!['proc.pname']).toBe('event-generator');
    expect(execs[2]!['proc.cmdline']).toBe('touch /tmp/a');
    // Current drivers send no nanosleep enter event: the sleep is the gap before its exit.
    expect(r.of('nanosleep', '>')).toEqual([]);
    const sleepAt = r.rows.findIndex((x) => x['evt.type'] === 'nanosleep');
    const gap = BigInt(r.rows[sleepAt]!['evt.rawtime'] as bigint) - BigInt(r.rows[sleepAt - 1]!['evt.rawtime'] as bigint);
    expect(gap).toBeGreaterThanOrEqual(2_000_000_000n);
    const w = r.rows.findIndex((x) => x['evt.type'] === 'write');
    const after = r.rows.findIndex((x, i) => i > w && x['evt.type'] === 'execve');
    expect(after).toBeGreaterThan(w);
    expect(r.rows[after]!['proc.pname']).toBe('bash');
    expect(r.rows[after]!['proc.aname[2]']).toBe('event-generator');
  });
});

describe('every upstream sample', () => {
  const dir = `${EVENT_GENERATOR_DIR}samples/`;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    it(`${file}: every test synthesizes, the leaf's events carry the test id`, () => {
      const loaded = loadSuite(readFileSync(dir + file, 'utf8'), file, { requireRule: false });
      expect(loaded.errors).toEqual([]);
      for (const t of loaded.tests) {
        const sim = simulateTest(t);
        const leafEvents = sim.events.filter((e) => e.tid === sim.leaf.tid);
        expect(leafEvents.length).toBeGreaterThan(0);
        expect(sim.leaf.env.some((v) => v === `${TEST_ID_ENV}=${sim.testId}`) || t.context.container !== undefined).toBe(true);
      }
    });
  }
});

describe('cleanup', () => {
  it("closes the steps' fds and releases the resources, last first, after the steps", () => {
    const r = replayTest(
      test(
        `resources:\n  - { type: fd, name: f, subtype: file, filePath: /etc/passwd }\n  - { type: process, name: p }\nsteps:\n  - { type: syscall, name: o, syscall: open, args: { pathname: /etc/hosts, flags: O_RDONLY } }`,
      ),
      ['fd.name', 'evt.arg.sig'],
    );
    const closes = r.of('close').map((c) => c['fd.name']);
    expect(closes).toEqual(['/etc/hosts', '/etc/passwd']);
    expect(r.of('kill').map((k) => k['evt.arg.sig'])).toEqual(['SIGKILL']);
  });
});

describe('--dump-events', () => {
  it('writes the synthesized stream as JSONL with the fields as rules read them', () => {
    const loaded = loadSuite(test(`steps:\n  - { type: syscall, name: o, syscall: open, args: { pathname: /etc/shadow, flags: O_RDONLY } }`), 'x.yaml', {
      requireRule: false,
    });
    expect(loaded.errors).toEqual([]);
    const t = loaded.tests[0]!;
    const sim = simulateTest(t);
    const lines = dumpSimulation(t, sim)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ test: 't', testId: sim.testId, leafTid: sim.leaf.tid });
    expect(lines).toHaveLength(sim.events.length + 1);
    const open = lines.find((l) => l['evt.type'] === 'open' && l['evt.dir'] === '<' && l['monitored'] === true)!;
    expect(open['fd.name']).toBe('/etc/shadow');
    expect(open['proc.pname']).toBe('event-generator');
  });
});
