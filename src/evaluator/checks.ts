/**
 * Plans for single checks (`field op value`, `field exists`), made once per distinct check:
 * how the field is read, the full test of a value (every type and shape), and where it
 * helps, a fast path for the common shape of value that generated code can inline.
 */
import type { FieldCatalogue, FieldType } from '../fields/catalogue.js';
import { comparedType } from '../fields/raw-args.js';
import type { EventSource, FieldAccessor, FieldValue } from '../fields/source.js';
import { canonicalConstant } from '../operators/constants.js';
import { AddressCache } from '../operators/matchers.js';
import { type FastPath, listComparison, modifierTest, operatorSpec, scalarComparison } from '../operators/registry.js';
import { type TransformerInput, transformerSpec } from '../operators/transformers.js';
import { asString, typeClass, type ValueTest } from '../operators/values.js';
import type { BinaryCheckExpr, Operand, TransformerExpr, UnaryCheckExpr } from '../parser/index.js';

export type { FastPath };

export type Predicate<E> = (event: E) => boolean;

/** How generated code obtains an operand's value for an event. */
export type ReadPlan<E> =
  /**
   * `event[key]`, null or undefined meaning NA. Where the source says so
   * (`read.propertyMayRound`), a number that is not a safe integer may be a rounded copy of
   * a longer integer: `read` (the accessor) gives the exact value.
   */
  | { kind: 'property'; key: string; read: FieldAccessor<E> }
  /** A call; `key` names the value so that repeated reads of one event can share it. */
  | { kind: 'call'; read: FieldAccessor<E>; key?: string };

export type CheckPlan<E> =
  | { kind: 'value'; read: ReadPlan<E>; field?: string; test: (value: unknown) => boolean; fast?: FastPath }
  | { kind: 'exists'; read: ReadPlan<E>; field?: string }
  | { kind: 'predicate'; predicate: Predicate<E> };

export interface CompiledOperand<E> {
  read: FieldAccessor<E>;
  /** The field's name when the operand is a plain field (no transformer). */
  field?: string;
  /** The catalogue key of a plain field (name with its argument). */
  key?: string;
  type: FieldType;
  /** A list field: `in` needs every value in the set, `intersects` any. */
  isList: boolean;
}

/** Fields that stand for both ends of a connection (libsinsp's filter-only fd fields). */
const CONNECTION_ENDS = new Set(['fd.ip', 'fd.port', 'fd.proto', 'fd.net']);

export class CheckPlanner<E> {
  /** Parsed addresses for this planner's IP checks (owned here: engines share nothing). */
  private readonly addresses = new AddressCache();

  constructor(
    private readonly source: EventSource<E>,
    private readonly catalogue: FieldCatalogue,
  ) {}

  plan(expr: BinaryCheckExpr | UnaryCheckExpr): CheckPlan<E> {
    const left = this.operand(expr.left);
    const read = readPlan(left);
    if (expr.kind === 'unary') return { kind: 'exists', read, ...(left.field ? { field: left.field } : {}) };
    const cls = typeClass(left.type);
    const op = expr.operator;
    const spec = operatorSpec(op);
    if (spec === undefined) throw new Error(`unknown operator '${op}'`);
    const right = expr.right;
    if (right.kind === 'transformer') return { kind: 'predicate', predicate: this.valueComparison(left, op, right) };
    if (right.kind === 'list_ref') throw new Error(`undefined list '${right.name}'`);
    // numbers as libsinsp stores them for the field's type (sign, width, port names)
    const items = (right.kind === 'list' ? right.items.map((i) => i.value) : [right.value]).map((i) => canonicalConstant(i, left.type));
    let test: ValueTest;
    // `in` on a list field needs every value of the field in the set.
    let every = left.isList && op === 'in';
    let fast: FastPath | undefined;
    if (expr.modifier) {
      test = modifierTest(
        expr.modifier,
        items.map((i) => scalarComparison(op, cls, i, this.addresses)),
      );
    } else {
      test = spec.rhs === 'list' ? listComparison(op, cls, items, this.addresses) : scalarComparison(op, cls, items[0] ?? '', this.addresses);
      if (!every) fast = spec.fast?.(cls, items);
    }
    // fd.ip, fd.port, fd.proto and fd.net read both ends of a connection: `!=` holds only when
    // neither end equals (sinsp_filter_check_fd::compare_ip, compare_port, compare_net).
    if (op === '!=' && !expr.modifier && left.field !== undefined && CONNECTION_ENDS.has(left.field)) every = true;
    // NA never reaches the test; arrays (multi-valued reads) match when any value does, or every value for `in` on list fields.
    const arrays = every ? everyValue(test) : anyValue(test);
    const full = (v: unknown) => (Array.isArray(v) ? arrays(v) : test(v));
    return { kind: 'value', read, test: full, ...(fast ? { fast } : {}), ...(left.field ? { field: left.field } : {}) };
  }

