/**
 * The fast YAML reader (src/rules/yaml-fast.ts) against the `yaml` package. The fast reader
 * may decline any text (the loader then falls back to `yaml`), but whatever it reads must be
 * the tree `yaml` builds, as far as the loader looks at it:
 *   - same node kinds, item counts, map pairs in order;
 *   - scalars: same value, type, range[0] and range[1];
 *   - maps and sequences: same range[0];
 *   - same number of documents, and the LineCounter's lineStarts;
 *   - it only reads texts for which `yaml` reports no error and no warning.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { readYamlFast } from '../../src/rules/yaml-fast.js';
import { UPSTREAM_RULES_DIR } from '../helpers/upstream.js';

type Outcome = 'read' | 'declined';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UPSTREAM_DIR = UPSTREAM_RULES_DIR;
const UPSTREAM_NAMES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];

// ---------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------

function kindOf(node: unknown): string {
  if (node === null || node === undefined) return 'empty';
  if (isScalar(node)) return 'scalar';
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'seq';
  if (isAlias(node)) return 'alias';
  if (isPair(node)) return 'pair';
  return `unknown ${Object.prototype.toString.call(node)}`;
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function rangeOf(node: unknown): readonly unknown[] | undefined {
  const range = (node as { range?: unknown } | null | undefined)?.range;
  return Array.isArray(range) ? range : undefined;
}

/**
 * Runs both readers on `text`. Returns 'declined' when the fast reader declines; otherwise
 * throws on the first difference (with the path into the tree, both values and where in
 * the text), or returns 'read'.
 */
function expectSameTree(text: string): Outcome {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, schema: 'failsafe', uniqueKeys: false });
  const fast = readYamlFast(text);
  if (fast === undefined) return 'declined';

  const where = (offset: unknown): string => {
    if (typeof offset !== 'number') return '';
    const { line, col } = lineCounter.linePos(offset);
    const start = lineCounter.lineStarts[line - 1] ?? 0;
    const end = text.indexOf('\n', start);
    return `\n  at ${line}:${col}: ${JSON.stringify(text.slice(start, end < 0 ? text.length : end))}`;
  };
  // Short texts (hand-written and generated ones) are shown whole; real files by line only.
  const whole = text.length <= 3000 ? `\n  text: ${JSON.stringify(text)}` : '';
  const fail = (at: string, what: string, got: unknown, want: unknown, offset?: unknown): never => {
    throw new Error(`yaml-fast differs from yaml at ${at}: ${what}\n  fast: ${show(got)}\n  yaml: ${show(want)}${where(offset)}${whole}`);
  };

  const problems = docs.flatMap((doc, i) => [
    ...doc.errors.map((e) => `document ${i}: error ${e.code}: ${e.message.split('\n')[0]}`),
    ...doc.warnings.map((w) => `document ${i}: warning ${w.code}: ${w.message.split('\n')[0]}`),
  ]);
  if (problems.length > 0) {
    throw new Error(`yaml-fast read a text that yaml reports problems for:\n  ${problems.join('\n  ')}${whole}`);
  }

  const compare = (at: string, got: unknown, want: unknown): void => {
    const wantKind = kindOf(want);
    const gotKind = kindOf(got);
    const wantStart = rangeOf(want)?.[0];
    if (wantKind !== 'scalar' && wantKind !== 'map' && wantKind !== 'seq' && wantKind !== 'empty') {
      // Aliases and the like have no counterpart in the fast reader's tree: it must decline.
      fail(at, `yaml builds a node of kind ${wantKind} here, so the fast reader should have declined`, gotKind, wantKind, wantStart);
    }
    if (gotKind !== wantKind) fail(at, 'node kind', gotKind, wantKind, wantStart);
    if (wantKind === 'empty') return;
    if (rangeOf(got)?.[0] !== wantStart) fail(at, 'range[0]', rangeOf(got)?.[0], wantStart, wantStart);

    if (isScalar(want) && isScalar(got)) {
      if (typeof got.value !== 'string') fail(at, 'value type', typeof got.value, typeof want.value, wantStart);
      if (got.value !== want.value) fail(at, 'value', got.value, want.value, wantStart);
      if (got.type !== want.type) fail(at, 'type', got.type, want.type, wantStart);
      const wantEnd = rangeOf(want)?.[1];
      if (rangeOf(got)?.[1] !== wantEnd) fail(at, 'range[1]', rangeOf(got)?.[1], wantEnd, wantEnd);
    } else if (isSeq(want) && isSeq(got)) {
      if (got.items.length !== want.items.length) fail(at, 'sequence length', got.items.length, want.items.length, wantStart);
      want.items.forEach((item, i) => {
        compare(`${at}[${i}]`, got.items[i], item);
      });
    } else if (isMap(want) && isMap(got)) {
      if (got.items.length !== want.items.length) fail(at, 'number of pairs', got.items.length, want.items.length, wantStart);
      want.items.forEach((pair, i) => {
        const gotPair: unknown = got.items[i];
        if (!isPair(gotPair)) {
          fail(`${at}{pair ${i}}`, 'not a Pair', kindOf(gotPair), 'pair', wantStart);
          return;
        }
        const key = isScalar(pair.key) ? String(pair.key.value) : `{pair ${i}}`;
        compare(`${at}.<key ${show(key)}>`, gotPair.key, pair.key);
        compare(`${at}.${key}`, gotPair.value, pair.value);
      });
    }
  };

  const wantStarts = lineCounter.lineStarts;
  const gotStarts = fast.lineStarts;
  const firstDiff = wantStarts.findIndex((s, i) => gotStarts[i] !== s);
  if (gotStarts.length !== wantStarts.length || firstDiff >= 0) {
    const i = firstDiff >= 0 ? firstDiff : Math.min(gotStarts.length, wantStarts.length);
    fail(`lineStarts[${i}]`, `lineStarts (${gotStarts.length} vs ${wantStarts.length} lines)`, gotStarts[i], wantStarts[i], wantStarts[i]);
  }
  if (fast.documents.length !== docs.length) fail('documents', 'number of documents', fast.documents.length, docs.length);
  docs.forEach((doc, i) => {
    const got = fast.documents[i]!;
    if (got.errors.length > 0) fail(`doc[${i}]`, 'errors of a read document', got.errors, []);
    compare(`doc[${i}]`, got.contents, doc.contents);
  });
  return 'read';
}

