/**
 * Reads the items of one rules file into the collector, checking each item's shape
 * the way Falco's reader does (same checks, same order, same codes). Falco stops a
 * file at its first error; warnings accumulate.
 */

import type { Node, Scalar, YAMLMap } from 'yaml';
import { z } from 'zod';
import { IDENTIFIER } from '../parser/words.js';
import { type Collector, sortedUnique } from './collector.js';
import { type Diagnostic, type ItemType, LoadError, type LoadWarningCode, type Location } from './diagnostics.js';
import { type ExceptionEntry, type ExceptionInfo, emptyEntry, type RuleInfo, type RuleUpdate, type TextOrigin, type TextSegment } from './model.js';
import { type Priority, parsePriority } from './priority.js';
import { implicitEngineVersion, parseSemver } from './semver.js';
import {
  isMap,
  isNullNode,
  isScalar,
  isSeq,
  mapGet,
  mapHas,
  mapKeys,
  nodeOffset,
  positionAt,
  scalarText,
  toBool,
  toUnsigned,
  type YamlSource,
} from './yaml-source.js';

const BARE_STRING = /^[^()"'\s=,]+$/;

const WARNING_APPEND = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const WARNING_ENABLED =
  "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
const ERROR_OVERRIDE_APPEND =
  "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

/** Scalar conversions, as yaml-cpp performs them on demand. */
const AS_STRING = z.string();
const AS_BOOL = z.string().transform((text, ctx) => {
  const value = toBool(text);
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not a boolean (use true or false)` });
    return z.NEVER;
  }
  return value;
});
const AS_UNSIGNED = z.string().transform((text, ctx) => {
  const value = toUnsigned(text);
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not a non-negative integer` });
    return z.NEVER;
  }
  return value;
});

const RULE_KEYS = new Set([
  'rule',
  'condition',
  'output',
  'desc',
  'priority',
  'source',
  'enabled',
  'capture',
  'capture_duration',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'tags',
  'exceptions',
  'override',
  'append',
]);
const APPENDABLE_RULE_KEYS = ['condition', 'output', 'desc', 'tags', 'exceptions'];
const REPLACEABLE_RULE_KEYS = [
  'condition',
  'output',
  'desc',
  'priority',
  'capture',
  'capture_duration',
  'tags',
  'exceptions',
  'enabled',
  'warn_evttypes',
  'skip-if-unknown-filter',
];

export class RulesFileReader {
  readonly warnings: Diagnostic[] = [];

  constructor(
    private readonly source: YamlSource,
    private readonly collector: Collector,
  ) {}

  /** Reads every document; returns the first error, if any (reading stops there). */
  read(): Diagnostic | undefined {
    const root: Location[] = [this.location('rules content', '', 0)];
    try {
      for (const doc of this.source.documents) {
        const contents = doc.contents;
        if (contents === null || isNullNode(contents)) continue;
        if (!isMap(contents) && !isSeq(contents)) throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Rules content is not yaml', root);
        if (!isSeq(contents)) throw new LoadError('LOAD_ERR_YAML_VALIDATE', 'Rules content is not yaml array of objects', root);
        for (const item of contents.items) {
          if (isNullNode(item)) continue;
          this.readItem(item as Node, root);
        }
      }
    } catch (error) {
      if (error instanceof LoadError) return error.toDiagnostic();
      throw error;
    }
    return undefined;
  }

  // ---- items -----------------------------------------------------------------------------------

  private readItem(item: Node, parent: Location[]): void {
    if (!isMap(item)) {
      this.fail('Unexpected element type. Each element should be a yaml associative array.', this.ctx(item, 'rules content item', '', parent));
    }
    if (mapHas(item, 'required_engine_version')) this.readEngineVersion(item, parent);
    else if (mapHas(item, 'required_plugin_versions')) this.readPluginVersions(item, parent);
    else if (mapHas(item, 'list')) this.readList(item, parent);
    else if (mapHas(item, 'macro')) this.readMacro(item, parent);
    else if (mapHas(item, 'rule')) this.readRule(item, parent);
    else this.warn('LOAD_UNKNOWN_ITEM', 'Unknown top level item', this.ctx(item, 'rules content item', '', parent));
  }