  /** `field op val(other)` or `field op transformer(...)`: compare with another value of the same event. */
  private valueComparison(left: CompiledOperand<E>, op: string, right: TransformerExpr): Predicate<E> {
    const cls = typeClass(left.type);
    const other = this.operand(right);
    // Against one value, a list operator is an equality.
    const single = operatorSpec(op)?.rhs === 'list' && op !== 'pmatch' ? '=' : op;
    return (e) => {
      const a = left.read(e);
      const b = other.read(e);
      if (a === undefined || b === undefined) return false;
      const s = scalarOf(b);
      if (s === undefined) return false;
      let test: ValueTest;
      try {
        test = scalarComparison(single, cls, s, this.addresses);
      } catch {
        return false;
      }
      return Array.isArray(a) ? a.some(test) : test(a);
    };
  }

  /**
   * How to read an operand (a field or a transformer expression) of an event: conditions and
   * outputs (`%tolower(proc.name)`) read through this one path.
   */
  operand(node: Operand): CompiledOperand<E> {
    if (node.kind === 'field') {
      const lookup = this.catalogue.resolve(node.name, node.arg);
      if (!lookup.ok) throw new Error(lookup.message);
      const { def, key } = lookup.field;
      return { read: this.source.accessor(lookup.field), field: def.name, key, type: comparedType(lookup.field), isList: def.flags.has('is_list') };
    }
    return this.transformer(node);
  }

  private transformer(node: TransformerExpr): CompiledOperand<E> {
    const spec = transformerSpec(node.name);
    if (spec === undefined) throw new Error(`unknown transformer '${node.name}'`);
    const args: TransformerInput<E>[] = node.args.map((a) => {
      if (a.kind === 'value') {
        const v = a.value;
        return { read: () => v, type: 'charbuf' as FieldType, isList: false };
      }
      if (a.kind === 'transformer_list') {
        const parts = a.items.map((i) => (i.kind === 'value' ? () => i.value : this.operand(i).read));
        return { read: (e: E) => parts.map((p) => p(e)).filter((v) => v !== undefined), type: 'charbuf' as FieldType, isList: true };
      }
      return this.operand(a);
    });
    const built = spec.build(args, node.arg);
    return { read: built.read as FieldAccessor<E>, type: built.type, isList: built.isList };
  }
}

function readPlan<E>(operand: CompiledOperand<E>): ReadPlan<E> {
  if (operand.read.property !== undefined) return { kind: 'property', key: operand.read.property, read: operand.read };
  return operand.key !== undefined ? { kind: 'call', read: operand.read, key: operand.key } : { kind: 'call', read: operand.read };
}

function scalarOf(v: FieldValue): string | undefined {
  return Array.isArray(v) ? asString(v[0]) : asString(v);
}

function anyValue(test: ValueTest): (values: readonly unknown[]) => boolean {
  return (values) => {
    for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
    return false;
  };
}

function everyValue(test: ValueTest): (values: readonly unknown[]) => boolean {
  return (values) => {
    for (let i = 0; i < values.length; i++) if (!test(values[i])) return false;
    return true;
  };
}
