/**
 * Rule groups: consecutive rules that start with the same check are tried under one test of
 * it. The grouping itself is pinned here, and a program built from rules chosen to group
 * (and not to) must match exactly what each rule's condition says, in rule order, with
 * first and all matching.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByFirstCheck } from '../../src/evaluator/groups.js';
import { ProgramBuilder } from '../../src/evaluator/program-builder.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { type Expr, parseCondition, printCondition } from '../../src/parser/index.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';
import { ReferenceEvaluator } from '../helpers/reference.js';

function parse(condition: string): Expr {
  const parsed = parseCondition(condition);
  if (!parsed.ok) throw new Error(condition);
  return parsed.ast;
}

const catalogue = FieldCatalogue.syscall();
const source = new FlatEventSource();

describe('rule groups', () => {
  it('groups runs of consecutive rules by their first check', () => {
    const conditions = ['proc.name = a and fd.name = x', 'proc.name = a and fd.name = y', 'fd.name = z', 'proc.name = a and user.name = u'].map(parse);
    const groups = groupByFirstCheck(conditions);
    expect(groups.map((g) => g.members)).toEqual([[0, 1], [2], [3]]);
    expect(printCondition(groups[0]!.head!)).toBe('proc.name = a');
    expect(groups[0]!.rests.map((r) => (r === true ? 'true' : printCondition(r)))).toEqual(['fd.name = x', 'fd.name = y']);
    expect(groups[1]!.head).toBeUndefined();
  });

  it('keeps the remaining checks of longer conditions together', () => {
    const groups = groupByFirstCheck(['proc.name = a and fd.name = x and user.name = u', 'proc.name = a and evt.num = 4'].map(parse));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.rests.map((r) => (r === true ? 'true' : printCondition(r)))).toEqual(['fd.name = x and user.name = u', 'evt.num = 4']);
  });

  it('does not group rules that start differently or stand apart', () => {
    const groups = groupByFirstCheck(['proc.name = a or fd.name = x', 'proc.name = a or fd.name = y', 'proc.name = b and fd.name = x'].map(parse));
    expect(groups.every((g) => g.head === undefined)).toBe(true);
  });

  it('matches what each rule says, in order, with first and all matching', () => {
    const texts = [
      'proc.name = a and fd.name = x',
      'proc.name = a and fd.name startswith /e',
      'proc.name = a and not user.name = root',
      'fd.name = x',
      'proc.name = a and user.name = root and fd.name = y',
      'proc.name = a and user.name = root and fd.name = x',
      'proc.name = b and fd.name = x',
      'proc.name = b and fd.name exists',
    ];
    const rules = texts.map((text, index) => ({ condition: parse(text), value: index }));
    const compiler = new ProgramBuilder(source, catalogue);
    const first = compiler.compileProgram(rules, { first: true }).run;
    const all = compiler.compileProgram(rules, { first: false }).run;
    const reference = new ReferenceEvaluator(source, catalogue);
    const event = fc.record(
      {
        'evt.type': fc.constant('openat'),
        'proc.name': fc.constantFrom('a', 'b', 'c'),
        'fd.name': fc.constantFrom('x', 'y', '/etc/passwd', 'z'),
        'user.name': fc.constantFrom('root', 'bob'),
      },
      { requiredKeys: ['evt.type'] },
    );
    fc.assert(
      fc.property(event, (e: FlatEvent) => {
        const expected = rules.filter((r) => reference.holds(r.condition, e)).map((r) => r.value);
        const gotAll: number[] = [];
        all(e, gotAll);
        expect(gotAll).toEqual(expected);
        const gotFirst: number[] = [];
        first(e, gotFirst);
        expect(gotFirst).toEqual(expected.slice(0, 1));
      }),
      { numRuns: 300 },
    );
  });
});
