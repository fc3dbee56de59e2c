/**
 * Expands rules paths as Falco reads them: a file as is, the `.yaml` and `.yml` files of a
 * directory in name order (falco_configuration::read_rules_file_directory), and (kestrel's
 * addition) glob patterns. A directory or glob that yields no file is reported, not skipped.
 */
import { readdirSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';

export type RulesPath = { file: string } | { missing: string } | { empty: string; kind: 'directory' | 'glob' };

/** Falco considers only these files of a rules directory. */
const RULES_FILE = /\.(yaml|yml)$/;

export function expandRulesPaths(paths: string[], cwd: string): RulesPath[] {
  const out: RulesPath[] = [];
  for (const p of paths) {
    const absolute = path.resolve(cwd, p);
    if (fg.isDynamicPattern(p)) {
      const matches = fg.sync(p, { cwd, absolute: true, onlyFiles: true }).sort();
      if (matches.length === 0) out.push({ empty: p, kind: 'glob' });
      for (const m of matches) out.push({ file: m });
      continue;
    }
    let stat: Stats;
    try {
      stat = statSync(absolute);
    } catch {
      out.push({ missing: p });
      continue;
    }
    if (stat.isDirectory()) {
      const files = readdirSync(absolute)
        .sort()
        .map((name) => path.join(absolute, name))
        .filter((f) => RULES_FILE.test(f) && statSync(f).isFile());
      if (files.length === 0) out.push({ empty: p, kind: 'directory' });
      for (const f of files) out.push({ file: f });
    } else {
      out.push({ file: absolute });
    }
  }
  return out;
}
