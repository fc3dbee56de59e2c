/**
 * What the event-generator suite loader produces: concrete tests (templates instantiated,
 * field bindings extracted) or diagnostics. Field names follow event-generator's YAML.
 */

/** Diagnostic codes, one per check of event-generator's loaders (see docs/event-generator.md). */
export const EG_ERRORS = {
  EG_YAML_PARSE: 'The file is not valid YAML',
  EG_YAML_DECODE: 'The document is not a mapping',
  EG_TEMPLATE: 'A test template cannot be instantiated',
  EG_SCHEMA: 'The description does not match the JSON schemas',
  EG_NAME_NOT_UNIQUE: 'Two resources/steps of a test have the same name',
  EG_CAPABILITIES_NOT_LEAF: 'Capabilities on a process that is not the leaf',
  EG_RESERVED_ENV: 'A reserved environment variable',
  EG_BINDING_UNKNOWN_SOURCE: 'A field binding names no resource or preceding step',
  EG_NO_RULE: 'A test without rule under `suite test`',
  EG_TEST_NAME_NOT_UNIQUE: 'Two tests of a suite have the same name',
} as const;

/** Warnings: accepted by event-generator's loader, but the test fails when it runs. */
export const EG_WARNINGS = {
  EG_BINDING_UNKNOWN_FIELD: 'A field binding names a field its source does not expose',
} as const;

export type EgErrorCode = keyof typeof EG_ERRORS;
export type EgWarningCode = keyof typeof EG_WARNINGS;

export interface EgDiagnostic {
  severity: 'error' | 'warning';
  code: EgErrorCode | EgWarningCode;
  /** event-generator's message where it has one (the wrapped chain it prints), else kestrel's. */
  message: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export const SYSCALL_NAMES = [
  'write',
  'read',
  'open',
  'openat',
  'openat2',
  'symlink',
  'symlinkat',
  'link',
  'linkat',
  'init_module',
  'finit_module',
  'dup',
  'dup2',
  'dup3',
  'connect',
  'socket',
  'sendto',
  'kill',
] as const;
export type SyscallName = (typeof SYSCALL_NAMES)[number];

export const L4_PROTOS = ['udp4', 'udp6', 'tcp4', 'tcp6', 'unix'] as const;
export const FD_SUBTYPES = ['file', 'directory', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify', 'memfd'] as const;
export type FdSubtype = (typeof FD_SUBTYPES)[number];

export interface EgProcessContext {
  exePath?: string;
  args?: string;
  exe?: string;
  name?: string;
  env?: Record<string, string>;
  user?: string;
  capabilities?: string;
}

export interface EgContainerContext {
  image?: string;
  name?: string;
  env?: Record<string, string>;
}

export interface EgContext {
  container?: EgContainerContext;
  /**
   * The process chain, leaf last. As `event-generator suite test` does before running a
   * test, a chain with no process and no container gets one default process (`{}`).
   */
  processes: EgProcessContext[];
}

export type EgResource =
  | { type: 'clientServer'; name: string; l4Proto: (typeof L4_PROTOS)[number]; address: string }
  | { type: 'fd'; name: string; subtype: 'file'; filePath: string }
  | { type: 'fd'; name: string; subtype: 'directory'; dirPath: string }
  | { type: 'fd'; name: string; subtype: 'memfd'; fileName?: string }
  | { type: 'fd'; name: string; subtype: 'pipe' | 'event' | 'signalfd' | 'eventpoll' | 'inotify' }
  | {
      type: 'process';
      name: string;
      exePath?: string;
      args?: string;
      exe?: string;
      procName?: string;
      env?: Record<string, string>;
      /** Run from a memfd instead of a file (Falco's suites; see NEWER_FORMAT). */
      fileLess?: boolean;
    };

/** `runIf`'s condition on the architecture (Go's GOARCH names: amd64, arm64, …). */
export interface EgRunIf {
  arch: { op: 'eq' | 'ne'; val: string };
}

/** `${SRC.FIELD}` in a step argument: the argument takes SRC's FIELD when the step runs. */
export interface EgFieldBinding {
  /** The argument of this step, dotted for nested ones (`how.flags`). */
  localField: string;
  /** The resource or preceding step named. */
  srcName: string;
  /** The path of the field inside the source (`client.fd`, `ret`). */
  srcField: string;
  source: { kind: 'resource'; index: number } | { kind: 'step'; index: number };
  /** The exposed field's type (`fd`, `pid`, …), or undefined when the source does not expose it. */
  fieldType: string | undefined;
}

export interface EgStep {
  type: 'syscall';
  name: string;
  syscall: SyscallName;
  /** The literal arguments; arguments given by a binding are in `bindings` instead. */
  args: Record<string, unknown>;
  bindings: EgFieldBinding[];
}

export interface EgExpectedOutcome {
  source?: string;
  hostname?: string;
  priority?: string;
  outputFields?: Record<string, string>;
}

export interface EgTest {
  /** Generated tests are named `TEMPLATE_testCase#I` (I zero-based across the template's cases). */
  name: string;
  rule?: string;
  description?: string;
  runner: 'HostRunner';
  /** Run only when this holds on the simulated architecture; undefined runs everywhere. */
  runIf?: EgRunIf;
  context: EgContext;
  before?: string;
  after?: string;
  resources: EgResource[];
  steps: EgStep[];
  expectedOutcome?: EgExpectedOutcome;
  /** The case values that generated this test; undefined for a test that is not a template. */
  testCase?: Record<string, unknown>;
  /** The index, in the file's `tests`, of the test (or template) it comes from. */
  sourceIndex: number;
  /** Where the test (or its template) starts. */
  line: number;
  column: number;
}

export interface EgLoadResult {
  file: string;
  /** Empty when there is an error: event-generator loads a file entirely or not at all. */
  tests: EgTest[];
  errors: EgDiagnostic[];
  warnings: EgDiagnostic[];
}
