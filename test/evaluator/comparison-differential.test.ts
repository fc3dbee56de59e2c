/**
 * Every operator on every field type, evaluated by the engine's compiled predicates and by
 * the reference evaluator (libsinsp's semantics, written independently of compare.ts), over
 * values of every shape a flat event may hold: well-typed ones, numeric text, 64-bit
 * integers beyond 2^53, IPv4 and IPv6 text, malformed text, arrays, booleans. The engine
 * differential runs the upstream rules; this one reaches each comparison's full test.
 */
import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { parseCondition } from '../../src/parser/index.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';
import { predicate } from '../helpers/evaluate.js';
import { ReferenceEvaluator } from '../helpers/reference.js';

interface Case {
  /** The event key the values go under (or a function building the event). */
  key: string | ((v: unknown) => FlatEvent);
  values: unknown[];
  conditions: string[];
}

const STRINGS: unknown[] = [
  'bash',
  'BASH',
  'Bash',
  '',
  'ba',
  'bash ',
  '/etc',
  '/etc/',
  '/etc/passwd',
  '/etcx/passwd',
  'etc/passwd',
  '//etc//passwd',
  '/usr/lib/x.so',
  'a*b',
  'a.b',
  'xaby',
  '[x]',
  'é',
  // case beyond ASCII: libsinsp folds ASCII letters only
  'É',
  'ÉTC',
  'straße',
  'İx',
  'a\tb',
  'ba\nsh',
  'ba\u0000sh',
  ' bash',
  5,
  0,
  true,
  ['bash'],
  ['zsh', 'BASH'],
  [],
];
const NUMBERS: unknown[] = [
  0,
  5,
  -1,
  4,
  6,
  65535,
  65536,
  4294967295,
  2 ** 53,
  9007199254740993n,
  18446744073709551615n,
  -9223372036854775808n,
  '5',
  ' 5',
  '-1',
  '0x10',
  '1.5',
  '5x',
  '007',
  '+5',
  '1e3',
  '-0',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551616',
  '-9223372036854775809',
  '',
  1.5,
  true,
  false,
  'true',
  [5],
  [1, 9],
  [],
];
// (No IPv4-mapped IPv6 addresses: kestrel deliberately takes ::ffff:a.b.c.d as a.b.c.d, where
// libsinsp compares families apart; see docs/compatibility.md.)
const ADDRESSES: unknown[] = [
  '1.2.3.4',
  '10.0.0.1',
  '10.255.255.255',
  '11.0.0.1',
  '127.0.0.1',
  '192.168.1.1',
  '::1',
  '::',
  '0.0.0.0',
  '2001:db8::1',
  '2001:DB8:0:0:0:0:0:1',
  '1.2.3',
  '256.1.1.1',
  '01.2.3.4',
  'x',
  '',
  5,
  ['1.2.3.4'],
  ['10.0.0.1', '8.8.8.8'],
];

