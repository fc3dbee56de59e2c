/**
 * Resources and syscall steps on the simulated host: what event-generator's implementations
 * call (pkg/test/resource/..., pkg/test/step/syscall/...), as driver events.
 */
import { PPM_AT_FDCWD, PPM_O_F_CREATED, type SockAddrSpec, type SockTupleSpec } from '../../../sources/scap/synth/index.js';
import type { EgResource, EgStep } from '../types.js';
import { AF, AT, flags, IPPROTO, linkatFlagsToPpm, MODULE_INIT, MSG, O, openFlagsToPpm, RESOLVE, resolveToPpm, SIGNALS, SOCK, single } from './flags.js';
import type { SimHost, SimProcess } from './host.js';

/** What a resource or step exposes to later bindings, by field path. */
export type Exposed = Record<string, unknown>;

/** Paths that exist on the simulated host before the test (system directories); others do not. */
const EXISTING = /^\/(etc|usr|bin|sbin|lib|lib64|dev|proc|sys|boot|root|var|opt|run)(\/|$)/;

export class Actions {
  private nextPort = 40000;
  private nextIno = 100000n;
  /** Paths created during the test. */
  private readonly created = new Set<string>();

  constructor(
    private readonly host: SimHost,
    /** Threads whose alerts count for the test; processes started for it join when their parent is in. */
    private readonly monitored: Set<number> = new Set(),
  ) {}

  exists(path: string): boolean {
    return this.created.has(path) || EXISTING.test(path);
  }

  private resolve(p: SimProcess, dirfd: number, path: string): string {
    if (path.startsWith('/')) return normalize(path);
    const dir = dirfd === PPM_AT_FDCWD ? p.cwd : (p.fds.get(dirfd)?.name ?? p.cwd);
    return normalize(`${dir}/${path}`);
  }

  // ------------------------------------------------------------------ resources

  createResource(p: SimProcess, r: EgResource): Exposed {
    const h = this.host;
    switch (r.type) {
      case 'fd':
        switch (r.subtype) {
          case 'file': {
            // Opened read-write, created when absent (file.go).
            const create = !this.exists(r.filePath);
            const fd = this.openat(p, PPM_AT_FDCWD, r.filePath, O.O_RDWR! | (create ? O.O_CREAT! : 0), 0);
            return { fd };
          }
          case 'directory': {
            this.created.add(normalize(r.dirPath));
            return { fd: this.openat(p, PPM_AT_FDCWD, r.dirPath, O.O_RDONLY! | O.O_DIRECTORY!, 0, 'directory') };
          }
          case 'pipe': {
            const fd1 = h.allocFd(p);
            p.fds.set(fd1, { name: 'pipe', kind: 'pipe' });
            const fd2 = h.allocFd(p);
            p.fds.set(fd2, { name: 'pipe', kind: 'pipe' });
            h.enter('pipe2', p.tid);
            h.exit('pipe2', p.tid, { res: 0, fd1, fd2, ino: this.nextIno++, flags: 0 });
            return { readFd: fd1, writeFd: fd2 };
          }
          case 'event': {
            const fd = this.take(p, 'event');
            h.enter('eventfd2', p.tid, { initval: 0 });
            h.exit('eventfd2', p.tid, { res: fd, flags: 0, initval: 0 });
            return { fd };
          }
          case 'signalfd': {
            const fd = this.take(p, 'signalfd');
            h.enter('signalfd4', p.tid, { fd: -1, mask: 0 });
            h.exit('signalfd4', p.tid, { res: fd, flags: 0, fd: -1, mask: 0 });
            return { fd };
          }
          case 'eventpoll': {
            const fd = this.take(p, 'eventpoll');
            h.enter('epoll_create1', p.tid, { flags: 0 });
            h.exit('epoll_create1', p.tid, { res: fd, flags: 0 });
            return { fd };
          }
          case 'inotify': {
            const fd = this.take(p, 'inotify');
            h.enter('inotify_init1', p.tid);
            h.exit('inotify_init1', p.tid, { res: fd, flags: 0 });
            return { fd };
          }
          case 'memfd': {
            const name = r.fileName ?? h.random.chars(10, LETTERS);
            const fd = this.take(p, 'memfd');
            h.enter('memfd_create', p.tid);
            h.exit('memfd_create', p.tid, { fd, name, flags: 0 });
            return { fd };
          }
        }
        break;
      case 'clientServer':
        return this.clientServer(p, r.l4Proto, r.address);
      case 'process':
        return { pid: this.processResource(p, r) };
    }
    throw new Error('unreachable');
  }

