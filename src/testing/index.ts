/** kestrel-falco/testing: rule tests from code (e.g. inside vitest). */
export { runTestFile, explain, type RunOptions, type TestFileResult, type TestResult } from './runner.js';
export { junitReport, textReport, totals } from './reporters.js';
export { TestFileSchema, type TestFile, type TestCase, type Expectation } from './schema.js';
export { expandCases } from './templates.js';
export { CoverageTracker, coverageLcov, coverageTable, type LeafCoverage, type RuleCoverage } from './coverage.js';
