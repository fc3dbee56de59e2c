/**
 * Test templates as event-generator's loader instantiates them, before schema validation:
 * a test with `cases` becomes one test per case, named `NAME_testCase#I`, with every
 * string that is wholly a `%{ item.KEY }` placeholder replaced by the case's value (with
 * its type). Strings that merely contain a placeholder are left as they are, as
 * event-generator leaves them (pkg/test/loader/template.go matches whole strings only).
 */
import type { Node } from 'yaml';
import { goString, goTypeName, goValue } from './go-format.js';
import { childOrigin, cloneWithOrigins, containerOrigin, isPlainObject, setChildOrigin } from './yaml-tree.js';

/** A test before schema validation. */
export interface RawTest {
  value: Record<string, unknown>;
  /** Index of the test or template in the file's `tests`. */
  sourceIndex: number;
  testCase: Record<string, unknown> | undefined;
}

export interface TemplateError {
  message: string;
  /** The node to point at. */
  origin: Node | undefined;
}

/** event-generator's whole-string placeholder: `%{ GROUP.KEY }` with optional blanks (Go's \s). */
const PLACEHOLDER = /^[\t\n\f\r ]*%\{[\t\n\f\r ]*([^\t\n\f\r ]+?)\.([^\t\n\f\r ]+)[\t\n\f\r ]*\}[\t\n\f\r ]*$/;

const PREFIX = 'error instantiating test templates: ';

export function instantiateTemplates(desc: Record<string, unknown>): { tests: RawTest[] } | { error: TemplateError } {
  const root = containerOrigin(desc);
  if (!('tests' in desc)) return { error: { message: `${PREFIX}no tests found`, origin: root } };
  const rawTests = desc['tests'];
  if (!Array.isArray(rawTests)) return { error: { message: `${PREFIX}unexpected tests type: must be a list`, origin: childOrigin(desc, 'tests') } };
  const tests: RawTest[] = [];
  for (let index = 0; index < rawTests.length; index++) {
    const rawTest = rawTests[index];
    if (!isPlainObject(rawTest)) return { error: { message: `${PREFIX}unexpected test type: must be an object`, origin: childOrigin(rawTests, index) } };
    if (!('cases' in rawTest)) {
      tests.push({ value: rawTest, sourceIndex: index, testCase: undefined });
      continue;
    }
    const specs = parseCaseSpecs(rawTest['cases'], childOrigin(rawTest, 'cases'));
    if ('error' in specs) {
      return { error: { message: `${PREFIX}error parsing test case specs for test at index ${index}: ${specs.error.message}`, origin: specs.error.origin } };
    }
    const template = cloneWithOrigins(rawTest);
    delete template['cases'];
    for (let caseIndex = 0; caseIndex < specs.cases.length; caseIndex++) {
      const testCase = specs.cases[caseIndex]!;
      const instance = cloneWithOrigins(template);
      const failure = fill(instance, testCase);
      if (failure) {
        return {
          error: {
            message: `${PREFIX}error instantiating test template: error filling test template with test case values ${goValue(testCase.values)}: ${failure.message}`,
            origin: failure.origin,
          },
        };
      }
      instance['name'] = `${goString(instance['name'])}_testCase#${caseIndex}`;
      tests.push({ value: instance, sourceIndex: index, testCase: testCase.values });
    }
  }
  return { tests };
}

/** One concrete case: KEY → value, with the node each value came from. */
interface Case {
  values: Record<string, unknown>;
  origins: Map<string, Node | undefined>;
}

