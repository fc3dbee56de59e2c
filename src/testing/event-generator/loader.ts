/**
 * Loads event-generator test descriptions (`event-generator suite test` YAML) the way its
 * loaders do (pkg/test/loader/loader.go, pkg/test/suite/loader/loader.go), in their order:
 * YAML, template instantiation, JSON-schema validation, per-test checks (resource/step
 * names, context, environment, field bindings), then the suite checks (a rule per test,
 * unique test names per rule). Like event-generator it stops at the first failing check,
 * except that every schema violation is reported.
 */
import type { Node } from 'yaml';
import { extractBindings, resourceFields, SYSCALL_FIELDS } from './bindings.js';
import { goValue } from './go-format.js';
import { validateDescription } from './schema.js';
import { instantiateTemplates, type RawTest } from './templates.js';
import type { EgContext, EgErrorCode, EgFieldBinding, EgLoadResult, EgProcessContext, EgResource, EgRunIf, EgStep, EgTest, EgWarningCode } from './types.js';
import { childOrigin, containerOrigin, isPlainObject, originAt, type ParsedYaml, parseYaml } from './yaml-tree.js';

export interface LoadOptions {
  /**
   * Require a non-empty `rule` on every test, as `event-generator suite test` does
   * (`suite run` does not). Default true: kestrel checks alerts, which needs the rule.
   */
  requireRule?: boolean;
  /** Environment variable prefixes tests may not set (event-generator's: FALCO_EVENT_GENERATOR_). */
  reservedEnvPrefixes?: string[];
  /** Environment variables tests may not set (event-generator's: SUITE). */
  reservedEnvKeys?: string[];
}

const DEFAULT_RESERVED_PREFIXES = ['FALCO_EVENT_GENERATOR_'];
const DEFAULT_RESERVED_KEYS = ['SUITE'];

class LoadError {
  constructor(
    readonly code: EgErrorCode,
    readonly message: string,
    /** The node to point at, or a character offset. */
    readonly origin: Node | number | undefined,
  ) {}
}

/** Loads one description file's text. */
export function loadSuite(text: string, file: string, options: LoadOptions = {}): EgLoadResult {
  return loadSuiteFiles([{ text, file }], options)[0]!;
}

/**
 * Loads several files as one `event-generator suite test` invocation: test names must also
 * be unique across files for the same rule (reported on the later file). event-generator
 * stops at the first file with an error; kestrel reports every file's own errors.
 */
export function loadSuiteFiles(sources: { text: string; file: string }[], options: LoadOptions = {}): EgLoadResult[] {
  const seen = new Map<string, SuiteEntry[]>();
  return sources.map(({ text, file }) => {
    const parsed = parseYaml(text);
    const result: EgLoadResult = { file, tests: [], errors: [], warnings: [] };
    const position = (origin: Node | number | undefined) => {
      const offset = typeof origin === 'number' ? origin : (origin?.range?.[0] ?? 0);
      const pos = parsed.lineCounter.linePos(offset);
      return { file, line: pos.line, column: pos.col };
    };
    const warn = (code: EgWarningCode, message: string, origin: Node | undefined) =>
      result.warnings.push({ severity: 'warning', code, message, ...position(origin) });
    try {
      const tests = loadDescription(parsed, options, warn, position);
      checkSuiteNames(tests, file, seen);
      result.tests = tests.map((t) => t.test);
    } catch (error) {
      if (!(error instanceof LoadError)) throw error;
      const all = error instanceof SchemaErrors ? error.all : [error];
      for (const e of all) result.errors.push({ severity: 'error', code: e.code, message: e.message, ...position(e.origin) });
      result.warnings = [];
    }
    return result;
  });
}

interface LoadedTest {
  test: EgTest;
  origin: Node | undefined;
}

