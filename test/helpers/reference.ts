/**
 * A deliberately plain evaluator for differential tests of the generated programs: it walks
 * the condition tree for every rule and event, reads every field through the source's
 * accessor, and applies each check's full test. No specialisation to the event type, no
 * shared work, no inlined fast paths.
 */
import { CheckPlanner } from '../../src/evaluator/checks.js';
import { eventCodes } from '../../src/fields/events.js';
import type { FieldCatalogue } from '../../src/fields/catalogue.js';
import type { EventSource } from '../../src/fields/source.js';
import type { Expr } from '../../src/parser/index.js';
import type { CompiledRule } from '../../src/rules/model.js';

export class ReferenceEvaluator<E> {
  private readonly planner: CheckPlanner<E>;

  constructor(
    private readonly source: EventSource<E>,
    catalogue: FieldCatalogue,
  ) {
    this.planner = new CheckPlanner(source, catalogue);
  }

  holds(expr: Expr, event: E): boolean {
    switch (expr.kind) {
      case 'and':
        return expr.children.every((c) => this.holds(c, event));
      case 'or':
        return expr.children.some((c) => this.holds(c, event));
      case 'not':
        return !this.holds(expr.child, event);
      case 'identifier':
        throw new Error(`unresolved macro ${expr.name}`);
      default: {
        const plan = this.planner.plan(expr);
        if (plan.kind === 'predicate') return plan.predicate(event);
        const read = plan.read.kind === 'call' ? plan.read.read : accessorOf(plan.read.key);
        const value = read(event as never);
        if (value === undefined) return false;
        return plan.kind === 'exists' ? true : plan.test(value);
      }
    }
  }

  /** Names of the rules `event` fires: candidates by event type, in order, first or all. */
  fired(rules: readonly CompiledRule[], event: E, first: boolean): string[] {
    const type = this.source.eventType(event);
    const codes = type === undefined ? [] : eventCodes(type);
    const out: string[] = [];
    for (const rule of rules) {
      if (!rule.enabled) continue;
      if (!rule.eventTypes.all && !codes.some((c) => rule.eventTypes.codes.has(c))) continue;
      if (this.holds(rule.condition, event)) {
        out.push(rule.name);
        if (first) break;
      }
    }
    return out;
  }
}

function accessorOf(key: string): (e: Record<string, unknown>) => unknown {
  return (e) => e[key] ?? undefined;
}
