/** event-generator test descriptions (`event-generator suite test` YAML): loading, offline simulation, outcome check. */

export { isEventGeneratorSuite } from './detect.js';
export { DUMP_FIELDS, dumpSimulation } from './dump.js';
export { type LoadOptions, loadSuite, loadSuiteFiles } from './loader.js';
export type { EgAlert, EgFieldWarning } from './outcome.js';
export { type EgFileResult, EgRunner, type EgRunOptions, type EgTestResult, runSuites } from './run.js';
export { type SimulateOptions, type Simulation, simulateTest } from './sim/simulate.js';
export type {
  EgContainerContext,
  EgContext,
  EgDiagnostic,
  EgErrorCode,
  EgExpectedOutcome,
  EgFieldBinding,
  EgLoadResult,
  EgProcessContext,
  EgResource,
  EgStep,
  EgTest,
  EgWarningCode,
  SyscallName,
} from './types.js';
export { EG_ERRORS, EG_WARNINGS } from './types.js';
