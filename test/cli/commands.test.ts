import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runKestrel } from '../helpers/cli.js';
import { UPSTREAM_RULE_FILES } from '../helpers/upstream.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-cli-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

const RULES = write(
  'rules.yaml',
  `- macro: container
  condition: container.id != host
- rule: Write below etc
  desc: a write below /etc
  condition: evt.type = openat and evt.is_open_write = true and fd.name startswith /etc/ and container
  output: "File below /etc opened for writing (file=%fd.name user=%user.name proc=%proc.name container=%container.id)"
  priority: ERROR
  tags: [filesystem, mitre_persistence]
- rule: Any shell
  desc: a shell started
  condition: evt.type = execve and proc.name in (bash, sh)
  output: "Shell %proc.name (parent=%proc.pname)"
  priority: NOTICE
  tags: [shell]
`,
);

const EVENTS = [
  {
    'evt.num': 1,
    'evt.type': 'openat',
    'evt.rawtime': 1470327477881754223n,
    'evt.is_open_write': true,
    'fd.name': '/etc/passwd',
    'user.name': 'root',
    'proc.name': 'vi',
    'container.id': 'abc123',
  },
  {
    'evt.num': 2,
    'evt.type': 'openat',
    'evt.rawtime': 1470327477881754300n,
    'evt.is_open_write': true,
    'fd.name': '/etc/passwd',
    'proc.name': 'vi',
    'container.id': 'host',
  },
  { 'evt.num': 3, 'evt.type': 'execve', 'evt.rawtime': 1470327477881754400n, 'proc.name': 'bash', 'proc.aname': ['sshd'] },
  { 'evt.num': 4, 'evt.type': 'read', 'evt.rawtime': 1470327477881754500n, 'proc.name': 'bash' },
];
const jsonl = `${EVENTS.map((e) => JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? `BIG${v}` : v)).replace(/"BIG(\d+)"/g, '$1')).join('\n')}\n`;
const CAPTURE = write('capture.jsonl', jsonl);
const TZ = { TZ: 'UTC' };

describe('kestrel validate', () => {
  it('reports Ok for good rules and exit 0', async () => {
    const run = await runKestrel(['validate', '-r', RULES]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${RULES}: Ok`);
  });

  it('prints code, position and a code frame for errors, and exits 1', async () => {
    const bad = write('bad.yaml', '- rule: r\n  desc: d\n  condition: evt.type = open and proc.nme = x\n  output: o\n  priority: INFO\n');
    const run = await runKestrel(['validate', '-r', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:3:34: error LOAD_ERR_COMPILE_CONDITION: filter_check called with nonexistent field proc.nme (rule 'r')`);
    expect(run.stderr).toContain('> 3 |   condition: evt.type = open and proc.nme = x');
    expect(run.stdout).toContain(`${bad}: Invalid`);
  });

  it('prints Falco validation JSON with --json', async () => {
    const bad = write('bad2.yaml', '- list: l\n  items: [a]\n');
    const run = await runKestrel(['validate', '-r', bad, '--json']);
    const json = JSON.parse(run.stdout);
    const [result] = json.falco_load_results;
    expect(result).toMatchObject({ name: bad, successful: true, errors: [] });
    expect(result.warnings[0]).toMatchObject({
      code: 'LOAD_UNUSED_LIST',
      codedesc: 'Unused list',
      context: { locations: [{ item_type: 'rules content' }, { item_type: 'list', item_name: 'l', position: { name: bad, line: 1, column: 3, offset: 2 } }] },
    });
    expect(result.warnings[0].context.snippet).toBe('- list: l\n  ^\n');
  });

  it('reports a missing file as LOAD_ERR_FILE_READ', async () => {
    const run = await runKestrel(['validate', '-r', path.join(dir, 'nope.yaml'), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).falco_load_results[0].errors[0].code).toBe('LOAD_ERR_FILE_READ');
  });

  it('validates the three upstream files stacked without errors', async () => {
    const run = await runKestrel(['validate', ...UPSTREAM_RULE_FILES.flatMap((f) => ['-r', f])]);
    expect(run.code).toBe(0);
    expect(run.stdout.match(/: Ok/g)).toHaveLength(3);
  });
});

