/**
 * `kestrel describe --code`: the printed programs must be the code the engine runs. The
 * printed text is evaluated again (with the engine's references) and must decide events as
 * the engine does; the rules named in each header must be the engine's candidates in order.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine, type EngineRule, type RuleMatching } from '../../src/evaluator/engine.js';
import type { Program } from '../../src/evaluator/program-builder.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { loadRulesFiles } from '../../src/rules/loader.js';
import { parseEventLine } from '../../src/sources/jsonl/captures.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';
import { runKestrel } from '../helpers/cli.js';
import { UPSTREAM_RULE_FILES } from '../helpers/upstream.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-code-'));
const RULES = path.join(dir, 'rules.yaml');
writeFileSync(
  RULES,
  `- macro: container
  condition: container.id != host
- rule: Write below etc
  desc: a write below /etc
  condition: evt.type = openat and evt.is_open_write = true and fd.name startswith /etc/ and container
  output: "File below /etc opened for writing (file=%fd.name)"
  priority: ERROR
- rule: Any shell
  desc: a shell started
  condition: evt.type = execve and proc.name in (bash, ash)
  output: "Shell %proc.name"
  priority: NOTICE
- rule: Lowered parent
  desc: a shell whose parent's name is bash in any case
  condition: evt.type in (execve, openat) and proc.name = sh and tolower(proc.pname) = bash
  output: "x"
  priority: NOTICE
`,
);

function engineFor(files: string[], matching: RuleMatching): Engine<FlatEvent> {
  const rules = loadRulesFiles(files).output!.rules;
  return new Engine(rules, new FlatEventSource(), FieldCatalogue.syscall(), {}, matching);
}

/** The printed programs' functions (`function program(refs) {...}`), in order. */
function printedFunctions(stdout: string): string[] {
  return [...stdout.matchAll(/^function program\(refs\) \{\n[\s\S]*?\n\}$/gm)].map((m) => m[0]);
}

function rulesInHeader(stdout: string): string[] {
  return [...stdout.matchAll(/^\/\/ {3}\d+\. (.*)$/gm)].map((m) => m[1]!);
}

function recordedEvents(): FlatEvent[] {
  const events: FlatEvent[] = [];
  for (const group of ['event-generator', 'labs']) {
    const d = `${ROOT}captures/${group}/`;
    for (const f of readdirSync(d).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(d + f, 'utf8')
        .split('\n')
        .filter(Boolean)) {
        const e = parseEventLine(line);
        if (typeof e !== 'string') events.push(e);
      }
    }
  }
  return events;
}

