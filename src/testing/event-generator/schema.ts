/**
 * event-generator's JSON schemas (pkg/test/loader/schema/jsonschemas/, draft 2020-12)
 * expressed in zod. Same acceptance: unknown keys are allowed everywhere, `x-metadata`
 * is forbidden where the schemas document bindable fields with it (`not: {}`), and the
 * schemas' `if/then` on `type`, `subtype`, `syscall` and `strategy` become refinements that
 * apply the matching branch. test/testing/event-generator/schema.test.ts checks this
 * against the JSON schemas themselves.
 *
 * Beyond those schemas, kestrel accepts what Falco's own suites (falcosecurity/falco
 * e2e_tests/evtgen_suite, run with a later event-generator) rely on; NEWER_FORMAT lists it
 * and docs/event-generator.md says how each is read.
 */
import { z } from 'zod';
import { FD_SUBTYPES, L4_PROTOS, SYSCALL_NAMES } from './types.js';

const nonEmpty = z.string().min(1);
const forbidden = z.never().optional();
const env = z.record(z.string(), nonEmpty).refine((o) => Object.keys(o).length >= 1, { params: { minProperties: 1 } });

/** binding.schema.json's pattern (a search, not anchored). */
const BINDING = /\$\{.+\}/;
const binding = z.string().regex(BINDING);
/** ["integer","string"] with minimum 0 and a $ref to the binding schema. */
const fdOrBinding = z.union([z.number().int().min(0), binding]);
/** ["integer","string"] with minLength 1 (flags, modes, signals). */
const intOrText = z.union([z.number().int(), nonEmpty]);
/** ["integer","string"] with minimum 0 and minLength 1 (socket parameters). */
const naturalOrText = z.union([z.number().int().min(0), nonEmpty]);

/** Applies `branches[value[key]]` to an object, as the schemas' `if: {properties: {key: {const}}}, then: …` do. */
function withBranches<T extends z.ZodType<Record<string, unknown>>>(base: T, key: string, branches: Record<string, z.ZodType>): T {
  return base.superRefine((value, ctx) => {
    const branch = Object.hasOwn(branches, String(value[key])) ? branches[String(value[key])] : undefined;
    if (!branch) return;
    const result = branch.safeParse(value, { reportInput: true });
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
  }) as unknown as T;
}

const processFields = {
  exePath: nonEmpty.optional(),
  args: nonEmpty.optional(),
  exe: nonEmpty.optional(),
  env: env.optional(),
};

/**
 * What the later event-generator that Falco's e2e suites are written for accepts beyond the
 * schemas of ../shared/event-generator. The schema test applies the same changes to the JSON
 * schemas before comparing.
 */
export const NEWER_FORMAT = {
  /** `dirFd`, `newDirFd`, `oldDirFd` may be left out: the step uses AT_FDCWD. */
  optionalDirFds: { openat: ['dirFd'], openat2: ['dirFd'], symlinkat: ['newDirFd'], linkat: ['oldDirFd', 'newDirFd'] },
  /** `context.container: null` is the same as no container. */
  nullContainer: true,
  /** `runIf` on a test: run it only on the architectures it names. */
  runIf: true,
  /** `fileLess: true` on a process resource: the process runs from a memfd. */
  processFileLess: true,
} as const;

/** `runIf: {arch: {op: eq|ne, val: ARCH}}`; null (or absent) always runs. Strict: a condition kestrel cannot evaluate is an error. */
export const RunIfSchema = z
  .strictObject({ arch: z.strictObject({ op: z.enum(['eq', 'ne']), val: nonEmpty }) })
  .nullable()
  .optional();

export const ContextSchema = z.looseObject({
  container: z
    .looseObject({
      image: nonEmpty.optional(),
      name: nonEmpty.optional(),
      env: env.optional(),
    })
    .nullable()
    .optional(),
  processes: z
    .array(
      z.looseObject({
        ...processFields,
        name: nonEmpty.optional(),
        user: nonEmpty.optional(),
        capabilities: nonEmpty.optional(),
      }),
    )
    .min(1)
    .optional(),
});

const fdBranch = (extra: Record<string, z.ZodType> = {}) => z.looseObject({ ...extra, 'x-metadata': forbidden });

