/**
 * Accumulates lists, macros and rules across rules files with Falco's semantics:
 * redefinition replaces in place, appends extend, overrides replace selected keys,
 * `enabled`-only items toggle earlier rules.
 */

import type { FieldCatalogue } from '../fields/catalogue.js';
import { LoadError, type Location } from './diagnostics.js';
import {
  type ExceptionInfo,
  isEntryValid,
  type ListInfo,
  type MacroInfo,
  type PluginRequirement,
  type RuleInfo,
  type RuleUpdate,
  type TextSegment,
} from './model.js';
import { isListOperatorText, isStringOperatorWithModifier, LOAD_OPERATORS } from './operators.js';
import { compareSemver, formatSemver, parseSemver, type Semver } from './semver.js';

export const ENGINE_VERSION: Semver = { major: 0, minor: 63, patch: 0 };
/**
 * Plugins kestrel provides itself: the container plugin's fields are part of its catalogue.
 * The version is the one the upstream rules require.
 */
export const BUILTIN_PLUGINS: Readonly<Record<string, Semver>> = { container: { major: 0, minor: 4, patch: 0 } };

/** Like Falco at startup: some alternative must name a provided plugin of a compatible version. */
function checkPluginRequirement(alternatives: PluginRequirement[], context: Location[]): void {
  for (const req of alternatives) {
    const have = BUILTIN_PLUGINS[req.name];
    const want = parseSemver(req.version);
    if (have && want && have.major === want.major && compareSemver(have, want) >= 0) return;
  }
  const wanted = alternatives.map((a) => `${a.name} ${a.version}`).join(' or ');
  const provided = Object.entries(BUILTIN_PLUGINS)
    .map(([name, v]) => `${name} ${formatSemver(v)}`)
    .join(', ');
  fail(`These rules require plugin ${wanted}, which kestrel does not provide (it provides ${provided})`, context);
}
export const SYSCALL_SOURCE = 'syscall';

function fail(message: string, context: Location[]): never {
  throw new LoadError('LOAD_ERR_VALIDATE', message, context);
}

interface Ordered {
  name: string;
  index: number;
  visibility: number;
}

/** A name-indexed vector that keeps first-definition order, as Falco's indexed_vector. */
class Definitions<T extends Ordered> {
  private readonly items: T[] = [];
  private readonly byName = new Map<string, T>();

  get(name: string): T | undefined {
    return this.byName.get(name);
  }

  /** Defines or redefines; a redefinition keeps the first definition's place. */
  define(info: T, id: number): void {
    const previous = this.byName.get(info.name);
    if (previous) {
      info.index = previous.index;
      info.visibility = id;
      this.items[this.items.indexOf(previous)] = info;
    } else {
      info.index = id;
      info.visibility = id;
      this.items.push(info);
    }
    this.byName.set(info.name, info);
  }

  values(): readonly T[] {
    return this.items;
  }
}

export class Collector {
  private nextId = 0;
  readonly lists = new Definitions<ListInfo>();
  readonly macros = new Definitions<MacroInfo>();
  readonly rules = new Definitions<RuleInfo>();
  readonly pluginRequirements: { alternatives: PluginRequirement[]; context: Location[] }[] = [];
  requiredEngineVersion: Semver = { major: 0, minor: 0, patch: 0 };

  constructor(
    private readonly catalogue: FieldCatalogue,
    private readonly knownSources: ReadonlySet<string> = new Set([SYSCALL_SOURCE]),
  ) {}

  isKnownSource(source: string): boolean {
    return this.knownSources.has(source);
  }

  defineEngineVersion(version: Semver, context: Location[]): void {
    // Compatible when the engine is at least the required version with the same major.
    if (version.major !== ENGINE_VERSION.major || compareSemver(ENGINE_VERSION, version) < 0) {
      // Falco's words (rule_loader_collector.cpp); kestrel implements engine version ENGINE_VERSION.
      fail(`Rules require engine version ${formatSemver(version)}, but engine version is ${formatSemver(ENGINE_VERSION)}`, context);
    }
    if (compareSemver(this.requiredEngineVersion, version) < 0) this.requiredEngineVersion = version;
  }

