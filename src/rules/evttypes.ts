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

/** Whether a rule with these event types can match an event of one of `codes` (the codes of its type). */
export function matchesEventCodes(set: EventTypeSet, codes: readonly number[]): boolean {
  return set.all || codes.some((c) => set.codes.has(c));
}

// Sets of event codes are bit masks: `and` is &, `or` is |, a complement is XOR with all.
const ALL = ALL_EVENT_CODES.reduce((mask, code) => mask | (1n << BigInt(code)), 0n);
const NONE = 0n;
const maskCache = new Map<string, bigint>();

function maskOf(name: string): bigint {
  let mask = maskCache.get(name);
  if (mask === undefined) {
    mask = eventCodes(name).reduce((m, code) => m | (1n << BigInt(code)), 0n);
    maskCache.set(name, mask);
  }
  return mask;
}

export function conditionEventTypes(expr: Expr): EventTypeSet {
  const mask = visit(expr, false);
  // Read the set bits from the binary text: one conversion instead of a bigint shift per code.
  const bits = mask.toString(2);
  const codes = new Set<number>();
  for (let i = bits.length - 1, code = 0; i >= 0; i--, code++) if (bits.charCodeAt(i) === 49) codes.add(code);
  return { codes, codeCount: codes.size, all: mask === ALL };
}

function visit(node: Expr, negated: boolean): bigint {
  switch (node.kind) {
    case 'and': {
      const parts = node.children.map((c) => visit(c, negated));
      return negated ? parts.reduce((a, b) => a | b, NONE) : parts.reduce((a, b) => a & b, ALL);
    }
    case 'or': {
      const parts = node.children.map((c) => visit(c, negated));
      return negated ? parts.reduce((a, b) => a & b, ALL) : parts.reduce((a, b) => a | b, NONE);
    }
    case 'not':
      return visit(node.child, !negated);
    case 'identifier':
      return ALL;
    case 'unary': {
      // `evt.type exists` holds for every type, so its negation holds for none.
      return negated && isEvtTypeField(node.left) ? NONE : ALL;
    }
    case 'binary': {
      const invariant = evtNumInvariant(node);
      if (invariant) {
        const set = invariant === 'all' ? ALL : NONE;
        return negated ? ALL ^ set : set;
      }
      if (!isEvtTypeField(node.left) || !['=', '==', '!=', 'in'].includes(node.operator) || node.modifier) return ALL;
      const names = namesOf(node.right);
      if (names === undefined) return ALL;
      let set = names.reduce((m, n) => m | maskOf(n), NONE);
      if (negated) set = ALL ^ set;
      if (node.operator === '!=') set = ALL ^ set;
      return set;
    }
  }
}

function isEvtTypeField(left: Node): boolean {
  return left.kind === 'field' && (left.name === 'evt.type' || left.name === 'syscall.type') && left.arg === undefined;
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
