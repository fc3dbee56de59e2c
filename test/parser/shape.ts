import type { Node } from '../../src/parser/index.js';

/** A compact S-expression of a tree, independent of kestrel's printer. */
export function shape(node: Node): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.kind} ${node.children.map(shape).join(' ')})`;
    case 'not':
      return `(not ${shape(node.child)})`;
    case 'identifier':
      return `(macro ${node.name})`;
    case 'unary':
      return `(${node.operator} ${shape(node.left)})`;
    case 'binary':
      return `(${node.operator}${node.modifier ? ` ${node.modifier}` : ''} ${shape(node.left)} ${shape(node.right)})`;
    case 'field':
      return node.arg === undefined ? node.name : `${node.name}[${JSON.stringify(node.arg)}]`;
    case 'transformer':
      return `${node.name}(${node.args.map(shape).join(' ')})${node.arg === undefined ? '' : `[${JSON.stringify(node.arg)}]`}`;
    case 'transformer_list':
      return `[${node.items.map(shape).join(' ')}]`;
    case 'value':
      return JSON.stringify(node.value);
    case 'list':
      return `[${node.items.map(shape).join(' ')}]`;
    case 'list_ref':
      return `@${node.name}`;
  }
}
