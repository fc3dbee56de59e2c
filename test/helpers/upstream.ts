import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/**
 * The shared reference material the tests compare against (upstream Falco rules, the field
 * catalogue, scap captures): `../shared/` beside the repository, or the directory named by
 * KESTREL_SHARED. Every test finds it here, and fails saying what is missing and where it
 * was looked for, rather than passing on nothing.
 */
export const SHARED_DIR = sharedDir();

function sharedDir(): string {
  const fromEnv = process.env['KESTREL_SHARED'];
  const dir = fromEnv ? path.resolve(fromEnv) : fileURLToPath(new URL('../../../shared/', import.meta.url));
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}

/** A path inside the shared material; throws, saying what is missing, when it is absent. */
export function sharedPath(relative: string): string {
  const full = path.join(SHARED_DIR, relative);
  if (!existsSync(full)) {
    const where = process.env['KESTREL_SHARED'] ? `KESTREL_SHARED=${process.env['KESTREL_SHARED']}` : '../shared/ beside the repository';
    throw new Error(
      `missing test reference material: ${full} does not exist. The tests read the upstream Falco rules ` +
        `(falcosecurity-rules/), the field catalogue (fields/) and scap captures (captures/scap/) from ${where}; ` +
        'put them there, or set KESTREL_SHARED to the directory that holds them.',
    );
  }
  return full;
}

export const UPSTREAM_RULES_DIR = sharedPath('falcosecurity-rules') + path.sep;
/** The gzipped scap captures the differential tests convert with sysdig. */
export const SCAP_DIR = sharedPath('captures/scap') + path.sep;
export const UPSTREAM_RULE_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map(
  (name) => UPSTREAM_RULES_DIR + name,
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
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
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

/**
 * kestrel's own rule tests (test/rule-tests) as `kestrel test` arguments: each file that tests
 * the upstream rules is given them with -r (its `rules:` names ../shared, which may be
 * elsewhere), the others run as written. One argument list per invocation.
 */
export function ownRuleTestRuns(root: string): string[][] {
  const dir = path.join(root, 'test/rule-tests');
  const upstream = path.join(dir, 'upstream-stable.kestrel-test.yaml');
  const others = readdirSync(dir)
    .filter((name) => name.endsWith('.kestrel-test.yaml'))
    .map((name) => path.join(dir, name))
    .filter((file) => file !== upstream);
  return [others, [upstream, '-r', UPSTREAM_RULE_FILES[0]!]];
}
