/**
 * The evaluation engine: compiled rules indexed by event type. An event is tried only
 * against the rules that can match its `evt.type`, in load order; with Falco's default
 * `rule_matching: first` the first match wins, with `all` every match is reported.
 * Evaluating an event allocates nothing (the matched list is reused).
 */
import type { FieldCatalogue } from '../fields/catalogue.js';
import { eventCodes } from '../fields/events.js';
import type { EventSource } from '../fields/source.js';
import type { CompiledRule } from '../rules/compiler.js';
import { priorityLevel, type Priority } from '../rules/priority.js';
import { ConditionCompiler, type Predicate } from './compile.js';

export type RuleMatching = 'first' | 'all';

export interface RuleSelection {
  /** Only rules with at least one of these tags (-t). */
  onlyTags?: string[];
  /** Skip rules with any of these tags (-T). */
  skipTags?: string[];
  /** Disable rules whose name contains any of these substrings (-D). */
  disableSubstrings?: string[];
  /** Skip rules less severe than this (Falco's `priority` option). */
  minPriority?: Priority;
}

export interface EngineRule<E> {
  rule: CompiledRule;
  /** Position in load order. */
  index: number;
  predicate: Predicate<E>;
}

export class Engine<E> {
  readonly rules: EngineRule<E>[];
  private readonly byType = new Map<string, EngineRule<E>[]>();
  private readonly matched: EngineRule<E>[] = [];

  constructor(
    rules: CompiledRule[],
    private readonly source: EventSource<E>,
    catalogue: FieldCatalogue,
    selection: RuleSelection = {},
    private readonly matching: RuleMatching = 'first',
  ) {
    const compiler = new ConditionCompiler(source, catalogue);
    this.rules = rules
      .filter((r) => r.enabled && selected(r, selection))
      .map((rule, index) => ({ rule, index, predicate: compiler.compile(rule.condition) }));
  }

  /** Rules that can match events of this type, in load order (cached per type). */
  candidates(eventType: string | undefined): EngineRule<E>[] {
    const key = eventType ?? '';
    let list = this.byType.get(key);
    if (!list) {
      const codes = eventType === undefined ? [] : eventCodes(eventType);
      list = this.rules.filter((r) => r.rule.eventTypes.all || codes.some((c) => r.rule.eventTypes.codes.has(c)));
      this.byType.set(key, list);
    }
    return list;
  }

  /** The rules an event fires. The returned array is reused by the next call. */
  evaluate(event: E): readonly EngineRule<E>[] {
    const matched = this.matched;
    matched.length = 0;
    const candidates = this.candidates(this.source.eventType(event));
    for (let i = 0; i < candidates.length; i++) {
      const r = candidates[i]!;
      if (r.predicate(event)) {
        matched.push(r);
        if (this.matching === 'first') break;
      }
    }
    return matched;
  }
}

function selected(rule: CompiledRule, s: RuleSelection): boolean {
  if (s.onlyTags?.length && !rule.tags.some((t) => s.onlyTags!.includes(t))) return false;
  if (s.skipTags?.length && rule.tags.some((t) => s.skipTags!.includes(t))) return false;
  if (s.disableSubstrings?.some((sub) => rule.name.includes(sub))) return false;
  if (s.minPriority && priorityLevel(rule.priority) > priorityLevel(s.minPriority)) return false;
  return true;
}
