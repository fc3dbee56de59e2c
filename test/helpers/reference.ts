/**
 * A deliberately plain evaluator, the oracle of the differential tests of the generated
 * programs: it walks the condition tree for every rule and event, reads every field through
 * the source's accessor, and decides each check with comparisons written from libsinsp's
 * semantics in reference-compare.ts. It shares no code with src/evaluator (no planner, no
 * compare.ts), so a comparison bug there shows up as a disagreement.
 *
 * Multi-valued reads (a field's accessor returning an array):
 * - list fields (`is_list`, as fd.types): `in` needs every value in the set, `intersects` one;
 * - fd.ip, fd.port, fd.proto, fd.net (the two ends of a connection): `!=` needs both ends to
 *   differ, the other operators one end (sinsp_filter_check_fd::compare_ip/_port/_net);
 * - any other field (proc.aname and the like): the check holds when it holds for one value.
 */

import { readFileSync } from 'node:fs';
import type { FieldCatalogue } from '../../src/fields/catalogue.js';
import { eventCodes } from '../../src/fields/events.js';
import type { EventSource } from '../../src/fields/source.js';
import type { BinaryCheckExpr, Expr, Operand, TransformerArg, TransformerExpr } from '../../src/parser/index.js';
import type { CompiledRule } from '../../src/rules/model.js';
import { asciiLower, asciiUpper, checkOperator, compare, constant, type TypeInfo, typed, typeInfo } from './reference-compare.js';

/** An operand's reading for one event: its type, list-ness, and values (undefined for NA). */
interface Reading {
  /** libsinsp's type name of the (transformed) operand, for val() type checks. */
  type: string;
  isList: boolean;
  /** The field's name when the operand is a plain field. */
  field?: string;
  values: unknown[] | undefined;
  /** Whether the read gave an array (several values) rather than one value. */
  multi: boolean;
}

/** Fields compared on both ends of a connection (sinsp_filter_check_fd::compare_nocache). */
const CONNECTION_ENDS = new Set(['fd.ip', 'fd.port', 'fd.proto', 'fd.net']);

export class ReferenceEvaluator<E> {
  constructor(
    private readonly source: EventSource<E>,
    private readonly catalogue: FieldCatalogue,
  ) {}

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
      case 'unary':
        return this.read(expr.left, event).values !== undefined;
      case 'binary':
        return this.binary(expr, event);
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

  private binary(expr: BinaryCheckExpr, event: E): boolean {
    const left = this.read(expr.left, event);
    const info = typeInfo(left.type);
    const op = expr.operator;
    if (left.isList) {
      if (op !== 'in' && op !== 'intersects') throw new Error(`reference: list field ${left.field} takes only in, intersects and exists`);
    } else checkOperator(info, op);
    if (left.values === undefined) return false;

    // The constants: literal ones parsed once per check would do, but plain is the point here.
    let constants: unknown[];
    const right = expr.right;
    if (right.kind === 'transformer') {
      const other = this.read(right, event);
      if (other.type !== left.type || other.isList !== left.isList) {
        throw new Error(`reference: ${left.type} compared with a ${other.type} value: libsinsp rejects it`);
      }
      if (other.values === undefined) return false;
      // The other field's values act as the constants (the first one for a scalar operator).
      const values = other.values.map((v) => typed(info, v));
      if (values.some((v) => v === undefined)) return false;
      constants = op === 'in' || op === 'intersects' ? values : values.slice(0, 1);
      if (constants.length === 0) return false;
    } else if (right.kind === 'list_ref') {
      throw new Error(`reference: undefined list ${right.name}`);
    } else {
      const texts = right.kind === 'list' ? right.items.map((i) => i.value) : [right.value];
      constants = texts.map((t) => constant(info, op, t));
    }

    const one = (value: unknown) => this.single(info, op, expr.modifier, typed(info, value), constants, left.field);
    const values = left.values;
    if (left.isList) return op === 'in' ? values.every(one) : values.some(one);
    if (left.field !== undefined && CONNECTION_ENDS.has(left.field)) return this.connectionEnds(left.field, op, values, one);
    return values.some(one);
  }