  definePluginRequirement(alternatives: PluginRequirement[], context: Location[]): void {
    const seen = new Set<string>();
    for (const req of alternatives) {
      if (!/^[0-9]+\.[0-9]+\.[0-9]+/.test(req.version)) {
        fail(`Invalid required version '${req.version}' for plugin '${req.name}'`, context);
      }
      if (seen.has(req.name)) fail(`Defined multiple alternative version requirements for plugin '${req.name}'`, context);
      seen.add(req.name);
    }
    this.pluginRequirements.push({ alternatives, context });
    checkPluginRequirement(alternatives, context);
  }

  defineList(info: ListInfo): void {
    this.lists.define(info, this.nextId++);
  }

  appendList(info: ListInfo): void {
    const previous = this.lists.get(info.name);
    if (!previous) fail("List uses 'append' or 'override.items: append' but no list by that name already exists", info.context);
    previous.items.push(...info.items);
    previous.visibility = this.nextId++;
  }

  defineMacro(info: MacroInfo): void {
    this.macros.define(info, this.nextId++);
  }

  appendMacro(info: MacroInfo): void {
    const previous = this.macros.get(info.name);
    if (!previous) {
      fail("Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", info.context);
    }
    appendText(previous, info.condition, info.conditionSegments);
    previous.visibility = this.nextId++;
  }

  defineRule(info: RuleInfo): void {
    this.checkSameSource(info.name, info.source, info.context);
    if (!this.knownSources.has(info.source)) info.unknownSource = true;
    for (const ex of info.exceptions) {
      if (!isEntryValid(ex.fields)) fail('Rule exception item must have fields property with a list of fields', ex.context);
      this.validateException(info.unknownSource ? undefined : this.catalogue, ex);
    }
    this.rules.define(info, this.nextId++);
  }

  appendRule(update: RuleUpdate): void {
    const previous = this.checkSameSource(update.name, update.source, update.context);
    if (!previous) fail("Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", update.context);
    if (!hasAnyValue(update)) fail('Appended rule must have exceptions or condition property', update.context);
    const catalogue = previous.unknownSource ? undefined : this.catalogue;
    if (update.condition) appendText(previous, update.condition, update.conditionSegments ?? []);
    if (update.output) previous.output += ` ${update.output}`;
    if (update.desc) previous.desc += ` ${update.desc}`;
    if (update.tags) previous.tags = sortedUnique([...previous.tags, ...update.tags]);
    for (const ex of update.exceptions ?? []) {
      const existing = previous.exceptions.find((e) => e.name === ex.name);
      if (!existing) {
        if (!isEntryValid(ex.fields)) fail('Rule exception must have fields property with a list of fields', ex.context);
        if (ex.values.length === 0) fail('Rule exception must have values property with a list of values', ex.context);
        this.validateException(catalogue, ex);
        previous.exceptions.push(ex);
      } else {
        if (isEntryValid(ex.fields)) fail('Can not append exception fields to existing exception, only values', ex.context);
        if (isEntryValid(ex.comps)) fail('Can not append exception comps to existing exception, only values', ex.context);
        existing.values.push(...ex.values);
      }
    }
    previous.visibility = this.nextId++;
  }