  private take(p: SimProcess, kind: 'event' | 'signalfd' | 'eventpoll' | 'inotify' | 'memfd' | 'socket'): number {
    const fd = this.host.allocFd(p);
    p.fds.set(fd, { name: '', kind });
    return fd;
  }

  /**
   * A process resource: `cat` under a simulated executable path (process.go), left running.
   * Its environment is the test process's own plus the resource's `env` (buildProcEnv in
   * pkg/test/resource/builder), so it carries the test id and its alerts count. With
   * `fileLess`, the executable is first copied into a memfd, and the child runs it through
   * /proc/self/fd/N, as fileless malware does: the kernel then names the executable
   * `/memfd:NAME (deleted)` and the driver flags it EXE_FROM_MEMFD.
   */
  private processResource(p: SimProcess, r: Extract<EgResource, { type: 'process' }>): number {
    const h = this.host;
    const simExePath = r.exePath ?? `/tmp/event-generator${h.random.chars(10, LETTERS)}`;
    const exePath = r.procName ? `${dirname(simExePath)}/${r.procName}` : simExePath;
    let memfd: number | undefined;
    if (r.fileLess) {
      memfd = this.take(p, 'memfd');
      h.enter('memfd_create', p.tid);
      h.exit('memfd_create', p.tid, { fd: memfd, name: basename(exePath), flags: 0 });
    }
    const child = h.clone(p);
    h.execve(child, {
      filename: memfd === undefined ? exePath : `/proc/self/fd/${memfd}`,
      argv: [r.exe ?? basename(exePath), ...splitArgs(r.args ?? '')],
      env: [...p.env, ...Object.entries(r.env ?? {}).map(([k, v]) => `${k}=${v}`)],
      exepath: memfd === undefined ? simExePath : `/memfd:${basename(exePath)} (deleted)`,
      fromMemfd: memfd !== undefined,
    });
    if (memfd !== undefined) this.close(p, memfd);
    child.monitored = p.monitored;
    if (child.monitored) this.monitored.add(child.tid);
    return child.pid;
  }

  private clientServer(p: SimProcess, l4Proto: string, address: string): Exposed {
    const h = this.host;
    const domain = l4Proto.endsWith('6') ? AF.AF_INET6! : l4Proto === 'unix' ? AF.AF_UNIX! : AF.AF_INET!;
    const type = l4Proto.startsWith('udp') ? SOCK.SOCK_DGRAM! : SOCK.SOCK_STREAM!;
    let addr: SockAddrSpec;
    if (l4Proto === 'unix') addr = { family: 'unix', path: `/tmp/event-generator-${h.random.chars(10, LETTERS)}.sock` };
    else {
      const { ip, port } = splitHostPort(address);
      // event-generator puts the address on a dummy link when no link has it.
      if (domain === AF.AF_INET6) h.ipv6.add(ip);
      else if (!h.ipv4.has(ip)) h.ipv4.set(ip, '255.255.255.255');
      addr = { family: domain === AF.AF_INET6 ? 'inet6' : 'inet', ip, port };
    }
    const server = this.socket(p, domain, type | SOCK.SOCK_NONBLOCK!, 0);
    h.enter('bind', p.tid, { fd: server });
    h.exit('bind', p.tid, { res: 0, addr, fd: server });
    if (type === SOCK.SOCK_STREAM) {
      h.enter('listen', p.tid, { fd: server, backlog: 4096 });
      h.exit('listen', p.tid, { res: 0, fd: server, backlog: 4096 });
    }
    const client = this.socket(p, domain, type, 0);
    this.connect(p, client, addr);
    return { 'client.fd': client, 'server.fd': server };
  }

