/**
 * The evaluation engine: rules indexed by event type. An event is tried only against the
 * rules that can match its `evt.type`, in load order (as Falco's ruleset does: every
 * syscall rule is indexed by type), through one generated program per event type; with
 * Falco's default `rule_matching: first` the first match wins, with `all` every match is
 * reported. Evaluating an event allocates nothing (the matched list is reused).
 */
import type { FieldCatalogue } from '../fields/catalogue.js';
import { eventCodes, eventNameOfCode, isGenericCode } from '../fields/events.js';
import type { EventSource } from '../fields/source.js';
import { matchesEventCodes } from '../rules/evttypes.js';
import type { CompiledRule } from '../rules/model.js';
import { type Priority, priorityLevel } from '../rules/priority.js';
import { type CompiledProgram, type Program, ProgramBuilder } from './program-builder.js';

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

export interface EngineRule {
  rule: CompiledRule;
  /** Position in load order. */
  index: number;
}

export class Engine<E> {
  readonly rules: EngineRule[];
  private readonly compiler: ProgramBuilder<E>;
  private readonly byType = new Map<string, EngineRule[]>();
  /** One program per event type seen, built on first sight; null when no rule can match the type. */
  private readonly programs = new Map<string, Program<E, EngineRule> | null>();
  private readonly matched: EngineRule[] = [];
  /** Programs by event code, for sources that give codes (undefined: not looked up yet). */
  private readonly byCode: (Program<E, EngineRule> | null | undefined)[] = [];
  private readonly eventCode: ((event: E) => number) | undefined;

  constructor(
    rules: CompiledRule[],
    private readonly source: EventSource<E>,
    catalogue: FieldCatalogue,
    selection: RuleSelection = {},
    private readonly matching: RuleMatching = 'first',
  ) {
    this.compiler = new ProgramBuilder(source, catalogue);
    this.eventCode = source.eventCode?.bind(source);
    this.rules = rules.filter((r) => r.enabled && selected(r, selection)).map((rule, index) => ({ rule, index }));
  }

  /** Rules whose event types include this type, in load order (cached per type). */
  candidates(eventType: string | undefined): EngineRule[] {
    const key = eventType ?? '';
    let list = this.byType.get(key);
    if (!list) {
      const codes = eventType === undefined ? [] : eventCodes(eventType);
      list = this.rules.filter((r) => matchesEventCodes(r.rule.eventTypes, codes));
      this.byType.set(key, list);
    }
    return list;
  }

  /**
   * The program for events of this type: the candidate rules with their conditions
   * specialised to the type (an unknown type is not specialised).
   */
  program(eventType: string | undefined): Program<E, EngineRule> | null {
    const key = eventType ?? '';
    let program = this.programs.get(key);
    if (program === undefined) {
      const compiled = this.compiled(eventType);
      program = compiled.values.length > 0 ? compiled.run : null;
      this.programs.set(key, program);
    }
    return program;
  }

  /**
   * The compiled program for this type with its generated source (for `describe --code`):
   * the compiler caches programs, so this is the one `program` returns and `evaluate` runs.
   */
  compiled(eventType: string | undefined): CompiledProgram<E, EngineRule> {
    const rules = this.candidates(eventType).map((r) => ({ condition: r.rule.condition, value: r }));
    return this.compiler.compileProgram(rules, { ...(eventType !== undefined ? { eventType } : {}), first: this.matching === 'first' });
  }

  /** The rules an event fires. The returned array is reused by the next call. */
  evaluate(event: E): readonly EngineRule[] {
    const matched = this.matched;
    // Emptied by popping: setting `length` is a runtime call costing more than a whole rule.
    while (matched.length > 0) matched.pop();
    const program = this.eventCode !== undefined ? this.programOfCode(this.eventCode(event), event) : this.programOfType(event);
    if (program !== null) program(event, matched);
    return matched;
  }

  private programOfType(event: E): Program<E, EngineRule> | null {
    const type = this.source.eventType(event);
    const program = this.programs.get(type ?? '');
    return program === undefined ? this.program(type) : program;
  }

  private programOfCode(code: number, event: E): Program<E, EngineRule> | null {
    const program = this.byCode[code];
    if (program !== undefined) return program;
    // A generic event's type is the syscall it carries, not its code's name: by type each time.
    if (isGenericCode(code)) return this.programOfType(event);
    const byName = this.program(eventNameOfCode(code));
    this.byCode[code] = byName;
    return byName;
  }
}

function selected(rule: CompiledRule, s: RuleSelection): boolean {
  if (s.onlyTags?.length && !rule.tags.some((t) => s.onlyTags!.includes(t))) return false;
  if (s.skipTags?.length && rule.tags.some((t) => s.skipTags!.includes(t))) return false;
  if (s.disableSubstrings?.some((sub) => rule.name.includes(sub))) return false;
  if (s.minPriority && priorityLevel(rule.priority) > priorityLevel(s.minPriority)) return false;
  return true;
}
