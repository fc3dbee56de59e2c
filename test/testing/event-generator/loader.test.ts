/**
 * The event-generator suite loader: every upstream sample loads (expectations derived from
 * the sample text by an independent reading), and each loader check is shown by a small
 * bad description with its code, event-generator's message and the position.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type EgLoadResult, isEventGeneratorSuite, loadSuite, loadSuiteFiles } from '../../../src/testing/event-generator/index.js';
import { EVENT_GENERATOR_DIR } from '../../helpers/json-schema.js';

const SAMPLES_DIR = `${EVENT_GENERATOR_DIR}samples/`;
const samples = readdirSync(SAMPLES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ file: f, text: readFileSync(SAMPLES_DIR + f, 'utf8') }));

type Raw = Record<string, unknown>;

/** The concrete tests a template stands for, computed independently of the loader. */
function expectedCases(template: Raw): Raw[] {
  const specs = template['cases'] as { strategy: string; values: Record<string, unknown> }[] | undefined;
  if (!specs) return [];
  return specs.flatMap((spec) => {
    if (spec.strategy === 'vector') return [spec.values];
    // Cartesian product, first key varying fastest.
    let out: Raw[] = [{}];
    for (const [key, list] of Object.entries(spec.values)) {
      out = (list as unknown[]).flatMap((v) => out.map((o) => ({ ...o, [key]: v })));
    }
    return out;
  });
}

function substitute(value: unknown, item: Raw): unknown {
  if (typeof value === 'string') {
    const m = /^\s*%\{\s*item\.(\S+?)\s*\}\s*$/.exec(value);
    return m ? item[m[1]!] : value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, item));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, item)]));
  return value;
}

function load(text: string, options = {}): EgLoadResult {
  return loadSuite(text, 'suite.yaml', options);
}