  /** close() of an fd of `p`. */
  close(p: SimProcess, fd: number): void {
    this.host.enter('close', p.tid, { fd });
    this.host.exit('close', p.tid, { res: 0, fd });
    p.fds.delete(fd);
  }

  /** Releases what a resource holds (its fds; a process resource's child is killed). */
  destroyResource(p: SimProcess, exposed: Exposed): void {
    for (const key of ['fd', 'readFd', 'writeFd', 'client.fd', 'server.fd']) {
      const fd = exposed[key];
      if (typeof fd === 'number' && p.fds.has(fd)) this.close(p, fd);
    }
    const pid = exposed['pid'];
    const child = typeof pid === 'number' ? this.host.processes.get(pid) : undefined;
    if (child !== undefined) {
      this.host.enter('kill', p.tid, { pid: child.pid, sig: 9 });
      this.host.exit('kill', p.tid, { res: 0, pid: child.pid, sig: 9 });
      this.host.procexit(child, 9);
    }
  }

  // ------------------------------------------------------------------ syscalls

  private openat(
    p: SimProcess,
    dirfd: number,
    path: string,
    linuxFlags: number,
    mode: number,
    kind: 'file' | 'directory' = 'file',
    syscall: 'open' | 'openat' = 'openat',
  ): number {
    const h = this.host;
    const full = this.resolve(p, dirfd, path);
    const created = (linuxFlags & O.O_CREAT!) !== 0 && !this.exists(full);
    if (created) this.created.add(full);
    const fd = h.allocFd(p);
    p.fds.set(fd, { name: full, kind: (linuxFlags & O.O_DIRECTORY!) !== 0 ? 'directory' : kind });
    const ppm = openFlagsToPpm(linuxFlags);
    if (syscall === 'open') {
      h.enter('open', p.tid, { name: path, flags: ppm, mode });
      h.exit('open', p.tid, { fd, name: path, flags: ppm | (created ? PPM_O_F_CREATED : 0), mode, dev: 0x803, ino: this.nextIno++ });
    } else {
      h.enter('openat', p.tid, { dirfd, name: path, flags: ppm, mode });
      h.exit('openat', p.tid, { fd, dirfd, name: path, flags: ppm | (created ? PPM_O_F_CREATED : 0), mode, dev: 0x803, ino: this.nextIno++ });
    }
    return fd;
  }

  private socket(p: SimProcess, domain: number, type: number, proto: number): number {
    const h = this.host;
    const fd = this.take(p, 'socket');
    h.enter('socket', p.tid, { domain, type, proto });
    h.exit('socket', p.tid, { fd, domain, type, proto, flags: 0 });
    return fd;
  }

  private tupleFor(addr: SockAddrSpec, p: SimProcess): SockTupleSpec {
    if (addr.family === 'unix') return { family: 'unix', source: 0xffff000000001000n + BigInt(p.tid), dest: 0xffff000000002000n, path: addr.path };
    const local = addr.family === 'inet' ? this.host.ipv4.has(addr.ip) : this.host.ipv6.has(addr.ip);
    const sip = local ? addr.ip : addr.family === 'inet' ? this.host.primaryIp : '::1';
    return { family: addr.family, sip, sport: this.nextPort++, dip: addr.ip, dport: addr.port };
  }

  private connect(p: SimProcess, fd: number, addr: SockAddrSpec): void {
    const h = this.host;
    h.enter('connect', p.tid, { fd, addr });
    h.exit('connect', p.tid, { res: 0, tuple: this.tupleFor(addr, p), fd, addr });
  }