  replaceRule(update: RuleUpdate): void {
    const previous = this.checkSameSource(update.name, update.source, update.context);
    if (!previous) {
      fail("An 'override.<key>: replace' to a rule was requested but no rule by that name already exists", update.context);
    }
    if (!hasAnyValue(update)) fail('The rule must have at least one field that can be replaced', update.context);
    if (update.condition !== undefined) {
      previous.condition = update.condition;
      previous.conditionSegments = update.conditionSegments ?? [];
    }
    if (update.output !== undefined) previous.output = update.output;
    if (update.desc !== undefined) previous.desc = update.desc;
    if (update.tags !== undefined) previous.tags = update.tags;
    if (update.exceptions !== undefined) previous.exceptions = update.exceptions;
    if (update.priority !== undefined) previous.priority = update.priority;
    if (update.capture !== undefined) previous.capture = update.capture;
    if (update.captureDuration !== undefined) previous.captureDuration = update.captureDuration;
    if (update.enabled !== undefined) previous.enabled = update.enabled;
    if (update.warnEvttypes !== undefined) previous.warnEvttypes = update.warnEvttypes;
    if (update.skipIfUnknownFilter !== undefined) previous.skipIfUnknownFilter = update.skipIfUnknownFilter;
    previous.visibility = this.nextId++;
  }

  enableRule(name: string, enabled: boolean, context: Location[]): void {
    const previous = this.rules.get(name);
    if (!previous) fail("Rule has 'enabled' key but no rule by that name already exists", context);
    previous.enabled = enabled;
  }

  private checkSameSource(name: string, source: string, context: Location[]): RuleInfo | undefined {
    const previous = this.rules.get(name);
    if (previous && previous.source !== '' && source !== '' && previous.source !== source) {
      fail('Rule has been re-defined with a different source', context);
    }
    return previous;
  }

  /** Fills default comps and checks fields/comps agree, as Falco does when a rule is defined. */
  private validateException(catalogue: FieldCatalogue | undefined, ex: ExceptionInfo): void {
    if (ex.fields.isList) {
      if (!isEntryValid(ex.comps)) {
        ex.comps = { isList: true, item: '', items: ex.fields.items.map(() => ({ isList: false, item: '=', items: [] })) };
      }
      if (ex.fields.items.length !== ex.comps.items.length) fail('Fields and comps lists must have equal length', ex.context);
      for (const comp of ex.comps.items) {
        comp.item = comp.item.trim();
        if (!LOAD_OPERATORS.includes(comp.item) && !isStringOperatorWithModifier(comp.item)) {
          fail(`'${comp.item}' is not a supported comparison operator`, ex.context);
        }
      }
      if (catalogue) {
        for (const field of ex.fields.items) {
          if (!isValidLhsField(catalogue, field.item)) fail(`'${field.item}' is not a supported filter field`, ex.context);
        }
      }
    } else {
      if (!isEntryValid(ex.comps)) ex.comps = { isList: false, item: 'in', items: [] };
      if (ex.comps.isList) fail('Fields and comps must both be strings', ex.context);
      ex.comps.item = ex.comps.item.trim();
      if (!isListOperatorText(ex.comps.item)) {
        fail('When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)', ex.context);
      }
      if (catalogue && !isValidLhsField(catalogue, ex.fields.item)) {
        fail(`'${ex.fields.item}' is not a supported filter field`, ex.context);
      }
    }
  }
}

/** An exception field is written as condition text: `proc.name`, `proc.aname[2]`, `evt.arg.flags`. */
function isValidLhsField(catalogue: FieldCatalogue, text: string): boolean {
  const match = /^([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+)(?:\[(.*)\])?$/.exec(text.trim());
  if (!match) return false;
  return catalogue.resolve(match[1]!, match[2]).ok;
}

function hasAnyValue(u: RuleUpdate): boolean {
  return (
    u.condition !== undefined ||
    u.output !== undefined ||
    u.desc !== undefined ||
    u.tags !== undefined ||
    u.exceptions !== undefined ||
    u.priority !== undefined ||
    u.capture !== undefined ||
    u.captureDuration !== undefined ||
    u.enabled !== undefined ||
    u.warnEvttypes !== undefined ||
    u.skipIfUnknownFilter !== undefined
  );
}

/** Appends condition text after a space, keeping track of where the new part came from. */
function appendText(target: { condition: string; conditionSegments: TextSegment[] }, text: string, segments: TextSegment[]): void {
  const start = target.condition.length + 1;
  target.condition += ` ${text}`;
  target.conditionSegments.push(...segments.map((s) => ({ start: start + s.start, origin: s.origin })));
}

export function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