/** The one error of a bad description. */
function error(text: string, options = {}) {
  const result = load(text, options);
  expect(result.tests).toEqual([]);
  expect(result.errors).toHaveLength(1);
  return result.errors[0]!;
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`'${needle}' not in the text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('event-generator samples', () => {
  it.each(samples)('$file loads into the tests its text describes', ({ file, text }) => {
    const result = loadSuite(text, file, { requireRule: false });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    // goccy/go-yaml reads a leading 0 as octal: written in YAML 1.2's octal syntax for this reading.
    const raw = (parse(text.replace(/: 0([0-7]+)$/gm, ': 0o$1')) as { tests: Raw[] }).tests;
    type Expected = { test: Raw; name: string; sourceIndex: number; testCase: Raw | undefined };
    const expected = raw.flatMap((t, sourceIndex): Expected[] => {
      const cases = expectedCases(t);
      if (!('cases' in t)) return [{ test: t, name: String(t['name']), sourceIndex, testCase: undefined }];
      const { cases: _, ...template } = t;
      void _;
      return cases.map((c, i) => ({ test: substitute(template, c) as Raw, name: `${String(t['name'])}_testCase#${i}`, sourceIndex, testCase: c }));
    });
    expect(result.tests.map((t) => t.name)).toEqual(expected.map((e) => e.name));
    result.tests.forEach((test, i) => {
      const { test: want, sourceIndex, testCase } = expected[i]!;
      expect(test.sourceIndex).toBe(sourceIndex);
      expect(test.testCase).toEqual(testCase);
      expect(test.line).toBe(at(text, `- name: ${String(raw[sourceIndex]!['name'])}`).line);
      expect(test.rule).toBe(want['rule']);
      expect(test.description).toBe(want['description']);
      expect(test.before).toBe(want['before']);
      expect(test.after).toBe(want['after']);
      expect(test.expectedOutcome).toEqual(want['expectedOutcome']);
      const context = (want['context'] ?? {}) as Raw;
      expect(test.context.container).toEqual(context['container']);
      expect(test.context.processes).toEqual(context['processes'] ?? (context['container'] ? [] : [{}]));
      const resources = (want['resources'] ?? []) as Raw[];
      expect(test.resources).toEqual(resources);
      const steps = (want['steps'] ?? []) as Raw[];
      expect(test.steps.map((s) => [s.name, s.syscall])).toEqual(steps.map((s) => [s['name'], s['syscall']]));
      test.steps.forEach((step, j) => {
        const args = steps[j]!['args'] as Raw;
        const flat = Object.entries(args).flatMap(([k, v]) =>
          v && typeof v === 'object' ? Object.entries(v).map(([kk, vv]) => [`${k}.${kk}`, vv]) : [[k, v]],
        );
        const bound = flat.filter(([, v]) => typeof v === 'string' && v.startsWith('${'));
        expect(step.bindings.map((b) => [b.localField, `\${${b.srcName}.${b.srcField}}`])).toEqual(bound);
        for (const b of step.bindings) {
          const resourceIndex = resources.findIndex((r) => r['name'] === b.srcName);
          const source =
            resourceIndex >= 0 ? { kind: 'resource', index: resourceIndex } : { kind: 'step', index: steps.findIndex((s) => s['name'] === b.srcName) };
          expect(b.source).toEqual(source);
          expect(b.fieldType).toBeDefined();
          if (b.source.kind === 'step') expect(b.source.index).toBeLessThan(j);
        }
        // What is left are the literal arguments, typed.
        for (const [k, v] of flat.filter(([, v]) => !(typeof v === 'string' && v.startsWith('${')))) {
          const [outer, inner] = (k as string).split('.');
          expect(inner ? (step.args[outer!] as Raw)[inner] : step.args[outer!]).toEqual(v);
        }
      });
    });
  });

  it('reads a leading 0 as octal and typed placeholders keep their type (resources_fd, templates)', () => {
    const fd = loadSuite(samples.find((s) => s.file === 'resources_fd.yaml')!.text, 'resources_fd.yaml', { requireRule: false });
    expect(fd.tests.find((t) => t.name === 'test_resources_fd_directory')!.steps[0]!.args['mode']).toBe(0o644);
    const templates = loadSuite(samples.find((s) => s.file === 'templates.yaml')!.text, 'templates.yaml', { requireRule: false });
    expect(templates.tests.map((t) => [t.name, t.steps[0]!.args['buffer']])).toEqual([
      ['test_templates_testCase#0', 'hello'],
      ['test_templates_testCase#1', 'one'],
      ['test_templates_testCase#2', 'two'],
      ['test_templates_testCase#3', 'three'],
    ]);
  });

  it('every sample is told apart from kestrel test files', () => {
    for (const { text } of samples) expect(isEventGeneratorSuite(text)).toBe(true);
    const kestrelDir = new URL('../../rule-tests/', import.meta.url);
    const kestrelFiles = readdirSync(kestrelDir).filter((f) => f.endsWith('.kestrel-test.yaml'));
    expect(kestrelFiles.length).toBeGreaterThan(0);
    for (const f of kestrelFiles) expect(isEventGeneratorSuite(readFileSync(new URL(f, kestrelDir), 'utf8')), f).toBe(false);
    expect(isEventGeneratorSuite('tests:\n  - name: a\n    rule: R\n    events: []\n    expect: { fires: true }\n')).toBe(false);
    expect(isEventGeneratorSuite('- rule: R\n  condition: evt.type=open\n')).toBe(false);
    expect(isEventGeneratorSuite('tests:\n  - name: a\n    runner: HostRunner\n    runIf: %{ item.x }\n')).toBe(true);
  });
});

const HEADER = 'tests:\n  - name: t\n    rule: R\n    runner: HostRunner\n';

