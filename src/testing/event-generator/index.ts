/** event-generator test descriptions (`event-generator suite test` YAML): loading only. */
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