describe('kestrel describe', () => {
  it('shows the expanded condition, events and fields as JSON', async () => {
    const run = await runKestrel(['describe', '-r', RULES, '--json', 'Write below etc']);
    expect(run.code).toBe(0);
    const [rule] = JSON.parse(run.stdout).rules;
    expect(rule.info).toMatchObject({ name: 'Write below etc', priority: 'Error', enabled: true, tags: ['filesystem', 'mitre_persistence'] });
    expect(rule.details.condition_compiled).toBe('evt.type = openat and evt.is_open_write = true and fd.name startswith /etc/ and container.id != host');
    expect(rule.details.events).toEqual(['openat']);
    expect(rule.details.macros).toEqual(['container']);
    expect(rule.details.output_fields).toEqual([
      'fd.name',
      'user.name',
      'proc.name',
      'container.id',
      'container.name',
      'container.image.repository',
      'container.image.tag',
      'k8s.pod.name',
      'k8s.ns.name',
    ]);
  });

  it('fails clearly for an unknown rule', async () => {
    const run = await runKestrel(['describe', '-r', RULES, 'Nope']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rule "Nope" is not loaded');
  });
});

describe('kestrel replay', () => {
  it('prints Falco text alerts in event order and a summary', async () => {
    const run = await runKestrel(['replay', '-r', RULES, CAPTURE], { env: TZ });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      '16:17:57.881754223: Error File below /etc opened for writing (file=/etc/passwd user=root proc=vi container=abc123) container_id=abc123 container_name=<NA> container_image_repository=<NA> container_image_tag=<NA> k8s_pod_name=<NA> k8s_ns_name=<NA>',
      '16:17:57.881754400: Notice Shell bash (parent=sshd) container_id=<NA> container_name=<NA> container_image_repository=<NA> container_image_tag=<NA> k8s_pod_name=<NA> k8s_ns_name=<NA>',
    ]);
    expect(run.stderr).toContain('events: 4 read');
    expect(run.stderr).toMatch(/Write below etc +Error +1\n/);
    expect(run.stderr).toMatch(/total +2\n/);
  });

  it('prints Falco JSON alerts with sorted keys, typed fields and exact times', async () => {
    const run = await runKestrel(['replay', '-r', RULES, CAPTURE, '--json'], { env: { ...TZ, FALCO_HOSTNAME: 'box' } });
    const first = JSON.parse(run.stdout.split('\n')[0]!);
    expect(Object.keys(first)).toEqual(['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time']);
    expect(first).toMatchObject({
      hostname: 'box',
      priority: 'Error',
      rule: 'Write below etc',
      source: 'syscall',
      tags: ['filesystem', 'mitre_persistence'],
      time: '2016-08-04T16:17:57.881754223Z',
      output_fields: { 'container.id': 'abc123', 'fd.name': '/etc/passwd', 'proc.name': 'vi', 'user.name': 'root' },
    });
    const second = JSON.parse(run.stdout.split('\n')[1]!);
    // The container plugin's suggested fields are appended, as Falco does by default; missing ones are null.
    expect(second.output_fields).toEqual({
      'container.id': null,
      'container.image.repository': null,
      'container.image.tag': null,
      'container.name': null,
      'k8s.ns.name': null,
      'k8s.pod.name': null,
      'proc.name': 'bash',
      'proc.pname': 'sshd',
    });
    const plain = await runKestrel(['replay', '-r', RULES, CAPTURE, '--json', '--no-suggested-output'], { env: TZ });
    expect(JSON.parse(plain.stdout.split('\n')[1]!).output_fields).toEqual({ 'proc.name': 'bash', 'proc.pname': 'sshd' });
  });

  it('honours Falco -o options: omit output and tags, ISO times', async () => {
    const run = await runKestrel(
      ['replay', '-r', RULES, CAPTURE, '-o', 'json_output=true', '-o', 'json_include_output_property=false', '-o', 'json_include_tags_property=false'],
      { env: TZ },
    );
    const first = JSON.parse(run.stdout.split('\n')[0]!);
    expect(first.output).toBeUndefined();
    expect(first.tags).toBeUndefined();
    const iso = await runKestrel(['replay', '-r', RULES, CAPTURE, '--iso8601'], { env: TZ });
    expect(iso.stdout.split('\n')[0]).toMatch(/^2016-08-04T16:17:57\.881754223\+0000: Error /);
  });

  it('selects rules with -t, -T, -D and a minimum priority', async () => {
    const onlyShell = await runKestrel(['replay', '-r', RULES, CAPTURE, '-t', 'shell'], { env: TZ });
    expect(onlyShell.stdout).not.toContain('File below');
    expect(onlyShell.stdout).toContain('Shell bash');
    const skipShell = await runKestrel(['replay', '-r', RULES, CAPTURE, '-T', 'shell'], { env: TZ });
    expect(skipShell.stdout).not.toContain('Shell bash');
    const disabled = await runKestrel(['replay', '-r', RULES, CAPTURE, '-D', 'Write'], { env: TZ });
    expect(disabled.stdout).not.toContain('File below');
    const severe = await runKestrel(['replay', '-r', RULES, CAPTURE, '--min-priority', 'warning'], { env: TZ });
    expect(severe.stdout).toContain('File below');
    expect(severe.stdout).not.toContain('Shell bash');
  });

  it('evaluates every event type; --live-event-set skips those a live Falco without -A does not receive', async () => {
    const reads = write('reads.yaml', `- rule: Reads\n  desc: d\n  condition: evt.type = read\n  output: read by %proc.name\n  priority: INFO\n`);
    const plain = await runKestrel(['replay', '-r', reads, CAPTURE], { env: TZ });
    expect(plain.stdout).toContain('read by bash');
    expect(plain.stderr).toContain('events: 4 read, 4 evaluated, 0 bad line(s)');
    const live = await runKestrel(['replay', '-r', reads, CAPTURE, '--live-event-set'], { env: TZ });
    expect(live.stdout).toBe('');
    expect(live.stderr).toContain('1 outside the live event set');
    const all = await runKestrel(['replay', '-r', reads, CAPTURE, '--live-event-set', '-A'], { env: TZ });
    expect(all.stdout).toContain('read by bash');
  });

  it('fires only the first matching rule unless rule_matching=all', async () => {
    const twice = write(
      'twice.yaml',
      `- rule: A\n  desc: d\n  condition: evt.type = execve\n  output: A\n  priority: INFO\n- rule: B\n  desc: d\n  condition: evt.type = execve\n  output: B\n  priority: INFO\n`,
    );
    const first = await runKestrel(['replay', '-r', twice, CAPTURE], { env: TZ });
    expect(
      first.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[2]),
    ).toEqual(['A']);
    const all = await runKestrel(['replay', '-r', twice, CAPTURE, '-o', 'rule_matching=all'], { env: TZ });
    expect(
      all.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[2]),
    ).toEqual(['A', 'B']);
  });

  it('reports bad lines with file and line number and goes on; --strict stops', async () => {
    const mixed = write(
      'mixed.jsonl',
      `${JSON.stringify({ 'evt.type': 'read' })}\nnot json\n[1,2]\n{"evt.type":"read","x":{"y":1}}\n\n{"evt.type":"open","proc.pid":"abc"}\n{"evt.type":"open","evt.is_open_write":"maybe"}\n${JSON.stringify({ 'evt.type': 'execve', 'proc.name': 'sh', 'proc.pid': 42 })}\n`,
    );
    const run = await runKestrel(['replay', '-r', RULES, mixed], { env: TZ });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${mixed}:2: skipped: not valid JSON`);
    expect(run.stderr).toContain(`${mixed}:3: skipped: not a JSON object`);
    expect(run.stderr).toContain(`${mixed}:4: skipped: field 'x' holds an object`);
    expect(run.stderr).toContain(
      `${mixed}:6: skipped: field 'proc.pid' must hold an integer from -9223372036854775808 to 9223372036854775807 (int64), found "abc"`,
    );
    expect(run.stderr).toContain(`${mixed}:7: skipped: field 'evt.is_open_write' must hold true or false, found "maybe"`);
    expect(run.stderr).toContain('5 bad line(s) skipped');
    expect(run.stdout).toContain('Shell sh');
    const strict = await runKestrel(['replay', '-r', RULES, mixed, '--strict'], { env: TZ });
    expect(strict.code).toBe(1);
    expect(strict.stdout).not.toContain('Shell sh');
  });

  it('reads gzip captures, directories and stdin', async () => {
    const sub = path.join(dir, 'captures');
    await import('node:fs').then((fs) => fs.mkdirSync(sub, { recursive: true }));
    writeFileSync(path.join(sub, 'a.jsonl.gz'), gzipSync(jsonl));
    const gz = await runKestrel(['replay', '-r', RULES, sub], { env: TZ });
    expect(gz.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    const stdin = await runKestrel(['replay', '-r', RULES, '-'], { env: TZ, stdin: jsonl });
    expect(stdin.stdout.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('shows progress on a terminal for long inputs, and not otherwise', async () => {
    const long = write('long.jsonl', `${JSON.stringify({ 'evt.type': 'close', 'proc.name': 'x' })}\n`.repeat(140_000));
    const tty = await runKestrel(['replay', '-r', RULES, long], { tty: true });
    expect(tty.stderr).toMatch(/\r131072 events, [0-9.]+ MB, 0 alerts, \d+ events\/s/);
    const pipe = await runKestrel(['replay', '-r', RULES, long]);
    expect(pipe.stderr).not.toContain('\r');
    expect(pipe.stderr).toContain('events: 140000 read');
  });

  it('filters a capture with a bare condition', async () => {
    const run = await runKestrel(['replay', '--filter', 'proc.name = bash', CAPTURE, '-p', '%evt.num %evt.type']);
    expect(run.stdout).toBe('3 execve\n4 read\n');
    const json = await runKestrel(['replay', '--filter', 'evt.num = 1', CAPTURE, '--json']);
    expect(json.stdout).toContain('"evt.rawtime":1470327477881754223');
    const bad = await runKestrel(['replay', '--filter', 'proc.name = ', CAPTURE]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error: 1:13: expected a string value or a field with a valid transformer: 'val', 'tolower',");
  });
});

describe('kestrel fields', () => {
  it('lists the catalogue and the fields a rule set uses', async () => {
    const all = await runKestrel(['fields', '--json']);
    expect(JSON.parse(all.stdout).length).toBeGreaterThan(250);
    const used = await runKestrel(['fields', '-r', RULES, '--used', '--json']);
    expect(JSON.parse(used.stdout).map((f: { name: string }) => f.name)).toEqual([
      'container.id',
      'container.image.repository',
      'container.image.tag',
      'container.name',
      'evt.is_open_write',
      'evt.type',
      'fd.name',
      'k8s.ns.name',
      'k8s.pod.name',
      'proc.name',
      'proc.pname',
      'user.name',
    ]);
  });

  it('prints the sysdig -p string for a conversion', async () => {
    const run = await runKestrel(['fields', '-r', RULES, '--used', '--sysdig-format']);
    expect(run.stdout.trim()).toBe(
      '*%evt.num %evt.rawtime %evt.type %evt.dir %container.id %container.image.repository %container.image.tag %container.name %evt.is_open_write %fd.name %k8s.ns.name %k8s.pod.name %proc.name %proc.pname %user.name',
    );
  });
});
