import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The shared reference material beside the repository. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const UPSTREAM_RULES_DIR = `${SHARED_DIR}falcosecurity-rules/`;
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