  private readEngineVersion(item: YAMLMap, parent: Location[]): void {
    const ctx = this.ctx(item, 'required_engine_version', '', parent);
    const text = this.decode(item, 'required_engine_version', AS_STRING, ctx);
    const asNumber = toUnsigned(text);
    const version = asNumber !== undefined ? implicitEngineVersion(asNumber) : parseSemver(text);
    if (!version) {
      this.fail(`Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`, ctx);
    }
    this.collector.defineEngineVersion(version, ctx);
    this.warnUnknownKeys(item, new Set(['required_engine_version']), ctx);
  }

  private readPluginVersions(item: YAMLMap, parent: Location[]): void {
    const list = mapGet(item, 'required_plugin_versions');
    const ctx = this.ctx(list ?? item, 'required plugin versions', '', parent);
    if (!isSeq(list)) this.fail('Value of required_plugin_versions must be a sequence', ctx);
    for (const plugin of list.items as Node[]) {
      const tmp = this.ctx(plugin, 'required plugin versions entry', '', ctx);
      if (!isMap(plugin)) this.fail('Plugin version must be a mapping', tmp);
      const name = this.decode(plugin, 'name', AS_STRING, tmp);
      const pctx = this.ctx(plugin, 'required plugin versions entry', name, ctx);
      const alternatives = [{ name, version: this.decode(plugin, 'version', AS_STRING, pctx) }];
      const alts = mapGet(plugin, 'alternatives');
      if (alts !== undefined) {
        if (!isSeq(alts)) this.fail('Value of plugin version alternatives must be a sequence', pctx);
        for (const alt of alts.items as Node[]) {
          const actx = this.ctx(alt, 'required plugin versions alternative', '', pctx);
          if (!isMap(alt)) this.fail('Plugin version alternative must be a mapping', actx);
          const altName = this.decode(alt, 'name', AS_STRING, actx);
          const namedCtx = this.ctx(alt, 'required plugin versions alternative', altName, pctx);
          alternatives.push({ name: altName, version: this.decode(alt, 'version', AS_STRING, namedCtx) });
        }
      }
      this.collector.definePluginRequirement(alternatives, pctx);
    }
    this.warnUnknownKeys(item, new Set(['required_plugin_versions']), this.ctx(item, 'required plugin versions', '', parent));
  }

  private readList(item: YAMLMap, parent: Location[]): void {
    const name = this.decode(item, 'list', AS_STRING, this.ctx(item, 'list', '', parent));
    const ctx = this.ctx(item, 'list', name, parent);
    if (!BARE_STRING.test(name)) {
      this.warn('LOAD_INVALID_LIST_NAME', 'List has an invalid name. List names should match a regular expression: ([^()"\'[:space:]=,]+)', ctx);
    }
    const items = this.decodeSequence(item, 'items', ctx, false) ?? [];
    const append = this.decodeOptional(item, 'append', AS_BOOL, ctx) ?? false;
    if (append) this.warn('LOAD_DEPRECATED_ITEM', WARNING_APPEND, ctx);
    const overrides = this.readOverrides(item, new Set(['items']), new Set(['items']), ctx);
    if (append && (overrides.append.size > 0 || overrides.replace.size > 0)) this.fail(ERROR_OVERRIDE_APPEND, ctx);
    const info = { name, items, context: ctx, index: 0, visibility: 0 };
    if (append || overrides.append.has('items')) this.collector.appendList(info);
    else this.collector.defineList(info);
    this.warnUnknownKeys(item, new Set(['list', 'items', 'append', 'override']), ctx);
  }

