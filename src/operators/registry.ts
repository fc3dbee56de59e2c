/**
 * The comparison operators of the condition language, one entry each: what the parser reads
 * after it, which field types it may compare (libsinsp's flt_is_comparable), how a value is
 * tested against its constant(s), what generated code may inline, and what ordering assumes
 * of its cost and selectivity. The parser's word lists, the loader's type checks, the check
 * planner and the ordering all read this table: adding an operator is adding an entry.
 */
import type { FieldType } from '../fields/catalogue.js';
import { asciiFoldedSearch } from './ascii-case.js';
import { type AddressCache, addressTest, globTest, networksTest, parseNetworks, pathPrefixTest } from './matchers.js';
import { compileRegex } from './regex.js';
import {
  asBool,
  asNumber,
  asString,
  belowExactLimit,
  hexToLatin1,
  NUMERIC_TYPES,
  numericOrder,
  parseNumberConstant,
  TEXT_TYPES,
  type TypeClass,
  type ValueTest,
} from './values.js';

/**
 * What generated code can inline for a value of the expected JavaScript type:
 * `value === constant`, `set.has(value)`, `value.startsWith(constant)`. Other values take the
 * full test. Numeric constants are below 2^53 in magnitude, so a value rounded from a longer
 * integer compares with them as its exact value would.
 */
export interface FastPath {
  jsType: 'string' | 'number' | 'boolean';
  op: '===' | '!==' | '<' | '<=' | '>' | '>=' | 'has' | 'includes' | 'startsWith' | 'endsWith';
  constant: string | number | boolean | ReadonlySet<unknown>;
}

/** A test of one value against one constant, for one class of field type. */
type ScalarComparison = (constant: string, cache: AddressCache) => ValueTest;

export interface OperatorSpec {
  /**
   * What the parser reads after the operator: nothing, one value (or a transformer), a
   * number (or a transformer), or a list (or a list name, or a transformer).
   */
  readonly rhs: 'none' | 'value' | 'number' | 'list';
  /** Takes a list modifier (`startswith oneof (…)`): the single-value string operators. */
  readonly modifiable: boolean;
  /** Field types it may compare; `exists` takes every type. */
  readonly types: readonly FieldType[];
  /** May be used on list fields (`in` needs every value of the field in the set, `intersects` any). */
  readonly onListFields: boolean;
  /**
   * Cost for ordering: `direct` (an equality, affix or set lookup: inline when there is a
   * fast path), `pattern` (a glob: an affix test when made of stars only, else a search),
   * `search` (substring, regex, case folding).
   */
  readonly cost: 'direct' | 'pattern' | 'search';
  /** How often a check with it holds, for ordering: it selects few events, excludes few, or splits them. */
  readonly chance: 'selects' | 'excludes' | 'either';
  /** The test of one value against one constant, per type class; a class without an entry cannot be compared. */
  readonly compare: Partial<Record<TypeClass, ScalarComparison>>;
  /** For list operators: the test of one value against the list's items. */
  readonly compareList?: (cls: TypeClass, items: string[], cache: AddressCache) => ValueTest;
  /** Inlinable form of a comparison with these constants (one for single-value operators). */
  readonly fast?: (cls: TypeClass, constants: string[]) => FastPath | undefined;
}

const ALL_TYPES: readonly FieldType[] = [...TEXT_TYPES, 'bytebuf', 'bool', ...NUMERIC_TYPES, 'ipaddr', 'ipnet'];
const ORDERED_TYPES: readonly FieldType[] = [...NUMERIC_TYPES, ...TEXT_TYPES];
const TEXT_AND_BYTES: readonly FieldType[] = [...TEXT_TYPES, 'bytebuf'];

// ---- comparisons by type class ------------------------------------------------------------------

const numberCompare =
  (compare: (order: number) => boolean): ScalarComparison =>
  (constant) => {
    const c = parseNumberConstant(constant);
    return (v) => {
      const n = asNumber(v);
      return n !== undefined && compare(numericOrder(n, c));
    };
  };

const numberEquals: ScalarComparison = (constant) => {
  const c = parseNumberConstant(constant);
  const equal = (v: unknown) => {
    const n = asNumber(v);
    return n !== undefined && numericOrder(n, c) === 0;
  };
  return typeof c === 'number' ? (v) => (typeof v === 'number' ? v === c : equal(v)) : equal;
};

