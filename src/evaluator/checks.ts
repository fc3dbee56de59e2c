/**
 * Plans for single checks (`field op value`, `field exists`), made once per distinct check:
 * how the field is read, the full test of a value (every type and shape), and where it
 * helps, a fast path for the common shape of value that generated code can inline.
 */
import type { FieldCatalogue, FieldType } from '../fields/catalogue.js';
import { comparedType } from '../fields/raw-args.js';
import type { EventSource, FieldAccessor, FieldValue } from '../fields/source.js';
import type { BinaryCheckExpr, Operand, TransformerExpr, UnaryCheckExpr } from '../parser/index.js';
import { asString, parseNumberConstant, pathPrefixTest, scalarTest, setTest, typeClass, type ValueTest } from './compare.js';

export type Predicate<E> = (event: E) => boolean;

/** How generated code obtains an operand's value for an event. */
export type ReadPlan<E> =
  /**
   * `event[key]`, null or undefined meaning NA. A number that is not a safe integer may be a
   * rounded copy of a longer integer: `read` (the accessor) gives the exact value.
   */
  | { kind: 'property'; key: string; read: FieldAccessor<E> }
  /** A call; `key` names the value so that repeated reads of one event can share it. */
  | { kind: 'call'; read: FieldAccessor<E>; key?: string };

/**
 * What can be inlined for a value of the expected JavaScript type: `value === constant`,
 * `set.has(value)`, `value.startsWith(constant)`. Other values take the full test. Numeric
 * constants are below 2^53 in magnitude, so a value rounded from a longer integer compares
 * with them as its exact value would.
 */
export interface FastPath {
  jsType: 'string' | 'number' | 'boolean';
  op: '===' | '!==' | '<' | '<=' | '>' | '>=' | 'has' | 'includes' | 'startsWith' | 'endsWith';
  constant: string | number | boolean | ReadonlySet<unknown>;
}

export type CheckPlan<E> =
  | { kind: 'value'; read: ReadPlan<E>; field?: string; test: (value: unknown) => boolean; fast?: FastPath }
  | { kind: 'exists'; read: ReadPlan<E>; field?: string }
  | { kind: 'predicate'; predicate: Predicate<E> };

interface CompiledOperand<E> {
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
    const right = expr.right;
    if (right.kind === 'transformer') return { kind: 'predicate', predicate: this.valueComparison(left, op, right) };
    if (right.kind === 'list_ref') throw new Error(`undefined list '${right.name}'`);
    const items = right.kind === 'list' ? right.items.map((i) => i.value) : [right.value];
    let test: ValueTest;
    let every = false;
    let fast: FastPath | undefined;
    if (expr.modifier) {
      test = modifierTest(expr.modifier, items.map((i) => scalarTest(cls, op, i)));
    } else if (op === 'pmatch') {
      test = pathPrefixTest(items);
    } else if (op === 'in' || op === 'intersects') {
      test = setTest(cls, items);
      every = left.isList && op === 'in';
      if (!every) fast = setFastPath(cls, items);
    } else {
      const constant = items[0] ?? '';
      test = scalarTest(cls, op, constant);
      fast = scalarFastPath(cls, op, constant);
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
    return (e) => {
      const a = left.read(e);
      const b = other.read(e);
      if (a === undefined || b === undefined) return false;
      const s = scalarOf(b);
      if (s === undefined) return false;
      let test: ValueTest;
      try {
        test = scalarTest(cls, op === 'in' || op === 'intersects' ? '=' : op, s);
      } catch {
        return false;
      }
      return Array.isArray(a) ? a.some(test) : test(a);
    };
  }

  private operand(node: Operand): CompiledOperand<E> {
    if (node.kind === 'field') {
      const lookup = this.catalogue.resolve(node.name, node.arg);
      if (!lookup.ok) throw new Error(lookup.message);
      const { def, key } = lookup.field;
      return { read: this.source.accessor(lookup.field), field: def.name, key, type: comparedType(lookup.field), isList: def.flags.has('is_list') };
    }
    return this.transformer(node);
  }

  private transformer(node: TransformerExpr): CompiledOperand<E> {
    const args = node.args.map((a) => {
      if (a.kind === 'value') {
        const v = a.value;
        return { read: (() => v) as FieldAccessor<E>, type: 'charbuf' as FieldType, isList: false };
      }
      if (a.kind === 'transformer_list') {
        const parts = a.items.map((i) => (i.kind === 'value' ? ((() => i.value) as FieldAccessor<E>) : this.operand(i).read));
        const read: FieldAccessor<E> = (e) => parts.map((p) => p(e)).filter((v) => v !== undefined);
        return { read, type: 'charbuf' as FieldType, isList: true };
      }
      return this.operand(a);
    });
    const first = args[0]!;
    const str = (e: E) => scalarString(first.read(e));
    switch (node.name) {
      case 'val':
        return first;
      case 'tolower':
        return { read: (e) => mapStrings(first.read(e), (s) => s.toLowerCase()), type: first.type, isList: first.isList };
      case 'toupper':
        return { read: (e) => mapStrings(first.read(e), (s) => s.toUpperCase()), type: first.type, isList: first.isList };
      case 'b64':
        return { read: (e) => decodeAll(first.read(e)), type: 'charbuf', isList: first.isList };
      case 'basename':
        return { read: (e) => mapStrings(first.read(e), (s) => s.slice(s.lastIndexOf('/') + 1)), type: 'charbuf', isList: first.isList };
      case 'len':
        return {
          read: (e) => {
            const v = first.read(e);
            if (v === undefined) return undefined;
            // A list field's length is its number of values; several values of another field each have theirs.
            if (Array.isArray(v)) return first.isList ? v.length : v.map((x) => (asString(x) ?? '').length);
            return (asString(v) ?? '').length;
          },
          type: 'int64',
          isList: false,
        };
      case 'concat':
        return {
          read: (e) => {
            let out = '';
            for (const a of args) {
              const s = scalarString(a.read(e));
              if (s === undefined) return undefined;
              out += s;
            }
            return out;
          },
          type: 'charbuf',
          isList: false,
        };
      case 'join': {
        const list = args[1];
        return {
          read: (e) => {
            const sep = str(e) ?? '';
            const v = list?.read(e);
            if (v === undefined) return undefined;
            return Array.isArray(v) ? v.map((x) => asString(x) ?? '').join(sep) : asString(v);
          },
          type: 'charbuf',
          isList: false,
        };
      }
      case 'getopt': {
        const option = node.arg;
        return {
          read: (e) => {
            const s = str(e);
            return s === undefined || option === undefined ? undefined : getopt(s, option);
          },
          type: 'charbuf',
          isList: false,
        };
      }
    }
  }
}

