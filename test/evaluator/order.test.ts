/**
 * Evaluation order: children of `and`/`or` are tried cheap and decisive first. The results
 * never change (the engine differential checks that over the upstream rules); these cases
 * pin the order itself.
 */
import { describe, expect, it } from 'vitest';
import { CheckPlanner } from '../../src/evaluator/checks.js';
import { Occurrences, orderByCost } from '../../src/evaluator/order.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { type Expr, parseCondition, printCondition } from '../../src/parser/index.js';
import { FlatEventSource } from '../../src/sources/jsonl/flat-source.js';

const planner = new CheckPlanner(new FlatEventSource(), FieldCatalogue.syscall());
const plan = (c: Parameters<CheckPlanner<unknown>['plan']>[0]) => planner.plan(c);

function parse(condition: string): Expr {
  const parsed = parseCondition(condition);
  if (!parsed.ok) throw new Error(condition);
  return parsed.ast;
}

const order = (condition: string, occurrences?: Occurrences) => printCondition(orderByCost(parse(condition), plan, occurrences));

describe('evaluation order', () => {
  it('tries a cheap selecting check before a substring search', () => {
    expect(order('proc.cmdline contains foo and proc.name = bash')).toBe('proc.name = bash and proc.cmdline contains foo');
    expect(order('fd.name regex ".*x" and fd.name glob "/proc/*/environ" and proc.name in (a, b)')).toBe(
      'proc.name in (a, b) and fd.name glob /proc/*/environ and fd.name regex .*x',
    );
  });

  it('leaves exceptions after the checks that select', () => {
    expect(order('not proc.name in (a, b) and fd.name startswith /etc')).toBe('fd.name startswith /etc and not proc.name in (a, b)');
  });

  it('in an or, tries first what is likely to hold', () => {
    expect(order('proc.cmdline contains x or proc.name != y')).toBe('proc.name != y or proc.cmdline contains x');
  });

  it('keeps the written order between equals', () => {
    // An accessor call (proc.pname falls back to the ancestry array) costs more than a property.
    expect(order('proc.pname = a and proc.name = b')).toBe('proc.name = b and proc.pname = a');
    const expr = parse('proc.name = a and user.name = b and fd.name = c');
    expect(orderByCost(expr, plan)).toBe(expr);
  });

  it('counts a sub-condition shared by many rules at the cost of looking it up', () => {
    const shared = '(proc.cmdline contains a and proc.exe contains b)';
    const rule = `fd.name contains z and ${shared}`;
    // Alone, the two searches cost more than the one beside them; shared by ten rules they cost a lookup.
    expect(order(rule)).toBe(`fd.name contains z and ${shared}`);
    const occurrences = new Occurrences(Array.from({ length: 10 }, () => parse(rule)));
    expect(order(rule, occurrences)).toBe(`${shared} and fd.name contains z`);
  });
});