const stringEquals: ScalarComparison = (c) => (v) => (typeof v === 'string' ? v === c : asString(v) === c);
const stringNotEquals: ScalarComparison = (c) => (v) => {
  const s = asString(v);
  return s !== undefined && s !== c;
};
const stringTest =
  (test: (s: string, c: string) => boolean, prepare: (c: string) => string = (c) => c): ScalarComparison =>
  (constant) => {
    const c = prepare(constant);
    return (v) => {
      const s = asString(v);
      return s !== undefined && test(s, c);
    };
  };

const boolEquals: ScalarComparison = (constant) => {
  const c = constant === 'true';
  return (v) => asBool(v) === c;
};
const boolNotEquals: ScalarComparison = (constant) => {
  const c = constant === 'true';
  return (v) => asBool(v) !== undefined && asBool(v) !== c;
};

const networkTest: ScalarComparison = (constant, cache) => networksTest(parseNetworks([constant]), cache);
/** `!=` on addresses: a value that is not an address compares false, as with numbers. */
const negate =
  (comparison: ScalarComparison): ScalarComparison =>
  (constant, cache) => {
    const test = comparison(constant, cache);
    return (v) => typeof v === 'string' && cache.isAddress(v) && !test(v);
  };

/** Text comparisons apply to byte buffers too (compared as latin1 text). */
function onText(comparison: ScalarComparison): Partial<Record<TypeClass, ScalarComparison>> {
  return { string: comparison, buffer: comparison };
}

const EQUALS: Partial<Record<TypeClass, ScalarComparison>> = {
  number: numberEquals,
  ...onText(stringEquals),
  bool: boolEquals,
  ip: addressTest,
  net: networkTest,
};

/** Strings order by code units as strcmp does; a missing value is below nothing. */
const textOrder = (compare: (order: number) => boolean): ScalarComparison => stringTest((s, c) => compare(s < c ? -1 : s > c ? 1 : 0));

function ordering(compare: (order: number) => boolean): Partial<Record<TypeClass, ScalarComparison>> {
  return { number: numberCompare(compare), ...onText(textOrder(compare)) };
}

// ---- fast paths ---------------------------------------------------------------------------------

function equalityFast(op: '===' | '!=='): OperatorSpec['fast'] {
  return (cls, [constant = '']) => {
    if (cls === 'string') return { jsType: 'string', op, constant };
    if (cls === 'number') {
      const n = parseNumberConstant(constant);
      return belowExactLimit(n) ? { jsType: 'number', op, constant: n } : undefined;
    }
    if (cls === 'bool') return { jsType: 'boolean', op, constant: constant === 'true' };
    return undefined;
  };
}

function orderFast(op: '<' | '<=' | '>' | '>='): OperatorSpec['fast'] {
  return (cls, [constant = '']) => {
    if (cls !== 'number') return undefined;
    const n = parseNumberConstant(constant);
    return belowExactLimit(n) ? { jsType: 'number', op, constant: n } : undefined;
  };
}

function stringFast(op: 'includes' | 'startsWith' | 'endsWith'): OperatorSpec['fast'] {
  return (cls, [constant = '']) => (cls === 'string' ? { jsType: 'string', op, constant } : undefined);
}

const setFast: OperatorSpec['fast'] = (cls, items) => {
  if (cls === 'string') return { jsType: 'string', op: 'has', constant: new Set(items) };
  if (cls === 'number') {
    const values = items.map(parseNumberConstant);
    // With a constant beyond 2^53 the full test's exact comparison is needed.
    if (values.every(belowExactLimit)) return { jsType: 'number', op: 'has', constant: new Set(values) };
  }
  return undefined;
};

/** `in`/`intersects` against a literal list: a set lookup where the type allows it. */
function setTest(cls: TypeClass, items: string[], cache: AddressCache): ValueTest {
  if (cls === 'string' || cls === 'buffer') {
    const set = new Set(items);
    return (v) => {
      if (typeof v === 'string') return set.has(v);
      const s = asString(v);
      return s !== undefined && set.has(s);
    };
  }
  if (cls === 'number') {
    const values = items.map(parseNumberConstant);
    const plain = new Set(values.filter((x): x is number => typeof x === 'number'));
    const big = values.filter((x): x is bigint => typeof x === 'bigint');
    return (v) => {
      if (typeof v === 'number' && plain.has(v)) return true;
      const n = asNumber(v);
      if (n === undefined) return false;
      if (typeof n === 'number') return plain.has(n) || big.some((b) => numericOrder(n, b) === 0);
      return values.some((x) => numericOrder(n, x) === 0);
    };
  }
  if (cls === 'net') return networksTest(parseNetworks(items), cache);
  const tests = items.map((i) => scalarComparison('=', cls, i, cache));
  return (v) => tests.some((t) => t(v));
}

