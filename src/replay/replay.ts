/**
 * Replay: events in, alerts out, with the counts a summary needs. Used by the CLI and the
 * programmatic API alike.
 */

import { Engine, type RuleMatching, type RuleSelection } from '../evaluator/engine.js';
import { FieldCatalogue } from '../fields/catalogue.js';
import { isOutsideLiveEventSet } from '../fields/events.js';
import type { EventNeeds, EventSource } from '../fields/source.js';
import { AlertFormatter, type AlertOptions } from '../output/alerts.js';
import type { CompiledRule } from '../rules/model.js';
import type { Priority } from '../rules/priority.js';
import type { CaptureProblem } from '../sources/jsonl/captures.js';
import { type FlatEvent, FlatEventSource } from '../sources/jsonl/flat-source.js';
import { rulesNeeds } from './needs.js';

export interface ReplayOptions {
  matching?: RuleMatching;
  selection?: RuleSelection;
  alerts?: Partial<AlertOptions>;
  /**
   * Skip the high-volume I/O events a live Falco's driver does not send without `-A`
   * (`base_syscalls.all`). Off by default: Falco reading a capture file evaluates every event.
   */
  liveEventSet?: boolean;
  /** @deprecated Every event is evaluated by default; see `liveEventSet`. */
  allEvents?: boolean;
}

export interface Alert {
  rule: string;
  priority: Priority;
  /** The formatted alert line (text or JSON). */
  line: string;
  file: string;
  line_number: number;
}

export interface ReplayStats {
  eventsRead: number;
  eventsEvaluated: number;
  /** Events outside the live driver's event set, skipped with `liveEventSet`. */
  eventsIgnored: number;
  /** Events libsinsp keeps for the state only (EventSource.delivered), never evaluated. */
  eventsStateOnly: number;
  badLines: number;
  alerts: number;
  /** Per rule: alert count. */
  byRule: Map<string, { priority: Priority; count: number }>;
  bytes: number;
  seconds: number;
}

/** One event of a capture with where it came from: a JSONL line, or a scap event's number. */
export interface CaptureItem<E> {
  event: E;
  file: string;
  line: number;
  /** Bytes of input the event took (approximately), for throughput figures. */
  size: number;
}

export class Replayer<E = FlatEvent> {
  readonly source: EventSource<E>;
  readonly engine: Engine<E>;
  private readonly formatter: AlertFormatter<E>;
  /** Whether events outside the live driver's event set are skipped. */
  readonly liveEventSet: boolean;
  readonly stats: ReplayStats = {
    eventsRead: 0,
    eventsEvaluated: 0,
    eventsIgnored: 0,
    eventsStateOnly: 0,
    badLines: 0,
    alerts: 0,
    byRule: new Map(),
    bytes: 0,
    seconds: 0,
  };

  constructor(
    rules: CompiledRule[],
    options: ReplayOptions = {},
    catalogue: FieldCatalogue = FieldCatalogue.syscall(),
    /** Where events come from; flat JSONL events by default. */
    source?: EventSource<E>,
  ) {
    this.source = source ?? (new FlatEventSource() as unknown as EventSource<E>);
    this.liveEventSet = Boolean(options.liveEventSet) && !options.allEvents;
    this.engine = new Engine(rules, this.source, catalogue, options.selection, options.matching ?? 'first');
    this.formatter = new AlertFormatter(this.source, catalogue, {
      json: false,
      iso8601: false,
      includeOutput: true,
      includeTags: true,
      ...options.alerts,
    });
  }

  /** What this replay evaluates and reads: its rules' event types and fields, and the alerts' fields. */
  needs(): EventNeeds {
    return rulesNeeds(
      this.engine.rules.map((r) => r.rule),
      this.formatter.fields(),
    );
  }

  /** Evaluates one event; calls `onAlert` for every rule it fires. */
  process(item: CaptureItem<E>, onAlert: (alert: Alert) => void): void {
    const stats = this.stats;
    stats.eventsRead++;
    stats.bytes += item.size;
    // Events libsinsp keeps for the state only: read, never evaluated (SCAP_FILTERED_EVENT to Falco).
    if (this.source.delivered?.(item.event) === false) {
      stats.eventsStateOnly++;
      return;
    }
    const type = this.source.eventType(item.event);
    if (this.liveEventSet && type !== undefined && isOutsideLiveEventSet(type)) {
      stats.eventsIgnored++;
      return;
    }
    stats.eventsEvaluated++;
    const fired = this.engine.evaluate(item.event);
    for (let i = 0; i < fired.length; i++) {
      const rule = fired[i]!.rule;
      stats.alerts++;
      const entry = stats.byRule.get(rule.name);
      if (entry) entry.count++;
      else stats.byRule.set(rule.name, { priority: rule.priority, count: 1 });
      onAlert({ rule: rule.name, priority: rule.priority, line: this.formatter.format(rule, item.event), file: item.file, line_number: item.line });
    }
  }

  problem(p: CaptureProblem): void {
    if (p.kind === 'line') this.stats.badLines++;
  }

  /** Replays an event stream to the end. */
  async run(events: AsyncIterable<CaptureItem<E>>, onAlert: (alert: Alert) => void): Promise<ReplayStats> {
    return this.runBatches(singles(events), onAlert);
  }

  /**
   * Replays batches of events (what `readCaptureBatches` yields: no asynchronous step per
   * event) to the end, or until `control.stopped()`.
   */
  async runBatches(batches: AsyncIterable<Iterable<CaptureItem<E>>>, onAlert: (alert: Alert) => void, control: RunControl = {}): Promise<ReplayStats> {
    const start = process.hrtime.bigint();
    const stats = this.stats;
    const { stopped, onProgress } = control;
    outer: for await (const batch of batches) {
      for (const item of batch) {
        if (stopped?.()) break outer;
        this.process(item, onAlert);
        if (onProgress && (stats.eventsRead & PROGRESS_MASK) === 0) {
          stats.seconds = Number(process.hrtime.bigint() - start) / 1e9;
          onProgress(stats);
        }
      }
    }
    stats.seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return stats;
  }
}

export interface RunControl {
  /** Checked before each event: true ends the run (strict reading after a bad line). */
  stopped?: () => boolean;
  /** Called every 2^17 events, with the counts so far. */
  onProgress?: (stats: ReplayStats) => void;
}

const PROGRESS_MASK = 0x1ffff;

async function* singles<E>(events: AsyncIterable<CaptureItem<E>>): AsyncGenerator<Iterable<CaptureItem<E>>> {
  for await (const item of events) yield [item];
}
