import { ProgramBuilder } from '../../src/evaluator/program-builder.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { parseCondition } from '../../src/parser/index.js';
import { ConditionValidator } from '../../src/rules/condition-validator.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';

/** Compiles a bare condition (checked like a rule's) into a predicate over flat events. */
export function predicate(condition: string): (event: FlatEvent) => boolean {
  const parsed = parseCondition(condition);
  if (!parsed.ok) throw new Error(`does not parse: ${parsed.error.message}`);
  const catalogue = FieldCatalogue.syscall();
  const validator = new ConditionValidator(catalogue);
  validator.validate(parsed.ast);
  if (validator.problems.length > 0) throw new Error(validator.problems.map((p) => p.message).join('; '));
  return new ProgramBuilder(new FlatEventSource(), catalogue).compile(parsed.ast);
}

export function matches(condition: string, event: FlatEvent): boolean {
  return predicate(condition)(event);
}