// ---- the table ----------------------------------------------------------------------------------

/** `in` and `intersects`: membership of a literal list (a set lookup where the type allows it). */
const SET_MEMBERSHIP: OperatorSpec & { rhs: 'list' } = {
  rhs: 'list',
  modifiable: false,
  types: ALL_TYPES,
  onListFields: true,
  cost: 'direct',
  chance: 'selects',
  compare: EQUALS,
  compareList: setTest,
  fast: setFast,
};

/** A single-value string operator: takes a modifier, not for list fields. */
const single = (spec: Omit<OperatorSpec, 'rhs' | 'modifiable' | 'onListFields'>): OperatorSpec & { rhs: 'value' } => ({
  rhs: 'value',
  modifiable: true,
  onListFields: false,
  ...spec,
});

/** A numeric ordering operator: a number on the right (strings compare as strcmp does). */
const ordered = (compare: (order: number) => boolean, op: '<' | '<=' | '>' | '>='): OperatorSpec & { rhs: 'number' } => ({
  rhs: 'number',
  modifiable: false,
  onListFields: false,
  types: ORDERED_TYPES,
  cost: 'direct',
  chance: 'either',
  compare: ordering(compare),
  fast: orderFast(op),
});

/**
 * In the order libsinsp's parser tries them (`<=` before `<`, `==` before `=`, `intersects`
 * before its prefix `in`), which is also the order error messages list them in.
 */
export const OPERATORS = {
  exists: { rhs: 'none', modifiable: false, types: ALL_TYPES, onListFields: true, cost: 'direct', chance: 'either', compare: {} },
  '<=': ordered((o) => o <= 0, '<='),
  '<': ordered((o) => o < 0, '<'),
  '>=': ordered((o) => o >= 0, '>='),
  '>': ordered((o) => o > 0, '>'),
  '==': single({ types: ALL_TYPES, cost: 'direct', chance: 'selects', compare: EQUALS, fast: equalityFast('===') }),
  '=': single({ types: ALL_TYPES, cost: 'direct', chance: 'selects', compare: EQUALS, fast: equalityFast('===') }),
  '!=': single({
    types: ALL_TYPES,
    cost: 'direct',
    chance: 'excludes',
    compare: { number: numberCompare((o) => o !== 0), ...onText(stringNotEquals), bool: boolNotEquals, ip: negate(addressTest), net: negate(networkTest) },
    fast: equalityFast('!=='),
  }),
  glob: single({ types: TEXT_TYPES, cost: 'pattern', chance: 'selects', compare: onText((c) => globTest(c, false)) }),
  iglob: single({ types: TEXT_TYPES, cost: 'search', chance: 'selects', compare: onText((c) => globTest(c, true)) }),
  contains: single({
    types: TEXT_AND_BYTES,
    cost: 'search',
    chance: 'selects',
    compare: onText(stringTest((s, c) => s.includes(c))),
    fast: stringFast('includes'),
  }),
  icontains: single({
    types: TEXT_TYPES,
    cost: 'search',
    chance: 'selects',
    compare: onText((constant) => {
      const search = asciiFoldedSearch(constant);
      return (v) => {
        const s = asString(v);
        return s !== undefined && search.test(s);
      };
    }),
  }),
  bcontains: single({ types: ['bytebuf'], cost: 'search', chance: 'selects', compare: onText(stringTest((s, c) => s.includes(c), hexToLatin1)) }),
  startswith: single({
    types: TEXT_AND_BYTES,
    cost: 'direct',
    chance: 'selects',
    compare: onText(stringTest((s, c) => s.startsWith(c))),
    fast: stringFast('startsWith'),
  }),
  bstartswith: single({ types: ['bytebuf'], cost: 'direct', chance: 'selects', compare: onText(stringTest((s, c) => s.startsWith(c), hexToLatin1)) }),
  endswith: single({
    types: TEXT_AND_BYTES,
    cost: 'direct',
    chance: 'selects',
    compare: onText(stringTest((s, c) => s.endsWith(c))),
    fast: stringFast('endsWith'),
  }),
  regex: single({
    types: TEXT_TYPES,
    cost: 'search',
    chance: 'selects',
    // RE2 with libsinsp's POSIX options, anchored at both ends as libsinsp matches. The
    // loader rejects a pattern RE2 rejects (LOAD_ERR_COMPILE_CONDITION).
    compare: onText((c) => {
      const compiled = compileRegex(c);
      if (!compiled.ok) throw new Error(compiled.message);
      const re = compiled.regex;
      return (v) => {
        const s = asString(v);
        return s !== undefined && re.matches(s);
      };
    }),
  }),
  // On a list field, `in` needs every value of the field in the set and `intersects` any (the
  // check planner decides that); on other fields the two are the same membership test.
  intersects: SET_MEMBERSHIP,
  in: SET_MEMBERSHIP,
  pmatch: {
    rhs: 'list',
    modifiable: false,
    types: TEXT_TYPES,
    onListFields: false,
    cost: 'direct',
    chance: 'selects',
    compare: onText((c) => pathPrefixTest([c])),
    compareList: (_cls, items) => pathPrefixTest(items),
  },
} as const satisfies Record<string, OperatorSpec>;