// ---------------------------------------------------------------------------------------
// Real rules files
// ---------------------------------------------------------------------------------------

const upstreamFiles = fg.sync('*.yaml', { cwd: UPSTREAM_DIR, absolute: true }).sort();
const bundledFiles = fg.sync('*', { cwd: path.join(REPO_ROOT, 'rules'), absolute: true, onlyFiles: true }).sort();
const fixtureFiles = fg.sync('**/*.yaml', { cwd: path.join(REPO_ROOT, 'test/fixtures'), absolute: true }).sort();
const rel = (file: string) => path.relative(REPO_ROOT, file);

describe('yaml-fast on real rules files', () => {
  it('finds the upstream, bundled and fixture files', () => {
    expect(upstreamFiles.map((f) => path.basename(f))).toEqual(expect.arrayContaining(UPSTREAM_NAMES));
    expect(bundledFiles.filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);
    expect(fixtureFiles.length).toBeGreaterThan(50);
  });

  // Upstream and bundled files are what the fast path is for: they must not fall back.
  it.each(upstreamFiles.map(rel))('upstream %s: read, same tree', (file) => {
    const outcome = expectSameTree(readFileSync(path.resolve(REPO_ROOT, file), 'utf8'));
    if (UPSTREAM_NAMES.includes(path.basename(file))) expect(outcome).toBe('read');
  });

  it.each(bundledFiles.map(rel))('bundled %s: same tree', (file) => {
    const outcome = expectSameTree(readFileSync(path.resolve(REPO_ROOT, file), 'utf8'));
    if (file.endsWith('.yaml')) expect(outcome).toBe('read');
  });

  it.each(fixtureFiles.map(rel))('fixture %s: same tree or declined', (file) => {
    expectSameTree(readFileSync(path.resolve(REPO_ROOT, file), 'utf8'));
  });
});

// ---------------------------------------------------------------------------------------
// Hand-written edge cases
// ---------------------------------------------------------------------------------------

/** `read: true` for constructs the upstream or bundled files use, which must take the fast path. */
interface Case {
  name: string;
  text: string;
  read?: true;
}

