/**
 * Generates the JavaScript of compiled conditions. One generated unit (a "program") holds
 * any number of conditions, written into its `run` function (past a size, as functions of
 * their own). Every sub-condition or field read that occurs more than once in the unit is
 * computed at most once per event (memoised under a per-event generation number), so a
 * macro shared by twenty rules costs one evaluation. Checks are inlined where the value has
 * the expected JavaScript type (`v === "bash"`, `set.has(v)`); anything else takes the
 * check's full test.
 */
import type { Expr } from '../parser/index.js';
import type { CheckPlan, FastPath, ReadPlan } from './checks.js';
import { ExpressionKeys } from './expression-keys.js';
import type { StringOp } from './string-sets.js';

/** Supplies the plan of a leaf check (shared across units, so constants are built once). */
export type PlanOf<E> = (check: Extract<Expr, { kind: 'unary' | 'binary' }>) => CheckPlan<E>;

/** A condition of the unit: its tree, or the constant it was folded to. */
export type UnitCondition = Expr | true;

/**
 * Generation numbers wrap before they leave the small-integer range; on wrap every memo is
 * reset so that a value memoised exactly one cycle earlier can never be taken as current.
 */
const GENERATION_LIMIT = 0x3fffffff;

/** Characters of condition code written into `run` directly (see build). */
const INLINE_BUDGET = 24_000;

/** A generated unit: the function, and the text and references it was made from (for `describe --code`). */
export interface BuiltUnit<F> {
  fn: F;
  /** The body of `function (refs) { ... }` that returns `fn`. */
  source: string;
  /** The values the source names `r0`, `r1`, ... (rules, constant sets, full tests, accessors). */
  refs: readonly unknown[];
  /** What each reference is for, by index (the check it serves). */
  labels: readonly string[];
}

export class UnitGenerator<E> {
  private readonly refs: unknown[] = [];
  private readonly labels: string[] = [];
  private readonly refNames = new Map<unknown, string>();
  private readonly keys = new ExpressionKeys();
  private readonly counts = new Map<string, number>();
  private readonly readCounts = new Map<string, number>();
  private readonly memoNames = new Map<string, string>();
  private readonly readMemoNames = new Map<string, string>();
  /** Declarations at unit level: memo state and memo functions. */
  private readonly declarations: string[] = [];
  private readonly memoStates: string[] = [];

  constructor(
    private readonly planOf: PlanOf<E>,
    private readonly stringSets: (patterns: { op: StringOp; text: string }[]) => (v: string) => boolean,
  ) {}

  /**
   * Builds the unit: `body` receives an expression per condition (its code, a call such as
   * `c3(e)`, or `true` for constant conditions) and returns the statements of the exported
   * function `run(e, m)`; `G` is the generation, already advanced when the body runs.
   * Conditions at the `shared` indices are memoised when they occur elsewhere too.
   */
  build<F>(conditions: readonly UnitCondition[], body: (conditionCalls: string[]) => string, shared: ReadonlySet<number> = NONE): BuiltUnit<F> {
    for (const c of conditions) if (c !== true) this.count(c);
    // Conditions are written into `run` itself (a call per rule costs as much as a cheap
    // rule), up to a size past which V8 would no longer optimise `run`; the rest become
    // functions of their own.
    let inlined = 0;
    const calls = conditions.map((c, i) => {
      if (c === true) return 'true';
      // A condition the body tests for several rules is memoised like any repeated part.
      const code = this.gen(c, !shared.has(i));
      if (inlined + code.length <= INLINE_BUDGET) {
        inlined += code.length;
        return code;
      }
      this.declarations.push(`function c${i}(e) {\n  let v;\n  return ${code};\n}`);
      return `c${i}(e)`;
    });
    const statements = body(calls);
    const names = this.refs.map((_, i) => `r${i}`);
    const reset = this.memoStates.map((s) => `${s} = -1;`).join(' ');
    const source = [
      names.length ? `const [${names.join(', ')}] = refs;` : '',
      'let G = 0;',
      ...this.declarations,
      `return function run(e, m) {`,
      '  let v;',
      `  if (++G === ${GENERATION_LIMIT}) { G = 1; ${reset} }`,
      statements,
      `};`,
    ].join('\n');
    // The text is kept (one string per unit, made anyway) so that it can be shown as run.
    return { fn: new Function('refs', source)(this.refs) as F, source, refs: this.refs, labels: this.labels };
  }

