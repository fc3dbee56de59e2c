import { describe, expect, it } from 'vitest';
import { matches, predicate } from '../helpers/evaluate.js';

const open = {
  'evt.type': 'openat',
  'evt.num': 42,
  'proc.name': 'Bash',
  'proc.pid': 1234,
  'fd.name': '/etc/shadow',
  'fd.sip': '10.1.2.3',
  'fd.cip': '192.168.0.7',
  'fd.sport': 443,
  'fd.cport': 51000,
  'fd.l4proto': 'tcp',
  'evt.is_open_write': true,
  'evt.buffer': 'GET /bin/sh HTTP/1.1',
  'proc.cmdline': 'bash -c "cat /etc/shadow"',
  'user.uid': 0,
};

// Each row: condition, expected result on `open`.
const cases: [string, boolean][] = [
  // strings
  ['proc.name = Bash', true],
  ['proc.name == Bash', true],
  ['proc.name = bash', false],
  ['proc.name != bash', true],
  ['proc.name != Bash', false],
  ['fd.name contains shad', true],
  ['fd.name contains SHAD', false],
  ['fd.name icontains SHAD', true],
  ['fd.name startswith /etc/', true],
  ['fd.name startswith /usr', false],
  ['fd.name endswith shadow', true],
  ['fd.name endswith passwd', false],
  ['fd.name glob /etc/*', true],
  ['fd.name glob /etc/s?adow', true],
  ['fd.name glob /etc/[st]hadow', true],
  ['fd.name glob /ETC/*', false],
  ['fd.name iglob /ETC/*', true],
  ['fd.name glob *', true],
  ['fd.name regex "/etc/(shadow|passwd)"', true],
  ['fd.name regex "etc/shadow"', false],
  ['fd.name regex ".*shadow"', true],
  ['fd.name pmatch (/etc)', true],
  ['fd.name pmatch (/et)', false],
  ['fd.name pmatch (/usr, /etc/shadow)', true],
  ['fd.name in (/etc/passwd, /etc/shadow)', true],
  ['fd.name in (/etc/passwd)', false],
  ['fd.name intersects (/etc/shadow)', true],
  // `<` and friends take a number on the right even for strings; the comparison is strcmp.
  ['proc.name > 5', true],
  ['proc.name < 5', false],
  ['fd.l4proto >= 9', true],
  ['fd.l4proto <= 9', false],
  ["proc.cmdline contains '\"cat'", true],
  // modifiers
  ['fd.name startswith oneof (/etc, /usr)', true],
  ['fd.name startswith oneof (/etc, /etc/sh)', false],
  ['fd.name startswith anyof (/usr, /etc)', true],
  ['fd.name startswith allof (/etc, /etc/sh)', true],
  ['fd.name startswith allof (/etc, /usr)', false],
  ['fd.name contains anyof (nope, shad)', true],
  // numbers
  ['proc.pid = 1234', true],
  ['proc.pid = 1235', false],
  ['proc.pid != 1235', true],
  ['proc.pid < 2000', true],
  ['proc.pid <= 1234', true],
  ['proc.pid > 1234', false],
  ['proc.pid >= 1234', true],
  ['proc.pid in (1, 1234)', true],
  ['proc.pid in (1, 2)', false],
  ['proc.pid = +1234', true],
  ['proc.pid = " 1234"', true],
  ['user.uid = -1', false],
  ['user.uid = 0', true],
  ['fd.sport = 443', true],
  ['fd.sport in (80, 443)', true],
  // booleans
  ['evt.is_open_write = true', true],
  ['evt.is_open_write = false', false],
  ['evt.is_open_write != false', true],
  // buffers
  ['evt.buffer bcontains 2f62696e2f7368', true],
  ['evt.buffer bcontains 2f7573722f', false],
  ['evt.buffer bstartswith 474554', true],
  ['evt.buffer bstartswith 504f5354', false],
  ['evt.buffer contains /bin/sh', true],
  // IPs and networks
  ['fd.sip = 10.1.2.3', true],
  ['fd.sip = 10.1.2.4', false],
  ['fd.sip != 10.1.2.4', true],
  ['fd.sip in (10.1.2.3, 10.1.2.4)', true],
  ['fd.snet = 10.0.0.0/8', true],
  ['fd.snet = 11.0.0.0/8', false],
  ['fd.cnet = 192.168.0.0/16', true],
  ['fd.net = 192.168.0.0/16', true],
  ['fd.net = 10.1.2.0/24', true],
  ['fd.net = 172.16.0.0/12', false],
  ['fd.net in (172.16.0.0/12, 10.0.0.0/8)', true],
  ['fd.ip = 192.168.0.7', true],
  ['fd.ip = 10.1.2.3', true],
  ['fd.ip = 10.9.9.9', false],
  ['fd.port = 51000', true],
  ['fd.port = 443', true],
  ['fd.port = 22', false],
  // transformers and val()
  ['tolower(proc.name) = bash', true],
  ['toupper(proc.name) = BASH', true],
  ['basename(fd.name) = shadow', true],
  ['len(proc.name) = 4', true],
  ['len(proc.name) > 4', false],
  ['concat(proc.name, "-", fd.l4proto) = Bash-tcp', true],
  ['proc.name = val(proc.name)', true],
  ['fd.name = val(proc.name)', false],
  // exists and NA
  ['proc.name exists', true],
  ['proc.exe exists', false],
  ['proc.exe = x', false],
  ['not proc.exe = x', true],
  ['proc.exe != x', false],
  ['not proc.exe != x', true],
  ['proc.exe in (a, b)', false],
  ['proc.exe contains x', false],
  ['user.name startswith r', false],
  ['evt.arg.flags contains O_RDONLY', false],
  // boolean structure
  ['proc.name = Bash and fd.name = /etc/shadow', true],
  ['proc.name = Bash and fd.name = /etc/passwd', false],
  ['proc.name = sh or fd.name = /etc/shadow', true],
  ['not proc.name = sh', true],
  ['not (proc.name = Bash and proc.pid = 1)', true],
];