  /** One value against the constants, with the operator and modifier. */
  private single(info: TypeInfo, op: string, modifier: string | undefined, value: ReturnType<typeof typed>, constants: unknown[], field?: string): boolean {
    if (value === undefined) return false;
    if (modifier !== undefined) {
      // Networks compare only by membership: with a modifier, operators other than != mean =.
      const o = info.kind === 'net' && op !== '!=' ? '=' : op;
      const matches = constants.filter((c) => compare(info, o, value, c)).length;
      if (modifier === 'anyof') return matches > 0;
      if (modifier === 'allof') return matches === constants.length;
      return matches === 1;
    }
    if (op === 'in' || op === 'intersects' || op === 'pmatch') {
      // fd.net compares with the first network of a list only (compare_net uses the first value).
      if (field === 'fd.net') return compare(info, '=', value, constants[0]);
      return constants.some((c) => compare(info, op === 'pmatch' ? 'pmatch' : '=', value, c));
    }
    return compare(info, op, value, constants[0]);
  }

  private connectionEnds(field: string, op: string, values: unknown[], one: (v: unknown) => boolean): boolean {
    const allowed =
      field === 'fd.ip' ? ['=', '==', '!=', 'in'] : field === 'fd.net' ? ['=', '==', '!=', 'in', 'intersects'] : ['=', '==', '!=', '<', '<=', '>', '>=', 'in'];
    if (!allowed.includes(op)) throw new Error(`reference: ${field} does not support '${op}' in libsinsp`);
    // compare_net answers false for operators other than =, in and !=.
    if (field === 'fd.net' && op === 'intersects') return false;
    return op === '!=' ? values.every(one) : values.some(one);
  }

  // ---- operands ----------------------------------------------------------------------------------

  private read(node: Operand, event: E): Reading {
    if (node.kind === 'field') return this.readField(node.name, node.arg, event);
    return this.transform(node, event);
  }

  private readField(name: string, arg: string | undefined, event: E): Reading {
    const lookup = this.catalogue.resolve(name, arg);
    if (!lookup.ok) throw new Error(lookup.message);
    const { def } = lookup.field;
    const raw = this.source.accessor(lookup.field)(event);
    const type = def.type === 'dyn' ? rawArgumentType(lookup.field.arg ?? '') : def.type;
    const isList = def.flags.has('is_list');
    if (raw === undefined || raw === null) return { type, isList, field: def.name, values: undefined, multi: false };
    const multi = Array.isArray(raw);
    return { type, isList, field: def.name, values: multi ? [...(raw as unknown[])] : [raw], multi };
  }

  /** Transformers as libsinsp applies them to every extracted value; a failed one makes the operand NA. */
  private transform(node: TransformerExpr, event: E): Reading {
    const args = node.args;
    switch (node.name) {
      case 'val':
        return this.argument(args[0]!, event);
      case 'tolower':
      case 'toupper':
      case 'basename': {
        const r = this.argument(args[0]!, event);
        if (r.type !== 'charbuf') throw new Error(`reference: ${node.name}() takes strings, not ${r.type}`);
        const f = node.name === 'tolower' ? asciiLower : node.name === 'toupper' ? asciiUpper : (s: string) => s.slice(s.lastIndexOf('/') + 1);
        return { ...r, field: undefined, values: r.values?.map((v) => f(String(typed(typeInfo('charbuf'), v) ?? ''))) };
      }
      case 'b64': {
        const r = this.argument(args[0]!, event);
        if (r.type !== 'charbuf' && r.type !== 'bytebuf') throw new Error(`reference: b64() takes strings or buffers, not ${r.type}`);
        if (r.values === undefined) return { ...r, field: undefined };
        const decoded = r.values.map((v) => (typeof v === 'string' ? base64Decode(v) : undefined));
        return { ...r, field: undefined, values: decoded.some((d) => d === undefined) ? undefined : (decoded as string[]) };
      }
      case 'len': {
        const r = this.argument(args[0]!, event);
        if (r.isList) return { type: 'uint64', isList: false, values: r.values === undefined ? undefined : [BigInt(r.values.length)], multi: false };
        if (r.type !== 'charbuf' && r.type !== 'bytebuf') throw new Error(`reference: len() takes strings, buffers or lists, not ${r.type}`);
        // strnlen of the value's bytes.
        const length = (v: unknown) => BigInt(Buffer.from(String(typed(typeInfo('charbuf'), v) ?? ''), 'utf8').length);
        return { type: 'uint64', isList: false, values: r.values?.map(length), multi: r.multi };
      }
      case 'concat': {
        let out = '';
        for (const a of args) {
          const r = this.argument(a, event);
          if (r.type !== 'charbuf' || r.isList) throw new Error('reference: concat() arguments must be strings');
          if (r.values === undefined || r.values.length === 0) return { type: 'charbuf', isList: false, values: undefined, multi: false };
          out += String(typed(typeInfo('charbuf'), r.values[0]) ?? '');
        }
        return { type: 'charbuf', isList: false, values: [out], multi: false };
      }
      case 'join': {
        const sep = this.argument(args[0]!, event);
        const list = this.argument(args[1]!, event);
        if (sep.isList || !list.isList) throw new Error('reference: join() takes a separator and a list');
        if (sep.values === undefined || list.values === undefined) return { type: 'charbuf', isList: false, values: undefined, multi: false };
        const text = (v: unknown) => String(typed(typeInfo('charbuf'), v) ?? '');
        return { type: 'charbuf', isList: false, values: [list.values.map(text).join(text(sep.values[0]))], multi: false };
      }
      default:
        throw new Error(`reference: transformer ${node.name}() is not covered by the reference evaluator`);
    }
  }

