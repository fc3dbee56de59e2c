/**
 * Differential test against libsinsp (in sysdig): each real capture is converted to JSONL
 * with sysdig, then every condition must select exactly the events sysdig selects
 * (compared by evt.num). Conditions stay within what sysdig 0.29's older grammar and
 * field set support.
 *
 * sysdig 0.29 (Debian's build) knows none of: the transformers tolower(), toupper(), b64(),
 * basename(), len(), join(), concat(), getopt() and val() ("unrecognized field tolower");
 * the modifiers oneof/anyof/allof, the operators bcontains, bstartswith, regex and iglob
 * ("unrecognized comparison operator"); `intersects` is a keyword but its parser reads
 * `in` first and then wants `(` ("expected '(' after 'in/intersects/pmatch' operand"). The
 * test 'sysdig 0.29 rejects what it predates' checks exactly that list, so that a newer
 * sysdig shows which can move here. Conditions using them are compared instead with the
 * reference evaluator (libsinsp's semantics, test/helpers/reference.ts) on the same
 * converted captures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { parseCondition } from '../../src/parser/index.js';
import { ConditionValidator } from '../../src/rules/condition-validator.js';
import { parseEventLine, readEventLine } from '../../src/sources/jsonl/captures.js';
import { sysdigFormat } from '../../src/sources/jsonl/conversion.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';
import { predicate } from '../helpers/evaluate.js';
import { ReferenceEvaluator } from '../helpers/reference.js';
import { mapLimit, requireSysdig, sysdigJson, sysdigSelect } from '../helpers/sysdig.js';
import { CONDITIONS } from '../helpers/sysdig-conditions.js';
import { SCAP_DIR } from '../helpers/upstream.js';

// curl_google_comments.scap uses a newer block format that sysdig 0.29 cannot read.
const CAPTURES = ['curl_google.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap'];

/** What sysdig 0.29 predates: each must be rejected by it (see the header). */
const UNSUPPORTED_BY_SYSDIG = [
  'tolower(proc.name) = curl',
  'toupper(proc.name) = CURL',
  'b64(proc.name) = x',
  'basename(proc.exe) = curl',
  'len(proc.name) = 4',
  'proc.name = val(proc.pname)',
  'proc.name = anyof (curl, bash)',
  'evt.buffer bcontains 6375726c',
  'evt.buffer bstartswith 47',
  'proc.name intersects (curl)',
  'proc.name regex "c.*"',
  'proc.name iglob "C*"',
];

/** Conditions beyond sysdig 0.29, compared with the reference evaluator on the converted captures. */
const REFERENCE_CONDITIONS = [
  'tolower(proc.name) = curl',
  'toupper(proc.name) = CURL',
  'toupper(proc.name) in (CURL, BASH, TEST_IPV6_CLIENT)',
  'tolower(fd.name) contains google',
  'basename(proc.exe) = curl',
  'basename(fd.name) startswith lib',
  'basename(fd.name) = ld.so.cache',
  'len(proc.name) = 4',
  'len(fd.name) > 20',
  'len(proc.cmdline) < 10',
  'b64(proc.name) exists',
  'b64(fd.name) exists',
  'proc.name = val(proc.pname)',
  'proc.name != val(proc.pname)',
  'proc.pid = val(thread.tid)',
  'proc.pid > val(proc.ppid)',
  'fd.sport = val(fd.lport)',
  'tolower(proc.name) = val(proc.name)',
  'proc.name = anyof (curl, bash)',
  'proc.name = oneof (curl, bash, curl)',
  'fd.name startswith anyof (/etc, /lib)',
  'fd.name startswith allof (/lib, /lib/x86_64)',
  'fd.name contains oneof (lib, .so)',
  'fd.name endswith anyof (.so.6, .cache)',
  'proc.name intersects (curl, bash)',
  'evt.type intersects (open, openat)',
  'fd.num intersects (0, 1, 3)',
  'evt.buffer bcontains 474554',
  'evt.buffer bcontains 676f6f676c65',
  'evt.buffer bstartswith 47',
  'evt.buffer contains google',
  'evt.buffer startswith GET',
  'proc.name regex "c[a-z]+l"',
  'fd.name iglob "/LIB/*"',
  'concat(proc.name, "-", proc.pname) = curl-bash',
];