describe('templates', () => {
  const template = `tests:
  - name: tpl
    rule: R
    runner: HostRunner
    resources:
      - type: clientServer
        name: cs1
        l4Proto: %{ item.proto }
        address: "%{item.address}"
    steps:
      - type: syscall
        name: d1
        syscall: dup2
        args:
          oldFd: "\${cs1.client.fd}"
          newFd: %{ item.newFd }
    expectedOutcome:
      outputFields:
        fd.name: "fd %{ item.newFd } stays as written"
    cases:
      - strategy: vector
        values: { newFd: 0, proto: tcp4, address: "10.0.0.1:4000" }
      - strategy: matrix
        values:
          newFd: [11, 12, 13]
          proto: [tcp4, udp4]
          address: ["10.0.0.1:4000"]
`;

  it('instantiates vector and matrix cases in order, typed whole placeholders, partial ones left as written', () => {
    const result = load(template);
    expect(result.errors).toEqual([]);
    expect(result.tests.map((t) => t.name)).toEqual(Array.from({ length: 7 }, (_, i) => `tpl_testCase#${i}`));
    // Matrix: the first key varies fastest.
    expect(result.tests.map((t) => [t.steps[0]!.args['newFd'], (t.resources[0] as { l4Proto: string }).l4Proto])).toEqual([
      [0, 'tcp4'],
      [11, 'tcp4'],
      [12, 'tcp4'],
      [13, 'tcp4'],
      [11, 'udp4'],
      [12, 'udp4'],
      [13, 'udp4'],
    ]);
    expect(result.tests[4]!.testCase).toEqual({ newFd: 11, proto: 'udp4', address: '10.0.0.1:4000' });
    expect(result.tests.every((t) => t.rule === 'R' && t.sourceIndex === 0)).toBe(true);
    expect(result.tests[1]!.expectedOutcome).toEqual({ outputFields: { 'fd.name': 'fd %{ item.newFd } stays as written' } });
    expect(result.tests[1]!.steps[0]!.bindings).toEqual([
      { localField: 'oldFd', srcName: 'cs1', srcField: 'client.fd', source: { kind: 'resource', index: 0 }, fieldType: 'fd' },
    ]);
  });

  it('reads unquoted placeholders on indented lines (as goccy/go-yaml does), not at column 1', () => {
    expect(load(`${HEADER}    description: %{ item.d }\n    cases:\n      - strategy: vector\n        values: { d: hello }\n`).tests[0]!.description).toBe(
      'hello',
    );
    const text = `tests:\n- name: %{ item.n }\n  runner: HostRunner\n`;
    const e = error(text);
    expect(e.code).toBe('EG_YAML_PARSE');
    expect(e).toMatchObject(at(text, '%{'));
  });

  it('a template whose cases are null yields no tests (then `tests` is empty)', () => {
    const text = `${HEADER}    cases:\n`;
    const e = error(text);
    expect(e.code).toBe('EG_SCHEMA');
    expect(e.message).toBe("error validating YAML description: at '/tests': minItems: got 0, want 1");
  });

  it('rejects a placeholder with no value in the case, at the placeholder', () => {
    const text = `${HEADER}    description: "%{ item.missing }"\n    cases:\n      - strategy: vector\n        values: { other: 1 }\n`;
    const e = error(text);
    expect(e.code).toBe('EG_TEMPLATE');
    expect(e.message).toBe(
      "error instantiating test templates: error instantiating test template: error filling test template with test case values map[other:1]: error filling template on key description's value: template parameter %{ item.missing } doesn't match any provided value key",
    );
    expect(e).toMatchObject(at(text, '"%{ item.missing }"'));
  });

  it('rejects an unknown strategy, a matrix value that is not a list, heterogeneous keys', () => {
    let text = `${HEADER}    cases:\n      - strategy: zip\n        values: { a: 1 }\n`;
    let e = error(text);
    expect(e.code).toBe('EG_TEMPLATE');
    expect(e.message).toBe(
      `error instantiating test templates: error parsing test case specs for test at index 0: error decoding: '[0].strategy': unknown test case strategy "zip"`,
    );
    expect(e).toMatchObject(at(text, 'zip'));

    text = `${HEADER}    cases:\n      - strategy: matrix\n        values: { a: [1], b: 2 }\n`;
    e = error(text);
    expect(e.message).toBe(
      'error instantiating test templates: error parsing test case specs for test at index 0: error generating combinations for test case matrix spec at index 0: value for key "b" is not a list',
    );
    expect(e).toMatchObject(at(text, '2 }'));

    text = `${HEADER}    cases:\n      - strategy: vector\n        values: { a: 1, b: 2 }\n      - strategy: vector\n        values: { a: 1 }\n`;
    e = error(text);
    expect(e.message).toBe(
      'error instantiating test templates: error parsing test case specs for test at index 0: test cases specify heterogeneous set of keys',
    );
  });

  it('points a schema error in a substituted value at the case value', () => {
    const text = `${HEADER}    resources:\n      - type: clientServer\n        name: cs\n        l4Proto: "%{ item.p }"\n        address: ""\n    cases:\n      - strategy: matrix\n        values: { p: [tcp4, tcp5] }\n`;
    const result = load(text);
    expect(result.errors).toEqual([
      {
        severity: 'error',
        code: 'EG_SCHEMA',
        message: "error validating YAML description: at '/tests/1/resources/0/l4Proto': value must be one of 'udp4', 'udp6', 'tcp4', 'tcp6', 'unix'",
        file: 'suite.yaml',
        ...at(text, 'tcp5'),
      },
    ]);
  });
});

