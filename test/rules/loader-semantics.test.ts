/** What loading produces inside the rules: expanded conditions, overrides, event types. */
import { describe, expect, it } from 'vitest';
import { ALL_EVENT_CODES, eventCodes } from '../../src/fields/events.js';
import { printCondition } from '../../src/parser/index.js';
import { loadRulesContents } from '../../src/rules/loader.js';

function load(...texts: string[]) {
  const loaded = loadRulesContents(texts.map((text, i) => ({ name: `f${i}.yaml`, text })));
  if (!loaded.output) throw new Error(JSON.stringify(loaded.results.flatMap((r) => r.errors.map((e) => e.message))));
  return loaded.output;
}

function rule(condition: string, extra = '') {
  return `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
}

const codes = (...names: string[]) => new Set(names.flatMap((n) => [...eventCodes(n)]));
const all = new Set(ALL_EVENT_CODES);
const without = (names: string[]) => new Set([...all].filter((c) => !codes(...names).has(c)));

describe('event types of a condition', () => {
  const cases: [string, Set<number>][] = [
    ['evt.type = open', codes('open')],
    ['evt.type in (open, openat)', codes('open', 'openat')],
    ['evt.type != open', without(['open'])],
    ['not evt.type in (open, close)', without(['open', 'close'])],
    ['not evt.type != open', codes('open')],
    ['evt.type = open and proc.name = x', codes('open')],
    ['evt.type = open or proc.name = x', all],
    ['evt.type = open or evt.type = close', codes('open', 'close')],
    ['evt.type in (open, close) and evt.type in (close, read)', codes('close')],
    ['not (evt.type = open or evt.type = close)', without(['open', 'close'])],
    // De Morgan: not open or not (proc.name = x); the second matches every type.
    ['not (evt.type = open and proc.name = x)', all],
    ['proc.name = x', all],
    ['not proc.name = x', all],
    ['evt.num = 0', new Set()],
    ['not evt.num = 0 and evt.type = open', codes('open')],
    ['evt.type exists', all],
    ['not evt.type exists', new Set()],
  ];
  it.each(cases)('%s', (condition, expected) => {
    const output = load(rule(condition, '  warn_evttypes: false\n'));
    expect(new Set(output.rules[0]!.eventTypes.codes)).toEqual(expected);
  });

  it('open has both an enter and an exit code', () => {
    expect(eventCodes('open').length).toBeGreaterThanOrEqual(2);
  });
});

describe('expansion', () => {
  it('substitutes lists textually, including lists of lists, quoting items with spaces', () => {
    const output = load(`- list: a\n  items: [x, "y z"]\n- list: b\n  items: [a, w]\n${rule('evt.type = open and proc.name in (b)')}`);
    expect(printCondition(output.rules[0]!.condition)).toBe('evt.type = open and proc.name in (x, "y z", w)');
    expect(output.rules[0]!.lists).toEqual(['b']);
  });

  it('expands macros and records the ones used', () => {
    const output = load(`- macro: m1\n  condition: evt.type = open\n- macro: m2\n  condition: m1 and fd.num > 0\n${rule('m2 and proc.name = x')}`);
    expect(printCondition(output.rules[0]!.condition)).toBe('(evt.type = open and fd.num > 0) and proc.name = x');
    expect(output.rules[0]!.macros).toEqual(['m1', 'm2']);
  });

  it('appends exceptions as "and not" clauses', () => {
    const output = load(
      rule(
        'evt.type = open',
        `  exceptions:
    - name: single
      fields: proc.name
      values: [a, "b c"]
    - name: tuples
      fields: [proc.name, fd.name]
      comps: [=, startswith]
      values:
        - [x, /etc]
        - [y, /usr]
    - name: lists
      fields: [proc.name, fd.name]
      comps: [in, pmatch]
      values:
        - [[p, q], [/tmp]]
`,
      ),
    );
    const r = output.rules[0]!;
    expect(printCondition(r.condition)).toBe(
      'evt.type = open and not proc.name in (a, "b c") and not ((proc.name = x and fd.name startswith /etc) or (proc.name = y and fd.name startswith /usr)) and not (proc.name in (p, q) and fd.name pmatch (/tmp))',
    );
    expect(r.exceptionFields).toEqual(['fd.name', 'proc.name']);
  });

  it('applies overrides: replace priority, append condition and tags, disable', () => {
    const base = rule('evt.type = open', '  tags: [a]\n');
    const output = load(
      base,
      `- rule: r
  priority: CRITICAL
  override:
    priority: replace
- rule: r
  condition: and proc.name = x
  tags: [b]
  override:
    condition: append
    tags: append
`,
    );
    const r = output.rules[0]!;
    expect(r.priority).toBe('Critical');
    expect(r.tags).toEqual(['a', 'b']);
    expect(printCondition(r.condition)).toBe('evt.type = open and proc.name = x');
    const disabled = load(base, '- rule: r\n  enabled: false\n  override:\n    enabled: replace\n');
    expect(disabled.rules[0]!.enabled).toBe(false);
  });

  it('keeps a redefined rule in its first place', () => {
    const output = load(
      `${rule('evt.type = open').replace('- rule: r', '- rule: first')}${rule('evt.type = close').replace('- rule: r', '- rule: second')}${rule('evt.type = read').replace('- rule: r', '- rule: first')}`,
    );
    expect(output.rules.map((r) => r.name)).toEqual(['first', 'second']);
    expect(printCondition(output.rules[0]!.condition)).toBe('evt.type = read');
  });

  it('lists condition and output fields', () => {
    const output = load(
      rule('evt.type = open and proc.aname[2] = x and fd.name exists').replace('output: o', 'output: "%proc.name %fd.name[0] %evt.arg.flags"'),
    );
    expect(output.rules[0]!.conditionFields).toEqual(['evt.type', 'proc.aname[2]', 'fd.name']);
    expect(output.rules[0]!.outputFields.slice(0, 3)).toEqual(['proc.name', 'fd.name', 'evt.arg.flags']);
    expect(output.rules[0]!.outputFields.slice(3)).toEqual([
      'container.id',
      'container.name',
      'container.image.repository',
      'container.image.tag',
      'k8s.pod.name',
      'k8s.ns.name',
    ]);
  });
});

describe('rules paths', () => {
  it('reads a directory in name order and expands globs', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadRulesFiles } = await import('../../src/rules/loader.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-rules-'));
    mkdirSync(path.join(dir, 'd'));
    // The rule file needs the macro file first: name order provides it.
    writeFileSync(path.join(dir, 'd', '10-base.yaml'), '- macro: m\n  condition: evt.type = open\n');
    writeFileSync(path.join(dir, 'd', '20-rule.yaml'), rule('m'));
    const loaded = loadRulesFiles([path.join(dir, 'd')]);
    expect(loaded.results.map((r) => path.basename(r.name))).toEqual(['10-base.yaml', '20-rule.yaml']);
    expect(loaded.successful).toBe(true);
    const globbed = loadRulesFiles(['d/*.yaml'], { cwd: dir });
    expect(globbed.results.map((r) => path.basename(r.name))).toEqual(['10-base.yaml', '20-rule.yaml']);
    const missing = loadRulesFiles(['d/*.nope'], { cwd: dir });
    expect(missing.results[0]!.errors[0]!.code).toBe('LOAD_ERR_FILE_READ');
  });
});
