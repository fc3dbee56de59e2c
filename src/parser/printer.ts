import type { Expr, FieldExpr, Node, RightHandSide, TransformerArg, ValueExpr } from './ast.js';
import { canBeBare, quote } from './unescape.js';
import { NUMBER } from './words.js';

const BARE_FIELD_ARG = /^[^\][ \t\b\r\n\f\v"']+$/;

/**
 * Prints an AST as condition text that parses back to the same AST.
 * Nested `or`/`and`/`not` that the source must have parenthesised are parenthesised again,
 * and `and` inside `or` is bracketed so the text also suits older libsinsp versions.
 */
export function printCondition(node: Expr): string {
  switch (node.kind) {
    case 'or':
      // `and` inside `or` is bracketed too: older libsinsp (sysdig) rejects unbracketed mixes.
      return node.children.map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${printCondition(c)})` : printCondition(c))).join(' or ');
    case 'and':
      return node.children.map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${printCondition(c)})` : printCondition(c))).join(' and ');
    case 'not': {
      const c = node.child;
      const inner = printCondition(c);
      return c.kind === 'or' || c.kind === 'and' || c.kind === 'not' ? `not (${inner})` : `not ${inner}`;
    }
    case 'identifier':
      return node.name;
    case 'unary':
      return `${printOperand(node.left)} ${node.operator}`;
    case 'binary': {
      const op = node.modifier ? `${node.operator} ${node.modifier}` : node.operator;
      return `${printOperand(node.left)} ${op} ${printRightHandSide(node.right, /^[<>]/.test(node.operator))}`;
    }
  }
}

/** Prints any node: conditions, operands and right-hand sides alike. */
export function printNode(node: Node): string {
  switch (node.kind) {
    case 'field':
    case 'transformer':
      return printOperand(node);
    case 'transformer_list':
      return `(${node.items.map(printTransformerArg).join(', ')})`;
    case 'value':
    case 'list':
    case 'list_ref':
      return printRightHandSide(node, false);
    default:
      return printCondition(node);
  }
}

function printOperand(node: FieldExpr | Extract<Node, { kind: 'transformer' }>): string {
  if (node.kind === 'field') return node.name + printFieldArg(node.arg);
  return `${node.name}(${node.args.map(printTransformerArg).join(', ')})${printFieldArg(node.arg)}`;
}

function printFieldArg(arg: string | undefined): string {
  if (arg === undefined) return '';
  return `[${BARE_FIELD_ARG.test(arg) ? arg : quote(arg)}]`;
}

function printTransformerArg(node: TransformerArg): string {
  switch (node.kind) {
    case 'value':
      return NUMBER.test(node.value) ? node.value : quote(node.value);
    case 'transformer_list':
      return `(${node.items.map(printTransformerArg).join(', ')})`;
    default:
      return printOperand(node);
  }
}

function printRightHandSide(node: RightHandSide, numeric: boolean): string {
  switch (node.kind) {
    case 'value':
      return numeric ? node.value : printValue(node);
    case 'list':
      return `(${node.items.map(printValue).join(', ')})`;
    case 'list_ref':
      return node.name;
    case 'transformer':
      return printOperand(node);
  }
}

function printValue(node: ValueExpr): string {
  return canBeBare(node.value) ? node.value : quote(node.value);
}
