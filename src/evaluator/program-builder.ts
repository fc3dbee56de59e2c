/**
 * Compiles expanded conditions into JavaScript, once: a single condition into a predicate,
 * or the rules that can match one event type into a program that tries them in order.
 * A check on a field with no value (NA) is false, so its negation is true.
 */
import type { FieldCatalogue } from '../fields/catalogue.js';
import type { EventSource } from '../fields/source.js';
import { type BinaryCheckExpr, type Expr, printCondition, type UnaryCheckExpr } from '../parser/index.js';
import { type CheckPlan, CheckPlanner, type Predicate } from './checks.js';
import { type UnitCondition, UnitGenerator } from './codegen.js';
import { buildGate } from './gates.js';
import { groupByFirstCheck } from './groups.js';
import { Occurrences, orderByCost } from './order.js';
import { specialize } from './specialize.js';
import { type StringOp, stringSetTest } from './string-sets.js';

export type { Predicate };

/**
 * Tries rules on one event and appends the values of those that match to `matched`
 * (only the first, with `first` matching).
 */
export type Program<E, T> = (event: E, matched: T[]) => void;

export interface ProgramOptions {
  /** The type of every event the program will see: checks on `evt.type` are decided at compile time. */
  eventType?: string;
  /** Stop at the first rule that matches (Falco's default `rule_matching: first`). */
  first: boolean;
}

export interface CompiledProgram<E, T> {
  run: Program<E, T>;
  /** The values of the rules the program can match (those not folded to false), in order. */
  values: T[];
  /** The generated JavaScript: the body of `function (refs) { ... }` returning `run`. */
  source: string;
  /** What the source names `r0`, `r1`, ...: the rule values among them, and the tests and sets it calls. */
  refs: readonly unknown[];
  /** What each reference is for (empty for rule values, which the caller knows). */
  labels: readonly string[];
}

/** The source of the program of no rules. */
const EMPTY_SOURCE = 'return function run(e, m) {};';

export class ProgramBuilder<E> {
  private readonly planner: CheckPlanner<E>;
  /** Plans by check text: a check shared by many rules and programs is planned once. */
  private readonly plans = new Map<string, CheckPlan<E>>();
  private readonly stringSets = new Map<string, (v: string) => boolean>();
  private readonly programs = new Map<string, CompiledProgram<E, unknown>>();
  private readonly valueIds = new Map<unknown, number>();

  constructor(source: EventSource<E>, catalogue: FieldCatalogue) {
    this.planner = new CheckPlanner(source, catalogue);
  }

  /** A predicate for one condition. */
  compile(expr: Expr): Predicate<E> {
    return this.generator().build<Predicate<E>>([orderByCost(expr, this.planOf)], ([call]) => `  return ${call};`).fn;
  }

