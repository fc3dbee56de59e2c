/**
 * A text key per sub-condition, equal for sub-conditions written alike: what lets generated
 * code compute a repeated macro once per event, and ordering count its occurrences. Keys are
 * cached per node (trees are shared, so a key is built once).
 */
import { type Expr, printCondition } from '../parser/index.js';

export class ExpressionKeys {
  private readonly keys = new Map<Expr, string>();

  of(expr: Expr): string {
    let k = this.keys.get(expr);
    if (k === undefined) {
      if (expr.kind === 'and' || expr.kind === 'or') k = `(${expr.children.map((c) => this.of(c)).join(` ${expr.kind} `)})`;
      else if (expr.kind === 'not') k = `not ${this.of(expr.child)}`;
      else k = printCondition(expr);
      this.keys.set(expr, k);
    }
    return k;
  }
}
