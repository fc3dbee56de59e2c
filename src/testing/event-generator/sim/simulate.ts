/**
 * Synthesizes the events of one concrete event-generator test on the simulated host, in the
 * order `event-generator suite test` makes them (pkg/test/runner/host, pkg/process/builder,
 * pkg/container/builder, pkg/test/test.go): the container, the process chain by clone and
 * execve from event-generator's own process, the `before` script, the resources, the steps,
 * the `after` script.
 */

import type { ScapEvent } from '../../../sources/scap/event.js';
import type { Seed } from '../../../sources/scap/state/engine.js';
import { type Arch, hasSyscall } from '../arch.js';
import type { EgProcessContext, EgTest } from '../types.js';
import { Actions, basename, dirname, type Exposed, LETTERS, splitArgs } from './actions.js';
import { ALL_CAPS, parseCapabilities } from './flags.js';
import { CONTAINER_INIT_FLAGS, type ContainerSpec, hashSeed, Random, SimHost, type SimProcess } from './host.js';

/** event-generator's base image, what the container plugin reports for a container without `image`. */
export const BASE_IMAGE = 'docker.io/falcosecurity/event-generator:latest';
export const DEFAULT_CONTAINER_NAME = 'event-generator';
/** The environment variable carrying the test id (`falco_event_generator` prefix + `test-id`). */
export const TEST_ID_ENV = 'FALCO_EVENT_GENERATOR_TEST_ID';
const IGNORE_PREFIX = 'ignore:';

export interface SimulateOptions {
  /** The machine's hostname (what alerts report). */
  hostname?: string;
  /** Seed of the random choices (paths, container ids); by default derived from the test name. */
  seed?: number;
  /** Called for every event as it is made. */
  onEvent?: (ev: ScapEvent) => void;
  /** The suite file, for event-generator's command line. */
  file?: string;
  /** The simulated architecture (default amd64): steps whose syscall it lacks fail the test. */
  arch?: Arch;
}

export interface Simulation {
  /** The capture's header: process list, users, machine. */
  seed: Seed;
  events: ScapEvent[];
  /** Threads whose alerts count for the test (the leaf and what it starts with its environment). */
  monitored: Set<number>;
  /** The leaf process of the chain, where resources and steps run. */
  leaf: SimProcess;
  container: ContainerSpec | undefined;
  host: SimHost;
  /** The test's id (a UUID, as event-generator makes one per test). */
  testId: string;
}

export class SimulationError extends Error {}