  /** A unit-level name for a value the generated code uses (sets, tests, accessors, rules); `label` says what for. */
  ref(value: unknown, label = ''): string {
    let name = this.refNames.get(value);
    if (name === undefined) {
      name = `r${this.refs.length}`;
      this.refs.push(value);
      this.labels.push(label);
      this.refNames.set(value, name);
    }
    return name;
  }

  private key(expr: Expr): string {
    return this.keys.of(expr);
  }

  /** Counts occurrences of sub-conditions and field reads; a repeated sub-condition's insides count once. */
  private count(expr: Expr): void {
    const k = this.key(expr);
    const n = this.counts.get(k) ?? 0;
    this.counts.set(k, n + 1);
    if (n > 0) return;
    switch (expr.kind) {
      case 'and':
      case 'or':
        for (const c of expr.children) this.count(c);
        return;
      case 'not':
        this.count(expr.child);
        return;
      case 'unary':
      case 'binary': {
        const plan = this.planOf(expr);
        if (plan.kind !== 'predicate' && plan.read.kind === 'call' && plan.read.key !== undefined) {
          this.readCounts.set(plan.read.key, (this.readCounts.get(plan.read.key) ?? 0) + 1);
        }
        return;
      }
      case 'identifier':
        throw new Error(`unresolved macro '${expr.name}'`);
    }
  }

  /** Code for `expr`; `top` is the condition itself (memoising it would not pay). */
  private gen(expr: Expr, top = false): string {
    const k = this.key(expr);
    if (!top && (this.counts.get(k) ?? 0) > 1) return this.memo(k, expr);
    return this.inner(expr);
  }

  private inner(expr: Expr): string {
    switch (expr.kind) {
      case 'and':
        return `(${expr.children.map((c) => this.gen(c)).join(' && ')})`;
      case 'or':
        return `(${this.alternatives(expr.children).join(' || ')})`;
      case 'not':
        return `!${this.gen(expr.child)}`;
      case 'unary':
      case 'binary':
        return this.check(this.planOf(expr), this.key(expr));
      case 'identifier':
        throw new Error(`unresolved macro '${expr.name}'`);
    }
  }

  /**
   * The code of an `or`'s children, where string comparisons of one value (equal, prefix,
   * suffix, substring) are tested together (see string-sets.ts). Checks have no side effects,
   * so a group may stand where its first member stood.
   */
  private alternatives(children: readonly Expr[]): string[] {
    const groups = new Map<string, { plans: Extract<CheckPlan<E>, { kind: 'value' }>[]; texts: string[]; at: number }>();
    const out: (string | undefined)[] = [];
    for (const child of children) {
      const plan = child.kind === 'binary' ? this.planOf(child) : undefined;
      const op = plan?.kind === 'value' && plan.fast?.jsType === 'string' ? STRING_SET_OPS[plan.fast.op] : undefined;
      const key = plan?.kind === 'value' ? readKey(plan.read) : undefined;
      if (plan?.kind !== 'value' || op === undefined || key === undefined) {
        out.push(this.gen(child));
        continue;
      }
      const group = groups.get(key);
      if (group) {
        group.plans.push(plan);
        group.texts.push(this.key(child));
      } else {
        groups.set(key, { plans: [plan], texts: [this.key(child)], at: out.length });
        out.push(undefined);
      }
    }
    for (const { plans, texts, at } of groups.values()) out[at] = plans.length === 1 ? this.check(plans[0]!, texts[0]!) : this.stringSet(plans, texts);
    return out as string[];
  }

