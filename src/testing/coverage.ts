/**
 * Rule coverage of a test run: for every rule of the tested rule set, whether a test made it
 * fire and whether a test checked it not firing; for every leaf check of its expanded
 * condition (exceptions included), whether some tested event made it true and some made it
 * false. Reported as a table, as JSON, and as LCOV keyed to the rules files' lines.
 */
import { type Predicate, ProgramBuilder } from '../evaluator/program-builder.js';
import { FieldCatalogue } from '../fields/catalogue.js';
import { eventCodes } from '../fields/events.js';
import type { EventSource } from '../fields/source.js';
import { type Expr, printCondition } from '../parser/index.js';
import { matchesEventCodes } from '../rules/evttypes.js';
import type { CompiledRule, CompileOutput } from '../rules/model.js';
import { type FlatEvent, FlatEventSource } from '../sources/jsonl/flat-source.js';

export interface LeafCoverage {
  text: string;
  /** The exception this check belongs to, if any. */
  exception?: string;
  file?: string;
  line?: number;
  seenTrue: number;
  seenFalse: number;
}

export interface RuleCoverage {
  rule: string;
  file?: string;
  line?: number;
  fired: boolean;
  checkedNotFiring: boolean;
  leaves: LeafCoverage[];
}

interface TrackedRule<E> {
  coverage: RuleCoverage;
  rule: CompiledRule;
  leaves: { predicate: Predicate<E>; coverage: LeafCoverage }[];
}

export class CoverageTracker<E = FlatEvent> {
  private readonly tracked: TrackedRule<E>[];
  private readonly source: EventSource<E>;

  /** `source` is where the observed events come from (flat JSONL events by default). */
  constructor(output: CompileOutput, source?: EventSource<E>) {
    this.source = source ?? (new FlatEventSource() as unknown as EventSource<E>);
    const compiler = new ProgramBuilder(this.source, FieldCatalogue.syscall());
    this.tracked = output.rules.map((rule) => {
      const where = rule.context[rule.context.length - 1]?.position;
      const coverage: RuleCoverage = {
        rule: rule.name,
        fired: false,
        checkedNotFiring: false,
        leaves: [],
        ...(where ? { file: where.name, line: where.line } : {}),
      };
      const leaves = collectLeaves(rule).map(({ leaf, exception }) => {
        // Exception checks are built from the exception's fields and values: point at the exception.
        const exceptionAt = exception ? rule.exceptionContexts[rule.exceptionNames.indexOf(exception)] : undefined;
        const pos = (exceptionAt ?? output.locate(leaf)).at(-1)?.position;
        const leafCoverage: LeafCoverage = {
          text: printCondition(leaf),
          seenTrue: 0,
          seenFalse: 0,
          ...(exception ? { exception } : {}),
          ...(pos ? { file: pos.name, line: pos.line } : {}),
        };
        coverage.leaves.push(leafCoverage);
        return { predicate: compiler.compile(leaf), coverage: leafCoverage };
      });
      return { coverage, rule, leaves };
    });
  }

  /** Records every leaf of every rule whose event types include the event's. */
  observe(event: E): void {
    if (this.source.delivered?.(event) === false) return;
    const type = this.source.eventType(event);
    const codes = type !== undefined ? eventCodes(type) : [];
    for (const t of this.tracked) {
      if (!matchesEventCodes(t.rule.eventTypes, codes)) continue;
      for (const leaf of t.leaves) {
        if (leaf.predicate(event)) leaf.coverage.seenTrue++;
        else leaf.coverage.seenFalse++;
      }
    }
  }

  fired(rule: string): void {
    const t = this.tracked.find((x) => x.rule.name === rule);
    if (t) t.coverage.fired = true;
  }

  checkedNotFiring(rule: string): void {
    const t = this.tracked.find((x) => x.rule.name === rule);
    if (t) t.coverage.checkedNotFiring = true;
  }