export function simulateTest(test: EgTest, options: SimulateOptions = {}): Simulation {
  // event-generator builds every step before running anything: a missing syscall fails the test with no event.
  const arch = options.arch ?? 'amd64';
  for (const step of test.steps) {
    if (!hasSyscall(arch, step.syscall))
      throw new SimulationError(
        `error building test: error building step "${step.name}" (syscall ${step.syscall}): not supported by the architecture (${arch})`,
      );
  }
  const random = new Random(options.seed ?? hashSeed(test.name));
  const host = new SimHost(options.hostname ?? 'kestrel-host', random, options.onEvent);
  const testId = uuid(random);
  const monitored = new Set<number>();
  const suiteArgs = ['suite', 'test', '-f', options.file ?? 'suite.yaml'];

  host.addExisting({
    tid: 1,
    pid: 1,
    ptid: 0,
    comm: 'systemd',
    exe: '/sbin/init',
    exepath: '/usr/lib/systemd/systemd',
    args: [],
    env: [],
    uid: 0,
    gid: 0,
    cwd: '/',
    cgroups: SimHost.hostCgroups(),
  });
  host.addExisting({
    tid: 1200,
    pid: 1200,
    ptid: 1,
    comm: 'bash',
    exe: '-bash',
    exepath: '/usr/bin/bash',
    args: [],
    env: SimHost.rootEnv(),
    uid: 0,
    gid: 0,
    cwd: '/root',
    cgroups: SimHost.hostCgroups(),
  });
  let current = host.addExisting({
    tid: 1300,
    pid: 1300,
    ptid: 1200,
    comm: 'event-generator',
    exe: 'event-generator',
    exepath: '/usr/local/bin/event-generator',
    args: suiteArgs,
    env: SimHost.rootEnv(),
    uid: 0,
    gid: 0,
    cwd: '/root',
    cgroups: SimHost.hostCgroups(),
  });

  const processes = test.context.processes;
  let container: ContainerSpec | undefined;
  const c = test.context.container;
  if (c !== undefined) {
    // Docker starts the container (privileged, entrypoint /bin/event-generator); runc is a child of the shim.
    const shim = host.addExisting({
      tid: 1100,
      pid: 1100,
      ptid: 1,
      comm: 'containerd-shim',
      exe: '/usr/bin/containerd-shim-runc-v2',
      exepath: '/usr/bin/containerd-shim-runc-v2',
      args: ['-namespace', 'moby'],
      env: [],
      uid: 0,
      gid: 0,
      cwd: '/',
      cgroups: SimHost.hostCgroups(),
    });
    container = host.createContainer({ name: c.name ?? DEFAULT_CONTAINER_NAME, image: c.image ?? BASE_IMAGE, privileged: true }, shim.tid);
    const init = host.clone(shim, { container, flags: CONTAINER_INIT_FLAGS });
    init.cwd = '/';
    host.execve(init, {
      filename: '/bin/event-generator',
      argv: ['/bin/event-generator', ...suiteArgs],
      env: [...envOf(c.env), `${TEST_ID_ENV}=${IGNORE_PREFIX}${testId}`],
      exepath: '/bin/event-generator',
      uid: 0,
      gid: 0,
      caps: { inheritable: 0n, permitted: ALL_CAPS, effective: ALL_CAPS },
    });
    current = init;
  }

  for (let i = 0; i < processes.length; i++) {
    const last = i === processes.length - 1;
    current = spawnChainProcess(host, current, processes[i]!, `${TEST_ID_ENV}=${last ? '' : IGNORE_PREFIX}${testId}`, container !== undefined);
  }
  const leaf = current;
  // With no process in the chain, the test runs in the container's own process, whose id is ignored.
  leaf.monitored = processes.length > 0;
  if (leaf.monitored) monitored.add(leaf.tid);

  const actions = new Actions(host, monitored);
  const script = startScript(host, leaf, test.before, test.after, monitored);

  const exposed: Exposed[] = [];
  for (const r of test.resources) exposed.push(actions.createResource(leaf, r));
  const stepExposed: Exposed[] = [];
  for (const step of test.steps) {
    const args: Record<string, unknown> = structuredClone(step.args);
    for (const b of step.bindings) {
      const from = b.source.kind === 'resource' ? exposed[b.source.index] : stepExposed[b.source.index];
      const value = from?.[b.srcField];
      if (value === undefined) throw new SimulationError(`step '${step.name}': binding \${${b.srcName}.${b.srcField}} has no value`);
      setPath(args, b.localField, value);
    }
    stepExposed.push(actions.runStep(leaf, step, args));
  }

  // Then, as pkg/test/test: the steps' fds are closed, the resources released (last first),
  // and the script resumed for its `after` part.
  for (let i = stepExposed.length - 1; i >= 0; i--) {
    const step = test.steps[i]!;
    const ret = stepExposed[i]!['ret'];
    if (FD_RETURNING.has(step.syscall) && typeof ret === 'number' && leaf.fds.has(ret)) actions.close(leaf, ret);
  }
  for (let i = exposed.length - 1; i >= 0; i--) actions.destroyResource(leaf, exposed[i]!);
  if (script !== undefined) finishScript(host, leaf, script, monitored);

  return { seed: host.seed(), events: host.events, monitored, leaf, container, host, testId };
}

/**
 * One process of the chain (process/builder: the executable is event-generator's own, linked
 * or copied to the simulated path, reached through a symlink named `name`; argv[0] is `exe`).
 */
function spawnChainProcess(host: SimHost, parent: SimProcess, ctx: EgProcessContext, testIdVar: string, inContainer: boolean): SimProcess {
  const simExePath = ctx.exePath ?? `/tmp/event-generator${host.random.chars(10, LETTERS)}`;
  const exePath = ctx.name ? `${dirname(simExePath)}/${ctx.name}` : simExePath;
  const arg0 = ctx.exe ?? basename(exePath);
  const file = parseCapabilities(ctx.capabilities ?? 'all=iep');
  const user = ctx.user !== undefined ? host.user(ctx.user) : undefined;
  // The parent prepares the executable: a hard link (or a copy, to own it or set other capabilities), then the symlink.
  if (user !== undefined || ctx.capabilities !== undefined) {
    host.enter('openat', parent.tid, { dirfd: -100, name: simExePath, flags: 2 | 4, mode: 0o755 });
    const fd = host.allocFd(parent);
    host.exit('openat', parent.tid, { fd, dirfd: -100, name: simExePath, flags: 2 | 4, mode: 0o755, dev: 0x803, ino: 1n });
    host.enter('close', parent.tid, { fd });
    host.exit('close', parent.tid, { res: 0, fd });
  } else {
    host.enter('linkat', parent.tid);
    host.exit('linkat', parent.tid, { res: 0, olddir: -100, oldpath: parent.exepath, newdir: -100, newpath: simExePath, flags: 0 });
  }
  if (exePath !== simExePath) {
    host.enter('symlinkat', parent.tid);
    host.exit('symlinkat', parent.tid, { res: 0, target: simExePath, linkdirfd: -100, linkpath: exePath });
  }
  const child = host.clone(parent);
  const inheritable = parent.caps.inheritable;
  const permitted = (inheritable & file.inheritable) | file.permitted;
  host.execve(child, {
    filename: exePath,
    argv: [arg0, ...splitArgs(ctx.args ?? '')],
    env: [...SimHost.rootEnv(), ...envOf(ctx.env), testIdVar],
    exepath: simExePath,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    caps: { inheritable, permitted, effective: file.effective !== 0n ? permitted : 0n },
    upperLayer: inContainer,
  });
  return child;
}

