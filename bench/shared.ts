import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The shared reference material beside the repository (override with KESTREL_SHARED). */
export const SHARED_DIR = process.env['KESTREL_SHARED'] ?? path.resolve(process.cwd(), '../shared');
export const UPSTREAM_RULE_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((name) =>
  path.join(SHARED_DIR, 'falcosecurity-rules', name),
);

/** Every rule and macro condition text in the upstream rules files. */
export function upstreamConditionTexts(): string[] {
  const out: string[] = [];
  for (const file of UPSTREAM_RULE_FILES) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const items: unknown = doc.toJS();
      if (!Array.isArray(items)) continue;
      for (const item of items as Record<string, unknown>[]) {
        if (typeof item['condition'] === 'string') out.push(item['condition']);
      }
    }
  }
  return out;
}