describe('operators by field type', () => {
  it.each(cases)('%s → %s', (condition, expected) => {
    expect(matches(condition, open)).toBe(expected);
  });
});

describe('NA: a field without a value', () => {
  it('treats null like a missing key', () => {
    const p = predicate('proc.exe = /bin/sh');
    expect(p({ 'proc.exe': null })).toBe(false);
    expect(p({})).toBe(false);
    expect(predicate('proc.exe exists')({ 'proc.exe': null })).toBe(false);
    expect(predicate('not proc.exe exists')({ 'proc.exe': null })).toBe(true);
  });
});

describe('ancestry', () => {
  const event = { 'proc.name': 'sh', 'proc.aname': ['bash', 'sshd', 'systemd'], 'proc.apid': [10, 9, 1] };

  it('indexes the ancestor array: [1] is the parent, [0] the process itself', () => {
    expect(matches('proc.aname[1] = bash', event)).toBe(true);
    expect(matches('proc.aname[2] = sshd', event)).toBe(true);
    expect(matches('proc.aname[3] = systemd', event)).toBe(true);
    expect(matches('proc.aname[4] exists', event)).toBe(false);
    expect(matches('proc.aname[0] = sh', event)).toBe(true);
    expect(matches('proc.apid[3] = 1', event)).toBe(true);
  });

  it('defaults proc.pname to the first ancestor', () => {
    expect(matches('proc.pname = bash', event)).toBe(true);
    expect(matches('proc.pname = bash', { ...event, 'proc.pname': 'zsh' })).toBe(false);
  });

  it('matches any ancestor without an index', () => {
    expect(matches('proc.aname = sshd', event)).toBe(true);
    expect(matches('proc.aname in (cron, systemd)', event)).toBe(true);
    expect(matches('proc.aname = cron', event)).toBe(false);
  });

  it('uses indexed keys when the capture has no array (as a sysdig conversion gives)', () => {
    const indexed = { 'proc.name': 'sh', 'proc.aname[1]': 'bash', 'proc.aname[2]': 'sshd' };
    expect(matches('proc.aname = sshd', indexed)).toBe(true);
    expect(matches('proc.aname = cron', indexed)).toBe(false);
    expect(matches('proc.aname[2] = sshd', indexed)).toBe(true);
  });

  it('lets a key written in full win over the array', () => {
    expect(matches('proc.aname[2] = init', { ...event, 'proc.aname[2]': 'init' })).toBe(true);
  });
});

describe('equivalent spellings', () => {
  it('reads evt.arg.flags and evt.arg[flags] as one field', () => {
    expect(matches('evt.arg.flags contains O_CREAT', { 'evt.arg[flags]': 'O_CREAT|O_WRONLY' })).toBe(true);
    expect(matches('evt.arg.flags contains O_CREAT', { 'evt.arg.flags': 'O_CREAT|O_WRONLY' })).toBe(true);
    expect(matches('k8s.pod.label[app] = web', { 'k8s.pod.label.app': 'web' })).toBe(true);
  });
});

describe('list fields (is_list)', () => {
  const event = { 'evt.type': 'poll', 'fd.types': ['file', 'ipv4'] };
  it('in needs every value in the set, intersects any', () => {
    expect(matches('fd.types in (file, ipv4, unix)', event)).toBe(true);
    expect(matches('fd.types in (file)', event)).toBe(false);
    expect(matches('fd.types intersects (file)', event)).toBe(true);
    expect(matches('fd.types intersects (unix)', event)).toBe(false);
    expect(matches('fd.types exists', event)).toBe(true);
  });

  it('take only set operators', () => {
    expect(() => predicate('fd.types = file')).toThrow(/operator '='/);
  });
});

describe('64-bit integers', () => {
  it('compares nanosecond timestamps exactly', () => {
    const e = { 'evt.rawtime': 1470327477881754223n };
    expect(matches('evt.rawtime = 1470327477881754223', e)).toBe(true);
    expect(matches('evt.rawtime = 1470327477881754224', e)).toBe(false);
    expect(matches('evt.rawtime > 1470327477881754222', e)).toBe(true);
    expect(matches('evt.rawtime < 1470327477881754223', e)).toBe(false);
    expect(matches('evt.rawtime in (1470327477881754223)', e)).toBe(true);
  });
});