const FD_RETURNING = new Set(['open', 'openat', 'openat2', 'dup', 'dup2', 'dup3', 'socket']);

interface RunningScript {
  bash: SimProcess;
  sleep: SimProcess;
  after: string | undefined;
}

/**
 * `before` and `after` run in one `bash -c` child of the leaf (pkg/test/script/shell): the
 * `before` part, then a `sleep infinity` child the shell waits for while the resources and
 * steps run; the leaf then signals the shell (SIGUSR1), which kills the sleep and runs the
 * `after` part. The script text here is the two parts around a plain `sleep infinity & wait`,
 * not event-generator's wrapper with its traps. Within a part: builtins run in bash; `sleep N`
 * advances the clock by N seconds; any other command is a child of bash (clone, execve of
 * /usr/bin/COMMAND or the path given, exit).
 */
function startScript(
  host: SimHost,
  leaf: SimProcess,
  before: string | undefined,
  after: string | undefined,
  monitored: Set<number>,
): RunningScript | undefined {
  const b = before?.trim() ?? '';
  const a = after?.trim() ?? '';
  if (b === '' && a === '') return undefined;
  const text = `${b === '' ? '' : `${b};\n`}sleep infinity & wait $!\n${a === '' ? '' : `${a};`}`;
  const bash = host.clone(leaf);
  host.execve(bash, { filename: '/usr/bin/bash', argv: ['bash', '-c', text], env: leaf.env, exepath: '/usr/bin/bash' });
  if (leaf.monitored) monitored.add(bash.tid);
  runCommands(host, bash, b, leaf.monitored, monitored);
  const sleep = host.clone(bash);
  host.execve(sleep, { filename: '/usr/bin/sleep', argv: ['sleep', 'infinity'], env: bash.env, exepath: '/usr/bin/sleep' });
  if (leaf.monitored) monitored.add(sleep.tid);
  return { bash, sleep, after: a };
}

function finishScript(host: SimHost, leaf: SimProcess, s: RunningScript, monitored: Set<number>): void {
  const usr1 = 10;
  host.enter('kill', leaf.tid, { pid: s.bash.pid, sig: usr1 });
  host.exit('kill', leaf.tid, { res: 0, pid: s.bash.pid, sig: usr1 });
  host.enter('kill', s.bash.tid, { pid: s.sleep.pid, sig: 9 });
  host.exit('kill', s.bash.tid, { res: 0, pid: s.sleep.pid, sig: 9 });
  host.procexit(s.sleep, 9);
  runCommands(host, s.bash, s.after ?? '', leaf.monitored, monitored);
  host.procexit(s.bash);
}

function runCommands(host: SimHost, bash: SimProcess, script: string, counted: boolean, monitored: Set<number>): void {
  for (const line of script.split(/\n|;|&&|\|\|/)) {
    const words = splitArgs(line.replace(/#.*$/, ''));
    const cmd = words[0];
    if (cmd === undefined) continue;
    if (cmd === 'sleep') {
      const secs = Number.parseFloat(words[1] ?? '0');
      if (Number.isFinite(secs) && secs > 0) {
        const ns = BigInt(Math.round(secs * 1e9));
        host.enter('nanosleep', bash.tid, { interval: ns });
        host.sleep(ns);
        host.exit('nanosleep', bash.tid, { res: 0, interval: ns });
      }
      continue;
    }
    if (BUILTINS.has(cmd) || cmd.includes('=')) continue;
    const child = host.clone(bash);
    const path = cmd.includes('/') ? cmd : `/usr/bin/${cmd}`;
    host.execve(child, { filename: path, argv: words, env: bash.env, exepath: path });
    if (counted) monitored.add(child.tid);
    host.procexit(child);
  }
}

const BUILTINS = new Set([
  'echo',
  'cd',
  'export',
  'true',
  'false',
  ':',
  'set',
  'unset',
  'printf',
  'read',
  'exit',
  'return',
  'local',
  'test',
  '[',
  'eval',
  'shift',
  'wait',
  'trap',
  'umask',
  'alias',
  'source',
  '.',
]);

function envOf(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) {
    if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}

function uuid(random: Random): string {
  const h = random.chars(32, '0123456789abcdef');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
