/**
 * The event types a condition can match, computed as libsinsp does (filter/ppm_codes.cpp):
 * `and` intersects, `or` unites, negation is pushed down to the leaves (De Morgan) where
 * an `evt.type` check's set is complemented; checks on other fields match every type;
 * `evt.num` checks with a known answer (`evt.num = 0`) resolve to none or all.
 */
import { ALL_EVENT_CODES, eventCodes } from '../fields/events.js';
import type { Expr, Node } from '../parser/index.js';

export interface EventTypeSet {
  /** Event codes (libsinsp's ppm codes). */
  codes: ReadonlySet<number>;
  /** Number of codes, as Falco counts them for LOAD_NO_EVTTYPE. */
  codeCount: number;
  /** True when every event type can match. */
  all: boolean;
}

const ALL = new Set(ALL_EVENT_CODES);

export function conditionEventTypes(expr: Expr): EventTypeSet {
  const codes = visit(expr, false);
  return { codes, codeCount: codes.size, all: codes.size === ALL.size };
}

function visit(node: Expr, negated: boolean): Set<number> {
  switch (node.kind) {
    case 'and':
      return negated ? union(node.children.map((c) => visit(c, true))) : intersection(node.children.map((c) => visit(c, false)));
    case 'or':
      return negated ? intersection(node.children.map((c) => visit(c, true))) : union(node.children.map((c) => visit(c, false)));
    case 'not':
      return visit(node.child, !negated);
    case 'identifier':
      return new Set(ALL);
    case 'unary': {
      // `evt.type exists` holds for every type, so its negation holds for none.
      const left = node.left;
      const isEvtType = left.kind === 'field' && (left.name === 'evt.type' || left.name === 'syscall.type') && left.arg === undefined;
      return negated && isEvtType ? new Set<number>() : new Set(ALL);
    }
    case 'binary': {
      const invariant = evtNumInvariant(node);
      if (invariant) {
        const set = invariant === 'all' ? new Set(ALL) : new Set<number>();
        return negated ? complement(set) : set;
      }
      const left = node.left;
      const isEvtType = left.kind === 'field' && (left.name === 'evt.type' || left.name === 'syscall.type') && left.arg === undefined;
      if (!isEvtType || !['=', '==', '!=', 'in'].includes(node.operator) || node.modifier) return new Set(ALL);
      const names = namesOf(node.right);
      if (names === undefined) return new Set(ALL);
      let set = new Set(names.flatMap((n) => [...eventCodes(n)]));
      if (negated) set = complement(set);
      if (node.operator === '!=') set = complement(set);
      return set;
    }
  }
}

function namesOf(right: Node): string[] | undefined {
  if (right.kind === 'value') return [right.value];
  if (right.kind === 'list') return right.items.map((i) => i.value);
  return undefined;
}

/** `evt.num` starts at 1: some checks on it are always false or always true. */
function evtNumInvariant(node: Extract<Expr, { kind: 'binary' }>): 'empty' | 'all' | undefined {
  if (node.left.kind !== 'field' || node.left.name !== 'evt.num' || node.left.arg !== undefined) return undefined;
  const op = node.operator;
  const asNumber = (v: string): bigint | undefined => (/^[0-9]+$/.test(v) ? BigInt(v) : undefined);
  if (op === 'in') {
    if (node.right.kind !== 'list') return undefined;
    if (node.right.items.length === 0) return 'empty';
    return node.right.items.every((i) => asNumber(i.value) === 0n) ? 'empty' : undefined;
  }
  if (node.right.kind !== 'value') return undefined;
  const n = asNumber(node.right.value);
  if (n === undefined) return undefined;
  switch (op) {
    case '=':
    case '==':
      return n === 0n ? 'empty' : undefined;
    case '!=':
      return n === 0n ? 'all' : undefined;
    case '<':
      return n <= 1n ? 'empty' : undefined;
    case '<=':
      return n === 0n ? 'empty' : undefined;
    case '>':
      return n === 0n ? 'all' : undefined;
    case '>=':
      return n <= 1n ? 'all' : undefined;
    default:
      return undefined;
  }
}

function complement(set: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const c of ALL) if (!set.has(c)) out.add(c);
  return out;
}

function union(sets: Set<number>[]): Set<number> {
  const out = new Set<number>();
  for (const s of sets) for (const c of s) out.add(c);
  return out;
}

function intersection(sets: Set<number>[]): Set<number> {
  let out = new Set(ALL);
  for (const s of sets) out = new Set([...out].filter((c) => s.has(c)));
  return out;
}