const CASES: Case[] = [
  // What the upstream files are made of.
  { name: 'simple rule', text: '- rule: x\n  condition: a and b\n', read: true },
  {
    name: 'full rule',
    text: '- rule: Some rule\n  desc: d\n  condition: evt.type = open\n  output: file=%fd.name\n  priority: WARNING\n  tags: [host, T1546.004]\n',
    read: true,
  },
  { name: 'folded block scalar', text: '- rule: x\n  desc: >\n    some text\n    more text\n  priority: INFO\n', read: true },
  { name: 'folded block scalar at EOF', text: '- macro: m\n  condition: >\n    a\n    and b\n', read: true },
  { name: 'flow list', text: '- list: l\n  items: [ash, bash, csh]\n', read: true },
  { name: 'empty flow list', text: '- list: l\n  items: []\n', read: true },
  { name: 'flow list over lines', text: '- list: l\n  items: [\n    a, b,\n    c, d\n    ]\n', read: true },
  { name: 'flow list with quoted items', text: `- list: l\n  items: ['"10.0.0.0/8"', "a.b", '"sh -c \\"x\\" ''y''"', "[", seq]\n`, read: true },
  { name: 'flow list of double-quoted items without spaces', text: '- list: l\n  items: [\n      "a.org","b.com",\n      "c.net"\n    ]\n', read: true },
  { name: 'plain scalar on the next line', text: '- rule: x\n  priority:\n    WARNING\n', read: true },
  {
    name: 'multi-line plain scalar',
    text: '- macro: m\n  condition:\n    (k8s.ns.name = kube-system\n    and container.image.repository = gke.gcr.io/x)\n',
    read: true,
  },
  { name: 'multi-line plain scalar after the key', text: '- macro: m\n  condition: a\n    and b\n      and c\n', read: true },
  {
    name: 'comment lines and empty lines between items',
    text: '# header\n\n- macro: a\n  condition: x\n\n# - macro: b\n#   condition: y\n\n- macro: c\n  condition: z\n',
    read: true,
  },
  { name: 'nested block sequence of maps', text: '- required_plugin_versions:\n    - name: container\n      version: 0.4.0\n', read: true },
  { name: 'required_engine_version', text: '- required_engine_version: 0.57.0\n', read: true },
  { name: 'override map', text: '- rule: r\n  priority: WARNING\n  override:\n    priority: replace\n', read: true },
  {
    name: 'plain scalar with colon, hash, quotes',
    text: `- macro: m\n  condition: fd.typechar='f' and proc.cmdline startswith "sh -c x" and a:b and x#y\n`,
    read: true,
  },

  // Block scalars.
  { name: 'literal block scalar', text: '- rule: x\n  desc: |\n    line 1\n    line 2\n' },
  ...['>', '|'].flatMap((style) =>
    ['', '-', '+'].map((chomp) => ({
      name: `${style}${chomp} with leading, interior and trailing empty lines`,
      text: `- rule: x\n  desc: ${style}${chomp}\n\n    a\n    b\n\n\n    c\n\n\n  priority: INFO\n`,
    })),
  ),
  ...['>', '|'].flatMap((style) =>
    ['', '-', '+'].map((chomp) => ({
      name: `${style}${chomp} at EOF with trailing empty lines`,
      text: `- rule: x\n  desc: ${style}${chomp}\n    a\n    b\n\n\n`,
    })),
  ),
  ...['>', '|'].flatMap((style) =>
    ['', '-', '+'].map((chomp) => ({
      name: `${style}${chomp} at EOF without final newline`,
      text: `- rule: x\n  desc: ${style}${chomp}\n    a\n    b`,
    })),
  ),
  { name: 'folded with more-indented lines', text: '- rule: x\n  desc: >\n    a\n      more\n      indented\n    b\n\n      c\n    d\n' },
  { name: 'folded with more-indented first line', text: '- rule: x\n  desc: >\n      a\n    b\n' },
  { name: 'folded with tab-led line', text: '- rule: x\n  desc: >\n    a\n    \tb\n    c\n' },
  { name: 'block scalar with whitespace-only lines', text: '- rule: x\n  desc: >\n    a\n  \n      \n    b\n' },
  { name: 'block scalar with header comment', text: '- rule: x\n  desc: > # note\n    a\n' },
  { name: 'block scalar with indentation indicator', text: '- rule: x\n  desc: >2\n      a\n    b\n' },
  { name: 'block scalar containing #', text: '- rule: x\n  desc: >\n    a # not a comment\n    # also text\n  # a comment\n  priority: INFO\n' },
  { name: 'empty block scalar', text: '- rule: x\n  desc: >\n  priority: INFO\n' },
  { name: 'empty block scalar at EOF', text: '- rule: x\n  desc: |-' },
  { name: 'block scalar with only empty lines', text: '- rule: x\n  desc: |+\n\n\n  priority: INFO\n' },
  { name: 'block scalar, 4-space indentation', text: '-   rule: x\n    desc: >\n        a\n        b\n' },
  { name: 'block scalar as sequence item', text: '- >\n  a\n  b\n- |\n  c\n' },

  // Plain and quoted scalars.
  { name: 'multi-line plain with empty lines', text: '- macro: m\n  condition: a\n\n    b\n\n\n    c\n' },
  { name: 'multi-line plain with whitespace-only line', text: '- macro: m\n  condition: a\n      \n    b\n' },
  { name: 'multi-line plain ending at EOF without newline', text: '- macro: m\n  condition: a\n    b' },
  { name: 'plain with trailing spaces', text: '- macro: m   \n  condition: a and b   \n' },
  { name: 'values with comments after them', text: '- macro: m # the macro\n  condition: a and b # why\n  items: [a, b] # list\n  desc: "q" # quoted\n' },
  { name: 'comment after a multi-line plain', text: '- macro: m\n  condition: a\n    b # end\n' },
  { name: 'comment between plain lines', text: '- macro: m\n  condition: a\n    # c\n    b\n' },
  { name: 'key with empty value', text: '- rule: x\n  desc:\n  priority: INFO\n' },
  { name: 'key with empty value and comment', text: '- rule: x\n  desc: # nothing\n  priority: INFO\n' },
  { name: 'key with empty value at EOF', text: '- rule: x\n  desc:' },
  { name: 'key with dashes', text: '- rule: x\n  skip-if-unknown-filter: true\n' },
  { name: 'colon followed by space inside a value (invalid)', text: '- rule: x\n  condition: a:b and c: d\n' },
  { name: 'colons in plain', text: '- rule: x\n  output: t="%evt.time" a=b:c http://x/y\n' },
  { name: 'colon at end of a plain continuation', text: '- rule: x\n  condition: a\n    b:\n' },
  { name: 'hash not preceded by space', text: '- rule: x\n  condition: a#b c#d\n' },
  { name: 'quotes inside plain', text: `- rule: x\n  condition: proc.name="a b" and fd.name='c'\n  output: it's "here"\n` },
  { name: 'single-quoted with doubled quote', text: `- rule: 'it''s'\n  desc: 'a "b" c'\n` },
  { name: 'double-quoted with escapes', text: '- rule: "a \\"b\\" c"\n  desc: "tab\\there \\\\ \\u00e9 \\x41"\n' },
  { name: 'multi-line double-quoted', text: '- rule: x\n  desc: "a\n    b\n\n    c"\n' },
  { name: 'multi-line single-quoted', text: `- rule: x\n  desc: 'a\n    b'\n` },
  { name: 'double-quoted with escaped line break', text: '- rule: x\n  desc: "a\\\n    b"\n' },
  { name: 'quoted keys', text: `- "rule": x\n  'desc': y\n` },
  { name: 'plain starting with indicators', text: '- rule: -x\n  desc: ?y\n  output: :z\n' },
  { name: 'plain starting with %', text: '- rule: x\n  output: %proc.name\n' },
  { name: 'plain starting with @ or backtick', text: '- rule: x\n  output: @x\n' },
  { name: 'plain null-like and bool-like values', text: '- rule: ~\n  enabled: false\n  append: yes\n  desc: null\n' },

  // Sequences and maps.
  { name: 'indentless sequence', text: '- list: l\n  items:\n  - a\n  - b\n' },
  { name: 'indented block sequence', text: '- list: l\n  items:\n    - a\n    - "b"\n' },
  {
    name: 'exceptions',
    text: '- rule: r\n  condition: c\n  exceptions:\n    - name: proc_names\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values: [[a, b], [c, d]]\n    - name: one\n      fields: proc.name\n      values:\n        - [x, y]\n        - [z]\n',
  },
  { name: 'indentless exceptions', text: '- rule: r\n  exceptions:\n  - name: e\n    fields: [a, b]\n    values: [[a, b], [c, d]]\n' },
  { name: 'exception values in block form', text: '- rule: r\n  exceptions:\n    - name: e\n      values:\n        - - a\n          - b\n' },
  { name: 'flow list with comments and trailing comma', text: '- list: l\n  items: [\n    a, # first\n    b,\n    # alone\n    c,\n    ]\n' },
  { name: 'flow list with trailing comma on one line', text: '- list: l\n  items: [a, b,]\n' },
  { name: 'flow list with odd spacing', text: '- list: l\n  items: [ a ,b,  c ]\n' },
  { name: 'empty flow list with space', text: '- list: l\n  items: [ ]\n' },
  {
    name: 'nested flow lists over lines',
    text: '- rule: r\n  exceptions:\n    - name: e\n      values: [\n        [a, b],\n        [c,\n         d], []\n      ]\n',
  },
  { name: 'flow list with multi-word plain items', text: '- list: l\n  items: [a b, c  d, "e f"]\n' },
  { name: 'flow list with colons', text: '- list: l\n  items: [a:b, "c: d", http://x]\n' },
  { name: 'flow list closing at key column', text: '- list: l\n  items: [\n    a\n  ]\n' },
  { name: 'flow list under-indented', text: '- list: l\n  items: [a,\n b]\n' },
  { name: 'flow map', text: '- rule: r\n  override: {condition: append}\n' },
  { name: 'flow map in list', text: '- list: l\n  items: [{a: b}, c]\n' },
  { name: 'sequence item with 3 spaces', text: '-   rule: r\n    desc: d\n' },
  { name: 'sequence indented at top', text: '  - rule: r\n    desc: d\n  - macro: m\n    condition: c\n' },
  { name: 'empty sequence item', text: '-\n- rule: r\n' },
  { name: 'nested sequence on one line', text: '- - a\n  - b\n' },
  { name: 'duplicate keys', text: '- rule: a\n  rule: b\n' },
  { name: 'top-level map', text: 'rule: x\ncondition: y\n' },
  { name: 'top-level scalar', text: 'just text\n' },
  { name: 'top-level flow sequence', text: '[a, b]\n' },
  { name: 'explicit key', text: '- ? rule\n  : x\n' },

  // Layout details.
  { name: 'several spaces after a colon', text: "- rule:   x\n  desc:   'y'\n  items:   [a]\n  output:   >\n    z\n" },
  { name: 'spaces after a colon, value on the next line', text: '- rule:    \n    x\n' },
  { name: 'key without a space after the colon', text: '- rule:x\n- b\n' },
  { name: 'comment between key and value', text: '- rule: x\n  condition:\n    # why\n    a and b\n' },
  { name: 'empty line between key and value', text: '- rule: x\n  condition:\n\n    a and b\n' },
  { name: 'continuation one column right of the key', text: '- rule: x\n  condition: a\n   b\n' },
  { name: 'hash inside quotes of a plain scalar', text: '- rule: x\n  condition: proc.name = "a #b"\n' },
  { name: 'comment glued to a quoted scalar', text: "- rule: 'x'#c\n" },
  { name: 'comment glued to a flow sequence', text: '- rule: [a]#c\n' },
  { name: 'comment glued to a block scalar header', text: '- rule: >#c\n    a\n' },
  { name: 'control and separator characters', text: '- rule: a\u2028b\u0085c\u00a0d\fe\u0000f\u001b\n' },
  { name: 'lone surrogate', text: '- rule: a\ud800b\n' },
  { name: 'trailing spaces in a literal scalar', text: '- rule: x\n  desc: |\n    a  \n    b \n' },
  { name: 'keep chomping before a comment', text: '- rule: x\n  desc: |+\n    a\n\n  # c\n\n  priority: P\n' },
  { name: 'block scalar indented one column', text: '- rule: x\n  desc: >\n   a\n  priority: P\n' },
  { name: 'block sequence item with extra spaces', text: '- rule: x\n  items:\n    - a\n    -   b\n' },
  { name: 'block sequence item on the next line', text: '- rule: x\n  items:\n    - a\n    -\n      b\n' },
  { name: 'multi-line block sequence item', text: '- rule: x\n  items:\n    - a\n     b\n  - c\n' },
  { name: 'flow sequence in a block sequence over lines', text: '- rule: x\n  items:\n    - [a,\n      b]\n    - [c,\n     d]\n' },
  { name: 'flow sequence in a block sequence under-indented', text: '- rule: x\n  items:\n    - [a,\n    b]\n' },
  { name: 'comma on the next line', text: '- list: l\n  items: [a\n    , b]\n' },
  { name: 'comment at column 0 inside a flow sequence', text: '- list: l\n  items: [a,\n# c\n    b]\n' },
  { name: 'outer ] at the key column', text: '- list: l\n  items: [[a],\n  ]\n' },
  { name: 'top-level flow item closed at column 0', text: '- [a,\n]\n' },
  // yaml rejects these (BAD_INDENT): a nested `]` may not go back to the key's column.
  { name: 'nested ] at the key column (invalid)', text: '- list: l\n  items: [[a,\n  ]]\n' },
  { name: 'nested ] at the key column, more items (invalid)', text: '- list: l\n  items: [[a,\n  ], b]\n' },
  { name: 'nested ] at column 0 (invalid)', text: '- [[a,\n]]\n' },
  { name: 'nested ] in exception values (invalid)', text: '- rule: x\n  exceptions:\n    - name: e\n      values: [[a,\n      ]]\n' },
  { name: 'double-quoted with other escapes', text: '- rule: "\\0\\a\\b\\e\\ \\_\\N"\n' },

  // Whole-text matters.
  { name: 'empty file', text: '' },
  { name: 'only newlines', text: '\n\n\n' },
  { name: 'comment-only file', text: '# just a comment\n# and another\n' },
  { name: 'comment-only file without newline', text: '# just a comment' },
  { name: 'no final newline', text: '- rule: x\n  condition: a and b' },
  { name: 'trailing empty lines', text: '- rule: x\n  condition: a and b\n\n\n' },
  { name: 'CRLF line ends', text: '- rule: x\r\n  desc: >\r\n    a\r\n    b\r\n  condition: c\r\n    and d\r\n  tags: [a,\r\n    b]\r\n' },
  { name: 'lone CR', text: '- rule: x\r  desc: y\r' },
  { name: 'tab after colon', text: '- rule:\tx\n  desc: y\n' },
  { name: 'tab inside plain', text: '- rule: x\ty\n' },
  { name: 'tab indentation', text: '- rule: x\n\tdesc: y\n' },
  { name: 'BOM', text: '\uFEFF- rule: x\n  desc: y\n' },
  { name: 'non-ASCII text', text: '- rule: café ☕ 𝄞\n  desc: "ü"\n' },
  { name: 'document start marker', text: '---\n- rule: x\n' },
  { name: 'two documents', text: '- rule: x\n---\n- rule: y\n' },
  { name: 'document end marker', text: '- rule: x\n...\n' },
  { name: 'empty document between markers', text: '---\n---\n- rule: x\n' },
  { name: 'directive', text: '%YAML 1.2\n---\n- rule: x\n' },
  { name: 'anchor and alias', text: '- list: &l l\n  items: [a]\n- list: *l\n' },
  { name: 'anchor only', text: '- list: &l l\n' },
  { name: 'tag', text: '- rule: !!str x\n' },
  { name: 'unknown tag', text: '- rule: !foo x\n' },

  // Invalid YAML: the fast reader must decline (expectSameTree fails if it reads).
  { name: 'bad indentation', text: '- rule: x\n   desc: y\n  priority: z\n' },
  { name: 'bad indentation of continuation', text: '- rule: x\n  desc: y\n condition: z\n' },
  { name: 'unclosed [', text: '- list: l\n  items: [a, b\n' },
  { name: 'unclosed quote', text: '- rule: "x\n' },
  { name: 'unclosed single quote', text: `- rule: 'x\n  desc: y\n` },
  { name: 'stray ]', text: '- list: l\n  items: a]\n ]\n' },
  { name: 'nested mapping in compact value', text: '- rule: a: b\n' },
  { name: 'sequence after map key on same level', text: '- rule: x\n  desc: y\n  - z\n' },
  { name: 'plain starting with flow indicator', text: '- rule: ]x\n' },
  { name: 'text after quoted scalar', text: '- rule: "x" y\n' },
  { name: 'tab-indented block scalar', text: '- rule: x\n  desc: >\n\ta\n' },
];