const CASES: Case[] = [
  {
    key: 'proc.name',
    values: STRINGS,
    conditions: [
      'proc.name = bash',
      'proc.name == ""',
      'proc.name != bash',
      'proc.name < 5',
      'proc.name <= 5',
      'proc.name > 4',
      'proc.name >= 5',
      'proc.name contains as',
      'proc.name icontains AS',
      'proc.name startswith ba',
      'proc.name endswith sh',
      'proc.name glob "b*"',
      'proc.name glob "?ash"',
      'proc.name glob "[bB]ash"',
      'proc.name glob "[!b]ash"',
      'proc.name glob "*"',
      'proc.name glob "[x"',
      'proc.name iglob "BA*"',
      'proc.name iglob "é*"',
      'proc.name glob "?"',
      'proc.name glob "??"',
      'proc.name glob "[é]"',
      'proc.name glob "[é][é]"',
      'proc.name glob "*?"',
      'proc.name iglob "[a-zé]*"',
      'proc.name icontains é',
      'proc.name icontains STRASSE',
      'proc.name icontains ix',
      'proc.name icontains "A.B"',
      'proc.name icontains "[X]"',
      'proc.name icontains "A*B"',
      'proc.name regex "ba.*"',
      'proc.name regex "B|bash"',
      'proc.name in (bash, zsh, "")',
      'proc.name intersects (bash, 5)',
      'proc.name in (5, true)',
      'proc.name = anyof (bash, BASH)',
      'proc.name = allof (bash, BASH)',
      'proc.name startswith oneof (b, ba, x)',
      'proc.name contains allof (a, s)',
      'proc.name exists',
      'not proc.name = bash',
      'tolower(proc.name) = bash',
      'toupper(proc.name) = BASH',
      'tolower(proc.name) = é',
      'tolower(proc.name) = ix',
      'toupper(proc.name) = É',
      'toupper(proc.name) = STRASSE',
      'len(proc.name) = 4',
      'len(proc.name) > 3',
      'basename(proc.name) = passwd',
      'b64(proc.name) = ""',
    ],
  },
  {
    key: 'fd.name',
    values: STRINGS,
    conditions: [
      'fd.name pmatch (/etc)',
      'fd.name pmatch (/etc/)',
      'fd.name pmatch (/usr/lib, /var)',
      'fd.name pmatch (/)',
      'fd.name pmatch (/e*/passwd, /x)',
      'fd.name pmatch ("/usr/l?b")',
      'fd.name glob "/etc/*"',
      'fd.name startswith /etc/',
      'basename(fd.name) = passwd',
      'fd.name = val(proc.name)',
    ],
  },
  {
    key: 'proc.pid',
    values: NUMBERS,
    conditions: [
      'proc.pid = 5',
      'proc.pid != 5',
      'proc.pid < 5',
      'proc.pid <= 5',
      'proc.pid > 5',
      'proc.pid >= 5',
      'proc.pid = -1',
      'proc.pid = +5',
      'proc.pid = "  5"',
      'proc.pid > 9007199254740992',
      'proc.pid = 9007199254740993',
      'proc.pid in (1, 5, 9007199254740993)',
      'proc.pid intersects (0)',
      'proc.pid = val(proc.ppid)',
      'proc.pid exists',
    ],
  },
  {
    key: 'evt.rawtime',
    values: NUMBERS,
    conditions: ['evt.rawtime = 18446744073709551615', 'evt.rawtime > 9007199254740992', 'evt.rawtime < 5', 'evt.rawtime >= 0', 'evt.rawtime in (0, 5)'],
  },
  {
    key: 'user.uid',
    values: NUMBERS,
    // constants as sscanf reads them, stored in 32 bits: -1 is 4294967295, 4294967296 is 0
    conditions: [
      'user.uid = 0',
      'user.uid != 0',
      'user.uid < 1000',
      'user.uid = 4294967295',
      'user.uid in (0, 65535)',
      'user.uid = -1',
      'user.uid = 4294967296',
      'user.uid = " 5"',
      'user.uid in (+5, -65536)',
    ],
  },
  {
    key: 'fd.sport',
    values: NUMBERS,
    conditions: ['fd.sport = 5', 'fd.sport != 5', 'fd.sport > 1024', 'fd.sport in (4, 5, 6)', 'fd.sport = 65535'],
  },
  {
    // Typed as the event parameter so named (res: PT_ERRNO, a signed 64-bit integer).
    key: 'evt.rawarg.res',
    values: NUMBERS,
    conditions: ['evt.rawarg.res > 100', 'evt.rawarg.res < 0', 'evt.rawarg.res = 5', 'evt.rawarg.res in (-1, 5)'],
  },
  {
    key: 'evt.is_open_write',
    values: [true, false, 'true', 'false', 0, 1, 2, 'yes', '', [true], [false, true], []],
    conditions: [
      'evt.is_open_write = true',
      'evt.is_open_write = false',
      'evt.is_open_write != true',
      'evt.is_open_write != false',
      'evt.is_open_write in (true)',
      'evt.is_open_write exists',
    ],
  },
  {
    key: 'fd.sip',
    values: ADDRESSES,
    conditions: [
      'fd.sip = 1.2.3.4',
      'fd.sip != 1.2.3.4',
      'fd.sip = "::1"',
      'fd.sip != "::1"',
      'fd.sip = "2001:db8::1"',
      'fd.sip = 0.0.0.0',
      'fd.sip = "::"',
      'fd.sip in (10.0.0.1, "::1")',
      'fd.sip intersects (1.2.3.4)',
    ],
  },
  {
    key: 'fd.snet',
    values: ADDRESSES,
    conditions: [
      'fd.snet = 10.0.0.0/8',
      'fd.snet != 10.0.0.0/8',
      'fd.snet = 0.0.0.0/0',
      'fd.snet in (10.0.0.0/8, 192.168.0.0/16)',
      'fd.snet = "2001:db8::/32"',
      'fd.snet != "2001:db8::/32"',
      'fd.snet intersects (127.0.0.0/8)',
    ],
  },
  {
    key: 'fd.types',
    values: [['ipv4'], ['ipv4', 'file'], ['file', 'unix'], [], 'ipv4', 'file', 5],
    conditions: ['fd.types in (ipv4, file)', 'fd.types intersects (ipv4)', 'fd.types intersects (unix, pipe)', 'fd.types exists'],
  },
  {
    key: 'proc.aname',
    values: [['bash', 'sshd'], ['sshd'], [], 'bash', ['BASH', 5]],
    conditions: [
      'proc.aname = bash',
      'proc.aname != bash',
      'proc.aname in (sshd, init)',
      'proc.aname startswith ba',
      'proc.aname contains sh',
      'proc.aname exists',
    ],
  },
  {
    // Both ends of a connection: client and server address and port.
    key: (v) => {
      const [cip, sip, cport, sport] = v as [unknown, unknown, unknown, unknown];
      return { 'fd.cip': cip, 'fd.sip': sip, 'fd.cport': cport, 'fd.sport': sport };
    },
    values: [
      ['10.0.0.1', '8.8.8.8', 40000, 53],
      ['127.0.0.1', '8.8.8.8', 40000, 80],
      ['127.0.0.1', '127.0.0.2', 80, 80],
      ['0.0.0.0', '1.2.3.4', 0, 443],
      [null, '1.2.3.4', null, 443],
      ['::1', '2001:db8::1', 5000, 22],
      [null, null, null, null],
    ],
    conditions: [
      'fd.ip = 127.0.0.1',
      'fd.ip != 127.0.0.1',
      'fd.ip != "0.0.0.0"',
      'fd.ip in (8.8.8.8, 1.2.3.4)',
      'fd.net = 127.0.0.0/8',
      'fd.net != "127.0.0.0/8"',
      'fd.port = 80',
      'fd.port != 80',
      'fd.port > 1024',
      'fd.port < 100',
      'fd.port in (22, 53)',
      'fd.ip exists',
    ],
  },
];