describe('document shape', () => {
  it('rejects bad YAML, a document that is not a mapping, no tests, tests not a list, a test not a mapping', () => {
    let text = 'tests:\n  - name: [a\n';
    expect(error(text).code).toBe('EG_YAML_PARSE');
    text = '- a\n- b\n';
    expect(error(text)).toMatchObject({ code: 'EG_YAML_DECODE', line: 1, column: 1 });
    expect(error('other: 1\n')).toMatchObject({ code: 'EG_TEMPLATE', message: 'error instantiating test templates: no tests found' });
    expect(error('')).toMatchObject({ code: 'EG_TEMPLATE', message: 'error instantiating test templates: no tests found' });
    expect(error('tests: 3\n')).toMatchObject({
      code: 'EG_TEMPLATE',
      message: 'error instantiating test templates: unexpected tests type: must be a list',
      ...at('tests: 3\n', '3'),
    });
    text = 'tests:\n  - just a string\n';
    expect(error(text)).toMatchObject({ message: 'error instantiating test templates: unexpected test type: must be an object', ...at(text, 'just') });
  });

  it('reports every schema violation at its node', () => {
    const text = `tests:
  - name: t
    rule: R
    runner: GuestRunner
    steps:
      - type: syscall
        name: w
        syscall: write
        args: { fd: -1 }
      - type: syscall
        name: k
        syscall: kill
        x-metadata: {}
        args: { pid: 1, sig: SIGKILL }
  - rule: R
    runner: HostRunner
`;
    const result = load(text);
    expect(result.errors.map((e) => [e.code, e.message, e.line, e.column])).toEqual([
      ['EG_SCHEMA', "error validating YAML description: at '/tests/0/runner': value must be one of 'HostRunner'", ...Object.values(at(text, 'GuestRunner'))],
      ['EG_SCHEMA', "error validating YAML description: at '/tests/0/steps/0/args/fd': minimum: got -1, want 0", ...Object.values(at(text, '-1'))],
      ['EG_SCHEMA', "error validating YAML description: at '/tests/0/steps/1/args/pid': got integer, want string", ...Object.values(at(text, '1, sig'))],
      ['EG_SCHEMA', "error validating YAML description: at '/tests/0/steps/1/x-metadata': 'not' failed", ...Object.values(at(text, '{}'))],
      ['EG_SCHEMA', "error validating YAML description: at '/tests/1': missing property 'name'", ...Object.values(at(text, 'rule: R', 1))],
    ]);
  });
});

