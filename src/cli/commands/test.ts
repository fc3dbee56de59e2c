import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fg from 'fast-glob';
import { type CoverageTracker, coverageLcov, coverageTable } from '../../testing/coverage.js';
import { ARCHES, parseArch } from '../../testing/event-generator/arch.js';
import { EgCliRunner } from '../../testing/event-generator/cli.js';
import { isEventGeneratorSuite } from '../../testing/event-generator/detect.js';
import { type EgReportFormat, egReport, suiteReports } from '../../testing/event-generator/report.js';
import type { EgFileResult } from '../../testing/event-generator/run.js';
import { junitReport, textReport, totals } from '../../testing/reporters.js';
import { runTestFile, type TestFileResult } from '../../testing/runner.js';
import { type CliIO, UsageError } from '../io.js';

export async function runTest(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      rules: { type: 'string', short: 'r', multiple: true },
      json: { type: 'boolean' },
      reporter: { type: 'string' },
      output: { type: 'string' },
      coverage: { type: 'boolean' },
      'coverage-json': { type: 'string' },
      lcov: { type: 'string' },
      'report-format': { type: 'string' },
      'dump-events': { type: 'string' },
      arch: { type: 'string' },
      option: { type: 'string', short: 'o', multiple: true },
    },
    allowPositionals: true,
  });
  if (values.reporter !== undefined && values.reporter !== 'junit') throw new UsageError(`unknown reporter '${values.reporter}' (junit)`);
  const patterns = positionals.length
    ? positionals.map((p) => (/\.ya?ml$/.test(p) || fg.isDynamicPattern(p) ? p : `${p.replace(/\/$/, '')}/**/*.kestrel-test.yaml`))
    : ['**/*.kestrel-test.yaml'];
  const files = fg.sync(patterns, { cwd: io.cwd, ignore: ['**/node_modules/**'], onlyFiles: true }).sort();
  if (files.length === 0) {
    io.err(`kestrel test: no test files found (${patterns.join(', ')})\n`);
    return 1;
  }
  const reportFormat = values['report-format']?.toLowerCase();
  if (reportFormat !== undefined && !['text', 'json', 'yaml'].includes(reportFormat))
    throw new UsageError(`unknown report format '${values['report-format']}' (text, json, yaml)`);
  let matching: 'first' | 'all' = 'first';
  for (const o of values.option ?? []) {
    const m = /^rule_matching=(first|all)$/.exec(o);
    if (!m) throw new UsageError(`unsupported option '-o ${o}' (rule_matching=first|all)`);
    matching = m[1] as 'first' | 'all';
  }
  const arch = values.arch === undefined ? undefined : parseArch(values.arch);
  if (values.arch !== undefined && arch === undefined) throw new UsageError(`unknown architecture '${values.arch}' (${ARCHES.join(', ')}, or x86_64, aarch64)`);
  const wantCoverage = Boolean(values.coverage || values['coverage-json'] || values.lcov);
  const eg = new EgCliRunner({
    rules: values.rules,
    cwd: io.cwd,
    matching,
    coverage: wantCoverage,
    ...(arch ? { arch } : {}),
    ...(values['dump-events'] ? { dumpEvents: values['dump-events'] } : {}),
  });
  const egResults: EgFileResult[] = [];
  const trackers = wantCoverage ? new Map<string, CoverageTracker>() : undefined;
  const results: TestFileResult[] = [];
  for (const file of files) {
    if (isEventGeneratorSuite(readFileSync(path.resolve(io.cwd, file), 'utf8'))) {
      const r = eg.run(file);
      results.push(r.kestrel);
      egResults.push(r.eg);
      continue;
    }
    results.push(await runTestFile(file, { cwd: io.cwd, ...(values.rules ? { rules: values.rules } : {}), ...(trackers ? { coverage: trackers } : {}) }));
  }
  if (reportFormat !== undefined) {
    for (const f of results) for (const e of f.errors) io.err(`${e}\n`);
    const text = egReport(suiteReports(egResults), reportFormat as EgReportFormat);
    if (values.output) writeFileSync(values.output, text);
    else io.out(text);
    return results.some((f) => f.errors.length > 0) ? 1 : 0;
  }
  const report =
    values.reporter === 'junit'
      ? junitReport(results)
      : values.json
        ? `${JSON.stringify({ files: results, ...totals(results) }, null, 2)}\n`
        : textReport(results);
  if (values.output) writeFileSync(values.output, report);
  else io.out(report);
  if (trackers) {
    const coverage = [...trackers.values(), ...(eg.coverage ? [eg.coverage] : [])].flatMap((t) => t.report());
    if (values.coverage) io.out(`\n${coverageTable(coverage)}`);
    if (values['coverage-json']) writeFileSync(values['coverage-json'], `${JSON.stringify(coverage, null, 2)}\n`);
    if (values.lcov) writeFileSync(values.lcov, coverageLcov(coverage));
  }
  const { failed, errors } = totals(results);
  return failed > 0 || errors > 0 ? 1 : 0;
}
