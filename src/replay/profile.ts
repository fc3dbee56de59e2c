/**
 * Rule-set profiling: how often each rule is evaluated, how often it matches, and the time
 * its condition takes. Measuring happens in a loop of its own (every candidate rule is
 * evaluated and timed on its own, whatever the matching policy), so the replay path
 * carries no cost.
 * The overhead of measuring is reported: the same events are also run unprofiled.
 */
import { FieldCatalogue } from '../fields/catalogue.js';
import { FlatEventSource, type FlatEvent } from '../sources/jsonl/flat-source.js';
import type { CompiledRule } from '../rules/model.js';
import type { Priority } from '../rules/priority.js';
import { ConditionCompiler, type Program } from '../evaluator/compile.js';
import { Engine } from '../evaluator/engine.js';

export interface RuleProfile {
  rule: string;
  priority: Priority;
  /** Events the rule was evaluated on (its event types matched). */
  evaluations: number;
  matches: number;
  totalNs: number;
  meanNs: number;
  /** Share of the time spent in all rules. */
  share: number;
}

export interface ProfileReport {
  events: number;
  rules: RuleProfile[];
  /** Events per second of the plain engine (first-match policy) on the same events. */
  eventsPerSecond: number;
  /** Time with measurement divided by time without, for the same evaluations. */
  overhead: number;
}

/** Profiles `rules` on `events` (already read). */
export function profileRules(rules: CompiledRule[], events: readonly FlatEvent[], catalogue = FieldCatalogue.syscall()): ProfileReport {
  const source = new FlatEventSource();
  const engine = new Engine(rules, source, catalogue, {}, 'first');

  // Each rule on its own, specialised to the event type as the engine does, but without
  // sharing work across rules: each rule's time is its own cost.
  const compiler = new ConditionCompiler(source, catalogue);
  const perType = new Map<string, { index: number; run: Program<FlatEvent, number> }[]>();
  const programsFor = (type: string | undefined) => {
    const key = type ?? '';
    let list = perType.get(key);
    if (!list) {
      list = engine.candidates(type).map((r) => ({
        index: r.index,
        run: compiler.compileProgram([{ condition: r.rule.condition, value: r.index }], { ...(type !== undefined ? { eventType: type } : {}), first: true }).run,
      }));
      perType.set(key, list);
    }
    return list;
  };
  const hits: number[] = [];

  // Unprofiled: the engine as replay runs it.
  const plainStart = process.hrtime.bigint();
  for (const e of events) engine.evaluate(e);
  const plainNs = Number(process.hrtime.bigint() - plainStart);

  // Every candidate rule, untimed and then timed, to measure what timing itself costs.
  const untimedStart = process.hrtime.bigint();
  for (const e of events) {
    const programs = programsFor(source.eventType(e));
    for (let i = 0; i < programs.length; i++) {
      programs[i]!.run(e, hits);
      if (hits.length > 0) hits.pop();
    }
  }
  const untimedNs = Number(process.hrtime.bigint() - untimedStart);

  const stats = engine.rules.map((r) => ({ rule: r.rule, evaluations: 0, matches: 0, ns: 0n }));
  const timedStart = process.hrtime.bigint();
  for (const e of events) {
    const programs = programsFor(source.eventType(e));
    for (let i = 0; i < programs.length; i++) {
      const p = programs[i]!;
      const t0 = process.hrtime.bigint();
      p.run(e, hits);
      const t1 = process.hrtime.bigint();
      const s = stats[p.index]!;
      s.evaluations++;
      s.ns += t1 - t0;
      if (hits.length > 0) s.matches++;
      if (hits.length > 0) hits.pop();
    }
  }
  const timedNs = Number(process.hrtime.bigint() - timedStart);
  const total = stats.reduce((sum, s) => sum + Number(s.ns), 0) || 1;
  const profiles = stats
    .map((s) => ({
      rule: s.rule.name,
      priority: s.rule.priority,
      evaluations: s.evaluations,
      matches: s.matches,
      totalNs: Number(s.ns),
      meanNs: s.evaluations ? Number(s.ns) / s.evaluations : 0,
      share: Number(s.ns) / total,
    }))
    .sort((a, b) => b.totalNs - a.totalNs || a.rule.localeCompare(b.rule));
  return {
    events: events.length,
    rules: profiles,
    eventsPerSecond: plainNs > 0 ? (events.length / plainNs) * 1e9 : 0,
    overhead: untimedNs > 0 ? timedNs / untimedNs : 1,
  };
}
