import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { FlatEventSource, type FlatEvent } from '../../src/sources/jsonl/flat-source.js';
import { ConditionCompiler } from '../../src/evaluator/compile.js';
import { parseCondition } from '../../src/parser/index.js';
import { ConditionChecker } from '../../src/rules/condition-check.js';

/** Compiles a bare condition (checked like a rule's) into a predicate over flat events. */
export function predicate(condition: string): (event: FlatEvent) => boolean {
  const parsed = parseCondition(condition);
  if (!parsed.ok) throw new Error(`does not parse: ${parsed.error.message}`);
  const catalogue = FieldCatalogue.syscall();
  const checker = new ConditionChecker(catalogue);
  checker.check(parsed.ast);
  if (checker.problems.length > 0) throw new Error(checker.problems.map((p) => p.message).join('; '));
  return new ConditionCompiler(new FlatEventSource(), catalogue).compile(parsed.ast);
}

export function matches(condition: string, event: FlatEvent): boolean {
  return predicate(condition)(event);
}
