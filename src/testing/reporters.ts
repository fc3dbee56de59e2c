/** Test reports: for people, as JSON, and as JUnit XML for CI systems. */
import type { TestFileResult } from './runner.js';

export function textReport(files: TestFileResult[]): string {
  const out: string[] = [];
  for (const f of files) {
    for (const e of f.errors) out.push(`ERROR ${e}`);
    for (const r of f.results) {
      if (r.skipped !== undefined) {
        out.push(`SKIP ${f.file} › ${r.name}`, `     ${r.skipped}`);
        continue;
      }
      out.push(`${r.passed ? 'PASS' : 'FAIL'} ${f.file} › ${r.name}`);
      for (const failure of r.failures) out.push(`     ${failure.replace(/\n/g, '\n     ')}`);
    }
  }
  const { passed, failed, skipped, errors } = totals(files);
  out.push('', `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${errors ? `, ${errors} file error(s)` : ''}`);
  return `${out.join('\n')}\n`;
}

export function totals(files: TestFileResult[]): { passed: number; failed: number; skipped: number; errors: number } {
  const results = files.flatMap((f) => f.results);
  return {
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed && r.skipped === undefined).length,
    skipped: results.filter((r) => r.skipped !== undefined).length,
    errors: files.reduce((n, f) => n + f.errors.length, 0),
  };
}

const xml = (s: string) =>
  s
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: a testsuite per file, a testcase per test (classname = the rule). */
export function junitReport(files: TestFileResult[]): string {
  const { passed, failed, skipped, errors } = totals(files);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="kestrel" tests="${passed + failed + skipped}" failures="${failed}" errors="${errors}">`,
  ];
  for (const f of files) {
    const t = totals([f]);
    const time = f.results.reduce((s, r) => s + r.durationMs, 0) / 1000;
    lines.push(
      `  <testsuite name="${xml(f.file)}" tests="${f.results.length}" failures="${t.failed}" errors="${f.errors.length}" skipped="${t.skipped}" time="${time.toFixed(3)}">`,
    );
    for (const e of f.errors)
      lines.push(`    <testcase name="${xml(`load ${f.file}`)}" classname="kestrel"><error message="${xml(e.split('\n')[0]!)}">${xml(e)}</error></testcase>`);
    for (const r of f.results) {
      const open = `    <testcase name="${xml(r.name)}" classname="${xml(r.rule)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.skipped !== undefined) lines.push(`${open}><skipped message="${xml(r.skipped)}"/></testcase>`);
      else if (r.passed) lines.push(`${open}/>`);
      else lines.push(`${open}><failure message="${xml(r.failures[0]!.split('\n')[0]!)}">${xml(r.failures.join('\n'))}</failure></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