  private stringSet(plans: Extract<CheckPlan<E>, { kind: 'value' }>[], texts: string[]): string {
    const patterns = plans.map((p) => ({ op: STRING_SET_OPS[p.fast!.op]!, text: p.fast!.constant as string }));
    const test = this.stringSets(patterns);
    const full = plans.map((p, i) => this.fullTest(p, texts[i]!)).join(' || ');
    const label = `string-set test of ${texts.map((t) => `\`${t}\``).join(' or ')}`;
    return `((v = ${this.read(plans[0]!.read, texts[0]!)}) != null && (typeof v === "string" ? ${this.ref(test, label)}(v) : (${full})))`;
  }

  /** A sub-condition computed once per event: `(g3 === G ? b3 : (g3 = G, b3 = m3(e)))`. */
  private memo(k: string, expr: Expr): string {
    let name = this.memoNames.get(k);
    if (name === undefined) {
      name = `${this.memoNames.size}`;
      this.memoNames.set(k, name);
      this.memoStates.push(`g${name}`);
      this.declarations.push(`let g${name} = -1, b${name} = false;`);
      this.declarations.push(`function m${name}(e) {\n  let v;\n  return ${this.inner(expr)};\n}`);
    }
    return `(g${name} === G ? b${name} : (g${name} = G, b${name} = m${name}(e)))`;
  }

  /**
   * Counts a read the body makes outside the conditions (a gate's), so that it is computed
   * once per event with the conditions' reads of the same value. Call before `build`.
   */
  noteRead(plan: ReadPlan<E>): void {
    if (plan.kind === 'call' && plan.key !== undefined) this.readCounts.set(plan.key, (this.readCounts.get(plan.key) ?? 0) + 1);
  }

  /** The expression reading a value in generated code (memoised when read more than once). */
  read(plan: ReadPlan<E>, text = ''): string {
    if (plan.kind === 'property') return `e[${JSON.stringify(plan.key)}]`;
    const call = `${this.ref(plan.read, plan.key !== undefined ? `read of ${plan.key}` : `read of the operand of \`${text}\``)}(e)`;
    if (plan.key === undefined || (this.readCounts.get(plan.key) ?? 0) < 2) return call;
    let name = this.readMemoNames.get(plan.key);
    if (name === undefined) {
      name = `${this.readMemoNames.size}`;
      this.readMemoNames.set(plan.key, name);
      this.memoStates.push(`h${name}`);
      this.declarations.push(`let h${name} = -1, w${name};`);
    }
    return `(h${name} === G ? w${name} : (h${name} = G, w${name} = ${call}))`;
  }

  /**
   * The call of a check's full test on `v`. A source may declare that a property holds a
   * number rounded from a longer integer while the full test compares exactly: for such
   * reads the test is wrapped (once per plan) to read those numbers again through the accessor.
   */
  private fullTest(plan: Extract<CheckPlan<E>, { kind: 'value' }>, text: string): string {
    const read = plan.read;
    const label = `full test of \`${text}\` (any shape of value)`;
    if (read.kind !== 'property' || read.read.propertyMayRound !== true) return `${this.ref(plan.test, label)}(v)`;
    let exact = exactTests.get(plan.test);
    if (exact === undefined) {
      const test = plan.test;
      const accessor = read.read;
      exact = (v, e) => test(typeof v === 'number' && !Number.isSafeInteger(v) ? accessor(e) : v);
      exactTests.set(plan.test, exact);
    }
    return `${this.ref(exact, label)}(v, e)`;
  }

  /** Code for one check; `text` is the check as written, to label what the code refers to. */
  private check(plan: CheckPlan<E>, text: string): string {
    switch (plan.kind) {
      case 'predicate':
        return `${this.ref(plan.predicate, `test of \`${text}\``)}(e)`;
      case 'exists':
        return `(${this.read(plan.read, text)} != null)`;
      case 'value': {
        const full = this.fullTest(plan, text);
        const test = plan.fast ? `(typeof v === "${plan.fast.jsType}" ? ${this.fast(plan.fast, text)} : ${full})` : full;
        return `((v = ${this.read(plan.read, text)}) != null && ${test})`;
      }
    }
  }

  private fast(f: FastPath, text: string): string {
    const constant = f.constant instanceof Set ? this.ref(f.constant, `constants of \`${text}\``) : literal(f.constant as string | number | boolean);
    switch (f.op) {
      case 'has':
        return `${constant}.has(v)`;
      case 'includes':
      case 'startsWith':
      case 'endsWith':
        return `v.${f.op}(${constant})`;
      default:
        return `v ${f.op} ${constant}`;
    }
  }
}

const NONE: ReadonlySet<number> = new Set();

/** Full tests wrapped to re-read rounded numbers exactly, by test (one per plan). */
const exactTests = new WeakMap<(value: unknown) => boolean, (value: unknown, event: never) => boolean>();

/** Fast-path operations that a string set can take over. */
const STRING_SET_OPS: Partial<Record<FastPath['op'], StringOp>> = { '===': 'equals', startsWith: 'prefix', endsWith: 'suffix', includes: 'contains' };

/** Identifies what a read reads, for grouping checks of one value; undefined when unknown. */
export function readKey<E>(read: ReadPlan<E>): string | undefined {
  if (read.kind === 'property') return `property ${read.key}`;
  return read.key === undefined ? undefined : `field ${read.key}`;
}

function literal(value: string | number | boolean): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return JSON.stringify(value);
}
