/**
 * What the package ships and how it starts: `kestrel --version`, the packed file list (the
 * command and its shebang, the licence, the documents the README links to; no benchmarks,
 * no tests, no source maps pointing at files left out), the build on `prepare` so that
 * installs from git and from a tarball have a command, and `describe` listing each output
 * field once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKestrel } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

describe('kestrel --version', () => {
  it.each(['--version', '-V'])('%s prints the package version', async (flag) => {
    const run = await runKestrel([flag]);
    expect(run).toEqual({ code: 0, stdout: `kestrel ${pkg.version}\n`, stderr: '' });
  });

  it('works from the built command too', () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, pkg.bin['kestrel']!), '--version'], { encoding: 'utf8' });
    expect(out).toBe(`kestrel ${pkg.version}\n`);
  });
});

describe('kestrel describe', () => {
  it('lists each output field once, the suggested container fields included', async () => {
    const run = await runKestrel(['describe', '-r', path.join(ROOT, 'rules'), '--json']);
    expect(run.code).toBe(0);
    const rules = (JSON.parse(run.stdout) as { rules: { info: { name: string; output: string }; details: { output_fields: string[] } }[] }).rules;
    // Outputs that name container fields themselves, and get them again from the appended suggested fields.
    expect(rules.filter((r) => r.info.output.split('%container.id').length > 2).length).toBeGreaterThan(0);
    for (const r of rules) {
      expect(r.details.output_fields, r.info.name).toEqual([...new Set(r.details.output_fields)]);
      expect(r.details.output_fields).toContain('container.id');
    }
  });
});

interface PackedFile {
  path: string;
}

describe('the package', () => {
  // The list npm would pack (scripts skipped: npm test has just built dist/).
  const packed = () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline'], { cwd: ROOT, encoding: 'utf8' });
    return (JSON.parse(out) as { files: PackedFile[] }[])[0]!.files.map((f) => f.path);
  };

  it('ships the command with its shebang, the licence and the linked documents; no benchmarks, tests or stray maps', () => {
    const files = packed();
    const set = new Set(files);
    const bin = pkg.bin['kestrel']!;
    expect(set.has(bin)).toBe(true);
    expect(readFileSync(path.join(ROOT, bin), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(set.has('LICENSE')).toBe(true);
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(files.filter((f) => f.startsWith('dist/bench/') || f.startsWith('dist/test/') || f.startsWith('test/'))).toEqual([]);
    // Every relative link of the README (and of the documents it links to) is in the package.
    for (const doc of ['README.md', 'docs/captures.md', 'docs/compatibility.md', 'docs/testing.md', 'captures/README.md']) {
      expect(set.has(doc), doc).toBe(true);
      const text = readFileSync(path.join(ROOT, doc), 'utf8');
      for (const [, link] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(link!)) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(doc), link!)).replace(/\/$/, '');
        expect(
          files.some((f) => f === target || f.startsWith(`${target}/`)),
          `${doc} links to ${link}`,
        ).toBe(true);
      }
    }
    // Source maps point at sources the package holds.
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(path.join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(set.has(path.posix.normalize(path.posix.join(path.posix.dirname(map), source))), `${map} → ${source}`).toBe(true);
    }
  });

  it('installs from the packed tarball with a working kestrel command (offline, from the npm cache)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-pack-'));
    const npm = (...args: string[]) =>
      execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // Packed as npm publishes it; its scripts are skipped because npm test has just built dist/.
    const tarball = npm('pack', ROOT, '--ignore-scripts', '--pack-destination', dir, '--silent').trim().split('\n').pop()!;
    npm('install', '--prefix', path.join(dir, 'installed'), path.join(dir, tarball), '--ignore-scripts');
    const out = execFileSync(path.join(dir, 'installed/node_modules/.bin/kestrel'), ['--version'], { encoding: 'utf8' });
    expect(out).toBe(`kestrel ${pkg.version}\n`);
  }, 120_000);

  it('builds on prepare, so installs from git and from a packed tarball have the command', () => {
    // npm runs `prepare` when packing and when installing from git; it must build the bin.
    expect(pkg.scripts['prepare']).toBe('npm run build');
    // A build starts from an empty dist/ (no module left over from a moved file), then compiles.
    expect(pkg.scripts['build']).toMatch(/rmSync\('dist'.*&& tsc -p tsconfig\.json$/);
    const config = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string }; include: string[] };
    expect(path.posix.join(config.compilerOptions.outDir, 'src/cli/main.js')).toBe(pkg.bin['kestrel']);
    expect(config.include).toContain('src/**/*.ts');
    expect(existsSync(path.join(ROOT, 'src/cli/main.ts'))).toBe(true);
  });
});