describe('yaml-fast on hand-written cases', () => {
  it.each(CASES)('$name', ({ text, read }) => {
    const outcome = expectSameTree(text);
    if (read) expect(outcome).toBe('read');
  });
});

// ---------------------------------------------------------------------------------------
// Generated rules-file-like texts
// ---------------------------------------------------------------------------------------

/**
 * What a sample may use beyond the constructs of the upstream and bundled files. Plain
 * samples (no feature) are meant to be read, which keeps the read share meaningful; the
 * others each switch on a few features, so that one the fast reader declines does not
 * hide the rest.
 */
const FEATURES = [
  'traps', // rare words that make the text invalid, or use aliases and tags
  'oddWords', // valid but unusual scalars: `-x`, `:x`, `?x`, `&x a` in a list…
  'comments', // trailing comments, comment lines at any column
  'spaces', // trailing spaces, lines holding only spaces
  'gaps', // empty lines inside values
  'quotes', // quoted scalars over several lines, trailing comments after them
  'chomping', // `|` and `-`/`+` chomping
  'flowLayout', // comments, trailing commas, tabs and odd line breaks in flow sequences
  'indentation', // indentless sequences, `-   key`, an indented top-level sequence
  'oddItems', // top-level items that are not maps
  'lineEnds', // CRLF, no final newline
] as const;
type Feature = (typeof FEATURES)[number];

