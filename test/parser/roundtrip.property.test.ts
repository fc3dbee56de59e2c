import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Expr,
  FIELD_TRANSFORMERS,
  type FieldExpr,
  LIST_OPERATORS,
  NUMERIC_OPERATORS,
  OPERATOR_MODIFIERS,
  type Operand,
  parseCondition,
  printCondition,
  type RightHandSide,
  STRING_OPERATORS,
  stripRanges,
  type TransformerArg,
  type TransformerExpr,
  type ValueExpr,
} from '../../src/parser/index.js';

// Ranges are irrelevant to structure; the generators build nodes without meaningful ones.
const R = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

const KEYWORDS = new Set(['and', 'or', 'not']);
const identifier = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,12}$/).filter((s) => !KEYWORDS.has(s));
const fieldName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,6}(\.[a-zA-Z][a-zA-Z0-9_]{0,6}){1,3}$/);
const anyString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('/usr/bin/*', 'a b', "it's", 'x\\', 'a\\"b', '"q"', 'and', 'oneof', '5'),
);
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.nat().map((n) => `0x${n.toString(16)}`),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => d.toFixed(3)),
);
const value = (text: fc.Arbitrary<string>): fc.Arbitrary<ValueExpr> => text.map((v) => ({ kind: 'value', value: v, range: R }));

const field: fc.Arbitrary<FieldExpr> = fc
  .record({ name: fieldName, arg: fc.option(anyString, { nil: undefined }) })
  .map(({ name, arg }) => (arg === undefined ? { kind: 'field', name, range: R } : { kind: 'field', name, arg, range: R }));

const { transformer } = fc.letrec<{ transformer: TransformerExpr; arg: TransformerArg }>((tie) => ({
  transformer: fc
    .record({
      name: fc.constantFrom(...FIELD_TRANSFORMERS),
      args: fc.array(tie('arg'), { minLength: 1, maxLength: 3 }),
      arg: fc.option(anyString, { nil: undefined }),
    })
    .map(({ name, args, arg }) => {
      const node: TransformerExpr = { kind: 'transformer', name, args, range: R };
      if (arg !== undefined) node.arg = arg;
      return node;
    }),
  arg: fc.oneof(
    { depthSize: 'small' },
    field,
    value(fc.oneof(anyString, numberText)),
    tie('transformer'),
    fc.array(fc.oneof(field, value(anyString)), { maxLength: 3 }).map((items) => ({ kind: 'transformer_list' as const, items, range: R })),
  ),
}));

const operand: fc.Arbitrary<Operand> = fc.oneof(field, transformer);
const valOf: fc.Arbitrary<TransformerExpr> = field.map((f) => ({ kind: 'transformer', name: 'val', args: [f], range: R }));
const transformerRhs = fc.oneof(transformer, valOf);
const list: fc.Arbitrary<RightHandSide> = fc.array(value(anyString), { maxLength: 4 }).map((items) => ({ kind: 'list', items, range: R }));
const listRef: fc.Arbitrary<RightHandSide> = identifier.map((name) => ({ kind: 'list_ref', name, range: R }));
// After a modifier, libsinsp takes a name starting with and/or/not plus a non-alphanumeric
// character (`or_`) for the keyword, so such a list name cannot be written there at all.
const modifierListRef = listRef.filter((r) => r.kind === 'list_ref' && !/^(and|or|not)([^a-zA-Z0-9]|$)/.test(r.name));

const check: fc.Arbitrary<Expr> = fc.oneof(
  identifier.map((name): Expr => ({ kind: 'identifier', name, range: R })),
  operand.map((left): Expr => ({ kind: 'unary', left, operator: 'exists', range: R })),
  fc
    .record({ left: operand, operator: fc.constantFrom(...NUMERIC_OPERATORS), right: fc.oneof(value(numberText), transformerRhs) })
    .map((c): Expr => ({ kind: 'binary', ...c, range: R })),
  fc
    .record({ left: operand, operator: fc.constantFrom(...STRING_OPERATORS), right: fc.oneof(value(anyString), transformerRhs) })
    .map((c): Expr => ({ kind: 'binary', ...c, range: R })),
  fc
    .record({
      left: operand,
      operator: fc.constantFrom(...STRING_OPERATORS),
      modifier: fc.constantFrom(...OPERATOR_MODIFIERS),
      right: fc.oneof(list, modifierListRef),
    })
    .map((c): Expr => ({ kind: 'binary', ...c, range: R })),
  fc
    .record({ left: operand, operator: fc.constantFrom(...LIST_OPERATORS), right: fc.oneof(list, listRef, transformerRhs) })
    .map((c): Expr => ({ kind: 'binary', ...c, range: R })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    check,
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((children): Expr => ({ kind: 'and', children, range: R })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((children): Expr => ({ kind: 'or', children, range: R })),
    tie('expr').map((child): Expr => ({ kind: 'not', child, range: R })),
  ),
}));

describe('printer and parser', () => {
  it('parse(print(ast)) has the structure of ast', () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const printed = printCondition(ast);
        const result = parseCondition(printed);
        if (!result.ok) throw new Error(`printed text does not parse: ${printed}\n${JSON.stringify(result.error)}`);
        expect(stripRanges(result.ast)).toEqual(stripRanges(ast));
      }),
      { numRuns: 1500 },
    );
  });
});
