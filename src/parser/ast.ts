/**
 * Typed AST of Falco's condition language, shaped after libsinsp's filter AST.
 * Every node carries the source range it was parsed from, so later stages
 * (rule loader, evaluator diagnostics, coverage) can point at the exact token.
 */

export interface SourcePosition {
  /** 0-based character offset into the condition text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface SourceRange {
  start: SourcePosition;
  /** Position just past the last character of the node. */
  end: SourcePosition;
}

// Operators and transformers are defined by their registries; the parser reads their names from there.
import type { BinaryOperator, ListOperator, NumericOperator, OperatorModifier, UnaryOperator } from '../operators/registry.js';
import { LIST_OPERATORS, NUMERIC_OPERATORS } from '../operators/registry.js';
import type { TransformerName } from '../operators/transformers.js';

export {
  type BinaryOperator,
  LIST_OPERATORS,
  type ListOperator,
  NUMERIC_OPERATORS,
  type NumericOperator,
  OPERATOR_MODIFIERS,
  type OperatorModifier,
  STRING_OPERATORS,
  type StringOperator,
  UNARY_OPERATORS,
  type UnaryOperator,
} from '../operators/registry.js';
export { FIELD_TRANSFORMERS, type TransformerName } from '../operators/transformers.js';

export interface AndExpr {
  kind: 'and';
  children: Expr[];
  range: SourceRange;
}

export interface OrExpr {
  kind: 'or';
  children: Expr[];
  range: SourceRange;
}

export interface NotExpr {
  kind: 'not';
  child: Expr;
  range: SourceRange;
}

/** A bare identifier used as a check: a macro reference. */
export interface IdentifierExpr {
  kind: 'identifier';
  name: string;
  range: SourceRange;
}

export interface UnaryCheckExpr {
  kind: 'unary';
  left: Operand;
  operator: UnaryOperator;
  range: SourceRange;
}

export interface BinaryCheckExpr {
  kind: 'binary';
  left: Operand;
  operator: BinaryOperator;
  /** Present for `= oneof (…)`, `contains anyof (…)`, `startswith allof (…)` and the like. */
  modifier?: OperatorModifier;
  right: RightHandSide;
  range: SourceRange;
}

export type Expr = AndExpr | OrExpr | NotExpr | IdentifierExpr | UnaryCheckExpr | BinaryCheckExpr;

/** `proc.name`, `proc.aname[2]`, `container.mount.dest[/var/run/docker.sock]`. */
export interface FieldExpr {
  kind: 'field';
  name: string;
  arg?: string;
  range: SourceRange;
}

/** `tolower(proc.name)`, `concat(proc.name, "-", proc.pid)`, or `val(proc.pname)` on a right-hand side. */
export interface TransformerExpr {
  kind: 'transformer';
  name: TransformerName;
  args: TransformerArg[];
  /** Argument applied to the transformer's result, as in `getopt(proc.args)[c]`. */
  arg?: string;
  range: SourceRange;
}

/** A parenthesised list given as a transformer argument: `join(",", (proc.name, proc.exe))`. */
export interface TransformerListExpr {
  kind: 'transformer_list';
  items: TransformerListItem[];
  range: SourceRange;
}

/** A literal string or number. `value` is the unescaped text. */
export interface ValueExpr {
  kind: 'value';
  value: string;
  range: SourceRange;
}

/** A literal list `(a, "b c", 3)`. */
export interface ListExpr {
  kind: 'list';
  items: ValueExpr[];
  range: SourceRange;
}

/** A list operator's right-hand side naming a list: `evt.type in shell_binaries`. */
export interface ListRefExpr {
  kind: 'list_ref';
  name: string;
  range: SourceRange;
}

export type Operand = FieldExpr | TransformerExpr;
export type TransformerListItem = FieldExpr | TransformerExpr | ValueExpr;
export type TransformerArg = TransformerListItem | TransformerListExpr;
export type RightHandSide = ValueExpr | ListExpr | ListRefExpr | TransformerExpr;

export type Node = Expr | FieldExpr | TransformerExpr | TransformerListExpr | ValueExpr | ListExpr | ListRefExpr;

export function isListOperator(op: string): op is ListOperator {
  return (LIST_OPERATORS as readonly string[]).includes(op);
}

export function isNumericOperator(op: string): op is NumericOperator {
  return (NUMERIC_OPERATORS as readonly string[]).includes(op);
}
