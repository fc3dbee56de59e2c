/** kestrel's public API: the same pipeline the CLI runs, stage by stage. */
export * from './parser/index.js';
export { FieldCatalogue, type FieldDef, type FieldType, type ResolvedField } from './fields/catalogue.js';
export { FIELD_DESCRIPTIONS } from './fields/descriptions.js';
export { FlatEventSource, type FlatEvent } from './fields/flat-source.js';
export type { EventSource, FieldAccessor, FieldValue } from './fields/source.js';
export { sysdigFormat } from './fields/conversion.js';
export { loadRulesContents, loadRulesFiles, type LoadedRules, type LoadOptions, type RulesContent } from './rules/loader.js';
export type { CompiledRule, CompileOutput } from './rules/compiler.js';
export type { Diagnostic, FileLoadResult, Location, LoadErrorCode, LoadWarningCode } from './rules/diagnostics.js';
export { describeRule, type RuleDescription } from './rules/describe.js';
export { PRIORITIES, parsePriority, type Priority } from './rules/priority.js';
export { ConditionCompiler, type Predicate } from './evaluator/compile.js';
export { Engine, type RuleMatching, type RuleSelection } from './evaluator/engine.js';
export { Replayer, type Alert, type ReplayOptions, type ReplayStats } from './evaluator/replay.js';
export { expandCapturePaths, parseEventLine, readCaptures, type CaptureEvent, type CaptureProblem } from './evaluator/captures.js';
export { AlertFormatter, type AlertOptions } from './output/alerts.js';
export { parseFormat, type ParsedFormat } from './output/format.js';
export { profileRules, type ProfileReport, type RuleProfile } from './evaluator/profile.js';