function parseCaseSpecs(raw: unknown, origin: Node | undefined): { cases: Case[] } | { error: TemplateError } {
  // event-generator first decodes every spec (mapstructure: null is an empty list, a known
  // strategy name is checked while decoding), then generates the cases spec by spec.
  if (raw === null) return { cases: [] };
  if (!Array.isArray(raw)) return { error: { message: `error decoding: source data must be an array or slice, got ${goKind(raw)}`, origin } };
  const specs: { strategy: string; values: Record<string, unknown> | null; origin: Node | undefined }[] = [];
  for (let specIndex = 0; specIndex < raw.length; specIndex++) {
    const spec = raw[specIndex];
    const specOrigin = childOrigin(raw, specIndex);
    if (!isPlainObject(spec)) return { error: { message: `error decoding: '[${specIndex}]' expected a map, got '${goKind(spec)}'`, origin: specOrigin } };
    const strategy = spec['strategy'] ?? '';
    if (typeof strategy !== 'string') {
      return {
        error: {
          message: `error decoding: '[${specIndex}].strategy' expected type 'loader.testCaseStrategy', got unconvertible type '${goTypeName(strategy)}'`,
          origin: childOrigin(spec, 'strategy'),
        },
      };
    }
    if ('strategy' in spec && strategy !== 'vector' && strategy !== 'matrix') {
      return {
        error: { message: `error decoding: '[${specIndex}].strategy': unknown test case strategy "${strategy}"`, origin: childOrigin(spec, 'strategy') },
      };
    }
    const values = spec['values'] ?? null;
    if (values !== null && !isPlainObject(values)) {
      return { error: { message: `error decoding: '[${specIndex}].values' expected a map, got '${goKind(values)}'`, origin: childOrigin(spec, 'values') } };
    }
    specs.push({ strategy, values, origin: specOrigin });
  }
  const cases: Case[] = [];
  const keyOccurrences = new Map<string, number>();
  for (let specIndex = 0; specIndex < specs.length; specIndex++) {
    const { strategy, values, origin: specOrigin } = specs[specIndex]!;
    const entries = values ? Object.entries(values) : [];
    if (strategy === 'vector') {
      const origins = new Map(entries.map(([k]) => [k, childOrigin(values!, k)]));
      cases.push({ values: Object.fromEntries(entries), origins });
    } else if (strategy === 'matrix') {
      for (const [key, list] of entries) {
        if (!Array.isArray(list)) {
          return {
            error: {
              message: `error generating combinations for test case matrix spec at index ${specIndex}: value for key "${key}" is not a list`,
              origin: childOrigin(values!, key),
            },
          };
        }
      }
      cases.push(...combinations(values ?? {}, entries as [string, unknown[]][]));
    } else {
      // Only a spec without `strategy` gets here (the empty name).
      return { error: { message: `unknown test case strategy "${strategy}"`, origin: specOrigin } };
    }
    for (const [key] of entries) keyOccurrences.set(key, (keyOccurrences.get(key) ?? 0) + 1);
  }
  // event-generator's check: every key occurs in as many specs as every other key.
  if (new Set(keyOccurrences.values()).size > 1) return { error: { message: 'test cases specify heterogeneous set of keys', origin } };
  return { cases };
}

/**
 * Every combination of the lists, the first key varying fastest. event-generator walks the
 * keys in Go map order, which is random from run to run; kestrel takes them in document
 * order (one of the orders event-generator can produce).
 */
function combinations(values: Record<string, unknown>, lists: [string, unknown[]][]): Case[] {
  let combs: [string, unknown, Node | undefined][][] = [];
  for (const [key, list] of lists) {
    const next: [string, unknown, Node | undefined][][] = [];
    list.forEach((value, i) => {
      const item: [string, unknown, Node | undefined] = [key, value, childOrigin(list, i) ?? childOrigin(values, key)];
      // As in event-generator, an empty list so far means "start over" with this key alone.
      if (combs.length === 0) next.push([item]);
      else for (const comb of combs) next.push([...comb, item]);
    });
    combs = next;
  }
  return combs.map((comb) => ({
    values: Object.fromEntries(comb.map(([k, v]) => [k, v])),
    origins: new Map(comb.map(([k, , o]) => [k, o])),
  }));
}

/** Replaces placeholders inside `container` in place; the failure as event-generator words it. */
function fill(container: Record<string, unknown> | unknown[], testCase: Case): TemplateError | undefined {
  const keys: (string | number)[] = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
  for (const key of keys) {
    const value = (container as Record<string | number, unknown>)[key];
    const where = typeof key === 'number' ? `error filling template on element at index ${key}` : `error filling template on key ${key}'s value`;
    if (typeof value === 'string') {
      const match = PLACEHOLDER.exec(value);
      if (!match || match[1] !== 'item') continue;
      const valueKey = match[2]!;
      if (!Object.hasOwn(testCase.values, valueKey)) {
        return { message: `${where}: template parameter ${value} doesn't match any provided value key`, origin: childOrigin(container, key) };
      }
      (container as Record<string | number, unknown>)[key] = cloneWithOrigins(testCase.values[valueKey]);
      setChildOrigin(container, key, testCase.origins.get(valueKey));
    } else if (typeof value === 'object' && value !== null) {
      const inner = fill(value as Record<string, unknown> | unknown[], testCase);
      if (inner) return { message: `${where}: ${inner.message}`, origin: inner.origin };
    }
  }
  return undefined;
}

/** Go's reflect kind names, as mapstructure prints them. */
function goKind(value: unknown): string {
  if (value === null || value === undefined) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? (value < 0 ? 'int64' : 'uint64') : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}