describe('kestrel describe --code', () => {
  it('prints, for one event type, the program the engine runs, with its rules in order', async () => {
    const run = await runKestrel(['describe', '-r', RULES, '--code', 'execve']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\/\/ Program for event type execve \(rule_matching: first\)\n/);
    expect(rulesInHeader(run.stdout)).toEqual(['Any shell', 'Lowered parent']);
    // The known rules' field reads and constants appear in the code.
    expect(run.stdout).toContain('e["proc.name"]');
    expect(run.stdout).toContain('v === "sh"');
    expect(run.stdout).toMatch(/r\d+: constants of `proc\.name in \(bash, ash\)`: set of 2 \("bash", "ash"\)/);
    expect(run.stdout).toMatch(/r\d+: read of the operand of `tolower\(proc\.pname\) = bash`/);
    expect(run.stdout).not.toContain('fd.name');

    const functions = printedFunctions(run.stdout);
    expect(functions).toHaveLength(1);
    const engine = engineFor([RULES], 'first');
    const compiled = engine.compiled('execve');
    expect(functions[0]).toBe(`function program(refs) {\n${compiled.source}\n}`);
    // Evaluated again, the printed text decides events as the engine does.
    const printed = (new Function(`return (${functions[0]})`)() as (refs: readonly unknown[]) => Program<FlatEvent, EngineRule>)(compiled.refs);
    const events: FlatEvent[] = [
      { 'evt.type': 'execve', 'proc.name': 'bash' },
      { 'evt.type': 'execve', 'proc.name': 'sh', 'proc.pname': 'BaSh' },
      { 'evt.type': 'execve', 'proc.name': 'sh', 'proc.pname': 'zsh' },
      { 'evt.type': 'execve', 'proc.name': 'zsh', 'proc.pname': 'bash' },
    ];
    const fired = events.map((e) => {
      const m: EngineRule[] = [];
      printed(e, m);
      return m.map((r) => r.rule.name);
    });
    expect(fired).toEqual(events.map((e) => engine.evaluate(e).map((r) => r.rule.name)));
    expect(fired).toEqual([['Any shell'], ['Lowered parent'], [], []]);
  });

  it('prints every event type some rule can match once, types with one program together', async () => {
    const run = await runKestrel(['describe', '-r', RULES, '--code', '--rule-matching', 'all']);
    expect(run.code).toBe(0);
    const headers = [...run.stdout.matchAll(/^\/\/ Program for event types? (.*) \(rule_matching: all\)$/gm)].map((m) => m[1]);
    expect(headers.sort()).toEqual(['execve', 'openat']);
    expect(printedFunctions(run.stdout)).toHaveLength(2);
    // With rule_matching: all, the program does not stop at the first match.
    expect(run.stdout).not.toContain('return; }');
  });

  it('lists a syscall without an event of its own when a rule names it', async () => {
    const rules = path.join(dir, 'generic.yaml');
    writeFileSync(rules, '- rule: Accounting\n  desc: d\n  condition: evt.type = acct and proc.name = x\n  output: o\n  priority: NOTICE\n');
    const run = await runKestrel(['describe', '-r', rules, '--code']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\/\/ Program for event type acct \(rule_matching: first\)\n/);
    expect(rulesInHeader(run.stdout)).toEqual(['Accounting']);
  });

  it('names an unknown event type clearly and exits 1', async () => {
    const run = await runKestrel(['describe', '-r', RULES, '--code', 'exceve']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('kestrel describe: unknown event type "exceve"');
  });

  it('says when no rule can match a known event type', async () => {
    const run = await runKestrel(['describe', '-r', RULES, '--code', 'read']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('// No rule can match these events.');
    expect(rulesInHeader(run.stdout)).toEqual([]);
  });

  it('rejects --rule-matching values other than first and all', async () => {
    const run = await runKestrel(['describe', '-r', RULES, '--code', '--rule-matching', 'some']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--rule-matching must be 'first' or 'all', not 'some'");
  });

  it('over the upstream rules, --json gives for every event type the engine program, which decides the recorded events alike', async () => {
    const run = await runKestrel(['describe', ...UPSTREAM_RULE_FILES.flatMap((f) => ['-r', f]), '--code', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { rule_matching: string; programs: { event_types: string[]; rules: string[]; source: string; refs: string[] }[] };
    expect(out.rule_matching).toBe('first');
    const engine = engineFor(UPSTREAM_RULE_FILES, 'first');
    const seen = new Set<string>();
    for (const p of out.programs) {
      expect(p.rules.length).toBeGreaterThan(0);
      for (const type of p.event_types) {
        expect(seen.has(type), type).toBe(false);
        seen.add(type);
        const compiled = engine.compiled(type);
        expect(compiled.run).toBe(engine.program(type));
        expect(p.source, type).toBe(compiled.source);
        expect(p.rules, type).toEqual(compiled.values.map((r) => r.rule.name));
      }
    }
    expect(seen.has('execve')).toBe(true);
    expect(seen.has('openat')).toBe(true);
    // Run the printed sources on the recorded events of their types.
    let fired = 0;
    const byType = new Map(out.programs.flatMap((p) => p.event_types.map((t) => [t, p] as const)));
    const programs = new Map<string, Program<FlatEvent, EngineRule>>();
    for (const event of recordedEvents()) {
      const type = String(event['evt.type']);
      const p = byType.get(type);
      const expected = engine.evaluate(event).map((r) => r.rule.name);
      if (!p) {
        expect(expected).toEqual([]);
        continue;
      }
      let run = programs.get(type);
      if (!run) programs.set(type, (run = new Function('refs', p.source)(engine.compiled(type).refs) as Program<FlatEvent, EngineRule>));
      const m: EngineRule[] = [];
      run(event, m);
      expect(m.map((r) => r.rule.name)).toEqual(expected);
      fired += m.length;
    }
    expect(fired).toBeGreaterThanOrEqual(20);
  });
});
