/** kestrel's public API: the same pipeline the CLI runs, stage by stage. */

export { Engine, type RuleMatching, type RuleSelection } from './evaluator/engine.js';
export { type Predicate, ProgramBuilder } from './evaluator/program-builder.js';
export { FieldCatalogue, type FieldDef, type FieldType, type ResolvedField } from './fields/catalogue.js';
export { FIELD_DESCRIPTIONS } from './fields/descriptions.js';
export type { EventSource, FieldAccessor, FieldValue } from './fields/source.js';
export { AlertFormatter, type AlertOptions } from './output/alerts.js';
export * from './parser/index.js';
export { EventFilter, type FilterOptions } from './replay/filter.js';
export { type ProfileReport, Profiler, profileRules, type RuleProfile } from './replay/profile.js';
export { type Alert, Replayer, type ReplayOptions, type ReplayStats, type RunControl } from './replay/replay.js';
export { describeRule, type RuleDescription } from './rules/describe.js';
export type { Diagnostic, FileLoadResult, LoadErrorCode, LoadWarningCode, Location } from './rules/diagnostics.js';
export { type LoadedRules, type LoadOptions, loadRulesContents, loadRulesFiles, type RulesContent } from './rules/loader.js';
export type { CompiledRule, CompileOutput } from './rules/model.js';
export { type ParsedFormat, parseFormat } from './rules/output-format.js';
export { PRIORITIES, type Priority, parsePriority } from './rules/priority.js';
export {
  type CaptureEvent,
  type CaptureProblem,
  type CaptureReadOptions,
  expandCapturePaths,
  parseEventLine,
  readCaptures,
  readEventLine,
} from './sources/jsonl/captures.js';
export { sysdigFormat } from './sources/jsonl/conversion.js';
export { exactEvent } from './sources/jsonl/exact-integers.js';
export { type FlatEvent, FlatEventSource } from './sources/jsonl/flat-source.js';
