/**
 * Rule descriptions modeled on Falco's `-L` JSON (`info` and `details`): the expanded
 * condition, event types, fields, macros and lists of each rule.
 */
import { allEventNamesForCodes } from '../fields/events.js';
import { type Expr, parseCondition, printCondition, RULES_MAX_DEPTH, visit } from '../parser/index.js';
import type { CompiledRule, CompileOutput } from './model.js';

export interface RuleDescription {
  info: {
    name: string;
    condition: string;
    priority: string;
    output: string;
    description: string;
    enabled: boolean;
    source: string;
    capture: boolean;
    capture_duration: number;
    tags: string[];
  };
  details: {
    macros: string[];
    lists: string[];
    condition_operators: string[];
    condition_fields: string[];
    output_fields: string[];
    exception_fields: string[];
    events: string[];
    condition_compiled: string;
    output_compiled: string;
  };
}

export function describeRule(rule: CompiledRule, rawCondition: string, output: CompileOutput): RuleDescription {
  const macroNames = new Set(output.macros.map((m) => m.name));
  const listNames = new Set(output.lists.map((l) => l.name));
  const direct = directReferences(rawCondition, macroNames, listNames);
  const operators = new Set<string>();
  visit(rule.condition, {
    enter(node) {
      if (node.kind === 'binary') operators.add(node.modifier ? `${node.operator} ${node.modifier}` : node.operator);
      if (node.kind === 'unary') operators.add(node.operator);
    },
  });
  return {
    info: {
      name: rule.name,
      condition: rawCondition,
      priority: rule.priority,
      output: rule.output,
      description: rule.description,
      enabled: rule.enabled,
      source: rule.source,
      capture: rule.capture,
      capture_duration: rule.captureDuration,
      tags: rule.tags,
    },
    details: {
      macros: direct.macros,
      lists: direct.lists,
      condition_operators: [...operators].sort(),
      condition_fields: [...rule.conditionFields].sort(),
      // Each field once, in order of first use: the container plugin's suggested fields are
      // appended to outputs that often name some of them already.
      output_fields: [...new Set(rule.outputFields)],
      exception_fields: rule.exceptionFields,
      events: rule.eventTypes.all ? [] : allEventNamesForCodes(rule.eventTypes.codes),
      condition_compiled: printCondition(rule.condition),
      output_compiled: rule.output,
    },
  };
}

/** Macros and lists a condition names itself (not through its macros). */
function directReferences(condition: string, macros: Set<string>, lists: Set<string>): { macros: string[]; lists: string[] } {
  // Falco re-parses here with libsinsp's default limit (100) and throws on deeper rules; kestrel keeps the loader's.
  const parsed = parseCondition(condition, { maxDepth: RULES_MAX_DEPTH });
  const usedMacros = new Set<string>();
  const usedLists = new Set<string>();
  if (parsed.ok) {
    visit(parsed.ast as Expr, {
      enter(node) {
        if (node.kind === 'identifier' && macros.has(node.name)) usedMacros.add(node.name);
        if (node.kind === 'value' && lists.has(node.value)) usedLists.add(node.value);
        if (node.kind === 'list_ref' && lists.has(node.name)) usedLists.add(node.name);
      },
    });
  }
  return { macros: [...usedMacros].sort(), lists: [...usedLists].sort() };
}
