/** kestrel-falco/testing: rule tests from code (e.g. inside vitest). */

export { CoverageTracker, coverageLcov, coverageTable, type LeafCoverage, type RuleCoverage } from './coverage.js';
export { explain } from './explain.js';
export { junitReport, textReport, totals } from './reporters.js';
export { type RunOptions, runTestFile, type TestFileResult, type TestResult } from './runner.js';
export { type Expectation, type TestCase, type TestFile, TestFileSchema } from './schema.js';
export { expandCases } from './templates.js';
