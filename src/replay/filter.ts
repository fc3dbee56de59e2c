/**
 * sysdig-style filtering of a capture with one bare condition (`kestrel replay --filter`):
 * every event is tried, none is skipped by type, and each match prints as a line.
 */
import { FieldCatalogue } from '../fields/catalogue.js';
import { FlatEventSource, type FlatEvent } from '../sources/jsonl/flat-source.js';
import { FormatBinder } from '../output/bind.js';
import { parseFormat } from '../rules/output-format.js';
import { renderComplete, renderFormat } from '../output/render.js';
import type { Expr } from '../parser/index.js';
import { eventJson, type CaptureEvent } from '../sources/jsonl/captures.js';
import { ConditionCompiler } from '../evaluator/compile.js';

export interface FilterOptions {
  /** A sysdig-style `-p` format for matching events; by default sysdig's line, or the event as JSON with `json`. */
  format?: string;
  json?: boolean;
}

/** One condition over a stream of events, and a line per match. */
export class EventFilter {
  readonly source = new FlatEventSource();
  private readonly predicate: (event: FlatEvent) => boolean;
  /** The line for a matching event; undefined when the format asks for a value it lacks. */
  private readonly render: (event: FlatEvent) => string | undefined;
  eventsRead = 0;
  matched = 0;

  /** Throws FormatError for a bad format; the condition must have been checked. */
  constructor(condition: Expr, options: FilterOptions = {}, catalogue: FieldCatalogue = FieldCatalogue.syscall()) {
    this.predicate = new ConditionCompiler(this.source, catalogue).compile(condition);
    if (options.json && options.format === undefined) {
      this.render = eventJson;
    } else {
      const format = parseFormat(options.format ?? SYSDIG_DEFAULT_FORMAT, catalogue);
      const tokens = new FormatBinder(this.source, catalogue).bind(format.tokens).message;
      this.render = format.allowMissing ? (event) => renderFormat(tokens, event) : (event) => renderComplete(tokens, event);
    }
  }

  /** Tries one event; calls `onMatch` with its line when it matches. */
  process(item: CaptureEvent, onMatch: (line: string) => void): void {
    this.eventsRead++;
    if (!this.predicate(item.event)) return;
    this.matched++;
    const line = this.render(item.event);
    if (line !== undefined) onMatch(line);
  }

  /** Filters batches of events to the end, or until `stopped()`. */
  async runBatches(batches: AsyncIterable<Iterable<CaptureEvent>>, onMatch: (line: string) => void, stopped?: () => boolean): Promise<number> {
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
