// Compares kestrel's condition parser with libsinsp's own (built by
// scripts/libsinsp-parser-oracle.sh): acceptance, the error message, and (reported apart,
// since kestrel points at the offending token) the position. The conditions are the corpus
// of test/parser/corpus.test.ts and generated ones: grammar-shaped conditions with a few
// character edits, and soups of fragments libsinsp reads in unusual ways. Each is tried at
// several depth limits, which checks the depth accounting too.
//
//   npm run build && node scripts/parser-differential.mjs ORACLE [COUNT] [SEED]
//
// Exit status 1 when acceptance or a message differs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseCondition } from '../dist/src/parser/index.js';

const [oracle, countArg, seedArg] = process.argv.slice(2);
if (!oracle) {
  console.error('usage: node scripts/parser-differential.mjs ORACLE [COUNT] [SEED]');
  process.exit(2);
}
const count = Number(countArg ?? 20000);
let seed = Number(seedArg ?? 1);

/** mulberry32 */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];

// ---- conditions ----------------------------------------------------------------------------

function corpus() {
  const source = readFileSync(new URL('../test/parser/corpus.test.ts', import.meta.url), 'utf8');
  const table = (name) => {
    const start = source.indexOf('= [', source.indexOf(`const ${name}`)) + 2;
    const end = source.indexOf('];\n', start) + 1;
    // The tables are literals, with a few message constants and helpers that do not matter here.
    const helpers =
      'const trailing = () => 0, blankAfter = () => 0;' +
      [
        'OPERATOR',
        'STRING_OR_TRANSFORMER',
        'NUMBER_OR_TRANSFORMER',
        'LIST_OR_TRANSFORMER',
        'CHECK',
        'CLOSE_PAREN',
        'CLOSE_TRANSFORMER',
        'CLOSE_BRACKET',
        'FIELD_ARGUMENT',
        'TRANSFORMER_ARGUMENT',
        'TRANSFORMER_LIST_ARGUMENT',
      ]
        .map((n) => `const ${n} = 0;`)
        .join('');
    return new Function(`${helpers} return ${source.slice(start, end)};`)().map((row) => row[0]);
  };
  return [...table('accepted'), ...table('rejected')];
}

const FIELDS = ['evt.type', 'proc.name', 'proc.pid', 'proc.aname[2]', 'fd.name', 'k8s.pod.label["a b"]', 'x.y[a(b)=c]', 'proc.aname[/x]'];
const transformer = () =>
  pick(['tolower', 'toupper', 'len', 'b64', 'basename', 'concat', 'join', 'getopt', 'val']) +
  '(' +
  pick([pick(FIELDS), '"s"', '1', '(proc.name, "x")', 'tolower(proc.name)', `${pick(FIELDS)}, ${pick(FIELDS)}`]) +
  ')' +
  (random() < 0.1 ? '[x]' : '');
const value = () =>
  pick([
    'open',
    '"a b"',
    "'x'",
    '10',
    '0x1F',
    '1.5',
    '-3',
    '1e+5',
    '/usr/bin/*',
    'a!b',
    '[x]',
    'and',
    'or',
    'oneof',
    'val',
    '"\\x41"',
    '"a\\\\b"',
    '*',
    transformer(),
  ]);
const list = () => `(${Array.from({ length: Math.floor(random() * 3) }, value).join(pick([', ', ',', ' ,']))})`;

function check(depth) {
  const r = random();
  if (depth < 3 && r < 0.15) return `(${expression(depth + 1)})`;
  if (r < 0.25) return pick(['a', 'spawned_process', 'mac1', 'not', 'and', 'in']);
  const left = random() < 0.8 ? pick(FIELDS) : transformer();
  const op = pick([
    '=',
    '==',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    'exists',
    'in',
    'intersects',
    'pmatch',
    'contains',
    'startswith',
    'glob',
    'regex',
    'endswith',
    'icontains',
    'bcontains',
  ]);
  if (op === 'exists') return `${left} exists`;
  if (['in', 'intersects', 'pmatch'].includes(op)) return left + pick([' ', '']) + op + pick([' ', '']) + pick([list(), 'my_list', transformer()]);
  if (random() < 0.2) return `${left} ${op} ${pick(['oneof', 'anyof', 'allof'])} ${pick([list(), 'my_list'])}`;
  return left + pick([' ', '']) + op + (/[a-z]/.test(op) ? ' ' : pick([' ', ''])) + value();
}
const negated = (depth) => (random() < 0.2 ? pick(['not ', 'not(', 'not not ']) : '') + check(depth);
function expression(depth) {
  let text = negated(depth);
  const more = Math.floor(random() * 3);
  for (let i = 0; i < more; i++) text += pick([' and ', ' or ', '\nand ', ' and(']) + negated(depth);
  const open = (text.match(/\(/g) ?? []).length - (text.match(/\)/g) ?? []).length;
  return text + ')'.repeat(Math.max(0, open));
}
function edit(text) {
  const i = Math.floor(random() * (text.length + 1));
  const r = random();
  if (r < 0.3) return text.slice(0, i) + text.slice(i + 1);
  if (r < 0.6) return text.slice(0, i) + pick([' ', '(', ')', '"', "'", ',', 'x', '1', '.', '[', ']', '=', '\\', 'and', 'or ', '\b', '\f']) + text.slice(i);
  if (r < 0.8) return text.replace(/ /, '');
  return text;
}

