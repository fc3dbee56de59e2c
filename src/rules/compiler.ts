/**
 * Turns what the collector gathered into compiled rules, as Falco's rule compiler does:
 * lists expanded (into other lists, then textually into conditions), macros parsed and
 * resolved in definition order, exceptions appended to conditions, conditions and outputs
 * checked against the field catalogue, event types computed, unused items reported.
 */
import type { FieldCatalogue } from '../fields/catalogue.js';
import { type Expr, type Node, parseCondition, RULES_MAX_DEPTH } from '../parser/index.js';
import type { Collector } from './collector.js';
import { CompileCache, type OutputFacts, type TextRecord } from './compile-cache.js';
import { type Diagnostic, LoadError, type LoadWarningCode, type Location } from './diagnostics.js';
import { buildExceptionCondition } from './exceptions.js';
import { type ExpandedList, ListSubstituter } from './lists.js';
import type { CompiledRule, CompileOutput, ListInfo, MacroInfo, RuleInfo, TextSegment } from './model.js';
import { FormatError } from './output-format.js';
import { locationsAt, OffsetMap } from './positions.js';

export interface CompileOptions {
  /** Append the fields the container plugin suggests to every syscall rule's output (Falco's default). */
  suggestedOutput?: boolean;
}

/** The container plugin's suggested output fields, in the plugin's field order. */
export const SUGGESTED_OUTPUT_FIELDS = ['container.id', 'container.name', 'container.image.repository', 'container.image.tag', 'k8s.pod.name', 'k8s.ns.name'];

/** Fields deprecated since enter events were dropped. */
export const DEPRECATED_FIELDS = ['evt.dir', 'evt.latency', 'evt.latency.s', 'evt.latency.ns', 'evt.latency.human', 'evt.wait_latency'];
const DEPRECATED_DIR =
  "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. The rule expression can be simplified by removing the condition on 'evt.dir'";
const DEPRECATED_LATENCY = 'field is not available due to the drop of enter events.';
/**
 * Falco's error for any output token libsinsp cannot read: its formatter retries ever shorter
 * prefixes of the token (eventformatter.cpp) and reports `unknown filter: ` with the error of
 * the last, one-character attempt, which parse_field_or_transformer words as below.
 */
const UNKNOWN_OUTPUT_TOKEN = "unknown filter: unexpected token after '";

interface MacroState {
  info: MacroInfo;
  ast: Expr;
  used: boolean;
  /** Lists substituted into the macro's own text. */
  lists: string[];
  /** Macros it refers to, directly or through other macros. */
  uses: string[];
}

/** The file locations of an offset in a parsed (rewritten) text. */
function locateOffset(record: TextRecord, offset: number): Location[] {
  const original = record.offsets.toOriginal(offset) - record.prefix;
  const segment = [...record.segments].reverse().find((s) => s.start <= original);
  if (!segment || original < 0) return record.context;
  const local = original - segment.start;
  const length = String((segment.origin.node as { value?: unknown }).value ?? '').length;
  return local <= length ? locationsAt(segment.origin, local) : record.context;
}

export class RuleCompiler {
  readonly warnings: Diagnostic[] = [];
  /** Lists substituted by the latest parse. */
  private lastListsUsed: string[] = [];

  /** `cache` is shared by the compiles of one load (same collector, same catalogue). */
  constructor(
    private readonly collector: Collector,
    catalogue: FieldCatalogue,
    private readonly options: CompileOptions = {},
    private readonly cache = new CompileCache(catalogue, DEPRECATED_FIELDS),
  ) {}

  /** Compiles everything collected so far; throws LoadError on the first error. */
  compile(): CompileOutput {
    const lists = this.compileLists();
    const substituter = new ListSubstituter(lists);
    const macros = this.compileMacros(substituter);
    const rules: CompiledRule[] = [];
    const all = (name: string): Expr | undefined => macros.get(name)?.ast;
    for (const info of this.collector.rules.values()) {
      if (info.unknownSource) continue;
      const rule = this.compileRule(info, substituter, macros, all);
      if (rule) rules.push(rule);
    }
    for (const m of macros.values()) {
      if (!m.used) this.warn('LOAD_UNUSED_MACRO', 'Macro not referred to by any other rule/macro', m.info.context);
    }
    for (const l of lists) {
      if (!l.used) this.warn('LOAD_UNUSED_LIST', 'List not referred to by any other rule/macro', l.info.context);
    }
    return {
      rules,
      macros: [...macros.values()].map((m) => ({ name: m.info.name, condition: m.ast, used: m.used, context: m.info.context })),
      lists: lists.map((l) => ({ name: l.name, items: l.items, used: l.used, context: l.info.context })),
      locate: (node) => this.locate(node, []),
    };
  }

