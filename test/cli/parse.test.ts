import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKestrel } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

describe('kestrel parse', () => {
  it('prints the tree as JSON without ranges', async () => {
    const run = await runKestrel(['parse', 'proc.name in (bash, sh) and not fd.name startswith /etc', '--json']);
    expect(run.code).toBe(0);
    const ast = JSON.parse(run.stdout);
    expect(ast.kind).toBe('and');
    expect(ast.children[0]).toEqual({
      kind: 'binary',
      left: { kind: 'field', name: 'proc.name' },
      operator: 'in',
      right: {
        kind: 'list',
        items: [
          { kind: 'value', value: 'bash' },
          { kind: 'value', value: 'sh' },
        ],
      },
    });
    expect(ast.children[1].kind).toBe('not');
  });

  it('keeps ranges on request', async () => {
    const run = await runKestrel(['parse', 'evt.type = open', '--json', '--ranges']);
    const ast = JSON.parse(run.stdout);
    expect(ast.right.range.start).toEqual({ offset: 11, line: 1, column: 12 });
  });

  it('prints an outline by default', async () => {
    const run = await runKestrel(['parse', 'proc.aname[2] = sshd']);
    expect(run.stdout.split('\n')).toEqual(['=', '  field proc.aname[2]', '  value "sshd"', '']);
  });

  it('reports a syntax error with line:column, a code frame and exit status 1', async () => {
    const run = await runKestrel(['parse', 'evt.type = open and (proc.name = x']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: 1:35: expected a '\)' token\n/);
    expect(run.stderr).toContain('> 1 | evt.type = open and (proc.name = x');
    expect(run.stderr).toMatch(/\| {35}\^/);
  });

  it('reports the error as JSON with --json', async () => {
    const run = await runKestrel(['parse', 'proc.pid > abc', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.position).toEqual({ offset: 11, line: 1, column: 12 });
  });

  it('rejects a missing condition as a usage error (exit 2)', async () => {
    const run = await runKestrel(['parse']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exactly one condition');
  });

  it('names unknown commands', async () => {
    const run = await runKestrel(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });

  it('works as the installed executable, without a stack trace on bad input', () => {
    const ok = execFileSync(process.execPath, [BIN, 'parse', 'a.b exists', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(ok).operator).toBe('exists');
    const bad = spawnSync(process.execPath, [BIN, 'parse', '"unterminated'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    // libsinsp's message, the code frame, then kestrel's hint.
    expect(bad.stderr).toBe(
      "error: 1:1: expected a '(' token, a field check, or an identifier\n> 1 | \"unterminated\n    | ^\nhint: this quoted string has no closing quote\n",
    );
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
