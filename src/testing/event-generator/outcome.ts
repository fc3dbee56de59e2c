/**
 * event-generator's outcome check (pkg/test/tester/tester): an alert counts for a test when
 * it comes from the test's leaf process (event-generator finds the test id in `proc.env`),
 * and matches when its rule is the test's rule and every key `expectedOutcome` declares is
 * equal, as text, to the alert's (priority lowercased as event-generator's alert decoder
 * does; output field values formatted with Go's `%v` of the decoded JSON value).
 */
import type { EgExpectedOutcome } from './types.js';

export interface EgAlert {
  rule: string;
  /** Lowercase, as event-generator decodes it. */
  priority: string;
  source: string;
  hostname: string;
  outputFields: Record<string, string>;
  /** The alert as Falco's JSON output has it (values with their JSON types). */
  raw: { priority: string; output_fields?: Record<string, unknown> };
}

export interface EgFieldWarning {
  field: string;
  expected: string;
  /** The alert's value; '' when it has no such field (Go's zero value, as event-generator reports it). */
  got: string;
}

/** An alert as Falco's JSON output gives it, decoded as event-generator's HTTP retriever does. */
export function decodeAlert(json: string): EgAlert {
  const raw = JSON.parse(json) as { rule: string; priority: string; source: string; hostname: string; output_fields?: Record<string, unknown> };
  const outputFields: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.output_fields ?? {})) if (v !== null && v !== undefined) outputFields[k] = goJsonValue(v);
  return { rule: raw.rule, priority: String(raw.priority).toLowerCase(), source: raw.source, hostname: raw.hostname, outputFields, raw };
}

/** The fields of `alert` that differ from `expected` (empty: the alert matches). */
export function compareAlert(alert: EgAlert, expected: EgExpectedOutcome | undefined): EgFieldWarning[] {
  if (expected === undefined) return [];
  const out: EgFieldWarning[] = [];
  if (expected.source !== undefined && alert.source !== expected.source) out.push({ field: 'source', expected: expected.source, got: alert.source });
  if (expected.hostname !== undefined && alert.hostname !== expected.hostname)
    out.push({ field: 'hostname', expected: expected.hostname, got: alert.hostname });
  if (expected.priority !== undefined && alert.priority !== expected.priority)
    out.push({ field: 'priority', expected: expected.priority, got: alert.priority });
  for (const [key, value] of Object.entries(expected.outputFields ?? {})) {
    const got = alert.outputFields[key];
    if (got !== value) out.push({ field: key, expected: value, got: got ?? '' });
  }
  return out;
}

/**
 * Go's `%v` of a value decoded from JSON into interface{}: numbers are float64, printed as
 * `%g` with the shortest digits (exponent form for exponents < -4 or ≥ 6: 1000000 is `1e+06`);
 * lists as `[a b]`, objects as `map[k:v]`.
 */
export function goJsonValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goFloat(v);
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goJsonValue).join(' ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, x]) => `${k}:${goJsonValue(x)}`).join(' ')}]`;
}

/** Go's `%v` of a float64: strconv 'g' with the shortest representation (strconv/ftoa.go: eprec 6 when shortest). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}