interface Style {
  on: Record<Feature, boolean>;
  /** Extra indentation of nested content relative to its key. */
  base: 2 | 4;
}

const sp = (n: number) => ' '.repeat(Math.max(0, n));
const weighted = <T>(...choices: [fc.Arbitrary<T>, number][]) => fc.oneof(...choices.map(([arbitrary, weight]) => ({ arbitrary, weight })));
/** `plain`, or `more` when the sample has `feature`. */
const when = <T>(s: Style, feature: Feature, plain: fc.Arbitrary<T>, more: fc.Arbitrary<T>) => (s.on[feature] ? more : plain);
/** `plain`, or now and then `odd` when the sample has `feature`. */
const sometimes = <T>(s: Style, feature: Feature, plain: fc.Arbitrary<T>, odd: fc.Arbitrary<T>, oneIn = 8) =>
  when(s, feature, plain, weighted([plain, oneIn - 1], [odd, 1]));

/** Words that can start a plain scalar (or a continuation line of one). */
const FIRST_WORDS = [
  'evt.type',
  'open',
  'proc.name',
  '(spawned_process',
  'not',
  'container',
  'fd.name',
  '/etc/shadow',
  'Shell',
  'a:b',
  'x=1',
  'user=%user.name',
  'a#b',
  "it's",
  'say"hi"',
  '1.2.3',
  'true',
  '~',
  'WARNING',
  'x-y',
  'a,b',
  'a]b',
  "fd.typechar='f'",
  'http://x/y',
  '(a',
  'T1546.004',
  'x]',
];
/** Words valid after the first one on a line. */
const WORDS = [
  ...FIRST_WORDS,
  '=',
  '!=',
  'in',
  'and',
  'or',
  '(a,',
  'b)',
  '-',
  '>',
  '|',
  '%proc.name',
  '*',
  '&x',
  '!x',
  '?',
  '[b]',
  '{a}',
  "''",
  '""',
  '"a b"',
  "'c'",
  'startswith',
  'pmatch',
  '(/tmp,',
  '/var)',
  '`x`',
  '@x',
  ',',
  '- x',
  '? x',
  '...',
  '---',
  'café',
  '𝄞',
  '"a',
  'b"',
  '\\',
];
/** Valid but unusual first words of a value. */
const ODD_VALUE_STARTS = ['-x', ':x', '?x', '--x', ':::x'];
/** Words that are valid YAML at the start of a continuation line, but unusual there. */
const ODD_LINE_STARTS = [
  ...ODD_VALUE_STARTS,
  '- x',
  '? x',
  '-',
  '?',
  '*',
  '&x',
  '!x',
  '%proc.name',
  '@x',
  '`x`',
  '|',
  '>',
  '[b]',
  "'c' d",
  '"a b" c',
  ',',
  '---',
  '...',
];
/** Words that make the text invalid, or not what a rules file means (aliases, tags). */
const TRAP_WORDS = ['x: y', 'a:', '#c', '[a', '{a', '"q" z', '*a', '&a b', '!t x', '%x', '@x', '|', '>', "'q' z", '- x', 'a :b'];
const FLOW_WORDS = [
  'a',
  'bash',
  'evt.type',
  '/usr/bin/x',
  'mitre_persistence',
  'T1546.004',
  '"q, x"',
  "'it''s'",
  '"sh -c \\"x\\""',
  `'"10.0.0.0/8"'`,
  'a b',
  'x.y',
  '=',
  'in',
  'a:b',
  '"# not a comment"',
  'a#b',
  '"["',
  'dnf-automatic',
  '""',
  "''",
];
/** Valid flow items that rules files rarely have. */
const ODD_FLOW_WORDS = ['-x', ':x', '?x', 'a:', '&x a', '!!str x', '~', '"\\u00e9"', '"a\\\\b"', '"\\/"', 'a\\b'];
const TRAP_FLOW_WORDS = ['x: y', '{a: b}', '*x', '#c', '"a" b', '?', 'a :b'];
const KEYS = [
  'rule',
  'macro',
  'list',
  'condition',
  'output',
  'desc',
  'priority',
  'tags',
  'items',
  'enabled',
  'exceptions',
  'append',
  'override',
  'required_engine_version',
] as const;
type Key = (typeof KEYS)[number];

/** A sample draws dozens of words: traps stay rare so that most samples remain valid. */
const withTraps = <T>(s: Style, good: fc.Arbitrary<T>, trap: fc.Arbitrary<T>) => sometimes(s, 'traps', good, trap, 150);