describe('each comparison agrees with the reference evaluator (libsinsp semantics)', () => {
  const reference = new ReferenceEvaluator(new FlatEventSource(), FieldCatalogue.syscall());

  it.each(CASES.map((c) => [typeof c.key === 'string' ? c.key : 'connection ends', c] as const))('%s', (_name, c) => {
    const disagreements: string[] = [];
    let held = 0;
    for (const condition of c.conditions) {
      const parsed = parseCondition(condition);
      if (!parsed.ok) throw new Error(`${condition}: ${parsed.error.message}`);
      const engine = predicate(condition);
      for (const value of c.values) {
        const event: FlatEvent = typeof c.key === 'string' ? { [c.key]: value, 'proc.pname': 'bash', 'proc.ppid': 5 } : c.key(value);
        const expected = reference.holds(parsed.ast, event);
        const actual = engine(event);
        if (expected) held++;
        if (actual !== expected) disagreements.push(`${condition} on ${show(value)}: engine ${actual}, reference ${expected}`);
      }
    }
    expect(disagreements.join('\n')).toBe('');
    // The pool must make most conditions hold for some value and fail for another.
    expect(held).toBeGreaterThan(c.conditions.length / 2);
  });
});

describe('evt.rawarg.NAME', () => {
  it("takes its event parameter's type, operators included (libsinsp: 'contains' not supported for numeric filters)", () => {
    expect(predicate('evt.rawarg.res > 100')({ 'evt.rawarg.res': 50 })).toBe(false);
    expect(() => predicate('evt.rawarg.res contains 1')).toThrow(/contains/);
    // A string parameter keeps the string operators.
    expect(predicate('evt.rawarg.name startswith /etc')({ 'evt.rawarg.name': '/etc/passwd' })).toBe(true);
  });
});

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}