  private readMacro(item: YAMLMap, parent: Location[]): void {
    const name = this.decode(item, 'macro', AS_STRING, this.ctx(item, 'macro', '', parent));
    const ctx = this.ctx(item, 'macro', name, parent);
    if (!IDENTIFIER.test(name)) {
      this.warn('LOAD_INVALID_MACRO_NAME', 'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)', ctx);
    }
    const condition = this.decode(item, 'condition', AS_STRING, ctx);
    const conditionSegments = this.segments(item, 'macro condition', ctx);
    const append = this.decodeOptional(item, 'append', AS_BOOL, ctx) ?? false;
    if (append) this.warn('LOAD_DEPRECATED_ITEM', WARNING_APPEND, ctx);
    const overrides = this.readOverrides(item, new Set(['condition']), new Set(['condition']), ctx);
    if (append && (overrides.append.size > 0 || overrides.replace.size > 0)) this.fail(ERROR_OVERRIDE_APPEND, ctx);
    const info = { name, condition, conditionSegments, context: ctx, index: 0, visibility: 0 };
    if (append || overrides.append.has('condition')) this.collector.appendMacro(info);
    else this.collector.defineMacro(info);
    this.warnUnknownKeys(item, new Set(['macro', 'condition', 'append', 'override']), ctx);
  }

  private readRule(item: YAMLMap, parent: Location[]): void {
    const name = this.decode(item, 'rule', AS_STRING, this.ctx(item, 'rule', '', parent));
    const ctx = this.ctx(item, 'rule', name, parent);
    const source = this.decodeOptional(item, 'source', AS_STRING, ctx, true) ?? '';
    const hasAppendFlag = this.decodeOptional(item, 'append', AS_BOOL, ctx) ?? false;
    if (hasAppendFlag) this.warn('LOAD_DEPRECATED_ITEM', WARNING_APPEND, ctx);
    const overrides = this.readOverrides(item, new Set(APPENDABLE_RULE_KEYS), new Set(REPLACEABLE_RULE_KEYS), ctx);
    const hasOverrides = overrides.append.size > 0 || overrides.replace.size > 0;
    if (hasAppendFlag && hasOverrides) this.fail(ERROR_OVERRIDE_APPEND, ctx);

    if (hasOverrides) {
      // Keys present in the item that an override could name: each must be named by one.
      const expected = new Set([...APPENDABLE_RULE_KEYS, ...REPLACEABLE_RULE_KEYS].filter((k) => mapHas(item, k)));
      const take = (which: Set<string>, kind: 'append' | 'replace', key: string): boolean => {
        if (!which.has(key)) return false;
        if (!expected.has(key)) this.fail(`An ${kind} override for '${key}' was specified but '${key}' is not defined`, ctx);
        expected.delete(key);
        return true;
      };
      if (overrides.append.size > 0) {
        const update: RuleUpdate = { name, source, context: ctx };
        this.readUpdateKeys(item, update, (key) => take(overrides.append, 'append', key), true, ctx);
        this.collector.appendRule(update);
      }
      if (overrides.replace.size > 0) {
        const update: RuleUpdate = { name, source, context: ctx };
        this.readUpdateKeys(item, update, (key) => take(overrides.replace, 'replace', key), false, ctx);
        this.collector.replaceRule(update);
      }
      for (const key of expected) {
        const keyCtx = this.ctx(mapGet(item, key) ?? item, 'overrides', key, ctx);
        this.fail(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, keyCtx);
      }
    } else if (hasAppendFlag) {
      const update: RuleUpdate = { name, source, context: ctx };
      if (mapHas(item, 'condition')) {
        update.condition = this.decode(item, 'condition', AS_STRING, ctx);
        update.conditionSegments = this.segments(item, 'rule condition', ctx);
      }
      if (mapHas(item, 'exceptions')) update.exceptions = this.readExceptions(item, ctx, true);
      this.collector.appendRule(update);
    } else if (!mapHas(item, 'condition') && !mapHas(item, 'output') && !mapHas(item, 'desc') && !mapHas(item, 'priority')) {
      // An item with only `enabled` toggles an earlier rule.
      const enabled = this.decode(item, 'enabled', AS_BOOL, ctx);
      this.warn('LOAD_DEPRECATED_ITEM', WARNING_ENABLED, ctx);
      this.collector.enableRule(name, enabled, ctx);
    } else {
      const condition = this.decode(item, 'condition', AS_STRING, ctx);
      const conditionSegments = this.segments(item, 'rule condition', ctx);
      const output = this.decode(item, 'output', AS_STRING, ctx);
      const outputOrigin = this.origin(item, 'output', 'rule output', ctx);
      const desc = this.decode(item, 'desc', AS_STRING, ctx);
      const priority = this.decodePriority(item, ctx);
      const rule: RuleInfo = {
        name,
        condition,
        conditionSegments,
        output: output.trim(),
        desc,
        priority,
        source: this.decodeOptional(item, 'source', AS_STRING, ctx) ?? 'syscall',
        enabled: this.decodeOptional(item, 'enabled', AS_BOOL, ctx) ?? true,
        capture: this.decodeOptional(item, 'capture', AS_BOOL, ctx) ?? false,
        captureDuration: this.decodeOptional(item, 'capture_duration', AS_UNSIGNED, ctx) ?? 0,
        warnEvttypes: this.decodeOptional(item, 'warn_evttypes', AS_BOOL, ctx) ?? true,
        skipIfUnknownFilter: this.decodeOptional(item, 'skip-if-unknown-filter', AS_BOOL, ctx) ?? false,
        tags: sortedUnique(this.decodeSequence(item, 'tags', ctx, true) ?? []),
        exceptions: this.readExceptions(item, ctx, false) ?? [],
        context: ctx,
        index: 0,
        visibility: 0,
        unknownSource: false,
      };
      if (outputOrigin) rule.outputOrigin = outputOrigin;
      this.collector.defineRule(rule);
      if (rule.unknownSource) this.warn('LOAD_UNKNOWN_SOURCE', `Unknown source ${rule.source}, skipping`, ctx);
    }
    this.warnUnknownKeys(item, RULE_KEYS, ctx);
  }