const firstWord = (s: Style) => withTraps(s, fc.constantFrom(...FIRST_WORDS), fc.constantFrom(...TRAP_WORDS));
const word = (s: Style) => withTraps(s, fc.constantFrom(...WORDS), fc.constantFrom(...TRAP_WORDS));
const valueStart = (s: Style) => sometimes(s, 'oddWords', firstWord(s), fc.constantFrom(...ODD_VALUE_STARTS));
const lineStart = (s: Style) => sometimes(s, 'oddWords', firstWord(s), fc.constantFrom(...ODD_LINE_STARTS));
const words = (s: Style, start = valueStart(s)) => fc.tuple(start, fc.array(word(s), { maxLength: 5 })).map(([w, ws]) => [w, ...ws].join(' '));
const flowWord = (s: Style) =>
  withTraps(s, sometimes(s, 'oddWords', fc.constantFrom(...FLOW_WORDS), fc.constantFrom(...ODD_FLOW_WORDS)), fc.constantFrom(...TRAP_FLOW_WORDS));

/** A trailing comment after a value, or nothing. */
const trailingComment = (s: Style) => sometimes(s, 'comments', fc.constant(''), fc.constantFrom(' # note', '   #note: x', ' # [a, b]', ' #'), 5);

/** Up to `max` empty lines; some hold up to `maxSpaces` spaces. */
const emptyLines = (s: Style, max: number, maxSpaces = 6) =>
  fc
    .array(sometimes(s, 'spaces', fc.constant(''), fc.integer({ min: 1, max: Math.max(1, maxSpaces) }).map(sp), 4), { maxLength: max })
    .map((ls) => ls.map((l) => `${l}\n`).join(''));

/** What may come between entries: nothing, empty lines, comment lines. */
const interlude = (s: Style) =>
  weighted(
    [fc.constant(''), 6],
    [emptyLines(s, 2), 2],
    [
      fc
        .array(
          fc.tuple(when(s, 'comments', fc.constant(0), fc.integer({ min: 0, max: 6 })), fc.constantFrom('# comment', '#', '# - macro: x', '#   condition: y')),
          { minLength: 1, maxLength: 3 },
        )
        .map((cs) => cs.map(([n, c]) => `${sp(n)}${c}\n`).join('')),
      1,
    ],
  );

/** The rest of a `key:` line and the lines after it, for a key at column `col`. */
type ValueArb = (col: number, s: Style) => fc.Arbitrary<string>;

const singleQuoted = fc
  .array(fc.constantFrom('a', ' ', "''", '"', '\\', '#', ': ', ' # ', 'evt.type = x', '[', ','), { maxLength: 8 })
  .map((ps) => `'${ps.join('')}'`);
const doubleQuoted = fc
  .array(fc.constantFrom('a', ' ', '\\"', '\\\\', "'", '#', ': ', ' # ', '\\t', '\\n', '\\/', 'proc.name', ']', ',', 'é'), { maxLength: 8 })
  .map((ps) => `"${ps.join('')}"`);
const quoted = fc.oneof(singleQuoted, doubleQuoted);

/** A plain scalar, on the key's line or the next, maybe continued on more lines. */
const plainValue: ValueArb = (col, s) => {
  const ind = col + s.base;
  // Continuation lines may start anywhere right of the key's column.
  const shift = fc.integer({ min: 1 - s.base, max: 3 });
  return fc
    .record({
      onKeyLine: fc.boolean(),
      // Empty or comment lines before a value on the next line.
      between: fc.oneof(
        sometimes(s, 'gaps', fc.constant(''), emptyLines(s, 2), 4),
        sometimes(s, 'comments', fc.constant(''), fc.constant(`${sp(ind)}# c\n`), 4),
      ),
      first: words(s),
      rest: fc.array(fc.tuple(when(s, 'gaps', fc.constant(''), emptyLines(s, 2)), shift, words(s, lineStart(s))), { maxLength: 3 }),
      extra: shift,
      comment: trailingComment(s),
    })
    .map(({ onKeyLine, between, first, rest, extra, comment }) => {
      const head = onKeyLine ? ` ${first}` : `\n${between}${sp(ind + extra)}${first}`;
      return `${head}${rest.map(([empty, more, ws]) => `\n${empty}${sp(ind + more)}${ws}`).join('')}${comment}\n`;
    });
};

const quotedValue: ValueArb = (col, s) =>
  sometimes(
    s,
    'quotes',
    fc.tuple(quoted, trailingComment(s)).map(([q, c]) => ` ${q}${c}\n`),
    // A quoted scalar broken over lines.
    fc
      .tuple(fc.constantFrom('"', "'"), words(s), emptyLines(s, 1), words(s))
      .map(([q, a, e, b]) => ` ${q}${a.replaceAll(q, '')}\n${e}${sp(col + s.base)}${b.replaceAll(q, '')}${q}\n`),
    3,
  );

/** A block scalar: `>`, or `>`/`|` with any chomping. */
const blockValue: ValueArb = (col, s) => {
  const ind = col + s.base;
  return fc
    .record({
      style: when(s, 'chomping', fc.constant('>'), fc.constantFrom('>', '|')),
      chomp: when(s, 'chomping', fc.constant(''), fc.constantFrom('', '-', '+')),
      header: trailingComment(s),
      // Leading empty lines with more spaces than the content need an indentation indicator.
      leading: when(s, 'gaps', fc.constant(''), emptyLines(s, 2, ind)),
      first: words(s, lineStart(s)),
      lines: fc.array(
        weighted(
          [fc.tuple(fc.constantFrom(0, 0, 0, 0, 1, 2, 4), words(s, lineStart(s))).map(([extra, ws]) => `${sp(ind + extra)}${ws}\n`), 5],
          [emptyLines(s, 2), 1],
        ),
        { maxLength: 5 },
      ),
      trailing: emptyLines(s, 2),
    })
    .map(
      ({ style, chomp, header, leading, first, lines, trailing }) => ` ${style}${chomp}${header}\n${leading}${sp(ind)}${first}\n${lines.join('')}${trailing}`,
    );
};

