/**
 * Macro expansion on the AST: every identifier naming a visible macro is replaced by the
 * macro's tree (itself expanded). Trees are shared, never mutated, so a node keeps its
 * origin for diagnostics. The first reference loop, or else the first unknown name, is
 * reported, as Falco does.
 */
import type { Expr, Node } from '../parser/index.js';

export interface MacroResolution {
  expr: Expr;
  /** Macro names substituted, in order (with repeats). */
  resolved: string[];
  error?: { message: string; node: Node };
}

/** `lookup` gives the (expanded or not) tree of a visible macro, or undefined. */
export function resolveMacros(ast: Expr, lookup: (name: string) => Expr | undefined): MacroResolution {
  const resolved: string[] = [];
  const loops: { message: string; node: Node }[] = [];
  const unknown: { message: string; node: Node }[] = [];
  const path: string[] = [];

  const walk = (node: Expr): Expr => {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const children = node.children.map(walk);
        return children.every((c, i) => c === node.children[i]) ? node : { ...node, children };
      }
      case 'not': {
        const child = walk(node.child);
        return child === node.child ? node : { ...node, child };
      }
      case 'identifier': {
        const macro = lookup(node.name);
        if (!macro) {
          unknown.push({ message: `Undefined macro '${node.name}' used in filter.`, node });
          return node;
        }
        if (path.includes(node.name)) {
          loops.push({ message: `reference loop in macro '${node.name}'`, node });
          return node;
        }
        path.push(node.name);
        const expanded = walk(macro);
        path.pop();
        resolved.push(node.name);
        return expanded;
      }
      default:
        return node;
    }
  };

  const expr = walk(ast);
  const error = loops[0] ?? unknown[0];
  return error ? { expr, resolved, error } : { expr, resolved };
}