  /** Reads the keys an override names, in Falco's order. */
  private readUpdateKeys(item: YAMLMap, update: RuleUpdate, named: (key: string) => boolean, append: boolean, ctx: Location[]): void {
    if (named('condition')) {
      update.condition = this.decode(item, 'condition', AS_STRING, ctx);
      update.conditionSegments = this.segments(item, 'rule condition', ctx);
    }
    if (named('exceptions')) update.exceptions = this.readExceptions(item, ctx, append) ?? [];
    if (named('output')) update.output = this.decode(item, 'output', AS_STRING, ctx);
    if (named('desc')) update.desc = this.decode(item, 'desc', AS_STRING, ctx);
    if (named('tags')) update.tags = sortedUnique(this.decodeSequence(item, 'tags', ctx, true) ?? []);
    if (append) return;
    if (named('priority')) update.priority = this.decodePriority(item, ctx);
    if (named('capture')) update.capture = this.decode(item, 'capture', AS_BOOL, ctx);
    if (named('capture_duration')) update.captureDuration = this.decode(item, 'capture_duration', AS_UNSIGNED, ctx);
    if (named('enabled')) update.enabled = this.decode(item, 'enabled', AS_BOOL, ctx);
    if (named('warn_evttypes')) update.warnEvttypes = this.decode(item, 'warn_evttypes', AS_BOOL, ctx);
    if (named('skip-if-unknown-filter')) update.skipIfUnknownFilter = this.decode(item, 'skip-if-unknown-filter', AS_BOOL, ctx);
  }

  private decodePriority(item: YAMLMap, ctx: Location[]): Priority {
    const text = this.decode(item, 'priority', AS_STRING, ctx);
    const priority = parsePriority(text);
    if (!priority) {
      this.fail(
        `Invalid priority '${text}': use one of emergency, alert, critical, error, warning, notice, informational (or info), debug`,
        this.ctx(mapGet(item, 'priority') ?? item, 'rule priority', '', ctx),
      );
    }
    return priority;
  }

