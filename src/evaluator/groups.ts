/**
 * Rules that follow one another in a program and begin with the same check (after
 * ordering, typically a macro such as `open_write` or `spawned_process`) are tried under
 * one test of that check: when it fails, the whole run of rules is skipped at once
 * instead of each rule rejecting the event on its own. Rule order is unchanged.
 */
import { type Expr, printCondition } from '../parser/index.js';
import type { UnitCondition } from './codegen.js';

export interface RuleGroup {
  /** The shared first check, or undefined for a rule tried on its own. */
  head?: Expr;
  /** Indices of the rules in the program, in order. */
  members: number[];
  /** Each member's condition without the head (true when nothing else remains). */
  rests: UnitCondition[];
}

/** Runs of at least `minimum` consecutive rules whose `and` starts with the same check. */
export function groupByFirstCheck(conditions: readonly UnitCondition[], minimum = 2): RuleGroup[] {
  const firstKeys = conditions.map((c) => (c !== true && c.kind === 'and' ? printCondition(c.children[0]!) : undefined));
  const groups: RuleGroup[] = [];
  for (let i = 0; i < conditions.length; ) {
    const key = firstKeys[i];
    let j = i + 1;
    if (key !== undefined) while (j < conditions.length && firstKeys[j] === key) j++;
    if (key === undefined || j - i < minimum) {
      groups.push({ members: [i], rests: [conditions[i]!] });
      i++;
      continue;
    }
    const run = conditions.slice(i, j) as AndExpr[];
    groups.push({ head: run[0]!.children[0]!, members: run.map((_, k) => i + k), rests: run.map(withoutFirst) });
    i = j;
  }
  return groups;
}

type AndExpr = Extract<Expr, { kind: 'and' }>;

function withoutFirst(and: AndExpr): UnitCondition {
  const rest = and.children.slice(1);
  if (rest.length === 0) return true;
  if (rest.length === 1) return rest[0]!;
  return { ...and, children: rest };
}
