/**
 * Load errors as Falco words and places them (issue #15): libsinsp's and Falco's messages
 * with kestrel's hint beside them, errors of an expanded condition at the rule, YAML
 * anchors, invalid regular expressions, the depth limit, paths that give no rules file.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/rules/diagnostics.js';
import { loadRulesContents, loadRulesFiles } from '../../src/rules/loader.js';
import { formatDiagnostic, loadResultJson } from '../../src/rules/report.js';
import { runKestrel } from '../helpers/cli.js';
import { requireSysdig, sysdigSelect } from '../helpers/sysdig.js';

function diagnostics(text: string): Diagnostic[] {
  const loaded = loadRulesContents([{ name: 'rules.yaml', text }]);
  return loaded.results.flatMap((r) => [...r.errors, ...r.warnings]);
}

function firstError(text: string): Diagnostic {
  const loaded = loadRulesContents([{ name: 'rules.yaml', text }]);
  const error = loaded.results.flatMap((r) => r.errors)[0];
  if (!error) throw new Error('no error');
  return error;
}

const rule = (condition: string, output = 'o %proc.name', extra = '') =>
  `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: WARNING\n${extra}`;

const chain = (d: Diagnostic) => d.locations.map((l) => [l.itemType, l.itemName, l.position.line, l.position.column]);

describe("messages in Falco's words, kestrel's explanation in the hint", () => {
  it('an unknown field in a condition', () => {
    const error = firstError(rule('evt.type = open and proc.nobody = x'));
    expect(error).toMatchObject({ code: 'LOAD_ERR_COMPILE_CONDITION', message: 'filter_check called with nonexistent field proc.nobody' });
    expect(error.hint).toContain("no field is named 'proc.nobody'");
    expect(firstError(rule('proc.nobody[2] exists')).message).toBe('filter_check called with nonexistent field proc.nobody[2]');
  });

  it('an unknown field in an output, with its position', () => {
    // evt.rawarg[0] and evt.arg[x]: libsinsp refuses the argument, then every shorter prefix
    for (const output of ['o %not_a_real_field', 'o %proc.nme x', 'o %evt.rawarg[0]', 'o %evt.arg[x]']) {
      const error = firstError(rule('evt.type = open', output));
      // libsinsp's formatter retries ever shorter prefixes and reports the last, one-character, failure.
      expect(error).toMatchObject({ code: 'LOAD_ERR_COMPILE_OUTPUT', message: "unknown filter: unexpected token after '" });
      expect(error.hint).toBe(`unknown field '%${output.slice(3).split(' ')[0]}' in output`);
      expect(error.locations.at(-1)).toMatchObject({ itemType: 'rule output expression', position: { line: 4, column: 13 } });
    }
  });

  it("a syntax error: libsinsp's message, kestrel's position", () => {
    const error = firstError(rule('evt.type=execve foo'));
    expect(error.message).toBe("unexpected token after 'execve', expecting 'or', 'and'");
    expect(error.locations.at(-1)!.position).toMatchObject({ line: 3, column: 30 });
  });

  it("an unknown event type, as sysdig's libsinsp words it", async () => {
    requireSysdig();
    // sysdig 0.29's libsinsp predates parser.cpp's messages, but this one is unchanged since.
    const capture = new URL('../../../shared/captures/scap/curl_google.scap', import.meta.url).pathname;
    const reference = await sysdigSelect(capture, 'evt.type = nosuchsyscall');
    expect('error' in reference && reference.error).toContain('unknown event type nosuchsyscall');
    expect(firstError(rule('evt.type = nosuchsyscall')).message).toBe('unknown event type nosuchsyscall');
  });

  it('an engine version that is too new', () => {
    expect(firstError('- required_engine_version: 9999999\n').message).toBe('Rules require engine version 0.9999999.0, but engine version is 0.63.0');
  });

  it("are printed after the code frame, and left out of Falco's JSON", () => {
    const text = rule('evt.type = open and proc.nobody = x');
    const loaded = loadRulesContents([{ name: 'rules.yaml', text }]);
    const error = loaded.results[0]!.errors[0]!;
    const printed = formatDiagnostic(error, loaded.contents);
    expect(printed.split('\n')[0]).toBe("rules.yaml:3:34: error LOAD_ERR_COMPILE_CONDITION: filter_check called with nonexistent field proc.nobody (rule 'r')");
    expect(printed.split('\n').at(-1)).toBe(`hint: ${error.hint}`);
    const json = loadResultJson(loaded.results[0]!, loaded.contents) as { errors: Record<string, unknown>[] };
    expect(Object.keys(json.errors[0]!)).toEqual(['code', 'codedesc', 'message', 'context']);
  });
});

describe('an error of the expanded condition is reported at the rule', () => {
  const text = `- macro: m\n  condition: evt.type in (list_a)\n${rule('m and proc.name = bash')}`;

  it("as Falco's compile_condition does, with the position in the macro and the macro in the hint", () => {
    const error = firstError(text);
    expect(error.message).toBe('unknown event type list_a');
    expect(chain(error)).toEqual([
      ['rules content', '', 1, 1],
      ['rule', 'r', 3, 3],
      ['rule condition', '', 5, 14],
      ['condition expression', '', 2, 27],
    ]);
    expect(error.hint).toBe("this is in macro 'm', which the rule uses");
  });

  it("warnings too, and errors in the rule's own text keep their place", () => {
    const warnings = diagnostics(`- macro: m\n  condition: evt.type = open and evt.dir = <\n${rule('m')}`);
    const deprecated = warnings.find((d) => d.code === 'LOAD_DEPRECATED_ITEM')!;
    expect(chain(deprecated).slice(0, 3)).toEqual([
      ['rules content', '', 1, 1],
      ['rule', 'r', 3, 3],
      ['rule condition', '', 5, 14],
    ]);
    expect(deprecated.locations.at(-1)!.position).toMatchObject({ line: 2, column: 34 });
    const own = firstError(rule('evt.type = nosuch'));
    expect(chain(own).at(-1)).toEqual(['condition expression', '', 3, 25]);
    expect(own.hint).toBeUndefined();
  });
});

describe("event arguments and numbers, in libsinsp's words", () => {
  it.each([
    ['evt.arg.nosuch exists', 'unknown event argument nosuch'],
    ['evt.rawarg.nosuch exists', 'unknown event argument nosuch'],
    ['evt.arg.namex exists', 'filter_check called with nonexistent field evt.arg.namex'],
    ['evt.arg[x] exists', 'x is not a valid number'],
    ['evt.rawarg[0] exists', 'evt.arg fields must be expressed explicitly'],
    ['evt.type.is[open] = 1', 'filter syntax error: evt.type.is[open]'],
    ['evt.type.is.nosuch = 1', 'filter_check called with nonexistent field evt.type.is.nosuch'],
    ['evt.num > 0x10', '0x10 is not a valid number'],
    ['proc.fdusage > 0.5', '0.5 is not a valid number'],
    ['fd.sport = nosuchservice', 'unrecognized protocol nosuchservice'],
    ['evt.failed = TRUE', 'filter error: unrecognized boolean value TRUE'],
    ['fd.net = 10.0.0.0', 'unrecognized IP network 10.0.0.0'],
    ['fd.sip = "::ffff:1.2.3.4"', 'unrecognized IPv4 address ::ffff:1.2.3.4'],
  ])('%s', (condition, message) => {
    expect(firstError(rule(condition))).toMatchObject({ code: 'LOAD_ERR_COMPILE_CONDITION', message });
  });

  it('accepts what libsinsp accepts', () => {
    for (const condition of ['evt.type.is.open = 1', 'evt.arg.name exists', 'evt.rawarg.res < 0', 'evt.arg[0] exists', 'evt.num > +5', 'user.uid = -1']) {
      expect(
        diagnostics(rule(condition)).filter((d) => d.severity === 'error'),
        condition,
      ).toEqual([]);
    }
  });
});

describe('invalid regular expressions are load errors, as in Falco', () => {
  it.each([
    ["'[unclosed'", 'invalid regex pattern: missing ]: [unclosed', undefined],
    ["'(?=a)'", 'invalid regex pattern: no argument for repetition operator: ?', 'POSIX'],
    ["'\\\\d+'", 'invalid regex pattern: invalid escape sequence: \\d', 'POSIX'],
    ["'a{2,1}'", 'invalid regex pattern: invalid repetition size: {2,1}', undefined],
  ])('%s', (pattern, message, hint) => {
    const error = firstError(rule(`evt.type = execve and proc.cmdline regex ${pattern}`));
    expect(error).toMatchObject({ code: 'LOAD_ERR_COMPILE_CONDITION', message });
    expect(error.locations.at(-1)).toMatchObject({ itemType: 'condition expression', position: { line: 3, column: 55 } });
    if (hint) expect(error.hint).toContain(hint);
    else expect(error.hint).toBeUndefined();
  });

  it('skip-if-unknown-filter does not forgive them (Falco only forgives unknown fields and event types)', () => {
    const error = firstError(rule("proc.cmdline regex '['", 'o', '  skip-if-unknown-filter: true\n'));
    expect(error.code).toBe('LOAD_ERR_COMPILE_CONDITION');
  });

  it('replay reports them and exits 1 instead of failing at the first event', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-regex-'));
    const rules = path.join(dir, 'rules.yaml');
    const capture = path.join(dir, 'capture.jsonl');
    writeFileSync(rules, rule("evt.type = execve and proc.cmdline regex '[unclosed'"));
    writeFileSync(capture, '{"evt.num":1,"evt.type":"execve","proc.name":"bash","proc.cmdline":"bash -c x"}\n');
    const run = await runKestrel(['replay', '-r', rules, capture]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error LOAD_ERR_COMPILE_CONDITION: invalid regex pattern: missing ]: [unclosed');
    expect(run.stderr).not.toContain('internal error');
    // What POSIX syntax allows and Perl syntax does not (a stacked repetition) loads and matches.
    writeFileSync(rules, rule("evt.type = execve and proc.cmdline regex 'bash -c x**'"));
    const ok = await runKestrel(['replay', '-r', rules, capture, '--no-suggested-output'], { env: { TZ: 'UTC' } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Warning o bash');
  });
});

describe('YAML anchors and aliases load as yaml-cpp loads them', () => {
  const text = `- list: shells
  items: &shells [bash, sh]
- list: more
  items: *shells
- macro: spawned
  condition: &c evt.type = execve
- rule: r
  desc: &d a shell
  condition: spawned and proc.name in (more)
  output: &o shell %proc.name
  priority: &p NOTICE
  tags: &t [a, b]
- rule: r2
  desc: *d
  condition: *c
  output: *o
  priority: *p
  tags: *t
`;

  it('aliases of sequences and scalars are the anchored nodes', () => {
    const loaded = loadRulesContents([{ name: 'rules.yaml', text }]);
    expect(loaded.results[0]!.errors).toEqual([]);
    const [r, r2] = loaded.output!.rules;
    expect(loaded.output!.lists.find((l) => l.name === 'more')!.items).toEqual(['bash', 'sh']);
    expect(r2).toMatchObject({ description: 'a shell', rawCondition: 'evt.type = execve', priority: r!.priority, tags: ['a', 'b'] });
    expect(r2!.output.startsWith('shell %proc.name')).toBe(true);
  });

  it('an error inside an aliased node points into the anchored text, under the item that uses it', () => {
    const error = firstError(`- list: l\n  items: [&c evt.type = execve and proc.nme = x]\n${rule('*c')}`);
    expect(error.message).toBe('filter_check called with nonexistent field proc.nme');
    expect(chain(error)).toEqual([
      ['rules content', '', 1, 1],
      ['rule', 'r', 3, 3],
      ['rule condition', '', 2, 14],
      ['condition expression', '', 2, 36],
    ]);
  });

  it('an alias of the wrong kind is reported where its anchor is, as yaml-cpp marks it', () => {
    const error = firstError(`- list: a\n  items: &m [x]\n- macro: m\n  condition: *m\n`);
    expect(error.message).toBe('Value is not a scalar value');
    expect(chain(error)).toEqual([
      ['rules content', '', 1, 1],
      ['macro', 'm', 3, 3],
      ['value for', 'condition', 2, 13],
    ]);
  });
});

describe("the depth limit of Falco's rule loader", () => {
  const nested = (n: number) => `${'('.repeat(n)}evt.type = execve${')'.repeat(n)}`;

  it('is 1000: 198 pairs of parentheses load, 199 do not', () => {
    expect(loadRulesContents([{ name: 'rules.yaml', text: rule(nested(198)) }]).successful).toBe(true);
    const error = firstError(rule(nested(199)));
    expect(error.message).toBe('exceeded max depth limit of 1000');
    expect(error.hint).toContain('about 198 parentheses');
    expect(error.hint).toContain('macros are expanded after parsing');
  });

  it('does not count macros, which are expanded after parsing', () => {
    const macros = Array.from({ length: 300 }, (_, i) => `- macro: m${i}\n  condition: ${i === 0 ? 'evt.type = execve' : `(m${i - 1})`}\n`).join('');
    expect(loadRulesContents([{ name: 'rules.yaml', text: macros + rule('m299') }]).successful).toBe(true);
  });
});

describe('a path that gives no rules file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-paths-'));
  const empty = path.join(dir, 'empty');
  const docs = path.join(dir, 'docs');
  mkdirSync(empty);
  mkdirSync(docs);
  writeFileSync(path.join(docs, 'README.md'), '# not rules\n');

  it('is an error that names it: an empty directory, one without .yaml or .yml files, a glob that matches nothing', () => {
    for (const [p, message] of [
      ['empty/', 'No rules file found in directory empty/'],
      ['docs', 'No rules file found in directory docs'],
      ['none/*.yaml', 'No rules file matches none/*.yaml'],
    ] as const) {
      const loaded = loadRulesFiles([p], { cwd: dir });
      expect(loaded.successful).toBe(false);
      expect(loaded.results).toHaveLength(1);
      expect(loaded.results[0]!.errors[0]).toMatchObject({ code: 'LOAD_ERR_FILE_READ', message });
    }
    expect(loadRulesFiles(['nope.yaml'], { cwd: dir }).results[0]!.errors[0]!.message).toBe('Could not open file nope.yaml for reading');
  });

  it('makes validate and replay say so and exit 1', async () => {
    const validate = await runKestrel(['validate', '-r', 'empty/'], { cwd: dir });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('error LOAD_ERR_FILE_READ: No rules file found in directory empty/');
    expect(validate.stdout).toBe('empty/: Invalid (1 error(s), 0 warning(s))\n');
    const glob = await runKestrel(['validate', '-r', 'none/*.yaml'], { cwd: dir });
    expect(glob.code).toBe(1);
    expect(glob.stderr).toContain('No rules file matches none/*.yaml');
    writeFileSync(path.join(dir, 'c.jsonl'), '{"evt.num":1,"evt.type":"execve"}\n');
    const replay = await runKestrel(['replay', '-r', 'empty/', 'c.jsonl'], { cwd: dir });
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('No rules file found in directory empty/');
  });

  it('reads only the .yaml and .yml files of a directory, as Falco does', () => {
    writeFileSync(path.join(docs, 'rules.yml'), rule('evt.type = execve'));
    const loaded = loadRulesFiles(['docs'], { cwd: dir });
    expect(loaded.successful).toBe(true);
    expect(loaded.results.map((r) => path.basename(r.name))).toEqual(['rules.yml']);
  });
});