function loadDescription(
  parsed: ParsedYaml,
  options: LoadOptions,
  warn: (code: EgWarningCode, message: string, origin: Node | undefined) => void,
  position: (origin: Node | undefined) => { line: number; column: number },
): LoadedTest[] {
  const first = parsed.errors[0];
  if (first) {
    throw new LoadError('EG_YAML_PARSE', `error decoding YAML description: ${first.message}`, first.offset);
  }
  const value = parsed.value ?? {};
  if (!isPlainObject(value)) {
    const kind = Array.isArray(value) ? 'a sequence' : 'a scalar';
    throw new LoadError('EG_YAML_DECODE', `error decoding YAML description: the document is ${kind}, not a mapping`, parsed.doc.contents ?? undefined);
  }
  const instantiated = instantiateTemplates(value);
  if ('error' in instantiated) throw new LoadError('EG_TEMPLATE', instantiated.error.message, instantiated.error.origin ?? containerOrigin(value));
  const raw = instantiated.tests;
  const desc = { tests: raw.map((t) => t.value) };
  const locate = (path: readonly (string | number)[]): Node | undefined => {
    if (path[0] === 'tests' && typeof path[1] === 'number' && raw[path[1]]) return originAt(raw[path[1]]!.value, path.slice(2));
    return childOrigin(value, 'tests') ?? containerOrigin(value);
  };
  const violations = validateDescription(desc);
  if (violations.length > 0) {
    // Every violation is one diagnostic; event-generator prints them as one error.
    const errors = violations.map(
      (v) => new LoadError('EG_SCHEMA', `error validating YAML description: at '${pointer(v.path)}': ${v.message}`, locate(v.path)),
    );
    throw new SchemaErrors(errors);
  }
  const tests = raw.map((r) => decodeTest(r, position));
  const reservedPrefixes = options.reservedEnvPrefixes ?? DEFAULT_RESERVED_PREFIXES;
  const reservedKeys = options.reservedEnvKeys ?? DEFAULT_RESERVED_KEYS;
  tests.forEach((test, index) => {
    validateTest(test, index, raw[index]!, reservedPrefixes, reservedKeys, warn);
  });
  if (options.requireRule ?? true) {
    for (const [index, test] of tests.entries()) {
      if (test.rule === undefined || test.rule === '') {
        throw new LoadError(
          'EG_NO_RULE',
          `error loading test "${test.name}" at index ${test.sourceIndex}: absent or empty rule name`,
          containerOrigin(raw[index]!.value),
        );
      }
    }
  }
  // A duplicate test name is shown at the name (the template's, for a generated test).
  return tests.map((test, index) => ({ test, origin: childOrigin(raw[index]!.value, 'name') ?? containerOrigin(raw[index]!.value) }));
}

/** Several schema violations, reported together. */
class SchemaErrors extends LoadError {
  constructor(readonly all: LoadError[]) {
    super(all[0]!.code, all[0]!.message, all[0]!.origin);
  }
}

function pointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The typed test, once the schema has accepted the raw one. */
function decodeTest(raw: RawTest, position: (origin: Node | undefined) => { line: number; column: number }): EgTest {
  const t = raw.value;
  const origin = containerOrigin(t);
  const rawContext = (t['context'] as Record<string, unknown> | undefined) ?? {};
  // A null container (Falco's suites, matrix `container: [null, {}]`) is no container.
  const container = (rawContext['container'] ?? undefined) as EgContext['container'] | undefined;
  let processes = (rawContext['processes'] as EgProcessContext[] | undefined) ?? [];
  // `suite test` gives a chain with no process (and no container) one default process.
  if (processes.length === 0 && container === undefined) processes = [{}];
  const context: EgContext = container === undefined ? { processes } : { container, processes };
  const resources = ((t['resources'] as Record<string, unknown>[] | undefined) ?? []).map((r) => r as unknown as EgResource);
  const steps: EgStep[] = ((t['steps'] as Record<string, unknown>[] | undefined) ?? []).map((s) => ({
    type: 'syscall',
    name: s['name'] as string,
    syscall: s['syscall'] as EgStep['syscall'],
    args: s['args'] as Record<string, unknown>,
    bindings: [],
  }));
  const { line, column } = position(origin);
  const test: EgTest = {
    name: t['name'] as string,
    runner: 'HostRunner',
    context,
    resources,
    steps,
    sourceIndex: raw.sourceIndex,
    line,
    column,
  };
  for (const key of ['rule', 'description', 'before', 'after'] as const) if (typeof t[key] === 'string') test[key] = t[key];
  if (isPlainObject(t['runIf'])) test.runIf = t['runIf'] as unknown as EgRunIf;
  if (t['expectedOutcome'] !== undefined) test.expectedOutcome = t['expectedOutcome'] as EgTest['expectedOutcome'];
  if (raw.testCase !== undefined) test.testCase = raw.testCase;
  return test;
}