function readPlan<E>(operand: CompiledOperand<E>): ReadPlan<E> {
  if (operand.read.property !== undefined) return { kind: 'property', key: operand.read.property, read: operand.read };
  return operand.key !== undefined ? { kind: 'call', read: operand.read, key: operand.key } : { kind: 'call', read: operand.read };
}

/** Inlinable comparisons with one constant, for values already of the constant's JavaScript type. */
function scalarFastPath(cls: string, op: string, constant: string): FastPath | undefined {
  const eq = op === '=' || op === '==' ? '===' : op === '!=' ? '!==' : undefined;
  if (cls === 'string') {
    if (eq) return { jsType: 'string', op: eq, constant };
    if (op === 'contains') return { jsType: 'string', op: 'includes', constant };
    if (op === 'startswith') return { jsType: 'string', op: 'startsWith', constant };
    if (op === 'endswith') return { jsType: 'string', op: 'endsWith', constant };
    return undefined;
  }
  if (cls === 'number') {
    const n = parseNumberConstant(constant);
    if (!belowExactLimit(n)) return undefined;
    if (eq) return { jsType: 'number', op: eq, constant: n };
    if (op === '<' || op === '<=' || op === '>' || op === '>=') return { jsType: 'number', op, constant: n };
    return undefined;
  }
  if (cls === 'bool' && eq) return { jsType: 'boolean', op: eq, constant: constant === 'true' };
  return undefined;
}

function setFastPath(cls: string, items: string[]): FastPath | undefined {
  if (cls === 'string') return { jsType: 'string', op: 'has', constant: new Set(items) };
  if (cls === 'number') {
    const values = items.map(parseNumberConstant);
    // With a constant beyond 2^53 the full test's exact comparison is needed.
    if (values.every(belowExactLimit)) return { jsType: 'number', op: 'has', constant: new Set(values) };
  }
  return undefined;
}

function belowExactLimit(n: number | bigint): n is number {
  return typeof n === 'number' && Math.abs(n) < 2 ** 53;
}

function scalarOf(v: FieldValue): string | undefined {
  return Array.isArray(v) ? asString(v[0]) : asString(v);
}

function scalarString(v: FieldValue): string | undefined {
  return Array.isArray(v) ? v.map((x) => asString(x) ?? '').join(' ') : asString(v);
}

function mapStrings(v: FieldValue, f: (s: string) => string): FieldValue {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map((x) => f(asString(x) ?? ''));
  const s = asString(v);
  return s === undefined ? undefined : f(s);
}

/**
 * b64 of every value; libsinsp's decoder (decodeWithoutPadding) fails on anything but the
 * standard alphabet with at most two trailing `=`, and one failure makes the value NA.
 */
function decodeAll(v: FieldValue): FieldValue {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return base64(asString(v));
  const out: string[] = [];
  for (const x of v) {
    const d = base64(asString(x));
    if (d === undefined) return undefined;
    out.push(d);
  }
  return out;
}

function base64(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const body = s.endsWith('==') ? s.slice(0, -2) : s.endsWith('=') ? s.slice(0, -1) : s;
  if (body.length % 4 === 1 || !BASE64_BODY.test(body)) return undefined;
  // The decoded bytes as UTF-8 text, byte for byte what constants (UTF-8 in rules files) are compared with.
  return Buffer.from(body, 'base64').toString('utf8');
}

const BASE64_BODY = /^[A-Za-z0-9+/]*$/;

/** The value of option `-o` in a command line (`-o value` or `-ovalue`). */
function getopt(cmdline: string, option: string): string | undefined {
  const words = cmdline.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === `-${option}`) return words[i + 1] ?? '';
    if (w.startsWith(`-${option}`) && w.length > option.length + 1) return w.slice(option.length + 1);
  }
  return undefined;
}

function modifierTest(modifier: string, tests: ValueTest[]): ValueTest {
  switch (modifier) {
    case 'anyof':
      return (v) => tests.some((t) => t(v));
    case 'allof':
      return (v) => tests.every((t) => t(v));
    default:
      // oneof: exactly one of the values matches.
      return (v) => {
        let n = 0;
        for (const t of tests) if (t(v) && ++n > 1) return false;
        return n === 1;
      };
  }
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