  /** A list's items may name lists defined before it: those are replaced by their items. */
  private compileLists(): (ExpandedList & { info: ListInfo })[] {
    const out: (ExpandedList & { info: ListInfo })[] = [];
    const usedNames = new Set<string>();
    for (const list of this.collector.lists.values()) {
      const items: string[] = [];
      for (const item of list.items) {
        const ref = this.collector.lists.get(item);
        if (ref && ref.index < list.visibility) {
          usedNames.add(ref.name);
          items.push(...ref.items);
        } else {
          items.push(item);
        }
      }
      out.push({ name: list.name, items, used: false, info: list });
    }
    for (const l of out) if (usedNames.has(l.name)) l.used = true;
    return out;
  }

  private compileMacros(lists: ListSubstituter): Map<string, MacroState> {
    const macros = new Map<string, MacroState>();
    for (const info of this.collector.macros.values()) {
      const ast = this.parse(info.condition, lists, info.conditionSegments, info.context);
      macros.set(info.name, { info, ast, used: false, lists: this.lastListsUsed, uses: [] });
    }
    // Each macro sees the macros defined before its latest definition.
    for (const m of macros.values()) {
      const visible = (name: string): Expr | undefined => {
        const other = macros.get(name);
        return other && other.info.index < m.info.visibility ? other.ast : undefined;
      };
      const used: string[] = [];
      m.ast = this.expandMacros(m.ast, visible, macros, m.info.context, used);
      m.uses = [...new Set(used.flatMap((name) => [name, ...(macros.get(name)?.uses ?? [])]))];
    }
    return macros;
  }

  private compileRule(
    info: RuleInfo,
    lists: ListSubstituter,
    macros: Map<string, MacroState>,
    all: (name: string) => Expr | undefined,
  ): CompiledRule | undefined {
    const exceptionFields: string[] = [];
    const exceptionNames: string[] = [];
    let conditionText = info.condition;
    if (info.exceptions.length > 0) {
      conditionText = buildExceptionCondition(info.condition, info.exceptions, exceptionFields, exceptionNames);
    }
    let output = info.output;
    if (this.options.suggestedOutput !== false && info.source === 'syscall') {
      // Falco's default `append_output: [suggested_output: true]`: the fields plugins suggest.
      for (const field of SUGGESTED_OUTPUT_FIELDS) output += ` ${field.replace(/\./g, '_')}=%${field}`;
    }
    if (output.includes('%container.info')) {
      this.warn(
        'LOAD_DEPRECATED_ITEM',
        '%container.info is deprecated and no longer useful: the container plugin adds the container fields to the output by itself. It will be dropped by Falco 1.0.0.',
        info.context,
      );
      output = output.split('%container.info').join('');
    }
    let outputFacts: OutputFacts;
    try {
      outputFacts = this.cache.outputFacts(output);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      const where = info.outputOrigin ? locationsAt(info.outputOrigin, error.offset, 'rule output expression') : info.context;
      // kestrel's own account of the token goes in the hint.
      const message = error.unknownField ? UNKNOWN_OUTPUT_TOKEN : error.message;
      const hint = error.unknownField ? error.message : undefined;
      if (error.unknownField && info.skipIfUnknownFilter) {
        this.warn('LOAD_UNKNOWN_FILTER', message, where, hint);
        return undefined;
      }
      throw new LoadError('LOAD_ERR_COMPILE_OUTPUT', message, where, hint);
    }
    for (const field of outputFacts.deprecated) {
      this.warn(
        'LOAD_DEPRECATED_ITEM',
        `usage of deprecated field '${field}' has been detected in the rule output`,
        info.outputOrigin?.context ?? info.context,
      );
    }

    // Exceptions wrap the condition in parentheses: one character before the original text.
    const parsed = this.parse(conditionText, lists, info.conditionSegments, info.context, info.exceptions.length > 0 ? 1 : 0);
    const usedLists = new Set(this.lastListsUsed);
    const usedMacros: string[] = [];
    const condition = this.expandMacros(parsed, all, macros, info.context, usedMacros);
    const macroNames = withUses(usedMacros, macros);
    for (const name of macroNames) for (const list of macros.get(name)?.lists ?? []) usedLists.add(list);

    // What compiling the expanded condition finds is reported at the rule, as Falco's
    // compile_condition does (its context is the rule's condition), even when it comes from a macro.
    const facts = this.cache.conditionFacts(condition);
    for (const node of facts.deprecated) {
      const at = this.atRule(node, info);
      this.warn('LOAD_DEPRECATED_ITEM', node.name === 'evt.dir' ? DEPRECATED_DIR : DEPRECATED_LATENCY, at.locations, at.hint);
    }
    const [problem] = facts.problems;
    if (problem) {
      const at = this.atRule(problem.node, info);
      const hint = [problem.hint, at.hint].filter(Boolean).join('; ') || undefined;
      if (problem.unknown && info.skipIfUnknownFilter) {
        this.warn('LOAD_UNKNOWN_FILTER', problem.message, at.locations, hint);
        return undefined;
      }
      throw new LoadError('LOAD_ERR_COMPILE_CONDITION', problem.message, at.locations, hint);
    }
    for (const w of facts.warnings) {
      const at = this.atRule(w.node, info);
      this.warn('LOAD_COMPILE_CONDITION', w.message, at.locations, at.hint);
    }

    const { eventTypes } = facts;
    if (info.source === 'syscall' && info.warnEvttypes && eventTypes.codeCount > 100) {
      this.warn('LOAD_NO_EVTTYPE', 'Rule matches too many evt.type values. This has a significant performance penalty.', info.context);
    }
    return {
      name: info.name,
      description: info.desc,
      condition,
      rawCondition: info.condition,
      output,
      format: outputFacts.format,
      priority: info.priority,
      source: info.source,
      tags: info.tags,
      enabled: info.enabled,
      capture: info.capture,
      captureDuration: info.captureDuration,
      eventTypes,
      conditionFields: [...facts.fields],
      outputFields: [...outputFacts.fields],
      exceptionFields: [...new Set(exceptionFields)].sort(),
      exceptionNames,
      exceptionContexts: exceptionNames.map((name) => info.exceptions.find((e) => e.name === name)?.context ?? info.context),
      macros: [...macroNames].sort(),
      lists: [...usedLists].sort(),
      context: info.context,
    };
  }

