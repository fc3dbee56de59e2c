/** The rules model: what the reader collects from rules files, and the compiled rules the rest of kestrel runs. */
import type { Node } from 'yaml';
import type { Node as ConditionNode, Expr } from '../parser/index.js';
import type { Location } from './diagnostics.js';
import type { EventTypeSet } from './evttypes.js';
import type { ParsedFormat } from './output-format.js';
import type { Priority } from './priority.js';
import type { YamlSource } from './yaml-source.js';

/** Where a condition or output string came from, to map offsets inside it back to the file. */
export interface TextOrigin {
  source: YamlSource;
  node: Node;
  /** Locations of the enclosing item, outermost first. */
  context: Location[];
}

/** Where a piece of a (possibly appended-to) condition came from: it starts at `start`. */
export interface TextSegment {
  start: number;
  origin: TextOrigin;
}

export interface ListInfo {
  name: string;
  items: string[];
  context: Location[];
  /** Definition order of the first definition. */
  index: number;
  /** Order of the latest definition, append or override. */
  visibility: number;
}

export interface MacroInfo {
  name: string;
  condition: string;
  /** Origins of the condition text; each append adds a segment. */
  conditionSegments: TextSegment[];
  context: Location[];
  index: number;
  visibility: number;
}

/** An exception's fields, comps or one of its values: a string or a list of entries. */
export interface ExceptionEntry {
  isList: boolean;
  item: string;
  items: ExceptionEntry[];
}

export interface ExceptionInfo {
  name: string;
  fields: ExceptionEntry;
  comps: ExceptionEntry;
  values: ExceptionEntry[];
  context: Location[];
}

export interface RuleInfo {
  name: string;
  condition: string;
  conditionSegments: TextSegment[];
  output: string;
  outputOrigin?: TextOrigin;
  desc: string;
  priority: Priority;
  source: string;
  enabled: boolean;
  capture: boolean;
  captureDuration: number;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  tags: string[];
  exceptions: ExceptionInfo[];
  context: Location[];
  index: number;
  visibility: number;
  unknownSource: boolean;
}

/** An append or selective replace of an existing rule (`override`, or deprecated `append: true`). */
export interface RuleUpdate {
  name: string;
  source: string;
  condition?: string;
  conditionSegments?: TextSegment[];
  output?: string;
  desc?: string;
  tags?: string[];
  exceptions?: ExceptionInfo[];
  priority?: Priority;
  capture?: boolean;
  captureDuration?: number;
  enabled?: boolean;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
  context: Location[];
}

export interface PluginRequirement {
  name: string;
  version: string;
}

export function isEntryValid(entry: ExceptionEntry): boolean {
  return entry.isList ? entry.items.length > 0 : entry.item !== '';
}

export function emptyEntry(): ExceptionEntry {
  return { isList: false, item: '', items: [] };
}

/** A rule ready for evaluation. */
export interface CompiledRule {
  name: string;
  description: string;
  /** The condition with macros, lists and exceptions expanded. */
  condition: Expr;
  /** The condition as written (after overrides and appends). */
  rawCondition: string;
  output: string;
  format: ParsedFormat;
  priority: Priority;
  source: string;
  tags: string[];
  enabled: boolean;
  capture: boolean;
  captureDuration: number;
  eventTypes: EventTypeSet;
  /** Fields read by the condition, canonical spelling. */
  conditionFields: string[];
  outputFields: string[];
  exceptionFields: string[];
  /** Exceptions that add an `and not (…)` clause, in order, and where each is defined. */
  exceptionNames: string[];
  exceptionContexts: Location[][];
  macros: string[];
  lists: string[];
  /** Where the rule was (last) defined. */
  context: Location[];
}

export interface CompileOutput {
  rules: CompiledRule[];
  macros: { name: string; condition: Expr; used: boolean; context: Location[] }[];
  lists: { name: string; items: string[]; used: boolean; context: Location[] }[];
  /** Where a node of a compiled condition was written (in a rule, a macro or an exception). */
  locate(node: ConditionNode): Location[];
}
