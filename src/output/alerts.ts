/**
 * Falco-compatible alerts: the text line (`HH:MM:SS.nnnnnnnnn: Priority message`, or ISO 8601)
 * and the JSON object (hostname, output, output_fields, priority, rule, source, tags, time;
 * keys sorted as Falco's JSON library writes them).
 */
import os from 'node:os';
import type { FieldCatalogue } from '../fields/catalogue.js';
import type { EventSource, FieldAccessor } from '../fields/source.js';
import type { CompiledRule } from '../rules/model.js';
import { type FormatToken, parseFormat } from '../rules/output-format.js';
import { type BoundFormat, FormatBinder } from './bind.js';
import { jsonString, renderFormat, valueJson } from './render.js';

export interface AlertOptions {
  json: boolean;
  iso8601: boolean;
  includeOutput: boolean;
  includeTags: boolean;
  /** Extra output appended to every rule's output (Falco's -p / append_output). */
  appendOutput?: string;
  /** Hostname when events carry no evt.hostname. */
  hostname?: string;
}

export class AlertFormatter<E> {
  private readonly bound = new Map<CompiledRule, BoundFormat<E>>();
  private readonly binder: FormatBinder<E>;
  /** The appended output (-p), parsed once: a mistake in it is reported before any event. */
  private readonly appended: FormatToken[];
  private readonly timeRaw: FieldAccessor<E>;
  private readonly timeText: FieldAccessor<E>;
  private readonly hostField: FieldAccessor<E>;
  private readonly hostname: string;

  constructor(
    private readonly source: EventSource<E>,
    private readonly catalogue: FieldCatalogue,
    private readonly options: AlertOptions,
  ) {
    this.timeRaw = this.fieldReader('evt.rawtime');
    this.timeText = this.fieldReader('evt.time');
    this.hostField = this.fieldReader('evt.hostname');
    this.hostname = options.hostname ?? os.hostname();
    this.binder = new FormatBinder(source, catalogue);
    // Throws FormatError for a bad -p: callers report it with its position.
    this.appended = options.appendOutput ? [{ kind: 'text', text: ' ' }, ...parseFormat(options.appendOutput, catalogue).tokens] : [];
  }

  /** Fields every alert reads besides its rule's output (time, host, the appended output), as written. */
  fields(): string[] {
    return ['evt.rawtime', 'evt.time', 'evt.hostname', ...this.appended.flatMap((t) => (t.kind === 'field' ? [t.text] : []))];
  }

  /** One alert, as a line of text or JSON (no trailing newline). */
  format(rule: CompiledRule, event: E): string {
    const bound = this.bind(rule);
    const message = renderFormat(bound.message, event);
    const time = eventTime(this.timeRaw(event), this.timeText(event));
    const text = `${this.options.iso8601 ? isoLocal(time) : clockLocal(time)}: ${rule.priority} ${message}`;
    if (!this.options.json) return text;
    const host = this.hostField(event);
    let out = `{"hostname":${jsonString(typeof host === 'string' ? host : this.hostname)}`;
    if (this.options.includeOutput) out += `,"output":${jsonString(text)}`;
    out += ',"output_fields":{';
    bound.fields.forEach((f, i) => {
      out += `${i ? ',' : ''}${jsonString(f.key)}:${valueJson(f.read(event), f.type)}`;
    });
    out += `},"priority":${jsonString(rule.priority)},"rule":${jsonString(rule.name)},"source":${jsonString(rule.source)}`;
    if (this.options.includeTags) out += `,"tags":[${rule.tags.map(jsonString).join(',')}]`;
    out += `,"time":${jsonString(isoUtc(time))}}`;
    return out;
  }

  private bind(rule: CompiledRule): BoundFormat<E> {
    let bound = this.bound.get(rule);
    if (bound) return bound;
    bound = this.binder.bind([...rule.format.tokens, ...this.appended]);
    this.bound.set(rule, bound);
    return bound;
  }

  private fieldReader(name: string): FieldAccessor<E> {
    const lookup = this.catalogue.resolve(name);
    return lookup.ok ? this.source.accessor(lookup.field) : () => undefined;
  }
}

/** Event time in nanoseconds since the epoch, from evt.rawtime or a numeric/ISO evt.time. */
export function eventTime(raw: unknown, text: unknown): bigint {
  for (const v of [raw, text]) {
    if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
    if (typeof v === 'bigint') return v;
    if (typeof v === 'string' && /^[0-9]+$/.test(v)) return BigInt(v);
  }
  if (typeof text === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
    if (m) {
      const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
      if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
    }
  }
  return 0n;
}

function split(ns: bigint): { date: Date; nanos: string } {
  const ms = Number(ns / 1_000_000n);
  return { date: new Date(ms), nanos: String(ns % 1_000_000_000n).padStart(9, '0') };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `HH:MM:SS.nnnnnnnnn` in local time, as Falco prints by default. */
export function clockLocal(ns: bigint): string {
  const { date, nanos } = split(ns);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${nanos}`;
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+hhmm` in local time (time_format_iso_8601). */
export function isoLocal(ns: bigint): string {
  const { date, nanos } = split(ns);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${nanos}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`: the JSON alert's time. */
export function isoUtc(ns: bigint): string {
  const { date, nanos } = split(ns);
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    `.${nanos}Z`
  );
}