  /** Substitutes list names into the text, then parses it; syntax errors stop loading. */
  private parse(text: string, lists: ListSubstituter, segments: TextSegment[], context: Location[], prefix = 0): Expr {
    const offsets = new OffsetMap();
    const substituted = lists.substitute(text, offsets);
    this.lastListsUsed = substituted.used;
    const record: TextRecord = { segments, offsets, context, prefix };
    // The same text from the same place (segments and prefix) parses to the same tree.
    const key = `${segments.map((g) => `${g.origin.source.name}@${g.origin.node.range?.[0]}+${g.start}`).join('|')}\u0000${prefix}\u0000${substituted.text}`;
    return this.cache.tree(key, record, () => {
      // Falco's rule loader raises libsinsp's recursion limit from 100 to 1000.
      const result = parseCondition(substituted.text, { maxDepth: RULES_MAX_DEPTH });
      if (!result.ok) {
        throw new LoadError('LOAD_ERR_COMPILE_CONDITION', result.error.message, locateOffset(record, result.error.position.offset), result.error.hint);
      }
      return result.ast;
    });
  }

  /** Replaces macro references by (shared, never mutated) macro trees; unknown names stop loading. */
  private expandMacros(
    ast: Expr,
    visible: (name: string) => Expr | undefined,
    macros: Map<string, { used: boolean }>,
    context: Location[],
    used: string[] = [],
  ): Expr {
    const result = this.cache.expand(ast, visible);
    for (const name of result.resolved) {
      const m = macros.get(name);
      if (m) m.used = true;
      used.push(name);
    }
    if (result.error) {
      throw new LoadError('LOAD_ERR_VALIDATE', result.error.message, this.locate(result.error.node, context));
    }
    return result.expr;
  }

  /** Locations for a diagnostic about `node`: inside the text it was parsed from. */
  private locate(node: Node, fallback: Location[]): Location[] {
    const record = this.cache.origin(node);
    return record ? locateOffset(record, node.range.start.offset) : fallback;
  }

  /**
   * Locations for a diagnostic about a node of a rule's expanded condition: the rule and its
   * condition, as Falco reports it, then where the node is written. A node from a macro is
   * in the macro's text; the hint names the macro.
   */
  private atRule(node: Node, info: RuleInfo): { locations: Location[]; hint?: string } {
    const record = this.cache.origin(node);
    const precise = record ? locateOffset(record, node.range.start.offset) : info.context;
    const item = record && [...record.context].reverse().find((l) => l.itemType === 'macro' || l.itemType === 'rule');
    if (item?.itemType !== 'macro') return { locations: precise };
    const ruleCondition = info.conditionSegments[0]?.origin.context ?? info.context;
    const position = precise[precise.length - 1]!.position;
    return {
      locations: [...ruleCondition, { itemType: 'condition expression', itemName: '', position }],
      hint: `this is in macro '${item.itemName}', which the rule uses`,
    };
  }

  private warn(code: LoadWarningCode, message: string, locations: Location[], hint?: string): void {
    this.warnings.push(hint ? { severity: 'warning', code, message, locations, hint } : { severity: 'warning', code, message, locations });
  }
}

/** The macros named and those they use, directly or not. */
function withUses(names: readonly string[], macros: ReadonlyMap<string, MacroState>): Set<string> {
  const all = new Set<string>();
  for (const name of names) {
    all.add(name);
    for (const use of macros.get(name)?.uses ?? []) all.add(use);
  }
  return all;
}
