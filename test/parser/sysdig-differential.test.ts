/**
 * Differential test of the grammar against sysdig (libsinsp): conditions in the syntax both
 * implement must be accepted or rejected alike. sysdig 0.29 (Debian) predates transformers,
 * modifiers, bcontains/bstartswith, intersects and val(), and it validates fields and
 * values too, so the corpus uses only fields and values it knows.
 */
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../src/parser/index.js';
import { mapLimit, requireSysdig, sysdigSelect } from '../helpers/sysdig.js';
import { sharedPath } from '../helpers/upstream.js';

const CAPTURE = sharedPath('captures/scap/single_ipv6_conn.scap');

const ACCEPTED = [
  'evt.type = open',
  'evt.type=open',
  'evt.type != open',
  'evt.num > 10',
  'evt.num>=10',
  'evt.num < 10',
  'evt.num <= 10',
  'proc.name contains ab',
  'proc.name icontains AB',
  'proc.name startswith a',
  'proc.name endswith b',
  'proc.name glob "a*"',
  'fd.name pmatch (/etc, /usr)',
  'evt.type in (open, close)',
  'evt.type in(open,close)',
  'evt.type in (\'open\', "close")',
  'evt.type in (open,\n close)',
  'proc.name exists',
  'not proc.name exists',
  'not(proc.name exists)',
  'not (proc.name exists)',
  'proc.name = a and proc.name = b',
  'proc.name = a or proc.name = b',
  'proc.name = a and (proc.name = b or proc.name = c)',
  '(proc.name = a)',
  '((proc.name = a))',
  '(proc.name = a) and (proc.name = b)',
  'proc.name = a and not proc.name = b',
  'proc.name = "a b"',
  "proc.name = 'a b'",
  'proc.name = /usr/bin/*',
  'proc.name = a-b.c',
  '  proc.name = a  ',
  '\tproc.name\t=\ta',
  'proc.name = a\nand proc.name = b',
  'proc.aname[2] = sshd',
  'container.id = host',
  'evt.arg.flags contains O_RDONLY',
  'fd.sport = 80',
  'fd.sip = "::1"',
  'evt.num in (1, 2, 3)',
  'evt.num > 0x10'.replace('0x10', '16'),
  'proc.name = and',
];

// Left out where sysdig 0.29's older parser differs from modern libsinsp (kestrel follows the
// modern one, see corpus.test.ts): it rejects `==` on evt.type, accepts an empty value after
// `=` (`proc.name =`), and reads a lone `not` or `and` as a field name rather than a macro.
const REJECTED = [
  'proc.name',
  'proc.name = a and',
  'proc.name = a and ',
  'proc.name = a or',
  '(proc.name = a',
  'proc.name = a)',
  '((proc.name = a)',
  'proc.name = "abc',
  "proc.name = 'abc",
  'proc.name = a b',
  'evt.type in (open',
  'evt.type in open, close)',
  'not ',
  'not(',
  'evt.type=open and(',
  'proc.name = a andx proc.name = b',
  'evt.num > abc',
  'proc.name foo a',
  '= a',
  'proc.aname[a b] = x',
  'evt.type in (open,)',
];

describe('grammar agreement with sysdig', () => {
  it('accepts and rejects the same conditions', async () => {
    requireSysdig();
    const disagreements: string[] = [];
    const all = [...ACCEPTED.map((c) => [c, true] as const), ...REJECTED.map((c) => [c, false] as const)];
    await mapLimit(all, 2, async ([condition, expected]) => {
      const reference = await sysdigSelect(CAPTURE, condition);
      const sysdigAccepts = !('error' in reference);
      const kestrelAccepts = parseCondition(condition).ok;
      if (sysdigAccepts !== expected)
        disagreements.push(`corpus expectation wrong for ${JSON.stringify(condition)}: sysdig ${sysdigAccepts ? 'accepts' : 'rejects'}`);
      if (kestrelAccepts !== sysdigAccepts)
        disagreements.push(`${JSON.stringify(condition)}: sysdig ${sysdigAccepts ? 'accepts' : 'rejects'}, kestrel ${kestrelAccepts ? 'accepts' : 'rejects'}`);
    });
    expect(disagreements).toEqual([]);
  }, 120_000);
});
