import { describe, expect, it } from 'vitest';
import { parseCondition, printCondition, stripRanges, visit } from '../../src/parser/index.js';
import { upstreamConditions } from '../helpers/upstream.js';

const conditions = upstreamConditions();

describe('upstream Falco rules files', () => {
  it('hold hundreds of conditions (the fixture is really there)', () => {
    expect(conditions.length).toBeGreaterThan(400);
  });

  it('every rule and macro condition parses', () => {
    const failures = conditions
      .map((c) => ({ ...c, result: parseCondition(c.condition) }))
      .filter((c) => !c.result.ok)
      .map((c) => `${c.kind} ${c.name}: ${JSON.stringify(c.result)}`);
    expect(failures).toEqual([]);
  });

  it('every condition prints back to text that parses to the same tree', () => {
    const mismatches: string[] = [];
    for (const c of conditions) {
      const first = parseCondition(c.condition);
      if (!first.ok) continue;
      const printed = printCondition(first.ast);
      const second = parseCondition(printed);
      if (!second.ok || JSON.stringify(stripRanges(second.ast)) !== JSON.stringify(stripRanges(first.ast))) {
        mismatches.push(`${c.name}: ${printed}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('node ranges cover exactly the source text of fields and values', () => {
    for (const c of conditions) {
      const result = parseCondition(c.condition);
      if (!result.ok) continue;
      visit(result.ast, {
        enter(node) {
          const text = c.condition.slice(node.range.start.offset, node.range.end.offset);
          if (node.kind === 'field') expect(text.startsWith(node.name)).toBe(true);
          if (node.kind === 'identifier' || node.kind === 'list_ref') expect(text).toBe(node.name);
          if (node.kind === 'list') expect(text.startsWith('(') && text.endsWith(')')).toBe(true);
        },
      });
    }
  });
});
