/** Why a rule did not fire on an event: the parts of its expanded condition that were false. */
import type { ProgramBuilder } from '../evaluator/program-builder.js';
import { type Expr, printCondition } from '../parser/index.js';

/** The checks that made `expr` false for `event` (it must be false). */
export function explain<E>(expr: Expr, event: E, compiler: ProgramBuilder<E>): string[] {
  const holds = (e: Expr) => compiler.compile(e)(event);
  switch (expr.kind) {
    case 'and': {
      const failing = expr.children.find((c) => !holds(c));
      return failing ? explain(failing, event, compiler) : [];
    }
    case 'or':
      return [`none of (${expr.children.map((c) => explain(c, event, compiler).join(' and ')).join(' | ')})`];
    case 'not':
      return [`'${printCondition(expr.child)}' matched`];
    default:
      return [`'${printCondition(expr)}' did not match`];
  }
}
