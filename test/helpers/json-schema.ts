/**
 * A small JSON Schema (draft 2020-12) validator covering the keywords event-generator's
 * schemas use, to check kestrel's zod rendering of them against the schemas themselves.
 * Test-only: it reads the schemas from ../shared at test time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { NEWER_FORMAT } from '../../src/testing/event-generator/schema.js';
import { SHARED_DIR } from './upstream.js';

export const EVENT_GENERATOR_DIR = `${SHARED_DIR}event-generator/`;
const SCHEMA_DIR = `${EVENT_GENERATOR_DIR}pkg/test/loader/schema/jsonschemas/`;

type Schema = Record<string, unknown>;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/**
 * Every schema, by its $id. With `newerFormat` (the default), the schemas are changed as
 * NEWER_FORMAT says kestrel reads the later event-generator that Falco's suites need, so
 * the zod rendering is compared with exactly what it is meant to accept.
 */
export function loadSchemas(options: { newerFormat?: boolean } = {}): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const file of listFiles(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
    out.set(schema['$id'] as string, schema);
  }
  if (options.newerFormat ?? true) applyNewerFormat(out);
  return out;
}

const STEP_SCHEMA_IDS: Record<keyof typeof NEWER_FORMAT.optionalDirFds, string> = {
  openat: 'steps.syscall.openAt.schema.json',
  openat2: 'steps.syscall.openAt2.schema.json',
  symlinkat: 'steps.syscall.symLinkAt.schema.json',
  linkat: 'steps.syscall.linkAt.schema.json',
};

function applyNewerFormat(schemas: Map<string, Schema>): void {
  const at = (id: string, ...keys: string[]): Schema => {
    let s = schemas.get(id) as Schema;
    for (const k of keys) s = s[k] as Schema;
    if (s === undefined) throw new Error(`json-schema helper: ${id} ${keys.join('.')} missing`);
    return s;
  };
  for (const [syscall, fields] of Object.entries(NEWER_FORMAT.optionalDirFds)) {
    const args = at(STEP_SCHEMA_IDS[syscall as keyof typeof STEP_SCHEMA_IDS], 'properties', 'args');
    const required = args['required'] as string[];
    for (const f of fields) if (!required.includes(f)) throw new Error(`json-schema helper: ${syscall} does not require ${f}`);
    args['required'] = required.filter((r) => !(fields as readonly string[]).includes(r));
  }
  at('context.schema.json', 'properties', 'container')['type'] = ['object', 'null'];
  const closed = { not: {} };
  at('test.schema.json', 'properties')['runIf'] = {
    type: ['object', 'null'],
    required: ['arch'],
    additionalProperties: closed,
    properties: {
      arch: {
        type: 'object',
        required: ['op', 'val'],
        additionalProperties: closed,
        properties: { op: { enum: ['eq', 'ne'] }, val: { type: 'string', minLength: 1 } },
      },
    },
  };
  at('resources.process.schema.json', 'properties')['fileLess'] = { type: 'boolean' };
}

const KNOWN = new Set([
  '$schema',
  '$id',
  '$ref',
  'title',
  'description',
  'examples',
  'default',
  'type',
  'properties',
  'required',
  'enum',
  'const',
  'minLength',
  'minimum',
  'minItems',
  'minProperties',
  'additionalProperties',
  'items',
  'pattern',
  'allOf',
  'if',
  'then',
  'not',
]);

/** The instance paths where `value` fails `schema` (empty: valid). */
export function validate(schemas: Map<string, Schema>, schema: Schema, value: unknown, at = ''): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`json-schema helper: keyword ${key} not supported`);
  const errors: string[] = [];
  const fail = (what: string) => errors.push(`${at || '/'}: ${what}`);
  if (typeof schema['$ref'] === 'string') {
    const target = schemas.get(schema['$ref']);
    if (!target) throw new Error(`json-schema helper: unknown $ref ${schema['$ref']}`);
    errors.push(...validate(schemas, target, value, at));
  }
  if (schema['type'] !== undefined) {
    const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : [schema['type'] as string];
    if (!types.some((t) => hasType(value, t))) fail(`type ${types.join('|')}`);
  }
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).some((e) => e === value)) fail('enum');
  if ('const' in schema && schema['const'] !== value) fail('const');
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && [...value].length < schema['minLength']) fail('minLength');
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern']).test(value)) fail('pattern');
  }
  if (typeof value === 'number' && typeof schema['minimum'] === 'number' && value < schema['minimum']) fail('minimum');
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) fail('minItems');
    if (schema['items']) {
      value.forEach((v, i) => {
        errors.push(...validate(schemas, schema['items'] as Schema, v, `${at}/${i}`));
      });
    }
  }
  if (isObject(value)) {
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const key of (schema['required'] ?? []) as string[]) if (!(key in value)) fail(`required ${key}`);
    if (typeof schema['minProperties'] === 'number' && Object.keys(value).length < schema['minProperties']) fail('minProperties');
    for (const [key, v] of Object.entries(value)) {
      if (properties[key]) errors.push(...validate(schemas, properties[key], v, `${at}/${key}`));
      else if (schema['additionalProperties'] !== undefined) errors.push(...validate(schemas, schema['additionalProperties'] as Schema, v, `${at}/${key}`));
    }
  }
  for (const sub of (schema['allOf'] ?? []) as Schema[]) errors.push(...validate(schemas, sub, value, at));
  if (schema['if'] && validate(schemas, schema['if'] as Schema, value, at).length === 0 && schema['then']) {
    errors.push(...validate(schemas, schema['then'] as Schema, value, at));
  }
  if (schema['not'] && validate(schemas, schema['not'] as Schema, value, at).length === 0) fail('not');
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      throw new Error(`json-schema helper: type ${type} not supported`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
