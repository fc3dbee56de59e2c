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
  /** For plain fields: the slot that caches the field's value for the current event. */
  slot?: number;
  type: FieldType;
  /** A list field: `in` needs every value in the set, `intersects` any. */
  isList: boolean;
}

export class ConditionCompiler<E> {
  /**
   * Per-field caches shared by every condition compiled here: a field several rules read is
   * extracted once per event. A slot is valid while it holds the event it was read from.
   */
  private readonly slotOf = new Map<string, number>();
  private readonly slotEvents: unknown[] = [];
  private readonly slotValues: FieldValue[] = [];

  constructor(
    private readonly source: EventSource<E>,
    private readonly catalogue: FieldCatalogue,
  ) {}

  /**
   * Generates one JavaScript function per condition: the boolean structure becomes plain
   * `&&`/`||`/`!` code and every check its own call sites, which V8 can keep monomorphic
   * (a tree of closures would share one call site across all rules).
   */
  compile(expr: Expr): Predicate<E> {
    const refs: unknown[] = [];
    const ref = (value: unknown): string => {
      refs.push(value);
      return `r${refs.length - 1}`;
    };
    const body = this.generate(expr, ref);
    const names = refs.map((_, i) => `r${i}`).join(', ');
    const factory = new Function('refs', `const [${names}] = refs;\nreturn function predicate(e) {\n  let v;\n  return ${body};\n};`);
    return factory(refs) as Predicate<E>;
  }

  private generate(expr: Expr, ref: (value: unknown) => string): string {
    switch (expr.kind) {
      case 'and':
        return `(${expr.children.map((c) => this.generate(c, ref)).join(' && ')})`;
      case 'or':
        return `(${expr.children.map((c) => this.generate(c, ref)).join(' || ')})`;
      case 'not':
        return `!${this.generate(expr.child, ref)}`;
      case 'identifier':
        throw new Error(`unresolved macro '${expr.name}'`);
      case 'unary':
        return `(${this.readCode(this.operand(expr.left), ref)} !== undefined)`;
      case 'binary': {
        const check = this.binary(expr);
        if ('predicate' in check) return `${ref(check.predicate)}(e)`;
        // NA is false; arrays (multi-valued reads) match when any value does, or every value for `in` on list fields.
        const arrays = check.every ? everyValue(check.test) : anyValue(check.test);
        return `((v = ${this.readCode(check.left, ref)}) !== undefined && (Array.isArray(v) ? ${ref(arrays)}(v) : ${ref(check.test)}(v)))`;
      }
    }
  }

  /** Code reading an operand for event `e`, through its slot when it has one. */
  private readCode(operand: CompiledOperand<E>, ref: (value: unknown) => string): string {
    const read = ref(operand.read);
    if (operand.slot === undefined) return `${read}(e)`;
    const events = ref(this.slotEvents);
    const values = ref(this.slotValues);
    const k = operand.slot;
    return `(${events}[${k}] === e ? ${values}[${k}] : (${events}[${k}] = e, ${values}[${k}] = ${read}(e)))`;
  }

  private binary(expr: BinaryCheckExpr): { left: CompiledOperand<E>; test: ValueTest; every: boolean } | { predicate: Predicate<E> } {
    const left = this.operand(expr.left);
    const cls = typeClass(left.type);
    const op = expr.operator;
    const right = expr.right;
    if (right.kind === 'transformer') {
      // val(field) or a transformer: compare with another value of the same event.
      const other = this.operand(right);
      return {
        predicate: (e) => {
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
        },
      };
    }
    if (right.kind === 'list_ref') throw new Error(`undefined list '${right.name}'`);
    const items = right.kind === 'list' ? right.items.map((i) => i.value) : [right.value];
    if (expr.modifier) {
      const tests = items.map((i) => scalarTest(cls, op, i));
      return { left, test: modifierTest(expr.modifier, tests), every: false };
    }
    if (op === 'pmatch') return { left, test: pathPrefixTest(items), every: false };
    if (op === 'in' || op === 'intersects') return { left, test: setTest(cls, items), every: left.isList && op === 'in' };
    return { left, test: scalarTest(cls, op, items[0] ?? ''), every: false };
  }

  private operand(node: Operand): CompiledOperand<E> {
    if (node.kind === 'field') {
      const lookup = this.catalogue.resolve(node.name, node.arg);
      if (!lookup.ok) throw new Error(lookup.message);
      const { def, key } = lookup.field;
      let slot = this.slotOf.get(key);
      if (slot === undefined) {
        slot = this.slotOf.size;
        this.slotOf.set(key, slot);
        this.slotEvents.push(undefined);
        this.slotValues.push(undefined);
      }
      return { read: this.source.accessor(lookup.field), slot, type: def.type, isList: def.flags.has('is_list') };
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

export type { TypeClass };