  private readOverrides(item: YAMLMap, appendable: Set<string>, replaceable: Set<string>, ctx: Location[]): { append: Set<string>; replace: Set<string> } {
    const result = { append: new Set<string>(), replace: new Set<string>() };
    const node = mapGet(item, 'override');
    if (node === undefined) return result;
    const overrideCtx = this.ctx(item, 'overrides', '', ctx);
    if (!isMap(node)) this.fail("'override' must be a mapping of keys to 'append' or 'replace'", overrideCtx);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? scalarText(pair.key) : '';
      const operation = isScalar(pair.value) ? scalarText(pair.value) : '';
      const keyCtx = this.ctx(pair.key as Node, 'overrides', key, overrideCtx);
      if (operation === 'append') {
        if (!appendable.has(key)) this.fail(`Key '${key}' cannot be appended to, use 'replace' instead`, keyCtx);
        result.append.add(key);
      } else if (operation === 'replace') {
        if (!replaceable.has(key)) this.fail(`Key '${key}' cannot be replaced`, keyCtx);
        result.replace.add(key);
      } else {
        const allowed = [appendable.has(key) ? 'append' : '', replaceable.has(key) ? 'replace' : ''].filter(Boolean).join(' ');
        this.fail(
          `Invalid override operation for key '${key}': '${operation}'. Allowed values are: ${allowed}`,
          this.ctx((pair.value as Node) ?? item, 'value for', key, overrideCtx),
        );
      }
    }
    return result;
  }

  // ---- exceptions ------------------------------------------------------------------------------

  private readExceptions(item: YAMLMap, parent: Location[], append: boolean): ExceptionInfo[] | undefined {
    const list = mapGet(item, 'exceptions');
    if (list === undefined || isNullNode(list)) return undefined;
    const listCtx = this.ctx(list!, 'exceptions', '', parent);
    if (!isSeq(list)) this.fail('Rule exceptions must be a sequence', listCtx);
    const out: ExceptionInfo[] = [];
    for (const ex of list.items as Node[]) {
      const tmp = this.ctx(ex, 'exception', '', listCtx);
      if (!isMap(ex)) this.fail('Rule exception must be a mapping', tmp);
      const name = this.decode(ex, 'name', AS_STRING, tmp);
      const exCtx = this.ctx(ex, 'exception', name, parent);
      if (out.some((e) => e.name === name)) {
        this.warn('LOAD_EXCEPTION_NAME_NOT_UNIQUE', `Multiple definitions of exception '${name}' in the same rule`, exCtx);
      }
      const info: ExceptionInfo = {
        name,
        fields: this.readExceptionEntry(ex, 'fields', exCtx, append) ?? emptyEntry(),
        comps: this.readExceptionEntry(ex, 'comps', exCtx, true) ?? emptyEntry(),
        values: [],
        context: exCtx,
      };
      const values = mapGet(ex, 'values');
      if (values !== undefined) {
        const valuesCtx = this.ctx(values ?? ex, 'exception values', '', exCtx);
        if (!isSeq(values)) this.fail('Rule exception values must be a sequence', valuesCtx);
        for (const value of values.items as Node[]) {
          const vctx = this.ctx(value, 'exception value', '', valuesCtx);
          info.values.push(this.decodeExceptionEntry(value, vctx));
        }
      } else if (append) {
        this.warn('LOAD_APPEND_NO_VALUES', 'Overriding/appending exception with no values', exCtx);
      }
      out.push(info);
    }
    return out;
  }

  private readExceptionEntry(ex: YAMLMap, key: string, ctx: Location[], optional: boolean): ExceptionEntry | undefined {
    const node = mapGet(ex, key);
    if (node === undefined) {
      if (optional) return undefined;
      this.fail(`Item has no mapping for key '${key}'`, ctx);
    }
    return this.decodeExceptionEntry(node, this.ctx(node ?? ex, 'value for', key, ctx));
  }

  private decodeExceptionEntry(node: Node | null, ctx: Location[]): ExceptionEntry {
    const entry = emptyEntry();
    if (isScalar(node)) {
      const text = scalarText(node);
      if (text === '') this.fail('Value must be non-empty', ctx);
      entry.item = text;
    } else if (isSeq(node)) {
      entry.isList = true;
      for (const child of node.items as Node[]) {
        if (child === null) this.fail('An exception list entry is empty', ctx);
        entry.items.push(this.decodeExceptionEntry(child, this.ctx(child, 'exception', '', ctx)));
      }
    }
    return entry;
  }

  // ---- scalar decoding -------------------------------------------------------------------------

  /** A required scalar key, converted with `schema`. */
  private decode<T>(item: YAMLMap, key: string, schema: z.ZodType<T, string>, ctx: Location[]): T {
    const value = this.decodeValue(item, key, schema, ctx, false, false);
    return value as T;
  }

  private decodeOptional<T>(item: YAMLMap, key: string, schema: z.ZodType<T, string>, ctx: Location[], canBeEmpty = false): T | undefined {
    return this.decodeValue(item, key, schema, ctx, true, canBeEmpty);
  }

  private decodeValue<T>(item: YAMLMap, key: string, schema: z.ZodType<T, string>, ctx: Location[], optional: boolean, canBeEmpty: boolean): T | undefined {
    const node = mapGet(item, key);
    if (node === undefined) {
      if (optional) return undefined;
      this.fail(`Item has no mapping for key '${key}'`, ctx);
    }
    if (isNullNode(node)) {
      if (canBeEmpty) return undefined;
      this.fail(`Mapping for key '${key}' is empty`, ctx);
    }
    const valueCtx = this.ctx(node!, 'value for', key, ctx);
    if (!isScalar(node)) this.fail('Value is not a scalar value', valueCtx);
    const text = scalarText(node);
    if (text === '') {
      if (canBeEmpty) return undefined;
      this.fail('Value must be non-empty', valueCtx);
    }
    const parsed = schema.safeParse(text);
    if (!parsed.success) this.fail(`Can't decode YAML scalar value: ${parsed.error.issues[0]?.message ?? ''}`, valueCtx);
    return parsed.data;
  }

  private decodeSequence(item: YAMLMap, key: string, ctx: Location[], optional: boolean): string[] | undefined {
    const node = mapGet(item, key);
    if (node === undefined) {
      if (optional) return undefined;
      this.fail(`Item has no mapping for key '${key}'`, ctx);
    }
    const valueCtx = this.ctx(node ?? item, 'value for', key, ctx);
    if (!isSeq(node)) this.fail('Value is not a sequence', valueCtx);
    const out: string[] = [];
    for (const child of node.items as Node[]) {
      const itemCtx = this.ctx(child, 'list item', '', valueCtx);
      if (!isScalar(child)) this.fail('sequence value is not scalar', itemCtx);
      out.push(scalarText(child as Scalar));
    }
    return out;
  }

  // ---- contexts and reporting ------------------------------------------------------------------

  private origin(item: YAMLMap, key: string, itemType: ItemType, ctx: Location[]): TextOrigin | undefined {
    const node = mapGet(item, key);
    if (!node) return undefined;
    return { source: this.source, node, context: this.ctx(node, itemType, '', ctx) };
  }

  private segments(item: YAMLMap, itemType: ItemType, ctx: Location[]): TextSegment[] {
    const origin = this.origin(item, 'condition', itemType, ctx);
    return origin ? [{ start: 0, origin }] : [];
  }

  private location(itemType: ItemType, itemName: string, offset: number): Location {
    return { itemType, itemName, position: positionAt(this.source, offset) };
  }

  private ctx(node: Node | null, itemType: ItemType, itemName: string, parent: Location[]): Location[] {
    return [...parent, this.location(itemType, itemName, nodeOffset(node))];
  }

  private warnUnknownKeys(item: YAMLMap, expected: Set<string>, ctx: Location[]): void {
    for (const { key, node } of mapKeys(item)) {
      if (!expected.has(key)) {
        this.warn('LOAD_UNKNOWN_KEY', `Unknown key '${key}'. The key will be ignored.`, this.ctx(node, 'value for', key, ctx));
      }
    }
  }

  private warn(code: LoadWarningCode, message: string, locations: Location[]): void {
    this.warnings.push({ severity: 'warning', code, message, locations });
  }

  private fail(message: string, locations: Location[]): never {
    throw new LoadError('LOAD_ERR_YAML_VALIDATE', message, locations);
  }
}