  report(): RuleCoverage[] {
    return this.tracked.map((t) => t.coverage);
  }
}

/** Leaf checks of a rule's condition; exceptions are the `and not (…)` clauses appended to it. */
function collectLeaves(rule: CompiledRule): { leaf: Expr; exception?: string }[] {
  const out: { leaf: Expr; exception?: string }[] = [];
  const walk = (e: Expr, exception?: string) => {
    if (e.kind === 'and' || e.kind === 'or') for (const c of e.children) walk(c, exception);
    else if (e.kind === 'not') walk(e.child, exception);
    else out.push(exception ? { leaf: e, exception } : { leaf: e });
  };
  const c = rule.condition;
  const exceptions = rule.exceptionNames;
  if (exceptions.length > 0 && c.kind === 'and' && c.children.length === exceptions.length + 1) {
    walk(c.children[0]!);
    exceptions.forEach((name, i) => {
      walk(c.children[i + 1]!, name);
    });
  } else {
    walk(c);
  }
  return out;
}

export function coverageTable(rules: RuleCoverage[]): string {
  const width = Math.max(4, ...rules.map((r) => r.rule.length));
  const lines = [`${'rule'.padEnd(width)}  fired  not-fired  checks seen true/false/both`];
  for (const r of rules) {
    const both = r.leaves.filter((l) => l.seenTrue > 0 && l.seenFalse > 0).length;
    const t = r.leaves.filter((l) => l.seenTrue > 0).length;
    const f = r.leaves.filter((l) => l.seenFalse > 0).length;
    lines.push(
      `${r.rule.padEnd(width)}  ${(r.fired ? 'yes' : 'no').padEnd(5)}  ${(r.checkedNotFiring ? 'yes' : 'no').padEnd(9)}  ${t}/${f}/${both} of ${r.leaves.length}`,
    );
  }
  const fired = rules.filter((r) => r.fired).length;
  const leaves = rules.flatMap((r) => r.leaves);
  const both = leaves.filter((l) => l.seenTrue > 0 && l.seenFalse > 0).length;
  lines.push('', `rules fired by a test: ${fired}/${rules.length}; checks seen both true and false: ${both}/${leaves.length}`);
  return `${lines.join('\n')}\n`;
}

/** LCOV: each rule is a function at its line; each check a line with two branches (true, false). */
export function coverageLcov(rules: RuleCoverage[]): string {
  const byFile = new Map<string, RuleCoverage[]>();
  for (const r of rules) if (r.file) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push('TN:kestrel', `SF:${file}`);
    for (const r of list) out.push(`FN:${r.line},${r.rule}`);
    for (const r of list) out.push(`FNDA:${r.fired ? 1 : 0},${r.rule}`);
    out.push(`FNF:${list.length}`, `FNH:${list.filter((r) => r.fired).length}`);
    const lines = new Map<number, number>();
    let branches = 0;
    let taken = 0;
    let block = 0;
    for (const r of list) {
      for (const l of r.leaves.filter((x) => x.file === file && x.line !== undefined)) {
        lines.set(l.line!, (lines.get(l.line!) ?? 0) + l.seenTrue + l.seenFalse);
        out.push(`BRDA:${l.line},${block},0,${l.seenTrue || '-'}`, `BRDA:${l.line},${block},1,${l.seenFalse || '-'}`);
        block++;
        branches += 2;
        taken += (l.seenTrue > 0 ? 1 : 0) + (l.seenFalse > 0 ? 1 : 0);
      }
    }
    out.push(`BRF:${branches}`, `BRH:${taken}`);
    for (const [line, hits] of [...lines.entries()].sort((a, b) => a[0] - b[0])) out.push(`DA:${line},${hits}`);
    out.push(`LF:${lines.size}`, `LH:${[...lines.values()].filter((h) => h > 0).length}`, 'end_of_record');
  }
  return `${out.join('\n')}\n`;
}
