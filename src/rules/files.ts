/**
 * Expands rules paths as Falco reads them: a file as is, every regular file of a directory
 * in name order, and (kestrel's addition) glob patterns.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';

export type RulesPath = { file: string } | { missing: string };

export function expandRulesPaths(paths: string[], cwd: string): RulesPath[] {
  const out: RulesPath[] = [];
  for (const p of paths) {
    const absolute = path.resolve(cwd, p);
    if (fg.isDynamicPattern(p)) {
      const matches = fg.sync(p, { cwd, absolute: true, onlyFiles: true }).sort();
      if (matches.length === 0) out.push({ missing: p });
      for (const m of matches) out.push({ file: m });
      continue;
    }
    let stat;
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
        .filter((f) => statSync(f).isFile());
      for (const f of files) out.push({ file: f });
    } else {
      out.push({ file: absolute });
    }
  }
  return out;
}