describe('test checks', () => {
  it('resource and step names are unique within a test', () => {
    const text = `${HEADER}    resources:\n      - { type: fd, name: x, subtype: pipe }\n    steps:\n      - { type: syscall, name: x, syscall: dup, args: { oldFd: 1 } }\n`;
    const e = error(text);
    expect(e).toMatchObject({
      code: 'EG_NAME_NOT_UNIQUE',
      message:
        'error validating description: error validating name uniqueness in test "t" (index: 0): test step at index 0 and test resource at index 0 have the same name "x"',
      ...at(text, 'x, syscall'),
    });
  });

  it('capabilities only on the leaf process', () => {
    const ok = `${HEADER}    context:\n      processes:\n        - user: a\n        - capabilities: cap_chown=ep\n`;
    expect(load(ok).errors).toEqual([]);
    const text = `${HEADER}    context:\n      processes:\n        - capabilities: cap_chown=ep\n        - user: b\n`;
    expect(error(text)).toMatchObject({
      code: 'EG_CAPABILITIES_NOT_LEAF',
      message: 'error validating description: error validating test context: process at index 0 specifies capabilities but is not the leaf process',
      ...at(text, 'cap_chown'),
    });
  });

  it('reserved environment variables in the container, a process, a process resource', () => {
    let text = `${HEADER}    context:\n      container:\n        env: { FALCO_EVENT_GENERATOR_TEST_ID: x }\n`;
    expect(error(text)).toMatchObject({
      code: 'EG_RESERVED_ENV',
      message:
        'error validating description: error validating test context: error validating container environment variables: environment variable "FALCO_EVENT_GENERATOR_TEST_ID" is reserved: matches the reserved prefix "FALCO_EVENT_GENERATOR_"',
      ...at(text, 'x }'),
    });
    text = `${HEADER}    context:\n      processes:\n        - env: { A: b }\n        - env: { SUITE: "1" }\n`;
    expect(error(text)).toMatchObject({
      message:
        'error validating description: error validating test context: error validating environment variables of process at index 1: environment variable "SUITE" is reserved',
    });
    text = `${HEADER}    resources:\n      - type: process\n        name: p\n        env: { SUITE: "1" }\n`;
    expect(error(text)).toMatchObject({
      message:
        'error validating description: error validating test resources: error validating environment variables of process resource at index 0: environment variable "SUITE" is reserved',
    });
    expect(load(text, { reservedEnvKeys: [] }).errors).toEqual([]);
  });

  it('a binding names a resource (in any position) or a preceding step', () => {
    const ok = `${HEADER}    steps:\n      - { type: syscall, name: o, syscall: openat, args: { dirFd: "\${d.fd}", pathname: x, flags: O_RDONLY } }\n      - { type: syscall, name: w, syscall: write, args: { fd: "\${ o.ret }" } }\n    resources:\n      - { type: fd, name: d, subtype: directory, dirPath: /tmp }\n`;
    const result = load(ok);
    expect(result.errors).toEqual([]);
    expect(result.tests[0]!.steps.map((s) => s.bindings.map((b) => [b.localField, b.source, b.fieldType]))).toEqual([
      [['dirFd', { kind: 'resource', index: 0 }, 'fd']],
      [['fd', { kind: 'step', index: 0 }, 'fd']],
    ]);
    expect(result.tests[0]!.steps[1]!.args).toEqual({});
    const text = `${HEADER}    steps:\n      - { type: syscall, name: w, syscall: write, args: { fd: "\${o.ret}" } }\n      - { type: syscall, name: o, syscall: open, args: { pathname: x, flags: 0 } }\n`;
    expect(error(text)).toMatchObject({
      code: 'EG_BINDING_UNKNOWN_SOURCE',
      message:
        'error validating description: error validating test steps: error validating step field bindings: error validating step field binding: no resource/preceding step with name "o" found',
      ...at(text, '"${o.ret}"'),
    });
  });

  it('a binding to a field its source does not expose loads, with a warning (event-generator fails it when run)', () => {
    const text = `${HEADER}    resources:\n      - { type: fd, name: p, subtype: pipe }\n    steps:\n      - { type: syscall, name: w, syscall: write, args: { fd: "\${p.fd}" } }\n`;
    const result = load(text);
    expect(result.errors).toEqual([]);
    expect(result.tests).toHaveLength(1);
    expect(result.warnings).toEqual([
      {
        severity: 'warning',
        code: 'EG_BINDING_UNKNOWN_FIELD',
        message: 'test "t", step "w": no resource/preceding step field "p"."fd" found',
        file: 'suite.yaml',
        ...at(text, '"${p.fd}"'),
      },
    ]);
  });
});