export type OperatorName = keyof typeof OPERATORS;
type NamesWith<R> = { [K in OperatorName]: (typeof OPERATORS)[K]['rhs'] extends R ? K : never }[OperatorName];

export type UnaryOperator = NamesWith<'none'>;
export type NumericOperator = NamesWith<'number'>;
export type StringOperator = NamesWith<'value'>;
export type ListOperator = NamesWith<'list'>;
export type BinaryOperator = NumericOperator | StringOperator | ListOperator;

const names = Object.keys(OPERATORS) as OperatorName[];
const withRhs = <R extends OperatorSpec['rhs']>(rhs: R) => names.filter((n) => OPERATORS[n].rhs === rhs) as NamesWith<R>[];

/** Operator names by what follows them, in the parser's order. */
export const UNARY_OPERATORS: readonly UnaryOperator[] = withRhs('none');
export const NUMERIC_OPERATORS: readonly NumericOperator[] = withRhs('number');
export const STRING_OPERATORS: readonly StringOperator[] = withRhs('value');
export const LIST_OPERATORS: readonly ListOperator[] = withRhs('list');
/** Every operator, in the parser's order. */
export const ALL_OPERATORS: readonly OperatorName[] = names;

/** Modifiers that turn a single-value operator into a list comparison: `proc.name = oneof (a, b)`. */
export const OPERATOR_MODIFIERS = ['oneof', 'anyof', 'allof'] as const;
export type OperatorModifier = (typeof OPERATOR_MODIFIERS)[number];

export function operatorSpec(name: string): OperatorSpec | undefined {
  return Object.hasOwn(OPERATORS, name) ? OPERATORS[name as OperatorName] : undefined;
}

/** Whether `op` may compare a field of `type` (a list field when `isList`). */
export function operatorAccepts(op: string, type: FieldType, isList: boolean): boolean {
  const spec = operatorSpec(op);
  if (spec === undefined || op === 'exists') return spec !== undefined;
  return isList ? spec.onListFields : spec.types.includes(type);
}

/** The test of one value against one constant with `op`, for fields of class `cls`. */
export function scalarComparison(op: string, cls: TypeClass, constant: string, cache: AddressCache): ValueTest {
  const compare = operatorSpec(op)?.compare[cls];
  if (compare === undefined) throw new Error(`operator '${op}' cannot compare ${cls} values`);
  return compare(constant, cache);
}

/** The test of one value against a list with a list operator. */
export function listComparison(op: string, cls: TypeClass, items: string[], cache: AddressCache): ValueTest {
  const spec = operatorSpec(op);
  if (spec?.compareList === undefined) throw new Error(`operator '${op}' does not take a list`);
  return spec.compareList(cls, items, cache);
}

/** Combines the tests of a modified operator's items: `oneof` exactly one holds, `anyof` any, `allof` all. */
export function modifierTest(modifier: string, tests: ValueTest[]): ValueTest {
  switch (modifier) {
    case 'anyof':
      return (v) => tests.some((t) => t(v));
    case 'allof':
      return (v) => tests.every((t) => t(v));
    default:
      return (v) => {
        let n = 0;
        for (const t of tests) if (t(v) && ++n > 1) return false;
        return n === 1;
      };
  }
}