describe('kestrel selects exactly the events sysdig (libsinsp) selects', () => {
  const events = new Map<string, FlatEvent[]>();
  const lazyEvents = new Map<string, FlatEvent[]>();

  beforeAll(async () => {
    requireSysdig();
    // Convert exactly the fields the corpus reads, as `kestrel fields --sysdig-format` does.
    const catalogue = FieldCatalogue.syscall();
    const validator = new ConditionValidator(catalogue);
    for (const condition of [...CONDITIONS, ...REFERENCE_CONDITIONS]) {
      const parsed = parseCondition(condition);
      if (parsed.ok) validator.validate(parsed.ast);
    }
    const FORMAT = sysdigFormat(validator.fields, catalogue);
    expect(FORMAT).toContain('%proc.aname[3]');
    for (const capture of CAPTURES) {
      const jsonl = await sysdigJson(SCAP_DIR + capture, FORMAT);
      const parsed = jsonl.split('\n').filter(Boolean).map(parseEventLine);
      const bad = parsed.filter((p) => typeof p === 'string');
      expect(bad).toEqual([]);
      events.set(capture, parsed as FlatEvent[]);
      // As replay reads them: long integers recovered from the line only when read.
      lazyEvents.set(capture, jsonl.split('\n').filter(Boolean).map(readEventLine) as FlatEvent[]);
    }
  }, 120_000);

  it('has a corpus of at least 100 conditions', () => {
    expect(CONDITIONS.length).toBeGreaterThanOrEqual(100);
  });

  it.each(CAPTURES)(
    'on %s',
    async (capture) => {
      const list = events.get(capture)!;
      expect(list.length).toBeGreaterThan(20);
      const mismatches: string[] = [];
      let nonEmpty = 0;
      await mapLimit(CONDITIONS, 2, async (condition) => {
        const reference = await sysdigSelect(SCAP_DIR + capture, condition);
        let p: (e: FlatEvent) => boolean;
        try {
          p = predicate(condition);
        } catch (error) {
          if (!('error' in reference)) mismatches.push(`${condition}: kestrel rejected it (${(error as Error).message}), sysdig accepted it`);
          return;
        }
        if ('error' in reference) {
          mismatches.push(`${condition}: sysdig rejected it (${reference.error.trim()}), kestrel accepted it`);
          return;
        }
        const ours = list.filter((e) => p(e)).map((e) => Number(e['evt.num']));
        const lazy = lazyEvents
          .get(capture)!
          .filter((e) => p(e))
          .map((e) => Number(e['evt.num']));
        if (JSON.stringify(lazy) !== JSON.stringify(ours))
          mismatches.push(`${condition}: events read with exact integers when read match ${lazy.length}, read exact ${ours.length}`);
        if (ours.length > 0) nonEmpty++;
        const expected = reference.nums;
        if (JSON.stringify(ours) !== JSON.stringify(expected)) {
          const missing = expected.filter((n) => !ours.includes(n)).slice(0, 5);
          const extra = ours.filter((n) => !expected.includes(n)).slice(0, 5);
          mismatches.push(`${condition}: sysdig ${expected.length}, kestrel ${ours.length} (missing ${missing}, extra ${extra})`);
        }
      });
      expect(mismatches.join('\n')).toBe('');
      // The corpus must exercise the capture, not only select nothing.
      expect(nonEmpty).toBeGreaterThan(10);
    },
    180_000,
  );

  it('sysdig 0.29 rejects what it predates (so none of it can be compared with sysdig)', async () => {
    const accepted: string[] = [];
    await mapLimit(UNSUPPORTED_BY_SYSDIG, 4, async (condition) => {
      const result = await sysdigSelect(SCAP_DIR + CAPTURES[0]!, condition);
      if (!('error' in result) || !/filter error|unrecognized|expected/.test(result.error)) accepted.push(condition);
      // kestrel knows each of them.
      expect(() => predicate(condition), condition).not.toThrow();
    });
    expect(accepted).toEqual([]);
  }, 120_000);

  it.each(CAPTURES)(
    'beyond sysdig 0.29 (transformers, modifiers, bcontains, bstartswith, intersects): kestrel agrees with the reference evaluator on %s',
    (capture) => {
      const reference = new ReferenceEvaluator(new FlatEventSource(), FieldCatalogue.syscall());
      const mismatches: string[] = [];
      let nonEmpty = 0;
      for (const condition of REFERENCE_CONDITIONS) {
        const parsed = parseCondition(condition);
        if (!parsed.ok) throw new Error(`${condition}: ${parsed.error.message}`);
        const p = predicate(condition);
        for (const list of [events.get(capture)!, lazyEvents.get(capture)!]) {
          const ours = list.filter((e) => p(e)).map((e) => Number(e['evt.num']));
          const expected = list.filter((e) => reference.holds(parsed.ast, e)).map((e) => Number(e['evt.num']));
          if (JSON.stringify(ours) !== JSON.stringify(expected)) {
            const missing = expected.filter((n) => !ours.includes(n)).slice(0, 5);
            const extra = ours.filter((n) => !expected.includes(n)).slice(0, 5);
            mismatches.push(`${condition}: reference ${expected.length}, kestrel ${ours.length} (missing ${missing}, extra ${extra})`);
          }
          if (list === events.get(capture) && ours.length > 0) nonEmpty++;
        }
      }
      expect(mismatches.join('\n')).toBe('');
      // The conditions must select events, not only agree on selecting none.
      expect(nonEmpty).toBeGreaterThan(5);
    },
  );
});
