/**
 * The engine's generated programs (specialised per event type, with shared sub-conditions
 * and inlined fast paths) against a plain tree-walking evaluator whose comparisons are
 * written from libsinsp's code and share nothing with compare.ts (so a comparison bug
 * shows; SEED and RUNS in the environment explore further), over the upstream rules
 * and the bundled rules: recorded events, and random variations of them built from the
 * constants the rules compare with (so that checks go both ways), with values of every
 * shape a capture may hold (strings, numbers, numeric text, booleans, arrays, null).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, type RuleMatching } from '../../src/evaluator/engine.js';
import { ProgramBuilder } from '../../src/evaluator/program-builder.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { type Expr, parseCondition, visit } from '../../src/parser/index.js';
import { loadRulesContents, loadRulesFiles } from '../../src/rules/loader.js';
import type { CompiledRule } from '../../src/rules/model.js';
import { eventJson, parseEventLine } from '../../src/sources/jsonl/captures.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';
import { ReferenceEvaluator } from '../helpers/reference.js';
import { UPSTREAM_RULE_FILES } from '../helpers/upstream.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function recordedEvents(): FlatEvent[] {
  const events: FlatEvent[] = [];
  for (const group of ['event-generator', 'labs']) {
    const dir = `${ROOT}captures/${group}/`;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(dir + f, 'utf8')
        .split('\n')
        .filter(Boolean)) {
        const e = parseEventLine(line);
        if (typeof e !== 'string') events.push(e);
      }
    }
  }
  return events;
}

/** Field name (as written in conditions, with argument) → constants the rules compare it with. */
function constantsByField(rules: readonly CompiledRule[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const add = (field: string, value: string) => {
    let set = out.get(field);
    if (!set) out.set(field, (set = new Set()));
    set.add(value);
  };
  for (const rule of rules) {
    visit(rule.condition, {
      enter(node) {
        if ((node.kind !== 'binary' && node.kind !== 'unary') || node.left.kind !== 'field') return;
        const field = node.left.arg === undefined ? node.left.name : `${node.left.name}[${node.left.arg}]`;
        if (node.kind === 'unary') add(field, 'x');
        else if (node.right.kind === 'value') add(field, node.right.value);
        else if (node.right.kind === 'list') for (const item of node.right.items) add(field, item.value);
      },
    });
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/** Values a field may take in a variation: a constant as is, altered, as a number, in an array, or NA. */
function valueArbitrary(constants: string[]): fc.Arbitrary<unknown> {
  const constant = fc.constantFrom(...constants);
  return fc.oneof(
    constant,
    constant,
    constant.map((c) => `${c}/x`),
    constant.map((c) => `x${c}`),
    constant.map((c) => (/^-?[0-9]+$/.test(c) ? Number(c) : c)),
    constant.map((c) => (c === 'true' ? true : c === 'false' ? false : c)),
    fc.array(constant, { minLength: 0, maxLength: 3 }),
    fc.constant(null),
    fc.integer({ min: -1, max: 70000 }),
    fc.string({ maxLength: 6 }),
  );
}

function names(fired: readonly { rule: CompiledRule }[]): string[] {
  return fired.map((r) => r.rule.name);
}

describe('generated programs agree with a plain evaluator', () => {
  const rules = loadRulesFiles([...UPSTREAM_RULE_FILES, `${ROOT}rules/`]).output!.rules;
  const catalogue = FieldCatalogue.syscall();
  const reference = new ReferenceEvaluator(new FlatEventSource(), catalogue);
  const recorded = recordedEvents();
  const constants = constantsByField(rules);
  const eventTypes = constants.get('evt.type') ?? [];

  for (const matching of ['first', 'all'] as RuleMatching[]) {
    it(`on the recorded events (rule_matching: ${matching})`, () => {
      const engine = new Engine(rules, new FlatEventSource(), catalogue, {}, matching);
      let fired = 0;
      for (const event of recorded) {
        const expected = reference.fired(rules, event, matching === 'first');
        expect(names(engine.evaluate(event)), eventJson(event)).toEqual(expected);
        fired += expected.length;
      }
      // Every recording fires at least one rule: a comparison of empty results would prove little.
      expect(fired).toBeGreaterThanOrEqual(20);
    });

    it(`on random variations of them (rule_matching: ${matching})`, () => {
      const engine = new Engine(rules, new FlatEventSource(), catalogue, {}, matching);
      const fields = [...constants.keys()];
      const change = fc.constantFrom(...fields).chain((field) => valueArbitrary(constants.get(field)!).map((value) => [field, value] as const));
      const variation = fc.record({
        base: fc.constantFrom(...recorded),
        type: fc.constantFrom(...eventTypes),
        changes: fc.array(change, { minLength: 1, maxLength: 12 }),
      });
      let fired = 0;
      fc.assert(
        fc.property(variation, ({ base, type, changes }) => {
          const event: FlatEvent = { ...base, 'evt.type': type };
          for (const [field, value] of changes) event[field] = value;
          const expected = reference.fired(rules, event, matching === 'first');
          fired += expected.length;
          expect(names(engine.evaluate(event))).toEqual(expected);
        }),
        { numRuns: Number(process.env.RUNS ?? 3000), seed: Number(process.env.SEED ?? 20261122) },
      );
      expect(fired).toBeGreaterThan(100);
    });
  }

  it('keeps a transformed field apart from the plain field it transforms', () => {
    const compiler = new ProgramBuilder(new FlatEventSource(), catalogue);
    const predicate = compiler.compile(parse('tolower(proc.name) = bash and proc.name = BASH and toupper(proc.name) = BASH'));
    expect(predicate({ 'proc.name': 'BASH' })).toBe(true);
    expect(predicate({ 'proc.name': 'bash' })).toBe(false);
  });
});

function parse(text: string): Expr {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.ast;
}

describe('gates (rules skipped by one lookup of a field they require)', () => {
  const yaml = `
- rule: in list
  desc: d
  condition: evt.type = execve and proc.name in (a, b)
  output: o
  priority: WARNING
- rule: either equal
  desc: d
  condition: evt.type = execve and (proc.name = c or proc.name = d) and user.name != root
  output: o
  priority: WARNING
- rule: each branch names one
  desc: d
  condition: evt.type = execve and ((proc.name = e and proc.pid > 10) or (proc.name in (f) and proc.pid < 10))
  output: o
  priority: WARNING
- rule: negated
  desc: d
  condition: evt.type = execve and not proc.name = g
  output: o
  priority: WARNING
- rule: prefix
  desc: d
  condition: evt.type = execve and proc.name startswith h
  output: o
  priority: WARNING
- rule: one branch has none
  desc: d
  condition: evt.type = execve and (proc.name = i or proc.pid = 7)
  output: o
  priority: WARNING
`;
  const rules = loadRulesContents([{ name: 'gates.yaml', text: yaml }]).output!.rules;
  const catalogue = FieldCatalogue.syscall();
  const reference = new ReferenceEvaluator(new FlatEventSource(), catalogue);
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'hx', 'i', 'z', 'ax'];
  const values: unknown[] = [...names, null, undefined, 5, ['a'], ['z', 'c'], true];

  it('give the same results as evaluating every rule, for every kind of value', () => {
    expect(rules).toHaveLength(6);
    for (const matching of ['first', 'all'] as RuleMatching[]) {
      const engine = new Engine(rules, new FlatEventSource(), catalogue, {}, matching);
      let fired = 0;
      for (const name of values) {
        for (const pid of [3, 7, 20]) {
          for (const user of ['root', 'bob']) {
            const event: FlatEvent = { 'evt.type': 'execve', 'proc.pid': pid, 'user.name': user };
            if (name !== undefined) event['proc.name'] = name;
            const expected = reference.fired(rules, event, matching === 'first');
            expect(
              engine.evaluate(event).map((r) => r.rule.name),
              JSON.stringify(event),
            ).toEqual(expected);
            fired += expected.length;
          }
        }
      }
      expect(fired).toBeGreaterThan(30);
    }
  });
});