  /** Runs one syscall step; returns what it exposes (its arguments and `ret`). */
  runStep(p: SimProcess, step: EgStep, args: Record<string, unknown>): Exposed {
    const h = this.host;
    const tid = p.tid;
    const num = (k: string, d?: number): number => {
      const v = args[k];
      if (v === undefined) {
        if (d !== undefined) return d;
        throw new Error(`step '${step.name}': argument '${k}' is missing`);
      }
      return typeof v === 'number' ? v : Number(v);
    };
    const str = (k: string, d = ''): string => (args[k] === undefined ? d : String(args[k]));
    const what = (k: string): string => `step '${step.name}': ${k}`;
    switch (step.syscall) {
      case 'write':
      case 'read': {
        const fd = num('fd');
        const buf = str('buffer');
        const len = num('len', Buffer.byteLength(buf));
        const data = step.syscall === 'write' ? Buffer.from(buf).subarray(0, 80) : new Uint8Array(Math.min(len, 80));
        h.enter(step.syscall, tid, { fd, size: len });
        h.exit(step.syscall, tid, { res: len, data, fd, size: len });
        return { ...args, ret: len };
      }
      case 'open':
      case 'openat': {
        const dirfd = step.syscall === 'open' ? PPM_AT_FDCWD : num('dirFd', PPM_AT_FDCWD);
        const fd = this.openat(p, dirfd, str('pathname'), flags(args['flags'], O, what('flags')), num('mode', 0), 'file', step.syscall);
        return { ...args, ret: fd };
      }
      case 'openat2': {
        const how = (args['how'] ?? {}) as Record<string, unknown>;
        const dirfd = num('dirFd', PPM_AT_FDCWD);
        const path = str('pathname');
        const lf = flags(how['flags'], O, what('how.flags'));
        const mode = Number(how['mode'] ?? 0);
        const resolve = resolveToPpm(flags(how['resolve'], RESOLVE, what('how.resolve')));
        const full = this.resolve(p, dirfd, path);
        const created = (lf & O.O_CREAT!) !== 0 && !this.exists(full);
        if (created) this.created.add(full);
        const fd = h.allocFd(p);
        p.fds.set(fd, { name: full, kind: 'file' });
        const ppm = openFlagsToPpm(lf);
        h.enter('openat2', tid, { dirfd, name: path, flags: ppm, mode, resolve });
        h.exit('openat2', tid, { fd, dirfd, name: path, flags: ppm | (created ? PPM_O_F_CREATED : 0), mode, resolve, dev: 0x803, ino: this.nextIno++ });
        return { ...args, ret: fd };
      }
      case 'symlink': {
        const linkpath = str('linkPath');
        this.created.add(this.resolve(p, PPM_AT_FDCWD, linkpath));
        h.enter('symlink', tid);
        h.exit('symlink', tid, { res: 0, target: str('target'), linkpath });
        return { ...args, ret: 0 };
      }
      case 'symlinkat': {
        const linkdirfd = num('newDirFd', PPM_AT_FDCWD);
        const linkpath = str('linkPath');
        this.created.add(this.resolve(p, linkdirfd, linkpath));
        h.enter('symlinkat', tid);
        h.exit('symlinkat', tid, { res: 0, target: str('target'), linkdirfd, linkpath });
        return { ...args, ret: 0 };
      }
      case 'link': {
        const newpath = str('newPath');
        this.created.add(this.resolve(p, PPM_AT_FDCWD, newpath));
        h.enter('link', tid);
        h.exit('link', tid, { res: 0, oldpath: str('oldPath'), newpath });
        return { ...args, ret: 0 };
      }
      case 'linkat': {
        const olddir = num('oldDirFd', PPM_AT_FDCWD);
        const newdir = num('newDirFd', PPM_AT_FDCWD);
        const newpath = str('newPath');
        this.created.add(this.resolve(p, newdir, newpath));
        h.enter('linkat', tid);
        h.exit('linkat', tid, { res: 0, olddir, oldpath: str('oldPath'), newdir, newpath, flags: linkatFlagsToPpm(flags(args['flags'], AT, what('flags'))) });
        return { ...args, ret: 0 };
      }
      case 'init_module': {
        const img = Buffer.from(str('moduleImage'));
        h.enter('init_module', tid);
        h.exit('init_module', tid, { res: 0, img: img.subarray(0, 80), length: BigInt(num('len', img.length)), uargs: str('paramValues') });
        return { ...args, ret: 0 };
      }
      case 'finit_module': {
        h.enter('finit_module', tid);
        h.exit('finit_module', tid, { res: 0, fd: num('fd'), uargs: str('paramValues'), flags: flags(args['flags'], MODULE_INIT, what('flags')) });
        return { ...args, ret: 0 };
      }
      case 'dup':
      case 'dup2':
      case 'dup3': {
        const oldfd = num('oldFd');
        const src = p.fds.get(oldfd);
        const newfd = step.syscall === 'dup' ? h.allocFd(p) : num('newFd');
        if (src) p.fds.set(newfd, { ...src });
        h.enter(step.syscall, tid, { fd: oldfd });
        if (step.syscall === 'dup') h.exit('dup', tid, { res: newfd, oldfd });
        else if (step.syscall === 'dup2') h.exit('dup2', tid, { res: newfd, oldfd, newfd });
        else h.exit('dup3', tid, { res: newfd, oldfd, newfd, flags: flags(args['flags'], O, what('flags')) & O.O_CLOEXEC! ? 1 : 0 });
        return { ...args, ret: newfd };
      }
      case 'socket': {
        const fd = this.socket(
          p,
          single(args['domain'], AF, what('domain')),
          flags(args['type'], SOCK, what('type')),
          single(args['protocol'] ?? 0, IPPROTO, what('protocol')),
        );
        return { ...args, ret: fd };
      }
      case 'connect': {
        this.connect(p, num('fd'), parseSockAddr(str('address')));
        return { ...args, ret: 0 };
      }
      case 'sendto': {
        const fd = num('fd');
        const buf = str('buf');
        const len = num('len', Buffer.byteLength(buf));
        flags(args['flags'], MSG, what('flags'));
        const dest = args['destAddr'] === undefined ? undefined : parseSockAddr(str('destAddr'));
        const tuple = dest ? this.tupleFor(dest, p) : null;
        h.enter('sendto', tid, { fd, size: len, tuple });
        h.exit('sendto', tid, { res: len, data: Buffer.from(buf).subarray(0, 80), fd, size: len, tuple });
        return { ...args, ret: len };
      }
      case 'kill': {
        const pid = num('pid');
        const sig = single(args['sig'], SIGNALS, what('sig'));
        h.enter('kill', tid, { pid, sig });
        h.exit('kill', tid, { res: 0, pid, sig });
        const target = h.processes.get(pid);
        if (target && (sig === 9 || sig === 15)) h.procexit(target, sig);
        return { ...args, ret: 0 };
      }
    }
  }
}

export const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `ip:port`, `[ip6]:port`, or a unix socket path (event-generator's socket_address). */
export function parseSockAddr(text: string): SockAddrSpec {
  if (text.startsWith('/') || !/:\d+$/.test(text)) return { family: 'unix', path: text };
  const { ip, port } = splitHostPort(text);
  return ip.includes(':') ? { family: 'inet6', ip, port } : { family: 'inet', ip, port };
}

function splitHostPort(text: string): { ip: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`not an address with a port: ${JSON.stringify(text)}`);
  return { ip: m[1]!, port: Number(m[2]) };
}

/** event-generator's argument splitting: double-quoted, single-quoted, or blank-separated words. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  for (const m of args.matchAll(/"([^"]+)"|'([^']+)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
