/**
 * The shared reference material beside the repository (upstream Falco rules, the field
 * catalogue, scap captures): `../shared/` next to the clone, or the directory named by
 * KESTREL_SHARED. The benchmarks and the tests (test/helpers/upstream.ts) both find it here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository's root: the nearest folder above this module with a package.json (from bench/ or dist/bench/). */
function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const SHARED_DIR = withSeparator(
  process.env['KESTREL_SHARED'] ? path.resolve(process.env['KESTREL_SHARED']) : path.resolve(repositoryRoot(), '../shared'),
);

function withSeparator(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}

/** A path inside the shared material; throws, saying what is missing, when it is absent. */
export function sharedPath(relative: string): string {
  const full = path.join(SHARED_DIR, relative);
  if (!existsSync(full)) {
    const where = process.env['KESTREL_SHARED'] ? `KESTREL_SHARED=${process.env['KESTREL_SHARED']}` : '../shared/ beside the repository';
    throw new Error(
      `missing reference material: ${full} does not exist. The tests and benchmarks read the upstream Falco rules ` +
        `(falcosecurity-rules/), the field catalogue (fields/) and scap captures (captures/scap/) from ${where}; ` +
        'put them there, or set KESTREL_SHARED to the directory that holds them.',
    );
  }
  return full;
}

export const UPSTREAM_RULE_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((name) =>
  path.join(SHARED_DIR, 'falcosecurity-rules', name),
);

export interface UpstreamCondition {
  file: string;
  kind: 'rule' | 'macro';
  name: string;
  condition: string;
}

/** Every rule and macro condition of the upstream rules files, as written. */
export function upstreamConditions(): UpstreamCondition[] {
  const out: UpstreamCondition[] = [];
  for (const file of UPSTREAM_RULE_FILES) {
    for (const doc of parseAllDocuments(readFileSync(sharedPath(path.relative(SHARED_DIR, file)), 'utf8'))) {
      const items: unknown = doc.toJS();
      if (!Array.isArray(items)) continue;
      for (const item of items as Record<string, unknown>[]) {
        if (typeof item['condition'] !== 'string') continue;
        const kind = typeof item['rule'] === 'string' ? 'rule' : 'macro';
        out.push({ file, kind, name: String(item[kind]), condition: item['condition'] });
      }
    }
  }
  return out;
}

/** Every rule and macro condition text of the upstream rules files. */
export function upstreamConditionTexts(): string[] {
  return upstreamConditions().map((c) => c.condition);
}