export const ResourceSchema = withBranches(z.looseObject({ type: z.enum(['clientServer', 'fd', 'process']), name: nonEmpty }), 'type', {
  clientServer: z.looseObject({ l4Proto: z.enum(L4_PROTOS), address: z.string(), 'x-metadata': forbidden }),
  fd: withBranches(z.looseObject({ subtype: z.enum(FD_SUBTYPES) }), 'subtype', {
    file: fdBranch({ filePath: nonEmpty }),
    directory: fdBranch({ dirPath: nonEmpty }),
    pipe: fdBranch(),
    event: fdBranch(),
    signalfd: fdBranch(),
    eventpoll: fdBranch(),
    inotify: fdBranch(),
    // The schema documents `fileName` in prose only: it is not checked.
    memfd: fdBranch(),
  }),
  process: z.looseObject({ ...processFields, procName: nonEmpty.optional(), fileLess: z.boolean().optional(), 'x-metadata': forbidden }),
});

/** One syscall step's schema: its `args` object (required) and no `x-metadata`. */
const syscall = (args: Record<string, z.ZodType>) => z.looseObject({ args: z.looseObject(args), 'x-metadata': forbidden });
const opt = <T extends z.ZodType>(schema: T) => schema.optional();

export const SYSCALL_SCHEMAS: Record<(typeof SYSCALL_NAMES)[number], z.ZodType> = {
  write: syscall({ fd: fdOrBinding, buffer: opt(nonEmpty), len: opt(fdOrBinding) }),
  read: syscall({ fd: fdOrBinding, buffer: opt(nonEmpty), len: opt(fdOrBinding) }),
  open: syscall({ pathname: nonEmpty, flags: intOrText, mode: opt(intOrText) }),
  openat: syscall({ dirFd: opt(binding), pathname: nonEmpty, flags: intOrText, mode: opt(intOrText) }),
  openat2: syscall({
    dirFd: opt(binding),
    pathname: z.string(),
    how: opt(z.looseObject({ flags: opt(intOrText), mode: opt(intOrText), resolve: opt(intOrText) })),
  }),
  symlink: syscall({ target: nonEmpty, linkPath: nonEmpty }),
  symlinkat: syscall({ target: nonEmpty, newDirFd: opt(binding), linkPath: nonEmpty }),
  link: syscall({ oldPath: nonEmpty, newPath: nonEmpty }),
  linkat: syscall({ oldDirFd: opt(binding), oldPath: nonEmpty, newDirFd: opt(binding), newPath: nonEmpty, flags: opt(intOrText) }),
  init_module: syscall({ moduleImage: nonEmpty, paramValues: opt(nonEmpty) }),
  finit_module: syscall({ fd: binding, paramValues: opt(nonEmpty), flags: opt(intOrText) }),
  dup: syscall({ oldFd: fdOrBinding }),
  dup2: syscall({ oldFd: fdOrBinding, newFd: fdOrBinding }),
  dup3: syscall({ oldFd: fdOrBinding, newFd: fdOrBinding, flags: opt(intOrText) }),
  connect: syscall({ fd: fdOrBinding, address: nonEmpty }),
  socket: syscall({ domain: naturalOrText, type: naturalOrText, protocol: naturalOrText }),
  // The schema describes `address` but requires `destAddr` (of any type): both as written.
  sendto: syscall({
    fd: fdOrBinding,
    buf: nonEmpty,
    len: opt(fdOrBinding),
    flags: z.union([z.number().int(), z.string()]),
    address: opt(nonEmpty),
    destAddr: z.unknown().refine((v) => v !== undefined, { params: { required: true } }),
  }),
  kill: syscall({ pid: binding, sig: intOrText }),
};

export const StepSchema = withBranches(z.looseObject({ type: z.enum(['syscall']), name: nonEmpty }), 'type', {
  syscall: withBranches(z.looseObject({ syscall: z.enum(SYSCALL_NAMES) }), 'syscall', SYSCALL_SCHEMAS),
});

