/**
 * The operator and transformer registries drive the parser, the loader's type checks and
 * the evaluator. These tests hold the three to one table: whatever the registry says an
 * operator accepts, the parser reads, the loader accepts, and the evaluator can compare;
 * whatever it refuses, the loader refuses.
 */
import { describe, expect, it } from 'vitest';
import { ProgramBuilder } from '../../src/evaluator/program-builder.js';
import { FieldCatalogue, type FieldType } from '../../src/fields/catalogue.js';
import { ALL_OPERATORS, OPERATORS, operatorAccepts } from '../../src/operators/registry.js';
import { TRANSFORMER_NAMES, TRANSFORMERS } from '../../src/operators/transformers.js';
import { parseCondition } from '../../src/parser/index.js';
import { canBeBare } from '../../src/parser/unescape.js';
import { ConditionValidator } from '../../src/rules/condition-validator.js';
import { FlatEventSource } from '../../src/sources/jsonl/flat-source.js';

const catalogue = FieldCatalogue.syscall();

/** One real field of each type, and a constant its type accepts. */
const SAMPLES: Partial<Record<FieldType, { field: string; value: string }>> = {
  charbuf: { field: 'proc.name', value: 'bash' },
  bytebuf: { field: 'evt.buffer', value: '6162' },
  bool: { field: 'evt.is_open_write', value: 'true' },
  int64: { field: 'proc.pid', value: '42' },
  uint64: { field: 'evt.buflen', value: '42' },
  abstime: { field: 'evt.rawtime', value: '42' },
  int16: { field: 'evt.cpu', value: '1' },
  double: { field: 'proc.fdusage', value: '2' },
  uint32: { field: 'proc.tty', value: '42' },
  port: { field: 'fd.sport', value: '443' },
  ipaddr: { field: 'fd.sip', value: '10.0.0.1' },
  ipnet: { field: 'fd.snet', value: '10.0.0.0/8' },
};

function condition(field: string, op: string, value: string): string {
  const spec = OPERATORS[op as keyof typeof OPERATORS];
  if (spec.rhs === 'none') return `${field} ${op}`;
  // The parser wants a number after `<` and friends, whatever the field's type.
  if (spec.rhs === 'number') return `${field} ${op} 42`;
  return spec.rhs === 'list' ? `${field} ${op} (${value})` : `${field} ${op} ${value}`;
}

describe('the operator registry', () => {
  for (const [type, sample] of Object.entries(SAMPLES)) {
    it(`agrees with the loader and the evaluator on ${type} fields`, () => {
      expect(catalogue.get(sample.field)?.type).toBe(type);
      let accepted = 0;
      for (const op of ALL_OPERATORS) {
        const parsed = parseCondition(condition(sample.field, op, sample.value));
        expect(parsed.ok, `${op} parses`).toBe(true);
        if (!parsed.ok) continue;
        const validator = new ConditionValidator(catalogue);
        validator.validate(parsed.ast);
        const accepts = operatorAccepts(op, type as FieldType, false);
        expect(validator.problems.length === 0, `${sample.field} ${op}: loader ${validator.problems[0]?.message ?? 'accepts'}`).toBe(accepts);
        if (!accepts) continue;
        accepted++;
        // Whatever the loader accepts, the evaluator compiles and runs.
        const predicate = new ProgramBuilder(new FlatEventSource(), catalogue).compile(parsed.ast);
        expect(typeof predicate({ [sample.field]: null })).toBe('boolean');
      }
      expect(accepted).toBeGreaterThan(3);
    });
  }

  it('lets list fields take only the operators marked for them', () => {
    const listField = 'fd.types';
    expect(catalogue.get(listField)?.flags.has('is_list')).toBe(true);
    for (const op of ALL_OPERATORS) {
      const parsed = parseCondition(condition(listField, op, 'file'));
      if (!parsed.ok) continue;
      const validator = new ConditionValidator(catalogue);
      validator.validate(parsed.ast);
      expect(validator.problems.length === 0, `${listField} ${op}`).toBe(OPERATORS[op].onListFields);
    }
  });
});

describe('the transformer registry', () => {
  it('is what the parser reads and what bare values must avoid', () => {
    for (const name of TRANSFORMER_NAMES) {
      const text = TRANSFORMERS[name].kind === 'reference' ? `proc.name = ${name}(proc.pname)` : `${name}(proc.name) = x`;
      expect(parseCondition(text).ok, text).toBe(true);
      expect(canBeBare(name)).toBe(false);
    }
    expect(canBeBare('tolowerx')).toBe(true);
  });
});