/** event-generator's per-test checks, in its order; bindings are resolved on the way. */
function validateTest(
  test: EgTest,
  index: number,
  raw: RawTest,
  reservedPrefixes: string[],
  reservedKeys: string[],
  warn: (code: EgWarningCode, message: string, origin: Node | undefined) => void,
): void {
  const t = raw.value;
  const at = (...path: (string | number)[]) => originAt(t, path);
  const prefix = 'error validating description: ';

  // Names of resources and steps, resources first.
  const names = new Map<string, string>();
  const elements: [string, string, (string | number)[]][] = [
    ...test.resources.map((r, i): [string, string, (string | number)[]] => [r.name, `test resource at index ${i}`, ['resources', i, 'name']]),
    ...test.steps.map((s, i): [string, string, (string | number)[]] => [s.name, `test step at index ${i}`, ['steps', i, 'name']]),
  ];
  for (const [name, what, path] of elements) {
    const earlier = names.get(name);
    if (earlier !== undefined) {
      throw new LoadError(
        'EG_NAME_NOT_UNIQUE',
        `${prefix}error validating name uniqueness in test "${test.name}" (index: ${index}): ${what} and ${earlier} have the same name "${name}"`,
        at(...path),
      );
    }
    names.set(name, what);
  }

  // Context: environment of the container and of each process, then capabilities.
  const contextPrefix = `${prefix}error validating test context: `;
  const rawContext = isPlainObject(t['context']) ? t['context'] : undefined;
  if (rawContext) {
    const container = test.context.container;
    if (container?.env) {
      const bad = reservedEnv(container.env, reservedPrefixes, reservedKeys);
      if (bad)
        throw new LoadError(
          'EG_RESERVED_ENV',
          `${contextPrefix}error validating container environment variables: ${bad.message}`,
          at('context', 'container', 'env', bad.key),
        );
    }
    const processes = (rawContext['processes'] as EgProcessContext[] | undefined) ?? [];
    processes.forEach((p, i) => {
      const bad = p.env ? reservedEnv(p.env, reservedPrefixes, reservedKeys) : undefined;
      if (bad) {
        throw new LoadError(
          'EG_RESERVED_ENV',
          `${contextPrefix}error validating environment variables of process at index ${i}: ${bad.message}`,
          at('context', 'processes', i, 'env', bad.key),
        );
      }
    });
    processes.slice(0, -1).forEach((p, i) => {
      if (p.capabilities !== undefined && p.capabilities !== '') {
        throw new LoadError(
          'EG_CAPABILITIES_NOT_LEAF',
          `${contextPrefix}process at index ${i} specifies capabilities but is not the leaf process`,
          at('context', 'processes', i, 'capabilities'),
        );
      }
    });
  }

  // Process resources' environment.
  test.resources.forEach((r, i) => {
    if (r.type !== 'process' || !r.env) return;
    const bad = reservedEnv(r.env, reservedPrefixes, reservedKeys);
    if (bad) {
      throw new LoadError(
        'EG_RESERVED_ENV',
        `${prefix}error validating test resources: error validating environment variables of process resource at index ${i}: ${bad.message}`,
        at('resources', i, 'env', bad.key),
      );
    }
  });

  // Field bindings: any resource (all exist before the first step) or a preceding step.
  test.steps.forEach((step, stepIndex) => {
    for (const b of extractBindings(step.args)) {
      const resourceIndex = test.resources.findIndex((r) => r.name === b.srcName);
      const precedingStep = test.steps.slice(0, stepIndex).findIndex((s) => s.name === b.srcName);
      let binding: EgFieldBinding;
      if (resourceIndex >= 0) {
        binding = { ...b, source: { kind: 'resource', index: resourceIndex }, fieldType: resourceFields(test.resources[resourceIndex]!)[b.srcField] };
      } else if (precedingStep >= 0) {
        binding = { ...b, source: { kind: 'step', index: precedingStep }, fieldType: SYSCALL_FIELDS[test.steps[precedingStep]!.syscall][b.srcField] };
      } else {
        throw new LoadError(
          'EG_BINDING_UNKNOWN_SOURCE',
          `${prefix}error validating test steps: error validating step field bindings: error validating step field binding: no resource/preceding step with name "${b.srcName}" found`,
          b.origin,
        );
      }
      const { origin, ...clean } = binding as EgFieldBinding & { origin?: Node };
      if (clean.fieldType === undefined) {
        // Accepted by the loader; event-generator fails the test when it runs the step.
        warn(
          'EG_BINDING_UNKNOWN_FIELD',
          `test "${test.name}", step "${step.name}": no resource/preceding step field "${b.srcName}"."${b.srcField}" found`,
          origin,
        );
      }
      step.bindings.push(clean);
    }
  });
}

