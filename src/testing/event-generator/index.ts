/** event-generator test descriptions (`event-generator suite test` YAML): loading, offline simulation, outcome check. */
export { loadSuite, loadSuiteFiles, type LoadOptions } from './loader.js';
export { isEventGeneratorSuite } from './detect.js';
export { EG_ERRORS, EG_WARNINGS } from './types.js';
export type {
  EgDiagnostic,
  EgErrorCode,
  EgWarningCode,
  EgLoadResult,
  EgTest,
  EgStep,
  EgResource,
  EgFieldBinding,
  EgContext,
  EgProcessContext,
  EgContainerContext,
  EgExpectedOutcome,
  SyscallName,
} from './types.js';
export { runSuites, EgRunner, type EgRunOptions, type EgTestResult, type EgFileResult } from './run.js';
export { simulateTest, type Simulation, type SimulateOptions } from './sim/simulate.js';
export { dumpSimulation, DUMP_FIELDS } from './dump.js';
export type { EgAlert, EgFieldWarning } from './outcome.js';
