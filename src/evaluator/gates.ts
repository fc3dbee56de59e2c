/**
 * Gates: many rules of one event type can only hold for a few values of one field
 * (`proc.name in (nc, ncat)`, `proc.name = sudo or proc.name = sudoedit`). For the field most
 * rules depend on, one lookup of the event's value gives every such rule's verdict "cannot
 * hold", and those rules are skipped without being evaluated. Rules that do not depend on
 * the field, and events whose value is not a string, are evaluated as usual.
 */
import type { BinaryCheckExpr, Expr, UnaryCheckExpr } from '../parser/index.js';
import type { CheckPlan, ReadPlan } from './checks.js';
import { readKey } from './codegen.js';

type Plan<E> = (check: BinaryCheckExpr | UnaryCheckExpr) => CheckPlan<E>;

export interface Gate<E> {
  /** How the gated field's value is read (a property or a source's accessor). */
  read: ReadPlan<E>;
  /** For each value some gated rule allows: per rule, 1 when the rule may hold with it. */
  allowed: Map<string, Uint8Array>;
  /** Used for values no gated rule allows: every gated rule is skipped. */
  none: Uint8Array;
  /** Per rule: whether the gate decides it. */
  gated: boolean[];
}

/** Fewer rules than this depending on one field do not pay for the lookup. */
const MIN_GATED_RULES = 3;

/** The gate over `conditions` (in program order), or undefined when no field is worth one. */
export function buildGate<E>(conditions: readonly (Expr | true)[], plan: Plan<E>): Gate<E> | undefined {
  const reads = new Map<string, ReadPlan<E>>();
  const needs = conditions.map((c) => (c === true ? new Map<string, Set<string>>() : necessaryValues(c, plan, reads)));
  const counts = new Map<string, number>();
  for (const n of needs) for (const property of n.keys()) counts.set(property, (counts.get(property) ?? 0) + 1);
  let best: string | undefined;
  for (const [property, count] of counts) if (count >= MIN_GATED_RULES && (best === undefined || count > counts.get(best)!)) best = property;
  if (best === undefined) return undefined;
  const allowed = new Map<string, Uint8Array>();
  needs.forEach((n, i) => {
    for (const value of n.get(best!) ?? []) {
      let row = allowed.get(value);
      if (!row) allowed.set(value, (row = new Uint8Array(conditions.length)));
      row[i] = 1;
    }
  });
  return { read: reads.get(best)!, allowed, none: new Uint8Array(conditions.length), gated: needs.map((n) => n.has(best!)) };
}

/**
 * For each read (by its key: a property or a named field), the string values it must have
 * for `expr` to hold (when its value is a string at all): `F = v` and `F in (…)` give their
 * constants; `and` any child's (the fewest); `or` the union when every child has one;
 * anything else nothing. `reads` collects the read plan of each key.
 */
function necessaryValues<E>(expr: Expr, plan: Plan<E>, reads: Map<string, ReadPlan<E>>): Map<string, Set<string>> {
  switch (expr.kind) {
    case 'binary': {
      const p = plan(expr);
      const key = p.kind === 'value' ? readKey(p.read) : undefined;
      if (p.kind !== 'value' || key === undefined || p.fast?.jsType !== 'string' || expr.modifier) return new Map();
      reads.set(key, p.read);
      if (p.fast.op === '===') return new Map([[key, new Set([p.fast.constant as string])]]);
      if (p.fast.op === 'has') return new Map([[key, p.fast.constant as Set<string>]]);
      return new Map();
    }
    case 'and': {
      const out = new Map<string, Set<string>>();
      for (const child of expr.children) {
        for (const [property, values] of necessaryValues(child, plan, reads)) {
          const known = out.get(property);
          if (!known || values.size < known.size) out.set(property, values);
        }
      }
      return out;
    }
    case 'or': {
      const [first, ...rest] = expr.children.map((c) => necessaryValues(c, plan, reads));
      const out = new Map<string, Set<string>>();
      for (const [property, values] of first ?? []) {
        if (rest.every((r) => r.has(property))) out.set(property, new Set([values, ...rest.map((r) => r.get(property)!)].flatMap((s) => [...s])));
      }
      return out;
    }
    default:
      return new Map();
  }
}