// Fragments libsinsp reads as prefixes, control characters, escapes.
const FRAGMENTS = [
  'proc.pid > ',
  'proc.name = ',
  'evt.type in ',
  'x.y ',
  'x.y[\b',
  'x.y[a\b',
  '\b]',
  'a',
  'not',
  'not\b',
  'not\f',
  'not\v',
  '\b',
  '\f',
  '\v',
  '10and',
  '10or',
  '1e+5x',
  '0x1Gz',
  '1.2.3',
  'existsx',
  'exists',
  'andx',
  'orx',
  'and',
  'or',
  'inx',
  'in-x',
  'intolower(',
  'toupper(',
  'val(',
  'a.b',
  'a.b.',
  'a-b',
  'my_mac',
  '(',
  ')',
  ',',
  '"a\\q"',
  '"\\x4"',
  '"\\x4G"',
  "'a\\\"'",
  '"ok"',
  '<=',
  '>=',
  '!=',
  '<',
  '>',
  '!',
  '=',
  '==',
  'oneof',
  'anyof',
  '[',
  ']',
  '[x]',
  '"',
  "'",
  '*',
  '/x',
  'a<=b',
  'a!=b',
  '1',
  '-1',
  '+',
  '.',
  '_',
  'pmatchx',
  'intersectsy',
  'glob',
  'glob(',
  'contains',
  'regex',
];
function soup() {
  let text = '';
  const n = 1 + Math.floor(random() * 8);
  for (let i = 0; i < n; i++) text += (i ? pick([' ', ' ', '', '', '\n', '\t', '\b', '\r\n']) : '') + pick(FRAGMENTS);
  return text;
}
function nested() {
  const n = Math.floor(random() * 30);
  const [open, close, inner] = pick([
    ['(', ')', 'proc.name = a'],
    ['not(', ')', 'a'],
    ['tolower(', ')', 'proc.name'],
    ['(a and ', ')', 'b'],
    ['(', ')', 'proc.name in ()'],
  ]);
  return open.repeat(n) + inner + close.repeat(n) + (open === 'tolower(' ? ' = x' : '');
}

const conditions = [...corpus()];
for (let i = 0; i < count; i++) {
  const kind = random();
  if (kind < 0.45) {
    let text = expression(0);
    for (let e = Math.floor(random() * 3); e > 0; e--) text = edit(text);
    conditions.push(text);
  } else if (kind < 0.9) conditions.push(soup());
  else conditions.push(nested());
}

// ---- comparison ----------------------------------------------------------------------------

let failed = false;
for (const depth of [100, 1000, 12, 9, 7]) {
  const input = `${conditions.join('\0')}\0`;
  const lines = execFileSync(oracle, [String(depth)], { input, maxBuffer: 1 << 28 })
    .toString()
    .split('\n');
  const acceptance = [];
  const messages = [];
  let positions = 0;
  conditions.forEach((condition, i) => {
    const reference = lines[i];
    const kestrel = parseCondition(condition, { maxDepth: depth });
    if ((reference === 'ok') !== kestrel.ok) {
      acceptance.push(
        `${JSON.stringify(condition)}: libsinsp ${reference === 'ok' ? 'accepts' : 'rejects'}, kestrel ${kestrel.ok ? 'accepts' : `rejects (${kestrel.error.message})`}`,
      );
      return;
    }
    if (kestrel.ok) return;
    const [, offset, , , ...rest] = reference.split('\t');
    const message = rest.join('\t').replace(/\\x([0-9a-f]{2})|\\\\/g, (_, hex) => (hex ? String.fromCharCode(parseInt(hex, 16)) : '\\'));
    if (message !== kestrel.error.message) messages.push(`${JSON.stringify(condition)}: libsinsp "${message}", kestrel "${kestrel.error.message}"`);
    else if (Number(offset) !== kestrel.error.position.offset) positions++;
  });
  console.log(
    `depth limit ${depth}: ${conditions.length} conditions, ${acceptance.length} accepted or rejected differently, ${messages.length} with another message, ${positions} at another position`,
  );
  for (const line of [...acceptance, ...messages].slice(0, 20)) console.log(`  ${line}`);
  failed ||= acceptance.length + messages.length > 0;
}
process.exit(failed ? 1 : 0);
