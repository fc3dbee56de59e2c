/**
 * sysdig-style filtering of a capture with one bare condition (`kestrel replay --filter`):
 * every event is tried, none is skipped by type, and each match prints as a line.
 */

import { ProgramBuilder } from '../evaluator/program-builder.js';
import { FieldCatalogue } from '../fields/catalogue.js';
import { ALL_EVENT_CODES } from '../fields/events.js';
import type { EventNeeds, EventSource } from '../fields/source.js';
import { FormatBinder } from '../output/bind.js';
import { renderComplete, renderFormat, valueJson } from '../output/render.js';
import type { Expr } from '../parser/index.js';
import { visit } from '../parser/visitor.js';
import { conditionEventTypes } from '../rules/evttypes.js';
import { type ParsedFormat, parseFormat } from '../rules/output-format.js';
import { eventJson } from '../sources/jsonl/captures.js';
import { type FlatEvent, FlatEventSource } from '../sources/jsonl/flat-source.js';
import type { CaptureItem } from './replay.js';

export interface FilterOptions {
  /** A sysdig-style `-p` format for matching events; by default sysdig's line, or the event as JSON with `json`. */
  format?: string;
  json?: boolean;
}

/** One condition over a stream of events, and a line per match. */
export class EventFilter<E = FlatEvent> {
  readonly source: EventSource<E>;
  private readonly predicate: (event: E) => boolean;
  /** The line for a matching event; undefined when the format asks for a value it lacks. */
  private readonly render: (event: E) => string | undefined;
  eventsRead = 0;
  matched = 0;
  private readonly eventCode: ((event: E) => number) | undefined;
  /** Codes the condition can match (conditionEventTypes), undefined for all: others are not tried. */
  private readonly codes: Uint8Array | undefined;
  private readonly fields: string[];

  /** Throws FormatError for a bad format; the condition must have been checked. */
  constructor(
    condition: Expr,
    options: FilterOptions = {},
    catalogue: FieldCatalogue = FieldCatalogue.syscall(),
    /** Where events come from; flat JSONL events by default. */
    source?: EventSource<E>,
  ) {
    const flat = source === undefined;
    this.source = source ?? (new FlatEventSource() as unknown as EventSource<E>);
    this.predicate = new ProgramBuilder(this.source, catalogue).compile(condition);
    this.eventCode = this.source.eventCode?.bind(this.source);
    const types = conditionEventTypes(condition);
    this.codes = types.all ? undefined : Uint8Array.from(ALL_EVENT_CODES, (c) => (types.codes.has(c) ? 1 : 0));
    const fields = new Set<string>();
    visit(condition, { enter: (node) => void (node.kind === 'field' && fields.add(node.name)) });
    let parsed: ParsedFormat | undefined;
    if (options.json && options.format === undefined && flat) {
      // A flat event is its own JSON.
      this.render = eventJson as unknown as (event: E) => string;
    } else if (options.json && options.format === undefined) {
      // Other sources: the fields of sysdig's default line, as one JSON object (sysdig -j's shape).
      parsed = parseFormat(SYSDIG_DEFAULT_FORMAT, catalogue);
      const { fields: bound } = new FormatBinder(this.source, catalogue).bind(parsed.tokens);
      this.render = (event) => `{${bound.map((f) => `${JSON.stringify(f.key)}:${valueJson(f.read(event), f.type)}`).join(',')}}`;
    } else {
      parsed = parseFormat(options.format ?? SYSDIG_DEFAULT_FORMAT, catalogue);
      const tokens = new FormatBinder(this.source, catalogue).bind(parsed.tokens).message;
      const allowMissing = parsed.allowMissing;
      this.render = allowMissing ? (event) => renderFormat(tokens, event) : (event) => renderComplete(tokens, event);
    }
    for (const t of parsed?.tokens ?? []) if (t.kind === 'field') fields.add(t.text);
    this.fields = [...fields];
  }

  /** What this filter evaluates and reads: the condition's event types, its fields and the format's. */
  needs(): EventNeeds {
    if (this.codes === undefined) return { codes: 'all', fields: 'all' };
    const codes = new Set<number>();
    for (let c = 0; c < this.codes.length; c++) if (this.codes[c] === 1) codes.add(c);
    return { codes, fields: this.fields };
  }

  /** Tries one event; calls `onMatch` with its line when it matches. */
  process(item: CaptureItem<E>, onMatch: (line: string) => void): void {
    this.eventsRead++;
    // As libsinsp, events kept for the state only are not shown (sysdig 0.29 predates that).
    if (this.source.delivered?.(item.event) === false) return;
    // A type the condition cannot match: false whatever its fields say (as Falco indexes rules).
    if (this.codes !== undefined && this.eventCode !== undefined && this.codes[this.eventCode(item.event)] !== 1) return;
    if (!this.predicate(item.event)) return;
    this.matched++;
    const line = this.render(item.event);
    if (line !== undefined) onMatch(line);
  }

  /** Filters batches of events to the end, or until `stopped()`. */
  async runBatches(batches: AsyncIterable<Iterable<CaptureItem<E>>>, onMatch: (line: string) => void, stopped?: () => boolean): Promise<number> {
    outer: for await (const batch of batches) {
      for (const item of batch) {
        if (stopped?.()) break outer;
        this.process(item, onMatch);
      }
    }
    return this.matched;
  }
}

/** sysdig's default line: number, time, cpu, process, thread, direction, type, arguments. */
export const SYSDIG_DEFAULT_FORMAT = '*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args';
