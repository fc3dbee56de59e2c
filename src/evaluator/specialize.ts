/**
 * Partial evaluation of a condition for events whose type is known: checks that can be
 * decided without the event (for example `evt.type in (open, openat)` when the type is
 * `openat`) become constants, and `and`/`or`/`not` around them simplify. A rule whose
 * condition becomes false is never tried on that type.
 */
import type { BinaryCheckExpr, Expr, UnaryCheckExpr } from '../parser/index.js';

export type Decide = (check: BinaryCheckExpr | UnaryCheckExpr) => boolean | undefined;

/** The condition with every decidable check folded away, or the constant it reduces to. */
export function specialize(expr: Expr, decide: Decide): Expr | boolean {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const absorbing = expr.kind === 'or';
      const children: Expr[] = [];
      let changed = false;
      for (const child of expr.children) {
        const folded = specialize(child, decide);
        if (folded === absorbing) return absorbing;
        if (folded !== child) changed = true;
        if (typeof folded !== 'boolean') children.push(folded);
      }
      if (children.length === 0) return !absorbing;
      if (children.length === 1) return children[0]!;
      return changed ? { ...expr, children } : expr;
    }
    case 'not': {
      const folded = specialize(expr.child, decide);
      if (typeof folded === 'boolean') return !folded;
      return folded === expr.child ? expr : { ...expr, child: folded };
    }
    case 'unary':
    case 'binary':
      return decide(expr) ?? expr;
    case 'identifier':
      return expr;
  }
}