describe('suite checks', () => {
  it('a rule is required for `suite test`, not for `suite run`', () => {
    const text = 'tests:\n  - name: a\n    rule: R\n    runner: HostRunner\n  - name: b\n    runner: HostRunner\n';
    expect(error(text)).toMatchObject({ code: 'EG_NO_RULE', message: 'error loading test "b" at index 1: absent or empty rule name', ...at(text, 'name: b') });
    expect(load(text, { requireRule: false }).tests.map((t) => t.name)).toEqual(['a', 'b']);
  });

  it('test names are unique per rule, within and across files', () => {
    const text =
      'tests:\n  - name: a\n    rule: R\n    runner: HostRunner\n  - name: a\n    rule: S\n    runner: HostRunner\n  - name: a\n    rule: R\n    runner: HostRunner\n';
    expect(error(text)).toMatchObject({
      code: 'EG_TEST_NAME_NOT_UNIQUE',
      message: `error validating test suite "R"'s test names uniqueness: test (source: suite.yaml, index: 2) and test (source: suite.yaml, index: 0) have the same name "a"`,
      line: at(text, 'name: a', 2).line,
      column: at(text, 'name: a', 2).column + 'name: '.length,
    });
    const one = 'tests:\n  - name: a\n    rule: R\n    runner: HostRunner\n';
    const [first, second] = loadSuiteFiles([
      { text: one, file: 'one.yaml' },
      { text: one, file: 'two.yaml' },
    ]);
    expect(first!.errors).toEqual([]);
    expect(second!.errors.map((e) => e.message)).toEqual([
      `error validating test suite "R"'s test names uniqueness: test (source: two.yaml, index: 0) and test (source: one.yaml, index: 0) have the same name "a"`,
    ]);
  });
});

describe('YAML streams', () => {
  it("reads the first document of a stream, as goccy/go-yaml's decoder does, but the whole stream must parse", () => {
    const first = `${HEADER}---\ntests: []\n`;
    expect(load(first).tests.map((t) => t.name)).toEqual(['t']);
    const text = `${HEADER}---\ntests: [\n`;
    expect(error(text).code).toBe('EG_YAML_PARSE');
  });
});

describe('robustness and template arithmetic', () => {
  it('never throws: any document gives tests or diagnostics', async () => {
    const { default: fc } = await import('fast-check');
    const { stringify } = await import('yaml');
    const scalar = fc.oneof(
      fc.constantFrom<unknown>(null, '', 'HostRunner', 'syscall', 'fd', 'matrix', 'vector', '%{ item.a }', '${x.y}', '${x}'),
      fc.integer(),
      fc.string(),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom('tests', 'name', 'runner', 'rule', 'cases', 'strategy', 'values', 'a', 'steps', 'resources', 'type', 'args', 'context', 'processes'),
          tie('node'),
          { maxKeys: 4 },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(value, (doc) => {
        const result = load(stringify({ tests: [doc] }));
        expect(result.tests.length > 0 || result.errors.length > 0).toBe(true);
        for (const e of result.errors) expect(e.line).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('a template yields one test per vector spec plus the product of each matrix, named in sequence', async () => {
    const { default: fc } = await import('fast-check');
    const word = fc.constantFrom('p', 'q', 'r s', '0644');
    const spec = fc.oneof(
      fc.record({ strategy: fc.constant('vector'), values: fc.record({ a: word, b: word }) }),
      fc.record({
        strategy: fc.constant('matrix'),
        values: fc.record({ a: fc.array(word, { minLength: 1, maxLength: 3 }), b: fc.array(word, { minLength: 1, maxLength: 3 }) }),
      }),
    );
    const { stringify } = await import('yaml');
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 4 }), (cases) => {
        const doc = { tests: [{ name: 'x', rule: 'R', runner: 'HostRunner', description: '%{ item.a }', cases }] };
        const result = load(stringify(doc));
        const expected = cases.reduce((n, c) => n + (c.strategy === 'vector' ? 1 : (c.values.a as string[]).length * (c.values.b as string[]).length), 0);
        expect(result.errors).toEqual([]);
        expect(result.tests.map((t) => t.name)).toEqual(Array.from({ length: expected }, (_, i) => `x_testCase#${i}`));
        // Each test carries its case, and the placeholder took that case's value.
        expect(result.tests.every((t) => t.description === t.testCase!['a'])).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