export const ExpectedOutcomeSchema = z.looseObject({
  source: nonEmpty.optional(),
  hostname: nonEmpty.optional(),
  priority: nonEmpty.optional(),
  outputFields: z
    .record(z.string(), nonEmpty)
    .refine((o) => Object.keys(o).length >= 1, { params: { minProperties: 1 } })
    .optional(),
});

export const CaseSchema = withBranches(z.looseObject({ strategy: z.enum(['vector', 'matrix']) }), 'strategy', {
  vector: z.looseObject({ values: z.record(z.string(), z.unknown()).refine((o) => Object.keys(o).length >= 1, { params: { minProperties: 1 } }) }),
  matrix: z.looseObject({
    values: z.record(z.string(), z.array(z.unknown()).min(1)).refine((o) => Object.keys(o).length >= 1, { params: { minProperties: 1 } }),
  }),
});

export const TestSchema = z.looseObject({
  rule: nonEmpty.optional(),
  name: nonEmpty,
  description: nonEmpty.optional(),
  runner: z.enum(['HostRunner']),
  runIf: RunIfSchema,
  context: ContextSchema.optional(),
  before: nonEmpty.optional(),
  after: nonEmpty.optional(),
  resources: z.array(ResourceSchema).min(1).optional(),
  steps: z.array(StepSchema).min(1).optional(),
  expectedOutcome: ExpectedOutcomeSchema.optional(),
  cases: z.array(CaseSchema).min(1).optional(),
});

export const DescriptionSchema = z.looseObject({
  tests: z.array(TestSchema).min(1).optional(),
});

export interface SchemaViolation {
  /** JSON-pointer-like path of the offending value (the object, for a missing property). */
  path: (string | number)[];
  /** In the words of event-generator's validator (santhosh-tekuri/jsonschema). */
  message: string;
}

/** Validates a description after template instantiation, as event-generator does. */
export function validateDescription(desc: unknown): SchemaViolation[] {
  const result = DescriptionSchema.safeParse(desc, { reportInput: true });
  if (result.success) return [];
  const out: SchemaViolation[] = [];
  for (const issue of result.error.issues) out.push(...describeIssue(issue, desc));
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): SchemaViolation[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = valueAt(root, parentPath);
  if (key !== undefined && typeof parent === 'object' && parent !== null && !Array.isArray(parent) && !Object.hasOwn(parent, key)) {
    return [{ path: parentPath, message: `missing property '${String(key)}'` }];
  }
  const input = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'never') return [{ path, message: `'not' failed` }];
      return [{ path, message: `got ${jsonType(input)}, want ${jsonTypeName(issue.expected)}` }];
    case 'too_small': {
      const what = issue.origin === 'string' ? 'minLength' : issue.origin === 'array' ? 'minItems' : 'minimum';
      const got = issue.origin === 'string' ? [...String(input)].length : Array.isArray(input) ? input.length : input;
      return [{ path, message: `${what}: got ${String(got)}, want ${String(issue.minimum)}` }];
    }
    case 'invalid_value':
      return [{ path, message: `value must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}` }];
    case 'invalid_format':
      return [{ path, message: `'${String(input)}' does not match pattern '\\\${.+}'` }];
    case 'invalid_union': {
      // Report the branch for the value's own type; a value of neither type is a type error.
      const branch = issue.errors.find((issues) => issues.every((i) => i.code !== 'invalid_type' || i.path.length > 0));
      if (branch && branch.length > 0) return branch.flatMap((i) => describeIssue({ ...i, path: [...issue.path, ...i.path] }, root));
      return [{ path, message: `got ${jsonType(input)}, want integer or string` }];
    }
    case 'unrecognized_keys':
      // Only runIf is strict: kestrel evaluates it and cannot evaluate a condition it does not know.
      return [{ path, message: `additionalProperties ${issue.keys.map((k) => `'${k}'`).join(', ')} not allowed (runIf supports arch: {op: eq|ne, val})` }];
    case 'custom': {
      const params = (issue as { params?: { minProperties?: number } }).params;
      if (params?.minProperties !== undefined) {
        return [{ path, message: `minProperties: got ${Object.keys(input as object).length}, want ${params.minProperties}` }];
      }
      return [{ path, message: issue.message }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function jsonTypeName(expected: string): string {
  return expected === 'record' ? 'object' : expected;
}
