import type { Node } from './ast.js';

/** The direct children of a node, in source order. */
export function childrenOf(node: Node): Node[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children;
    case 'not':
      return [node.child];
    case 'unary':
      return [node.left];
    case 'binary':
      return [node.left, node.right];
    case 'transformer':
      return node.args;
    case 'transformer_list':
    case 'list':
      return node.items;
    case 'identifier':
    case 'field':
    case 'value':
    case 'list_ref':
      return [];
  }
}

export interface Visitor {
  /** Called before a node's children; return false to skip them. */
  enter?(node: Node, parent: Node | undefined): boolean | void;
  /** Called after a node's children. */
  leave?(node: Node, parent: Node | undefined): void;
}

/** Depth-first walk over an AST. */
export function visit(node: Node, visitor: Visitor, parent?: Node): void {
  if (visitor.enter?.(node, parent) === false) return;
  for (const child of childrenOf(node)) visit(child, visitor, node);
  visitor.leave?.(node, parent);
}

/** A copy of the AST without source ranges: for comparing structures. */
export function stripRanges<T extends Node>(node: T): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'range' ? undefined : value)));
}