/** A flow sequence, possibly nested; each gap holds a layout choice (see renderFlow). */
interface Flow {
  items: (string | Flow)[];
  trailingComma: boolean;
  /** Layout before each item. */
  gaps: number[];
  /** Layout before the closing bracket. */
  closeGap: number;
  /** Layout before each comma. */
  commaGaps: number[];
}

const flowArb = (s: Style): fc.Arbitrary<Flow> => {
  const layout = when(s, 'flowLayout', fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 9 }));
  return fc.letrec<{ flow: Flow }>((tie) => ({
    flow: fc.record({
      items: fc.array(
        // At most three levels: [[[a]]].
        fc.oneof({ maxDepth: 2, depthIdentifier: 'flow' }, { arbitrary: flowWord(s), weight: 6 }, { arbitrary: tie('flow'), weight: 1 }),
        { maxLength: 5 },
      ),
      trailingComma: when(s, 'flowLayout', fc.constant(false), fc.boolean()),
      gaps: fc.array(layout, { minLength: 7, maxLength: 7 }),
      // Layout 10, a line break back to the key's column, is valid only before the outermost `]`.
      closeGap: sometimes(s, 'flowLayout', layout, fc.constant(10), 2),
      commaGaps: when(s, 'flowLayout', fc.constant([]), fc.array(sometimes(s, 'flowLayout', fc.constant(0), layout, 6), { minLength: 7, maxLength: 7 })),
    }),
  })).flow;
};

/** `ind`: where continuation lines go; `keyCol`: the column of the enclosing block collection. */
function renderFlow(flow: Flow, ind: number, keyCol: number): string {
  const layout = (g: number) => {
    if (g <= 2) return sp(g % 2); // '' or ' '
    if (g <= 4) return `\n${sp(ind + g - 3)}`; // a line break, continuing at ind or ind + 1
    if (g === 5) return ` # c\n${sp(ind)}`;
    if (g === 6) return `\n${sp(ind)}# alone\n${sp(ind)}`;
    if (g === 7) return `\n\n${sp(ind + 2)}`;
    if (g === 8) return `  `;
    if (g === 9) return `\t`;
    return `\n${sp(keyCol)}`;
  };
  const gap = (i: number) => layout(flow.gaps[i % flow.gaps.length]!);
  const beforeComma = (i: number) => (flow.commaGaps.length > 0 ? layout(flow.commaGaps[i % flow.commaGaps.length]!) : '');
  const parts = flow.items.map((item, i) => `${gap(i)}${typeof item === 'string' ? item : renderFlow(item, ind + 1, keyCol)}`);
  const comma = flow.trailingComma && parts.length > 0 ? `${beforeComma(parts.length - 1)},` : '';
  return `[${parts.map((part, i) => (i === 0 ? part : `${beforeComma(i - 1)},${part}`)).join('')}${comma}${layout(flow.closeGap)}]`;
}

const flowValue: ValueArb = (col, s) =>
  fc.tuple(flowArb(s), fc.boolean(), trailingComment(s)).map(([flow, nextLine, c]) => {
    const ind = col + s.base;
    return `${nextLine ? `\n${sp(ind)}` : ' '}${renderFlow(flow, ind, col)}${c}\n`;
  });

/** Where a block sequence under a key at `col` puts its dashes: indented, or indentless. */
const seqIndent = (col: number, s: Style) => sometimes(s, 'indentation', fc.constant(col + s.base), fc.constant(col), 3);
/** Spaces between a dash and the item's first key. */
const afterDash = (s: Style) => sometimes(s, 'indentation', fc.constant(1), fc.constant(3), 3);

const blockSeqValue: ValueArb = (col, s) =>
  fc
    .tuple(seqIndent(col, s), fc.array(fc.tuple(interlude(s), weighted([flowWord(s), 4], [quoted, 1]), trailingComment(s)), { minLength: 1, maxLength: 4 }))
    .map(([ind, items]) => `\n${items.map(([pre, v, c]) => `${pre}${sp(ind)}- ${v}${c}\n`).join('')}`);

const listValue: ValueArb = (col, s) => weighted([flowValue(col, s), 3], [blockSeqValue(col, s), 1]);

/** `values:` of an exception: nested flow sequences, or a block sequence of them. */
const exceptionValues: ValueArb = (col, s) =>
  weighted(
    [flowValue(col, s), 3],
    [
      fc
        .tuple(seqIndent(col, s), fc.array(flowArb(s), { minLength: 1, maxLength: 3 }))
        .map(([ind, flows]) => `\n${flows.map((f) => `${sp(ind)}- ${renderFlow(f, ind + 2, ind)}\n`).join('')}`),
      1,
    ],
  );

/** A block map whose keys are at `col`; the first key goes on a line the caller started. */
function mapLines(col: number, s: Style, entries: fc.Arbitrary<readonly [string, string]>[]): fc.Arbitrary<string> {
  return fc
    .tuple(...entries.map((e) => fc.tuple(interlude(s), e)))
    .map((pairs) => pairs.map(([pre, [key, value]], i) => (i === 0 ? `${key}:${value}` : `${pre}${sp(col)}${key}:${value}`)).join(''));
}

const exceptionsValue: ValueArb = (col, s) =>
  fc.tuple(seqIndent(col, s), afterDash(s), fc.integer({ min: 1, max: 3 })).chain(([ind, after, count]) => {
    const keyCol = ind + 1 + after;
    const item = mapLines(keyCol, s, [
      fc.tuple(fc.constant('name'), fc.constantFrom(' proc_names\n', ' e1\n', " 'quoted'\n")),
      fc.tuple(fc.constant('fields'), fc.oneof(listValue(keyCol, s), fc.constant(' proc.name\n'))),
      fc.tuple(fc.constant('comps'), fc.oneof(flowValue(keyCol, s), fc.constant(' =\n'))),
      fc.tuple(fc.constant('values'), exceptionValues(keyCol, s)),
    ]).map((m) => `${sp(ind)}-${sp(after)}${m}`);
    return fc.array(item, { minLength: count, maxLength: count }).map((items) => `\n${items.join('')}`);
  });

const overrideValue: ValueArb = (col, s) =>
  fc
    .array(fc.tuple(interlude(s), fc.constantFrom('condition', 'output', 'exceptions', 'priority'), fc.constantFrom('append', 'replace')), {
      minLength: 1,
      maxLength: 3,
    })
    .map((es) => `\n${es.map(([pre, k, v]) => `${pre}${sp(col + s.base)}${k}: ${v}\n`).join('')}`);

