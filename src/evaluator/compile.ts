/**
 * Compiles an expanded condition into a predicate over events, once. Fields become
 * direct accessors from the event source; constants are pre-processed; a check on a
 * field with no value (NA) is false, so its negation is true.
 */
import type { FieldCatalogue, FieldType } from '../fields/catalogue.js';
import type { EventSource, FieldAccessor, FieldValue } from '../fields/source.js';
import type { BinaryCheckExpr, Expr, Operand, TransformerExpr } from '../parser/index.js';
import { asString, pathPrefixTest, scalarTest, setTest, typeClass, type TypeClass, type ValueTest } from './compare.js';

export type Predicate<E> = (event: E) => boolean;

interface CompiledOperand<E> {
  read: FieldAccessor<E>;
  type: FieldType;
  /** A list field: `in` needs every value in the set, `intersects` any. */
  isList: boolean;
}

export class ConditionCompiler<E> {
  constructor(
    private readonly source: EventSource<E>,
    private readonly catalogue: FieldCatalogue,
  ) {}

  compile(expr: Expr): Predicate<E> {
    switch (expr.kind) {
      case 'and':
        return all(expr.children.map((c) => this.compile(c)));
      case 'or':
        return any(expr.children.map((c) => this.compile(c)));
      case 'not': {
        const child = this.compile(expr.child);
        return (e) => !child(e);
      }
      case 'identifier':
        throw new Error(`unresolved macro '${expr.name}'`);
      case 'unary': {
        const { read } = this.operand(expr.left);
        return (e) => read(e) !== undefined;
      }
      case 'binary':
        return this.binary(expr);
    }
  }

  private binary(expr: BinaryCheckExpr): Predicate<E> {
    const left = this.operand(expr.left);
    const cls = typeClass(left.type);
    const op = expr.operator;
    const right = expr.right;
    if (right.kind === 'transformer') {
      // val(field) or a transformer: compare with another value of the same event.
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
        return matchAny(a, test);
      };
    }
    if (right.kind === 'list_ref') throw new Error(`undefined list '${right.name}'`);
    const items = right.kind === 'list' ? right.items.map((i) => i.value) : [right.value];
    let test: ValueTest;
    if (expr.modifier) {
      const tests = items.map((i) => scalarTest(cls, op, i));
      test = modifierTest(expr.modifier, tests);
    } else if (op === 'pmatch') {
      test = pathPrefixTest(items);
    } else if (op === 'in' || op === 'intersects') {
      test = setTest(cls, items);
      if (left.isList && op === 'in') return every(left.read, test);
    } else {
      test = scalarTest(cls, op, items[0] ?? '');
    }
    return matchAnyPredicate(left.read, test);
  }

  private operand(node: Operand): CompiledOperand<E> {
    if (node.kind === 'field') {
      const lookup = this.catalogue.resolve(node.name, node.arg);
      if (!lookup.ok) throw new Error(lookup.message);
      const { def } = lookup.field;
      return { read: this.source.accessor(lookup.field), type: def.type, isList: def.flags.has('is_list') };
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
        return { ...first, read: (e) => mapStrings(first.read(e), (s) => s.toLowerCase()) };
      case 'toupper':
        return { ...first, read: (e) => mapStrings(first.read(e), (s) => s.toUpperCase()) };
      case 'b64':
        return { ...first, type: 'charbuf', read: (e) => mapStrings(first.read(e), (s) => Buffer.from(s, 'base64').toString('latin1')) };
      case 'basename':
        return { ...first, type: 'charbuf', read: (e) => mapStrings(first.read(e), (s) => s.slice(s.lastIndexOf('/') + 1)) };
      case 'len':
        return {
          read: (e) => {
            const v = first.read(e);
            if (v === undefined) return undefined;
            return Array.isArray(v) ? v.length : (asString(v) ?? '').length;
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

function matchAny(v: FieldValue, test: ValueTest): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (test(x)) return true;
    return false;
  }
  return test(v);
}

function matchAnyPredicate<E>(read: FieldAccessor<E>, test: ValueTest): Predicate<E> {
  return (e) => {
    const v = read(e);
    if (v === undefined) return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (test(v[i])) return true;
      return false;
    }
    return test(v);
  };
}

function every<E>(read: FieldAccessor<E>, test: ValueTest): Predicate<E> {
  return (e) => {
    const v = read(e);
    if (v === undefined) return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!test(v[i])) return false;
      return true;
    }
    return test(v);
  };
}

function all<E>(ps: Predicate<E>[]): Predicate<E> {
  if (ps.length === 2) {
    const [a, b] = ps as [Predicate<E>, Predicate<E>];
    return (e) => a(e) && b(e);
  }
  return (e) => {
    for (let i = 0; i < ps.length; i++) if (!ps[i]!(e)) return false;
    return true;
  };
}

function any<E>(ps: Predicate<E>[]): Predicate<E> {
  if (ps.length === 2) {
    const [a, b] = ps as [Predicate<E>, Predicate<E>];
    return (e) => a(e) || b(e);
  }
  return (e) => {
    for (let i = 0; i < ps.length; i++) if (ps[i]!(e)) return true;
    return false;
  };
}

export type { TypeClass };
