/**
 * kestrel's zod rendering of event-generator's JSON schemas against the schemas themselves
 * (read from ../shared): the samples are valid under both, and random mutations of them
 * are accepted or rejected alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateDescription } from '../../../src/testing/event-generator/schema.js';
import { instantiateTemplates } from '../../../src/testing/event-generator/templates.js';
import { parseYaml } from '../../../src/testing/event-generator/yaml-tree.js';
import { EVENT_GENERATOR_DIR, loadSchemas, validate } from '../../helpers/json-schema.js';

const SAMPLES_DIR = `${EVENT_GENERATOR_DIR}samples/`;
const sampleFiles = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.yaml'));
const schemas = loadSchemas();
const root = schemas.get('description.schema.json')!;

function documents(): { file: string; raw: unknown; concrete: unknown }[] {
  return sampleFiles.map((file) => {
    const { value } = parseYaml(readFileSync(SAMPLES_DIR + file, 'utf8'));
    const raw = structuredClone(value);
    const result = instantiateTemplates(structuredClone(value) as Record<string, unknown>);
    if ('error' in result) throw new Error(`${file}: ${result.error.message}`);
    return { file, raw, concrete: { tests: result.tests.map((t) => t.value) } };
  });
}

describe('event-generator schemas in zod', () => {
  it('every sample is valid under the JSON schemas and under zod, before and after instantiation', () => {
    expect(sampleFiles.length).toBeGreaterThanOrEqual(9);
    for (const { file, raw, concrete } of documents()) {
      for (const doc of [raw, concrete]) {
        expect(validate(schemas, root, doc), file).toEqual([]);
        expect(validateDescription(doc), file).toEqual([]);
      }
    }
  });

  // Mutations are applied to one test at a time: what the schemas say about a test does not depend on the others.
  // One test per shape: tests that differ only in plain values meet the same schema branches.
  const shape = (t: unknown) =>
    JSON.stringify(t, (key, v: unknown) => (['type', 'subtype', 'syscall', 'strategy'].includes(key) || typeof v === 'object' ? v : typeof v));
  // The samples predate what NEWER_FORMAT adds; one test in the style of Falco's suites carries it.
  const newer = {
    name: 'gated',
    runner: 'HostRunner',
    runIf: { arch: { op: 'ne', val: 'arm64' } },
    context: { container: null },
    resources: [{ type: 'process', name: 'p', fileLess: true }],
    steps: [{ type: 'syscall', name: 's', syscall: 'openat', args: { pathname: '/etc/shadow', flags: 'O_RDONLY' } }],
  };
  const tests = [
    ...new Map(
      [
        ...documents()
          .flatMap((d) => [d.raw, d.concrete])
          .flatMap((d) => (d as { tests: unknown[] }).tests),
        newer,
      ].map((t) => [shape(t), t]),
    ).values(),
  ];
  const JUNK: unknown[] = [
    null,
    '',
    'x',
    -1,
    0,
    1.5,
    true,
    [],
    [1],
    {},
    { a: 'b' },
    { a: '' },
    '${a.b}',
    '${x}',
    'HostRunner',
    'unix',
    'file',
    'pipe',
    'process',
    'fd',
    'syscall',
    'openat2',
    'kill',
    'sendto',
    'matrix',
    'eq',
    'ne',
    'arm64',
    { op: 'eq', val: 'amd64' },
  ];
  /** Every property name the schemas know, plus x-metadata. */
  const KEYS = [...new Set([...schemas.values()].flatMap((s) => propertyNames(s)))];
  const agree = (test: unknown) => {
    const doc = { tests: [test] };
    const json = validate(schemas, root, doc).length === 0;
    const zod = validateDescription(doc).length === 0;
    if (zod !== json) expect.fail(`zod says ${zod ? 'valid' : 'invalid'}, the JSON schemas say ${json ? 'valid' : 'invalid'}: ${JSON.stringify(test)}`);
    return json;
  };

  it('accepts and rejects every single-value mutation of the samples as the JSON schemas do', () => {
    expect(KEYS).toContain('x-metadata');
    let accepted = 0;
    let rejected = 0;
    for (const test of tests) {
      const count = containers(test).length;
      for (let target = 0; target < count; target++) {
        const container = containers(test)[target]!;
        const keys = Object.keys(container);
        const actions = [
          ...keys.flatMap((key) => [{ key, action: 'delete', value: undefined as unknown }, ...JUNK.map((value) => ({ key, action: 'replace', value }))]),
          ...(Array.isArray(container)
            ? JUNK.map((value) => ({ key: '', action: 'add', value }))
            : KEYS.filter((key) => !(key in container)).flatMap((key) => ['x', 1].map((value) => ({ key, action: 'add', value })))),
        ];
        for (const a of actions) {
          const copy = structuredClone(test);
          apply(containers(copy)[target]!, a.action, a.key, a.value);
          if (agree(copy)) accepted++;
          else rejected++;
        }
      }
    }
    // Both verdicts occur often, so agreement means something.
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('accepts and rejects random combined mutations as the JSON schemas do', () => {
    const mutation = fc.record({
      target: fc.nat(10_000),
      action: fc.constantFrom('delete', 'replace', 'add'),
      value: fc.constantFrom(...JUNK),
      key: fc.constantFrom(...KEYS),
    });
    fc.assert(
      fc.property(fc.nat(tests.length - 1), fc.array(mutation, { minLength: 2, maxLength: 4 }), (index, mutations) => {
        const test = structuredClone(tests[index]);
        for (const m of mutations) {
          const all = containers(test);
          const container = all[m.target % all.length]!;
          const keys = Object.keys(container);
          apply(container, m.action, m.action === 'add' || keys.length === 0 ? m.key : keys[m.target % keys.length]!, m.value);
        }
        agree(test);
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts what Falco's suites need beyond the shared schemas, and nothing the shared schemas reject otherwise", () => {
    const shared = loadSchemas({ newerFormat: false });
    const sharedRoot = shared.get('description.schema.json')!;
    expect(validate(shared, sharedRoot, { tests: [newer] })).not.toEqual([]);
    expect(validateDescription({ tests: [newer] })).toEqual([]);
    // A runIf kestrel cannot evaluate is an error, not a test run everywhere.
    expect(validateDescription({ tests: [{ ...newer, runIf: { kernel: '6.1' } }] })).toEqual([
      { path: ['tests', 0, 'runIf'], message: "missing property 'arch'" },
      { path: ['tests', 0, 'runIf'], message: "additionalProperties 'kernel' not allowed (runIf supports arch: {op: eq|ne, val})" },
    ]);
  });

  it("reports a violation at the offending node, in the validator's words", () => {
    const doc = { tests: [{ name: 'n', runner: 'HostRunner', resources: [{ type: 'clientServer', name: 'cs', l4Proto: 'tcp5', address: '' }] }] };
    expect(validateDescription(doc)).toEqual([
      { path: ['tests', 0, 'resources', 0, 'l4Proto'], message: "value must be one of 'udp4', 'udp6', 'tcp4', 'tcp6', 'unix'" },
    ]);
    expect(validateDescription({ tests: [{ runner: 'HostRunner' }] })).toEqual([{ path: ['tests', 0], message: "missing property 'name'" }]);
  });
});

/** Every container in the document, depth first. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (typeof value === 'object' && value !== null) {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}

function apply(container: Record<string, unknown> | unknown[], action: string, key: string, value?: unknown): void {
  if (Array.isArray(container)) {
    if (action === 'add' || !/^\d+$/.test(key)) container.push(structuredClone(value));
    else if (action === 'delete') container.splice(Number(key), 1);
    else container[Number(key)] = structuredClone(value);
  } else if (action === 'delete') {
    delete container[key];
  } else {
    container[key] = structuredClone(value);
  }
}

function propertyNames(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const own = Object.keys(((schema as Record<string, unknown>)['properties'] ?? {}) as object);
  return [...own, ...Object.values(schema).flatMap((v) => propertyNames(v))];
}