  /**
   * A program trying `rules` in order. With a known event type the conditions are first
   * specialised to it; rules whose condition then cannot hold are left out.
   */
  compileProgram<T>(rules: readonly { condition: Expr; value: T }[], options: ProgramOptions): CompiledProgram<E, T> {
    const specialisedRules: { condition: Expr | true; value: T }[] = [];
    // The same rules with the same decisions specialise to the same program: types that
    // decide alike (open, openat, openat2) share one. The key lists rules and decisions.
    let key = `${options.first}`;
    for (const rule of rules) {
      let decisions = '';
      const decide = (c: BinaryCheckExpr | UnaryCheckExpr) => {
        const d = this.decide(c, options.eventType!);
        decisions += d === undefined ? '?' : d ? '1' : '0';
        return d;
      };
      const condition = options.eventType === undefined ? rule.condition : specialize(rule.condition, decide);
      if (condition === false) continue;
      specialisedRules.push({ condition, value: rule.value });
      key += ` ${this.valueId(rule.value)}:${decisions}`;
    }
    const occurrences = new Occurrences(specialisedRules.flatMap((r) => (r.condition === true ? [] : [r.condition])));
    const kept: { condition: UnitCondition; value: T }[] = specialisedRules.map((r) => ({
      condition: r.condition === true ? true : orderByCost(r.condition, this.planOf, occurrences),
      value: r.value,
    }));
    const values = kept.map((k) => k.value);
    if (kept.length === 0) return { run: () => {}, values, source: EMPTY_SOURCE, refs: [], labels: [] };
    const cached = this.programs.get(key) as CompiledProgram<E, T> | undefined;
    if (cached) return cached;
    const generator = this.generator();
    const conditions = kept.map((k) => k.condition);
    const gate = buildGate(conditions, (check) => this.plan(check));
    if (gate) generator.noteRead(gate.read);
    // The unit's conditions: each group's shared head, then its members' remaining parts.
    const groups = groupByFirstCheck(conditions);
    const unit: UnitCondition[] = [];
    const heads = new Set<number>();
    for (const group of groups) {
      if (group.head) {
        heads.add(unit.length);
        unit.push(group.head);
      }
      unit.push(...group.rests);
    }
    const built = generator.build<Program<E, T>>(
      unit,
      (calls) => {
        const lines: string[] = [];
        if (gate) {
          lines.push(
            `  const g = ${generator.read(gate.read)};`,
            `  const gate = typeof g === "string" ? (${generator.ref(gate.allowed, 'gate: by the value of one field, which rules can match')}.get(g) ?? ${generator.ref(gate.none, 'gate: no rule needing a listed value')}) : null;`,
          );
        }
        let next = 0;
        for (const group of groups) {
          const indent = group.head ? '    ' : '  ';
          if (group.head) lines.push(`  if (${calls[next++]}) {`);
          for (const i of group.members) {
            const call = calls[next++]!;
            const test = gate?.gated[i] ? `(gate === null || gate[${i}] === 1) && ${call}` : call;
            lines.push(`${indent}if (${test}) { m.push(${generator.ref(values[i])});${options.first ? ' return;' : ''} }`);
          }
          if (group.head) lines.push('  }');
        }
        return lines.join('\n');
      },
      heads,
    );
    const compiled = { run: built.fn, values, source: built.source, refs: built.refs, labels: built.labels };
    this.programs.set(key, compiled as unknown as CompiledProgram<E, unknown>);
    return compiled;
  }

  /** A number per rule value, for program cache keys. */
  private valueId(value: unknown): number {
    let id = this.valueIds.get(value);
    if (id === undefined) this.valueIds.set(value, (id = this.valueIds.size));
    return id;
  }

  private generator(): UnitGenerator<E> {
    return new UnitGenerator<E>(
      (check) => this.plan(check),
      (patterns) => this.stringSet(patterns),
    );
  }

  /** String-set tests by their constants: the same group in many programs is generated once. */
  private stringSet(patterns: { op: StringOp; text: string }[]): (v: string) => boolean {
    const key = JSON.stringify(patterns);
    let test = this.stringSets.get(key);
    if (test === undefined) {
      test = stringSetTest(patterns);
      this.stringSets.set(key, test);
    }
    return test;
  }

  private readonly planOf = (check: BinaryCheckExpr | UnaryCheckExpr): CheckPlan<E> => this.plan(check);

  private plan(check: BinaryCheckExpr | UnaryCheckExpr): CheckPlan<E> {
    const key = printCondition(check);
    let plan = this.plans.get(key);
    if (plan === undefined) {
      plan = this.planner.plan(check);
      this.plans.set(key, plan);
    }
    return plan;
  }

  /** A check on `evt.type` itself is decided by the event type; any other check waits for the event. */
  private decide(check: BinaryCheckExpr | UnaryCheckExpr, eventType: string): boolean | undefined {
    if (check.left.kind !== 'field' || check.left.name !== 'evt.type' || check.left.arg !== undefined) return undefined;
    const plan = this.plan(check);
    if (plan.kind === 'exists') return true;
    if (plan.kind === 'value') return plan.test(eventType);
    return undefined;
  }
}
