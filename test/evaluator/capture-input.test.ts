/**
 * Input that is not a good capture: files that are not captures at all (one error, exit 1),
 * floods of bad lines (listed up to a limit, control bytes escaped), gzip recognised by its
 * bytes, scap recognised and refused once, --strict saying it stopped, and values of the
 * wrong type for their field's type, checked against what sysdig's JSON writer produces.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BAD_LINES_LISTED } from '../../src/cli/capture-problems.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { classifyCapture } from '../../src/sources/capture-format.js';
import { parseEventLine } from '../../src/sources/jsonl/captures.js';
import { runKestrel } from '../helpers/cli.js';
import { requireSysdig, sysdigJson, sysdigKnownFields } from '../helpers/sysdig.js';
import { SCAP_DIR } from '../helpers/upstream.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-input-'));
const write = (name: string, data: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
};
const EVENT = JSON.stringify({ 'evt.type': 'execve', 'evt.dir': '<', 'proc.name': 'sh' });
const filter = (...args: string[]) => runKestrel(['replay', '--filter', 'evt.type = execve', ...args]);
const SCAP_GZ = readFileSync(path.join(SCAP_DIR, 'curl_google.scap'));
/** Any byte of C0 or DEL, bare, in what a user would see. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

describe('classifying the first bytes of a capture', () => {
  const bytes = (text: string) => Buffer.from(text, 'latin1');
  it('recognises gzip and scap by their magic numbers', () => {
    expect(classifyCapture(SCAP_GZ).format).toBe('gzip');
    expect(classifyCapture(gunzipSync(SCAP_GZ)).format).toBe('scap');
    // Section header block type, block length, byte-order magic: little- and big-endian.
    expect(classifyCapture(bytes('\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a')).format).toBe('scap');
    expect(classifyCapture(bytes('\x0a\x0d\x0d\x0a\x00\x00\x00\x1c\x1a\x2b\x3c\x4d')).format).toBe('scap');
    expect(classifyCapture(bytes('\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x00\x00\x00\x00')).format).toBe('unknown');
  });

  it('takes text with a JSON object line among its first lines as JSONL, whatever else it holds', () => {
    expect(classifyCapture(bytes(`${EVENT}\n`)).format).toBe('jsonl');
    expect(classifyCapture(bytes(`not json\n\n  ${EVENT}\nnot json\n`)).format).toBe('jsonl');
    expect(classifyCapture(bytes('')).format).toBe('jsonl');
    expect(classifyCapture(bytes('\n \r\n')).format).toBe('jsonl');
  });

  it('calls binary data and text of no JSON object lines unknown, saying what it found', () => {
    expect(classifyCapture(readFileSync(process.execPath).subarray(0, 4096))).toEqual({ format: 'unknown', found: 'binary data: a NUL byte at offset 8' });
    expect(classifyCapture(bytes(`\x1b[31m${EVENT}\n`))).toEqual({ format: 'unknown', found: 'binary data: starts with byte 0x1b' });
    expect(classifyCapture(bytes(`${EVENT}\x00`)).found).toBe(`binary data: a NUL byte at offset ${EVENT.length}`);
    expect(classifyCapture(bytes('hello\nworld\n'))).toEqual({ format: 'unknown', found: 'text whose first 2 non-blank lines are not JSON objects' });
    const garbage = Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join('') + EVENT;
    expect(classifyCapture(bytes(garbage)).found).toBe('text whose first 16 non-blank lines are not JSON objects');
  });
});

describe('files that are not captures', () => {
  const expected = 'expected a JSONL capture (one JSON object per line), a scap capture, or either gzipped';

  it('a binary file is one error and exit status 1, with no raw control bytes', async () => {
    const run = await filter(process.execPath);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `${process.execPath}: error: not a capture: ${expected} (found binary data: a NUL byte at offset 8)`,
      '0 event(s) matched',
    ]);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  it('a 100,000-line text file that is not JSONL is one error', async () => {
    const file = write('garbage.txt', Array.from({ length: 100_000 }, (_, i) => `garbage ${i}\n`).join(''));
    const run = await filter(file);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(2);
    expect(run.stderr).toContain(`${file}: error: not a capture: ${expected}`);
  });

  it('a scap capture, gzipped or not and whatever its name, is read as scap (no line errors)', async () => {
    const raw = write('raw.scap', gunzipSync(SCAP_GZ));
    const misnamed = write('really-scap.jsonl', SCAP_GZ);
    for (const file of [path.join(SCAP_DIR, 'curl_google.scap'), raw, misnamed]) {
      const run = await filter(file);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(run.stdout).toMatch(/^211 .* curl \(17497\) < execve /);
      expect(run.stderr).not.toContain('skipped');
    }
  });
});

describe('bad lines', () => {
  it('lists the first ones, counts the rest, escapes control bytes, and goes on', async () => {
    const lines = [EVENT, ...Array.from({ length: 100 }, (_, i) => `\x1b[31m${i}\x07`), EVENT];
    const file = write('many-bad.jsonl', `${lines.join('\n')}\n`);
    const run = await filter(file);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    const skipped = run.stderr.split('\n').filter((l) => l.includes(': skipped: '));
    expect(skipped).toHaveLength(BAD_LINES_LISTED);
    expect(skipped[0]).toMatch(new RegExp(`^${file}:2: skipped: not valid JSON: .*\\\\x1b\\[31m0\\\\x07`));
    expect(run.stderr).toContain(`... and ${100 - BAD_LINES_LISTED} more bad line(s) skipped, not listed`);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  it('under --strict, says the run stopped rather than that the line was skipped', async () => {
    const file = write('strict.jsonl', `${EVENT}\nnot json\n${EVENT}\n`);
    const run = await filter(file, '--strict');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:2: error: not valid JSON`);
    expect(run.stderr).toContain('run stopped at the first bad line: --strict');
    expect(run.stderr).not.toContain('skipped');
  });
});

describe('gzip recognised by its bytes, not its name', () => {
  const jsonl = `${EVENT}\n${EVENT}\n`;
  it.each([
    ['gzipped, named .jsonl', 'g.jsonl', gzipSync(jsonl)],
    ['plain, named .jsonl.gz', 'p.jsonl.gz', Buffer.from(jsonl)],
    ['gzipped, no extension', 'g', gzipSync(jsonl)],
  ])('reads a file %s', async (_what, name, data) => {
    const run = await filter(write(name, data));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('2 event(s) matched\n');
  });

  it('reads gzip on stdin', async () => {
    const { Readable } = await import('node:stream');
    const { runCli } = await import('../../src/cli/run.js');
    let stderr = '';
    const code = await runCli(['replay', '--filter', 'evt.type = execve', '-'], {
      out: () => {},
      err: (t) => (stderr += t),
      stdin: Readable.from([gzipSync(jsonl)]),
      stderrIsTTY: false,
      env: {},
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(stderr).toBe('2 event(s) matched\n');
  });
});

describe('values of the wrong type for their field', () => {
  const uint32 = 'an integer from 0 to 4294967295 (uint32)';
  it.each([
    ['1.5', '1.5'],
    ['-1', '-1'],
    ['4294967296', '4294967296'],
    ['"0x10"', '"0x10"'],
    ['" 7 "', '" 7 "'],
    ['"7"', '"7"'],
    ['true', 'true'],
  ])('proc.tty (uint32) given %s is a bad line', (value, shown) => {
    expect(parseEventLine(`{"evt.type":"read","proc.tty":${value}}`)).toBe(`field 'proc.tty' must hold ${uint32}, found ${shown}`);
  });

  it('accepts each integer type up to its exact bounds, 64-bit ones included', () => {
    const ok = (line: string) => expect(typeof parseEventLine(line)).toBe('object');
    const bad = (line: string, message: RegExp) => expect(parseEventLine(line)).toMatch(message);
    ok('{"proc.tty":0,"user.uid":4294967295}');
    ok('{"evt.rawtime":18446744073709551615,"proc.pid":9223372036854775807,"fd.num":-9223372036854775808}');
    bad('{"evt.rawtime":18446744073709551616}', /'evt.rawtime' must hold an integer from 0 to 18446744073709551615 \(uint64\), found 18446744073709551616$/);
    bad('{"proc.pid":9223372036854775808}', /\(int64\), found 9223372036854775808$/);
    bad('{"fd.num":-9223372036854775809}', /\(int64\), found -9223372036854775809$/);
    bad('{"evt.rawtime":-1}', /\(uint64\), found -1$/);
    ok('{"fd.sport":65535,"evt.cpu":-32768,"fd.dev.major":2147483647}');
    bad('{"fd.sport":65536}', /'fd.sport' must hold an integer from 0 to 65535 \(port\)/);
    bad('{"evt.cpu":32768}', /\(int16\), found 32768$/);
    bad('{"fd.dev.major":2147483648}', /\(int32\), found 2147483648$/);
    bad('{"evt.latency":0.5}', /\(uint64\), found 0.5$/);
    bad('{"evt.is_open_read":1}', /must hold true or false, found 1$/);
    bad('{"evt.is_open_read":"true"}', /must hold true or false, found "true"$/);
    // The string forms sysdig writes: zero-padded decimals and hex digits, nothing else.
    ok('{"evt.rawtime.ns":"000000012","evt.reltime":"5514632620","fd.dev":"5607"}');
    bad('{"fd.dev":"0x5607"}', /'fd.dev' must hold .*hex digits.*found "0x5607"$/);
    // Hex digits are the number they spell (conditions compare numbers): 0x55E5 = 21989.
    expect(parseEventLine('{"fd.dev":"55E5"}')).toEqual({ 'fd.dev': 21989 });
    bad('{"evt.rawtime.ns":" 12"}', /'evt.rawtime.ns' must hold .*decimal digits.*found " 12"$/);
  });

  it('evt.type must be a name; an unknown name is reported once, with its count', async () => {
    expect(parseEventLine('{"evt.type":3}')).toBe(`field 'evt.type' must hold a string, found 3`);
    const file = write(
      'types.jsonl',
      ['{"evt.type":"notasyscall"}', EVENT, '{"evt.type":"notasyscall"}', '{"evt.type":"alsonot"}', '{"evt.type":"notasyscall"}'].join('\n'),
    );
    const run = await filter(file);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `${file}:1: warning: unknown event type "notasyscall" in 3 event(s), the first here: no rule can match them`,
      `${file}:4: warning: unknown event type "alsonot" in 1 event(s), the first here: no rule can match them`,
      '1 event(s) matched',
    ]);
  });

  it('accepts what sysdig writes for every numeric and boolean field it knows (differential)', async () => {
    requireSysdig();
    const known = sysdigKnownFields();
    // proc.fdusage makes sysdig 0.29 fail on these captures.
    const fields = FieldCatalogue.syscall()
      .all()
      .filter((f) => !['charbuf', 'bytebuf', 'ipaddr', 'ipnet', 'dyn'].includes(f.type) && known.has(f.name) && f.name !== 'proc.fdusage')
      .filter((f) => !f.flags.has('arg_required') && !f.flags.has('filter_only'));
    expect(fields.length).toBeGreaterThan(60);
    const format = `*${fields.map((f) => `%${f.name}`).join(' ')}`;
    for (const capture of ['curl_google.scap', 'single_ipv6_conn.scap']) {
      const lines = (await sysdigJson(path.join(SCAP_DIR, capture), format)).split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(20);
      expect(lines.map(parseEventLine).filter((e) => typeof e === 'string')).toEqual([]);
    }
  }, 60_000);
});