function reservedEnv(env: Record<string, string>, prefixes: string[], keys: string[]): { key: string; message: string } | undefined {
  for (const key of Object.keys(env)) {
    for (const p of prefixes) if (key.startsWith(p)) return { key, message: `environment variable "${key}" is reserved: matches the reserved prefix "${p}"` };
    if (keys.includes(key)) return { key, message: `environment variable "${key}" is reserved` };
  }
  return undefined;
}

type SuiteEntry = { name: string; file: string; test: EgTest; origin: Node | undefined };

/**
 * Test names are unique per rule (suite), across every file loaded together; suites are
 * checked in the order they first appear, as event-generator does.
 */
function checkSuiteNames(tests: LoadedTest[], file: string, seen: Map<string, SuiteEntry[]>): void {
  const suites = new Map<string, SuiteEntry[]>([...seen].map(([rule, entries]) => [rule, [...entries]]));
  for (const { test, origin } of tests) {
    const rule = test.rule ?? '';
    const entries = suites.get(rule) ?? [];
    entries.push({ name: test.name, file, test, origin });
    suites.set(rule, entries);
  }
  for (const [rule, entries] of suites) {
    const names = new Map<string, SuiteEntry>();
    for (const entry of entries) {
      const earlier = names.get(entry.name);
      if (earlier) {
        throw new LoadError(
          'EG_TEST_NAME_NOT_UNIQUE',
          `error validating test suite "${rule}"'s test names uniqueness: ${describeTest(entry.test, entry.file)} and ${describeTest(earlier.test, earlier.file)} have the same name "${entry.name}"`,
          entry.origin,
        );
      }
      names.set(entry.name, entry);
    }
  }
  for (const [rule, entries] of suites) seen.set(rule, entries);
}

function describeTest(test: EgTest, file: string): string {
  const testCase = test.testCase
    ? `, testCase: "${Object.keys(test.testCase)
        .sort()
        .map((k) => `${k}=${goValue(test.testCase![k])}`)
        .join(',')}"`
    : '';
  return `test (source: ${file}, index: ${test.sourceIndex}${testCase})`;
}
