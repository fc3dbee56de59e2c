/**
 * Cheap and decisive first: the children of every `and` and `or` are tried in the order that
 * minimises their expected cost, estimated from each check's cost and the chance that it
 * decides (an `and` is decided by a false child, an `or` by a true one): a substring search
 * or a regular expression runs only when cheap checks beside it did not already decide, and
 * exceptions (`not ...`, rarely false) come after the checks that select. Checks have no
 * side effects and NA makes a check false wherever it stands, so the order never changes a
 * result (libsinsp, too, stops at any child that decides). Ties keep the written order.
 */

import { operatorSpec } from '../operators/registry.js';
import type { BinaryCheckExpr, Expr, UnaryCheckExpr } from '../parser/index.js';
import type { CheckPlan } from './checks.js';
import { ExpressionKeys } from './expression-keys.js';

type Plan<E> = (check: BinaryCheckExpr | UnaryCheckExpr) => CheckPlan<E>;

/** Relative costs, measured as orders of magnitude rather than nanoseconds. */
const COST = {
  /** A property read and an inlined comparison or set lookup. */
  inline: 1,
  /** An accessor call (ancestry, spellings, derived fields). */
  call: 3,
  /** startsWith/endsWith, star globs, IP tests: a builtin call over a few characters. */
  affix: 3,
  /** A substring search, a regular expression, a transformer. */
  search: 10,
} as const;

/**
 * Counts of sub-conditions across the conditions of one program, by their text: a
 * sub-condition that occurs n times is computed once per event (see codegen.ts), so each
 * occurrence costs a share of it.
 */
export class Occurrences {
  private readonly keys = new ExpressionKeys();
  private readonly counts = new Map<string, number>();

  constructor(conditions: readonly Expr[]) {
    for (const c of conditions) this.add(c);
  }

  of(expr: Expr): number {
    return this.counts.get(this.key(expr)) ?? 1;
  }

  private add(expr: Expr): void {
    const k = this.key(expr);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (expr.kind === 'and' || expr.kind === 'or') for (const c of expr.children) this.add(c);
    else if (expr.kind === 'not') this.add(expr.child);
  }

  private key(expr: Expr): string {
    return this.keys.of(expr);
  }
}

export function orderByCost<E>(expr: Expr, plan: Plan<E>, occurrences?: Occurrences): Expr {
  return ordered(expr, plan, new Map(), occurrences).expr;
}

interface Costed {
  expr: Expr;
  /** Expected cost of evaluating the node. */
  cost: number;
  /** Estimated chance that the node holds. */
  p: number;
}

/**
 * Chances that a check holds, by kind: selecting checks (equality, membership, prefixes,
 * searches) rarely hold, inequalities nearly always, the rest either way.
 */
const CHANCE = { selects: 0.1, either: 0.5, excludes: 0.9 } as const;

function ordered<E>(expr: Expr, plan: Plan<E>, memo: Map<Expr, Costed>, occurrences: Occurrences | undefined): Costed {
  const known = memo.get(expr);
  if (known) return known;
  const result = orderedOnce(expr, plan, memo, occurrences);
  // Shared sub-conditions are computed once per event for all their occurrences; looking up
  // the result still costs as much as an inline check.
  if (occurrences && expr.kind !== 'unary' && expr.kind !== 'binary') result.cost = Math.max(COST.inline, result.cost / occurrences.of(expr));
  memo.set(expr, result);
  return result;
}

function orderedOnce<E>(expr: Expr, plan: Plan<E>, memo: Map<Expr, Costed>, occurrences: Occurrences | undefined): Costed {
  let result: Costed;
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const isAnd = expr.kind === 'and';
      const children = expr.children.map((c, i) => ({ ...ordered(c, plan, memo, occurrences), i }));
      // Optimal for independent children: ascending cost per chance of deciding.
      const rank = (c: Costed) => c.cost / Math.max(1e-6, isAnd ? 1 - c.p : c.p);
      const sorted = [...children].sort((a, b) => rank(a) - rank(b) || a.i - b.i);
      let cost = 0;
      let reach = 1;
      for (const c of sorted) {
        cost += reach * c.cost;
        reach *= isAnd ? c.p : 1 - c.p;
      }
      const same = sorted.every((c, i) => c.expr === expr.children[i]);
      result = { expr: same ? expr : { ...expr, children: sorted.map((c) => c.expr) }, cost, p: isAnd ? reach : 1 - reach };
      break;
    }
    case 'not': {
      const child = ordered(expr.child, plan, memo, occurrences);
      result = { expr: child.expr === expr.child ? expr : { ...expr, child: child.expr }, cost: child.cost, p: 1 - child.p };
      break;
    }
    case 'unary':
    case 'binary':
      result = { expr, cost: checkCost(expr, plan(expr)), p: chance(expr) };
      break;
    case 'identifier':
      result = { expr, cost: COST.inline, p: CHANCE.either };
  }
  return result;
}

function checkCost<E>(expr: BinaryCheckExpr | UnaryCheckExpr, p: CheckPlan<E>): number {
  if (p.kind === 'predicate') return COST.search;
  const read = p.read.kind === 'property' ? 0 : COST.call;
  if (p.kind === 'exists' || expr.kind === 'unary') return COST.inline + read;
  const cost = operatorSpec(expr.operator)?.cost ?? 'search';
  if (cost === 'search' || expr.modifier) return COST.search + read;
  if (cost === 'pattern') return (hasOnlyStars(expr) ? COST.affix : COST.search) + read;
  if (p.fast && p.fast.op !== 'includes') return COST.inline + read;
  return COST.affix + read;
}

function chance(expr: BinaryCheckExpr | UnaryCheckExpr): number {
  if (expr.kind === 'unary') return CHANCE.either;
  switch (operatorSpec(expr.operator)?.chance) {
    case 'excludes':
      return CHANCE.excludes;
    case 'either':
      return CHANCE.either;
    default:
      // `= true` and `= false` split events rather than select a few.
      return expr.right.kind === 'value' && (expr.right.value === 'true' || expr.right.value === 'false') ? CHANCE.either : CHANCE.selects;
  }
}

function hasOnlyStars(expr: BinaryCheckExpr | UnaryCheckExpr): boolean {
  return expr.kind === 'binary' && expr.right.kind === 'value' && !/[?[\\]/.test(expr.right.value);
}
