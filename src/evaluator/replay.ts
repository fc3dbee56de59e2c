/**
 * Replay: events in, alerts out, with the counts a summary needs. Used by the CLI and the
 * programmatic API alike.
 */
import { FieldCatalogue } from '../fields/catalogue.js';
import { isSkippedByDefault } from '../fields/events.js';
import { FlatEventSource, type FlatEvent } from '../fields/flat-source.js';
import { AlertFormatter, type AlertOptions } from '../output/alerts.js';
import type { CompiledRule } from '../rules/compiler.js';
import type { Priority } from '../rules/priority.js';
import type { CaptureEvent, CaptureProblem } from './captures.js';
import { Engine, type RuleMatching, type RuleSelection } from './engine.js';

export interface ReplayOptions {
  matching?: RuleMatching;
  selection?: RuleSelection;
  alerts?: Partial<AlertOptions>;
  /** Consider every event type (Falco's -A); by default the types Falco ignores are skipped. */
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
  /** Events of types Falco ignores without -A. */
  eventsIgnored: number;
  badLines: number;
  alerts: number;
  /** Per rule: alert count. */
  byRule: Map<string, { priority: Priority; count: number }>;
  bytes: number;
  seconds: number;
}

export class Replayer {
  readonly source = new FlatEventSource();
  readonly engine: Engine<FlatEvent>;
  private readonly formatter: AlertFormatter<FlatEvent>;
  readonly stats: ReplayStats = {
    eventsRead: 0,
    eventsEvaluated: 0,
    eventsIgnored: 0,
    badLines: 0,
    alerts: 0,
    byRule: new Map(),
    bytes: 0,
    seconds: 0,
  };

  constructor(
    rules: CompiledRule[],
    private readonly options: ReplayOptions = {},
    catalogue: FieldCatalogue = FieldCatalogue.syscall(),
  ) {
    this.engine = new Engine(rules, this.source, catalogue, options.selection, options.matching ?? 'first');
    this.formatter = new AlertFormatter(this.source, catalogue, {
      json: false,
      iso8601: false,
      includeOutput: true,
      includeTags: true,
      ...options.alerts,
    });
  }

  /** Evaluates one event; calls `onAlert` for every rule it fires. */
  process(item: CaptureEvent, onAlert: (alert: Alert) => void): void {
    const stats = this.stats;
    stats.eventsRead++;
    stats.bytes += item.size;
    const type = this.source.eventType(item.event);
    if (!this.options.allEvents && type !== undefined && isSkippedByDefault(type)) {
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
  async run(events: AsyncIterable<CaptureEvent>, onAlert: (alert: Alert) => void): Promise<ReplayStats> {
    const start = process.hrtime.bigint();
    for await (const item of events) this.process(item, onAlert);
    this.stats.seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return this.stats;
  }
}