  private argument(arg: TransformerArg, event: E): Reading {
    switch (arg.kind) {
      case 'value':
        return { type: 'charbuf', isList: false, values: [arg.value], multi: false };
      case 'transformer_list': {
        // A literal list of operands: their values in order, NA ones left out.
        const values: unknown[] = [];
        for (const item of arg.items) {
          const r = this.argument(item, event);
          if (r.values !== undefined) values.push(...r.values);
        }
        return { type: 'charbuf', isList: true, values, multi: true };
      }
      default:
        return this.read(arg, event);
    }
  }
}

/**
 * Base64 as libsinsp's decodeWithoutPadding reads it: the standard alphabet, at most two `=`
 * at the end, no length that leaves a lone character; anything else fails (NA).
 */
function base64Decode(text: string): string | undefined {
  const body = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) return undefined;
  return Buffer.from(body, 'base64').toString('utf8');
}

/** The type of `evt.rawarg.NAME`: that of the first event parameter so named (libsinsp extract_arg). */
const eventTable = JSON.parse(readFileSync(new URL('../../src/fields/event-table.json', import.meta.url), 'utf8')) as {
  events: { params: { name: string; type: string }[] }[];
};

function rawArgumentType(name: string): string {
  for (const e of eventTable.events) {
    const p = e.params.find((x) => x.name === name);
    if (p) return PARAM_TYPES[p.type] ?? fail(`reference: evt.rawarg.${name} has type ${p.type}, which it does not compare`);
  }
  return fail(`reference: no event parameter named ${name}`);
}

const PARAM_TYPES: Record<string, string> = {
  PT_INT8: 'int8',
  PT_INT16: 'int16',
  PT_INT32: 'int32',
  PT_INT64: 'int64',
  PT_ERRNO: 'int64',
  PT_FD: 'int64',
  PT_PID: 'int64',
  PT_UINT8: 'uint8',
  PT_UINT16: 'uint16',
  PT_UINT32: 'uint32',
  PT_FLAGS8: 'uint8',
  PT_FLAGS16: 'uint16',
  PT_FLAGS32: 'uint32',
  PT_ENUMFLAGS8: 'uint8',
  PT_ENUMFLAGS16: 'uint16',
  PT_ENUMFLAGS32: 'uint32',
  PT_MODE: 'uint32',
  PT_UID: 'uint32',
  PT_GID: 'uint32',
  PT_SYSCALLID: 'uint16',
  PT_SIGTYPE: 'uint8',
  PT_UINT64: 'uint64',
  PT_RELTIME: 'reltime',
  PT_ABSTIME: 'abstime',
  PT_PORT: 'port',
  PT_CHARBUF: 'charbuf',
  PT_FSPATH: 'charbuf',
  PT_FSRELPATH: 'charbuf',
  PT_BYTEBUF: 'bytebuf',
  PT_BOOL: 'bool',
  PT_DOUBLE: 'double',
  PT_IPADDR: 'ipaddr',
  PT_IPV4ADDR: 'ipaddr',
  PT_IPV6ADDR: 'ipaddr',
};

function fail(message: string): never {
  throw new Error(message);
}
