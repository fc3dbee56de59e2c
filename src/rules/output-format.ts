/**
 * Rule output format strings: literal text and `%field` tokens, parsed as libsinsp's
 * formatter does. A token is `%`, an optional width, then the longest prefix that is a
 * known field (with an optional `[arg]`) or a transformer expression: `%proc.namex`
 * reads as `%proc.name` followed by `x`.
 */
import { FieldCatalogue, type ResolvedField } from '../fields/catalogue.js';
import { TRANSFORMER_CALL_PREFIX } from '../operators/transformers.js';
import { type Operand, parseCondition } from '../parser/index.js';
import { FIELD_NAME } from '../parser/words.js';

export type FormatToken =
  | { kind: 'text'; text: string }
  | {
      kind: 'field';
      /** As written after the `%`, without the width. */
      text: string;
      /** Present for a plain field; absent for a transformer expression. */
      field?: ResolvedField;
      operand: Operand;
      width: number;
      /** Offset of the `%` in the format string. */
      offset: number;
    };

export interface ParsedFormat {
  tokens: FormatToken[];
  /** `*` prefix: print even when some fields have no value. */
  allowMissing: boolean;
}

export class FormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** True when the problem is an unknown field (what `skip-if-unknown-filter` forgives). */
    readonly unknownField: boolean,
  ) {
    super(message);
  }
}

/** A field name at the start of the text (the condition grammar's field pattern, unanchored at its end). */
const FIELD_PREFIX = new RegExp(FIELD_NAME.source.replace(/\$$/, ''));

export function parseFormat(format: string, catalogue: FieldCatalogue): ParsedFormat {
  const allowMissing = format.startsWith('*');
  const text = allowMissing ? format.slice(1) : format;
  const base = allowMissing ? 1 : 0;
  const tokens: FormatToken[] = [];
  let literal = '';
  for (let j = 0; j < text.length; j++) {
    if (text[j] !== '%') {
      literal += text[j];
      continue;
    }
    if (literal) tokens.push({ kind: 'text', text: literal });
    literal = '';
    if (j === text.length - 1) throw new FormatError('invalid formatting syntax: formatting cannot end with a %', base + j, false);
    let k = j + 1;
    const width = /^[0-9]+/.exec(text.slice(k))?.[0] ?? '';
    k += width.length;
    if (width && k >= text.length) throw new FormatError('invalid formatting syntax: formatting cannot end with a number', base + j, false);
    const token = readToken(text.slice(k), catalogue);
    if (!token) {
      const shown = /^\S*/.exec(text.slice(k))?.[0] ?? '';
      throw new FormatError(`unknown field '%${shown}' in output`, base + j, true);
    }
    tokens.push({ kind: 'field', ...token, width: width ? Number(width) : 0, offset: base + j });
    j = k + token.text.length - 1;
  }
  if (literal) tokens.push({ kind: 'text', text: literal });
  return { tokens, allowMissing };
}

function readToken(rest: string, catalogue: FieldCatalogue): { text: string; field?: ResolvedField; operand: Operand } | undefined {
  if (TRANSFORMER_CALL_PREFIX.test(rest) && !rest.startsWith('val(')) return readTransformer(rest, catalogue);
  const match = FIELD_PREFIX.exec(rest);
  if (!match) return undefined;
  // The longest prefix naming a known field wins, as libsinsp's formatter retries shorter ones.
  for (let length = match[0].length; length > 0; length--) {
    const name = match[0].slice(0, length);
    if (!FIELD_PREFIX.test(name) || FIELD_PREFIX.exec(name)![0] !== name) continue;
    const bracket = rest[length] === '[' ? /^\[([^\]]*)\]/.exec(rest.slice(length)) : null;
    if (bracket) {
      const resolved = catalogue.resolve(name, bracket[1]);
      // an argument libsinsp refuses as written (evt.rawarg[0]) fails this length, as the others
      if (resolved.ok && FieldCatalogue.writtenArgumentProblem(name, bracket[1]) === undefined) {
        return { text: name + bracket[0], field: resolved.field, operand: operand(name, bracket[1]) };
      }
    }
    const resolved = catalogue.resolve(name);
    if (resolved.ok) return { text: name, field: resolved.field, operand: operand(name) };
  }
  return undefined;
}

function readTransformer(rest: string, catalogue: FieldCatalogue): { text: string; operand: Operand } | undefined {
  // Find the shortest balanced prefix that parses as `transformer(...) exists`.
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '(') depth++;
    else if (rest[i] === ')' && --depth === 0) {
      let end = i + 1;
      const bracket = rest[end] === '[' ? /^\[[^\]]*\]/.exec(rest.slice(end)) : null;
      if (bracket) end += bracket[0].length;
      const candidate = rest.slice(0, end);
      const parsed = parseCondition(`${candidate} exists`);
      if (!parsed.ok || parsed.ast.kind !== 'unary') return undefined;
      if (!transformerFieldsKnown(parsed.ast.left, catalogue)) return undefined;
      return { text: candidate, operand: parsed.ast.left };
    }
  }
  return undefined;
}

function transformerFieldsKnown(node: Operand | { kind: string }, catalogue: FieldCatalogue): boolean {
  if (node.kind === 'field') {
    const f = node as Extract<Operand, { kind: 'field' }>;
    return catalogue.resolve(f.name, f.arg).ok;
  }
  if (node.kind === 'transformer') {
    return (node as Extract<Operand, { kind: 'transformer' }>).args.every((a) =>
      a.kind === 'transformer_list' ? a.items.every((i) => transformerFieldsKnown(i, catalogue)) : transformerFieldsKnown(a, catalogue),
    );
  }
  return true;
}

const NO_RANGE = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

function operand(name: string, arg?: string): Operand {
  return arg === undefined ? { kind: 'field', name, range: NO_RANGE } : { kind: 'field', name, arg, range: NO_RANGE };
}

/** The field tokens of a format, in order, as written (`proc.name`, `proc.aname[2]`). */
export function formatFields(format: ParsedFormat): string[] {
  return format.tokens.filter((t) => t.kind === 'field').map((t) => (t as { text: string }).text);
}
