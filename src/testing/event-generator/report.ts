/**
 * Reports of event-generator suite runs: as kestrel's test results (for kestrel's text, JSON
 * and JUnit reporters), and in event-generator's own shapes (`--report-format text|json|yaml`,
 * pkg/test/suite/reportencoder): one report per test suite, a suite being the tests of one
 * rule, each test with its successful matches and the warnings of the alerts that differed.
 */
import { stringify } from 'yaml';
import type { TestFileResult, TestResult } from '../runner.js';
import type { EgFileResult, EgTestResult } from './run.js';
import type { EgDiagnostic } from './types.js';

export type EgReportFormat = 'text' | 'json' | 'yaml';

export function formatEgDiagnostic(d: EgDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message} [${d.code}]`;
}

/** One event-generator test as a kestrel test result. */
function toTestResult(r: EgTestResult): TestResult {
  const failures: string[] = [];
  if (r.error !== undefined) failures.push(`error: ${r.error}`);
  else if (!r.passed) {
    if (r.warnings.length === 0) failures.push(`no alert of '${r.rule}' from the test's process${r.explanation.length ? ':' : ''}`);
    r.warnings.forEach((w, i) => {
      failures.push(
        `alert ${i + 1} of '${r.rule}' differs: ${w.map((f) => `${f.field} expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.got)}`).join('; ')}`,
      );
    });
    if (r.explanation.length > 0) failures.push(r.explanation.map((l) => `  ${l}`).join('\n'));
  }
  return {
    file: r.file,
    name: r.name,
    rule: r.rule ?? '',
    passed: r.passed,
    ...(r.skipped !== undefined ? { skipped: r.skipped } : {}),
    failures,
    alerts: r.alerts.filter((a) => a.rule === r.rule).map((a) => ({ rule: a.rule, priority: a.priority, output_fields: a.outputFields })),
    otherAlerts: r.alerts.filter((a) => a.rule !== r.rule).map((a) => a.rule),
    durationMs: r.durationMs,
  };
}

export function toTestFileResult(f: EgFileResult): TestFileResult {
  return { file: f.file, errors: f.errors.map(formatEgDiagnostic), results: f.results.map(toTestResult) };
}

interface SuiteReport {
  suite: string;
  testReports: {
    test: string;
    originatingTestCase?: Record<string, unknown>;
    successfulMatches: number;
    generatedWarnings?: { fieldWarnings: { field: string; expected: string; got: string }[] }[];
  }[];
}

/** Groups the results by rule, in the order the rules first appear. Tests skipped by `runIf` were not run: they have no report. */
export function suiteReports(files: readonly EgFileResult[]): SuiteReport[] {
  const bySuite = new Map<string, SuiteReport>();
  for (const f of files) {
    for (const r of f.results) {
      if (r.skipped !== undefined) continue;
      const name = r.rule ?? '';
      let s = bySuite.get(name);
      if (s === undefined) bySuite.set(name, (s = { suite: name, testReports: [] }));
      const testCase = r.testCase === undefined ? undefined : Object.fromEntries(Object.entries(r.testCase).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      s.testReports.push({
        test: r.name,
        ...(testCase && Object.keys(testCase).length > 0 ? { originatingTestCase: testCase } : {}),
        successfulMatches: r.successfulMatches,
        ...(r.warnings.length > 0 ? { generatedWarnings: r.warnings.map((w) => ({ fieldWarnings: w.map((x) => ({ ...x })) })) } : {}),
      });
    }
  }
  return [...bySuite.values()];
}

export function egReport(reports: readonly SuiteReport[], format: EgReportFormat): string {
  switch (format) {
    case 'json':
      // Go's json.Encoder: compact, one document a line, <, > and & escaped, map keys sorted.
      return reports.map((r) => `${goJson(r)}\n`).join('');
    case 'yaml':
      // yaml.v3's encoder: 4-space indentation; one document per suite, no separator.
      return reports.map((r) => stringify(r, { indent: 4, indentSeq: true, lineWidth: 0 })).join('');
    case 'text':
      return reports.map(textSuite).join('');
  }
}

function textSuite(r: SuiteReport): string {
  const pad = '   ';
  let out = `Test Suite: ${r.suite}\n`;
  for (const t of r.testReports) {
    out += `${pad}Test: ${t.test}${formatTestCase(t.originatingTestCase)}\n`;
    if (t.successfulMatches === 0 && (t.generatedWarnings ?? []).length === 0) {
      out += `${pad}${pad}Failed\n\n`;
      continue;
    }
    out += `${pad}${pad}Successful matches: ${t.successfulMatches}\n`;
    out += `${pad}${pad}Generated warnings: ${(t.generatedWarnings ?? []).length}\n`;
    (t.generatedWarnings ?? []).forEach((w, i) => {
      out += `${pad.repeat(3)}Warning ${i}\n`;
      for (const f of w.fieldWarnings) out += `${pad.repeat(4)}Field: ${f.field}, Expected: ${f.expected}, Got: ${f.got}\n`;
    });
    out += '\n';
  }
  return out;
}

/** ` (k="v", ...)` as event-generator prints a test case (strings as Go's %q). */
function formatTestCase(testCase: Record<string, unknown> | undefined): string {
  if (testCase === undefined) return '';
  const parts = Object.entries(testCase).map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  // Structs keep their field order; the only map (originatingTestCase) is written with sorted keys.
  return `{${Object.keys(o)
    .map((k) => `${goJson(k)}:${goJson(o[k])}`)
    .join(',')}}`;
}