const emptyValue: ValueArb = (_col, s) =>
  fc.oneof(sometimes(s, 'spaces', fc.constant('\n'), fc.constant(' \n'), 2), sometimes(s, 'comments', fc.constant('\n'), fc.constant(' # nothing\n'), 2));
const boolValue: ValueArb = (_col, s) => fc.tuple(fc.constantFrom('true', 'false'), trailingComment(s)).map(([b, c]) => ` ${b}${c}\n`);
const textValue: ValueArb = (col, s) => weighted([plainValue(col, s), 4], [blockValue(col, s), 3], [quotedValue(col, s), 1], [emptyValue(col, s), 1]);

function valueFor(key: Key, col: number, s: Style): fc.Arbitrary<string> {
  const usual = (() => {
    switch (key) {
      case 'tags':
      case 'items':
        return listValue(col, s);
      case 'exceptions':
        return exceptionsValue(col, s);
      case 'override':
        return overrideValue(col, s);
      case 'enabled':
      case 'append':
        return boolValue(col, s);
      case 'required_engine_version':
        return fc.constantFrom(' 0.31.0\n', " '0.31.0'\n", ' 10\n');
      default:
        return textValue(col, s);
    }
  })();
  // Now and then any kind of value under any key.
  return weighted([usual, 8], [textValue(col, s), 1], [listValue(col, s), 1]);
}

/** One top-level item: `- key: value`, then more keys at the first key's column. */
const mapItem = (top: number, s: Style) =>
  fc.tuple(afterDash(s), fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 6 })).chain(([after, keys]) => {
    const col = top + 1 + after;
    return mapLines(
      col,
      s,
      keys.map((k) => fc.tuple(fc.constant(k), valueFor(k, col, s))),
    ).map((m) => `${sp(top)}-${sp(after)}${m}`);
  });

/** An item that is not a map: not a rules item, but YAML all the same. */
const otherItem = (top: number, s: Style) => fc.oneof(textValue(top, s), flowValue(top, s)).map((v) => `${sp(top)}-${v}`);

/** Half the samples are plain; the others have each feature with probability 1/3. */
const styleArb: fc.Arbitrary<Style> = fc.record({
  on: weighted(
    [fc.constant(Object.fromEntries(FEATURES.map((f) => [f, false])) as Record<Feature, boolean>), 1],
    [
      fc.record(
        Object.fromEntries(FEATURES.map((f) => [f, weighted([fc.constant(false), 2], [fc.constant(true), 1])])) as Record<Feature, fc.Arbitrary<boolean>>,
      ),
      1,
    ],
  ),
  base: fc.constantFrom<2 | 4>(2, 4),
});

const rulesText = (s: Style) =>
  fc
    .record({
      head: interlude(s),
      top: sometimes(s, 'indentation', fc.constant(0), fc.constant(2), 4),
      count: fc.integer({ min: 1, max: 4 }),
      tail: emptyLines(s, 3),
      noFinalNewline: when(s, 'lineEnds', fc.constant(false), fc.boolean()),
      crlf: when(s, 'lineEnds', fc.constant(false), fc.boolean()),
      // Trailing spaces on every n-th line.
      spacesEvery: sometimes(s, 'spaces', fc.constant(0), fc.integer({ min: 1, max: 4 }), 3),
    })
    .chain((f) =>
      fc
        .array(fc.tuple(interlude(s), sometimes(s, 'oddItems', mapItem(f.top, s), otherItem(f.top, s), 4)), { minLength: f.count, maxLength: f.count })
        .map((items) => {
          let text = `${f.head}${items.map(([pre, item]) => `${pre}${item}`).join('')}${f.tail}`;
          if (f.spacesEvery > 0)
            text = text
              .split('\n')
              .map((l, i) => (i % f.spacesEvery === 0 ? `${l}  ` : l))
              .join('\n');
          if (f.noFinalNewline) text = text.replace(/\n *$/, '');
          return f.crlf ? text.replaceAll('\n', '\r\n') : text;
        }),
    );

/** A whole file, and whether it is plain (uses no feature). */
const rulesFile = styleArb.chain((s) => rulesText(s).map((text) => ({ text, plain: FEATURES.every((f) => !s.on[f]) })));

describe('yaml-fast on generated rules-file-like texts', () => {
  it('reads them as yaml does, or declines', () => {
    const counts = { plain: { read: 0, declined: 0 }, featured: { read: 0, declined: 0 } };
    fc.assert(
      fc.property(rulesFile, ({ text, plain }) => {
        counts[plain ? 'plain' : 'featured'][expectSameTree(text)]++;
      }),
      { numRuns: 300 },
    );
    // A reader that declines everything passes the property: about half of these texts
    // keep to the upstream files' constructs and should all take the fast path.
    const read = counts.plain.read + counts.featured.read;
    const total = read + counts.plain.declined + counts.featured.declined;
    expect(read / total, `read ${read} of ${total} generated texts: ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(0.5);
  });

  // The same values alone in a small rule, with one feature at a time: a feature the
  // reader handles is then read (and checked) far more often than inside a whole file.
  const FOCUS: Feature[] = ['comments', 'spaces', 'gaps', 'quotes', 'chomping', 'flowLayout', 'indentation'];
  const focused = fc
    .record({ feature: fc.constantFrom(...FOCUS), base: fc.constantFrom<2 | 4>(2, 4) })
    .map(({ feature, base }): Style => ({ on: Object.fromEntries(FEATURES.map((f) => [f, f === feature])) as Record<Feature, boolean>, base }))
    .chain((s) =>
      fc
        .tuple(fc.constantFrom<Key>('condition', 'items', 'exceptions', 'desc'), fc.boolean())
        .chain(([key, last]) => valueFor(key, 2, s).map((value) => `- rule: r\n  ${key}:${value}${last ? '' : '  priority: INFO\n'}`)),
    );

  it('reads single values as yaml does, or declines', () => {
    let read = 0;
    fc.assert(
      fc.property(focused, (text) => {
        if (expectSameTree(text) === 'read') read++;
      }),
      { numRuns: 500 },
    );
    expect(read, `read ${read} of 500 single values`).toBeGreaterThanOrEqual(250);
  });
});
