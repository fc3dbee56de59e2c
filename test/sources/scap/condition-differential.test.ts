/**
 * The sysdig condition corpus (test/helpers/sysdig-conditions.ts) evaluated natively over
 * the scap captures: ScapEventSource + the condition compiler, every event updating the
 * state first, in order, inside the readScap callback (as a replay does). Each condition
 * must select exactly the events sysdig 0.29 selects.
 *
 * libscap's converter (libs HEAD, which kestrel follows; 0.29 had none) drops the enter
 * events it merges into their exits, and renumbers what is left. Events are therefore
 * matched to sysdig's by time, CPU, thread and direction, and sysdig's selection is
 * compared on the events kestrel reads (a dropped enter event cannot be selected).
 * Differences that come from libs HEAD differing from 0.29 are listed in
 * VERSION_DIFFERENCES with the field-differential entry that explains them.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProgramBuilder } from '../../../src/evaluator/program-builder.js';
import { FieldCatalogue } from '../../../src/fields/catalogue.js';
import { parseCondition } from '../../../src/parser/index.js';
import { ConditionValidator } from '../../../src/rules/condition-validator.js';
import type { ScapEvent } from '../../../src/sources/scap/event.js';
import { codeOf, eventIsExit } from '../../../src/sources/scap/fields/event-info.js';
import { ScapEventSource } from '../../../src/sources/scap/source.js';
import { readScap } from '../../../src/sources/scap/stream.js';
import { mapLimit, requireSysdig, sysdigSelect } from '../../helpers/sysdig.js';
import { CONDITIONS } from '../../helpers/sysdig-conditions.js';
import { BARE_EXITS, eventKey, GENERIC, SYSDIG_CAPTURES, SYSDIG_EVENT_KEY } from './helpers.js';

/**
 * Conditions whose selection differs because libs HEAD and sysdig 0.29 differ on a field
 * they read (see VERSION_DIFFERENCES in field-differential.test.ts for each field), by
 * capture. An entry not needed any more fails the test.
 */
interface Allowed {
  /** The conditions (those reading the field that differs). */
  conditions: RegExp;
  /** evt.type (and direction, as `open>`) of the events allowed to be selected differently; undefined = any. */
  events?: string[];
  capture?: string;
  reason: string;
}

/** Generic exits, and exits these captures record without parameters. */
const GENERIC_EXITS = [...GENERIC, ...BARE_EXITS].map((t) => `${t}<`);

const VERSION_DIFFERENCES: Allowed[] = [
  {
    conditions: /\bevt\.num\b/,
    reason: "libscap's converter (converter/table.cpp) drops the enter events it merges into their exits: HEAD numbers only the events left",
  },
  {
    conditions: /\bfd\./,
    events: ['mmap<'],
    reason: 'mmap is an fd event in HEAD (event_table.c: EF_USES_FD on PPME_SYSCALL_MMAP_X, its fd from the converter); 0.29 gave it no fd',
  },
  {
    conditions: /\bfd\.typechar\b/,
    events: ['open>', 'open<'],
    reason: "HEAD's extract_typechar (event.h) has no case for open: an open whose fd is not in the table (its enter, a failed open) is o; 0.29 said f",
  },
  {
    conditions: /\bevt\.failed\b/,
    events: ['open>', 'connect>', 'switch>', 'procexit>', 'unknown<', ...GENERIC_EXITS],
    reason:
      'HEAD: evt.failed is NA on events without a return value (enter events, generic exits, exits recorded without parameters, switch, procexit; event.h has_return_value); 0.29 said false',
  },
  {
    conditions: /\bproc\.pname\b/,
    capture: 'curl_google.scap',
    reason: "HEAD starts ancestry at the main thread of the event's process (get_ancestor_process): curl's second thread has parent bash, 0.29 said curl",
  },
  {
    conditions: /\bfd\.ip = "::1"/,
    events: ['socket<', 'connect>'],
    capture: 'connect_localhost.scap',
    reason:
      'an IPv6 address against an IPv4 socket: HEAD compares addresses of the same family only (sinsp_filter_check::compare_ipaddr, ' +
      "libsinsp/utils ipv6addr); 0.29 compared the IPv4 socket's 0.0.0.0 with the first bytes of ::1 and matched",
  },
  {
    conditions: /\bfd\./,
    events: ['sendmsg<'],
    capture: 'ping_sendto.scap',
    reason:
      "sendmsg on a socket opened before the (filtered) capture: HEAD adds the fd from the exit's tuple as a UDP socket " +
      '(parsers.cpp parse_write_exit, infer_send_sendto_sendmsg_fdinfo); 0.29 left the fd unknown',
  },
  {
    conditions: /\b(user\.(name|homedir|shell|loginname)|group\.name)\b/,
    reason:
      'HEAD gives an unknown uid or gid "<NA>" as a value for its name, home directory, shell and login name ' +
      '(sinsp_filtercheck_user.cpp, sinsp_filtercheck_group.cpp TYPE_NAME); 0.29 gave NA',
  },
  {
    conditions: /\bfd\.(port|rport|sport|sip|rip)\b/,
    events: ['connect<', 'sendto<'],
    capture: 'test_ipv6_client.scap',
    reason:
      'a second connect of a connected UDP socket: HEAD overwrites the destination (libs commit 3ce014124, parsers.cpp parse_connect_exit); 0.29 kept the first',
  },
];

/** sysdig's evt.num of each event, by the identity kestrel can compute: time, CPU, thread, direction. */
function sysdigNumbers(file: string): Map<string, number> {
  const out = execFileSync('sysdig', ['-r', file, '-p', `*%evt.num ${SYSDIG_EVENT_KEY}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const nums = new Map<string, number>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const sp = line.indexOf(' ');
    nums.set(line.slice(sp + 1), Number(line.slice(0, sp)));
  }
  return nums;
}

const used = new Set<Allowed>();
const PROCINFO_E = codeOf('PPME_PROCINFO_E');
const CONTAINER_JSON_2_E = codeOf('PPME_CONTAINER_JSON_2_E');
const isExit = (ev: ScapEvent) => eventIsExit[ev.type] === 1;

describe('sysdig conditions evaluated natively over scap', () => {
  requireSysdig();
  const catalogue = FieldCatalogue.syscall();

  for (const { name: capture, file } of SYSDIG_CAPTURES) {
    it(`${capture}: every condition selects the events sysdig selects`, async () => {
      const source = new ScapEventSource();
      const compiler = new ProgramBuilder(source, catalogue);
      const compiled: { condition: string; test?: (ev: ScapEvent) => boolean; rejected?: string; selected: number[] }[] = [];
      for (const condition of CONDITIONS) {
        const parsed = parseCondition(condition);
        if (!parsed.ok) {
          compiled.push({ condition, rejected: parsed.error.message, selected: [] });
          continue;
        }
        const validator = new ConditionValidator(catalogue);
        validator.validate(parsed.ast);
        if (validator.problems.length > 0) {
          compiled.push({ condition, rejected: validator.problems.map((p) => p.message).join('; '), selected: [] });
          continue;
        }
        compiled.push({ condition, test: compiler.compile(parsed.ast), selected: [] });
      }
      const nums = sysdigNumbers(file);
      const typeOf = new Map<number, string>();
      const typeField = catalogue.resolve('evt.type');
      if (!typeField.ok) throw new Error('no evt.type');
      const readType = source.accessor(typeField.field);
      const seen = new Set<number>();
      let unmatched = 0;
      source.beginCapture();
      const result = await readScap(
        file,
        (ev) => {
          source.update(ev);
          const num = nums.get(eventKey(ev));
          if (num === undefined) {
            // sysdig 0.29 prints none of the procinfo events a capture starts with (stamped
            // before its first syscall), nor the container events of the old traces (stamped
            // 0), so nothing of them can be compared
            if (ev.type !== PROCINFO_E && ev.type !== CONTAINER_JSON_2_E) unmatched++;
            return;
          }
          seen.add(num);
          typeOf.set(num, `${String(readType(ev))}${isExit(ev) ? '<' : '>'}`);
          for (const c of compiled) if (c.test !== undefined && c.test(ev)) c.selected.push(num);
        },
        { file, handler: source.metadataHandler() },
      );
      expect(result.error).toBeUndefined();
      // every event kestrel reads is one sysdig prints
      expect(unmatched).toBe(0);
      expect(seen.size).toBeGreaterThanOrEqual(nums.size / 2);

      const mismatches: string[] = [];
      let nonEmpty = 0;
      /** Whether a differently selected event is explained by a listed difference. */
      const explained = (condition: string, num: number): boolean => {
        const type = typeOf.get(num) ?? '';
        for (const a of VERSION_DIFFERENCES) {
          if (!a.conditions.test(condition) || (a.capture !== undefined && a.capture !== capture)) continue;
          if (a.events !== undefined && !a.events.includes(type) && !a.events.includes(type.slice(0, -1))) continue;
          used.add(a);
          return true;
        }
        return false;
      };
      await mapLimit(compiled, 4, async (c) => {
        const reference = await sysdigSelect(file, c.condition);
        if ('error' in reference || c.rejected !== undefined) {
          if (!('error' in reference)) mismatches.push(`${c.condition}: kestrel rejected it (${c.rejected}), sysdig accepted it`);
          else if (c.rejected === undefined) mismatches.push(`${c.condition}: sysdig rejected it, kestrel accepted it`);
          return;
        }
        const expected = reference.nums.filter((n) => seen.has(n));
        if (c.selected.length > 0) nonEmpty++;
        const mine = new Set(c.selected);
        const theirs = new Set(expected);
        const missing = expected.filter((n) => !mine.has(n) && !explained(c.condition, n));
        const extra = c.selected.filter((n) => !theirs.has(n) && !explained(c.condition, n));
        if (missing.length + extra.length === 0) return;
        const show = (l: number[]) =>
          l
            .slice(0, 5)
            .map((n) => `${n} ${typeOf.get(n)}`)
            .join(', ');
        mismatches.push(`${c.condition}: sysdig ${expected.length}, kestrel ${c.selected.length} (missing ${show(missing)}; extra ${show(extra)})`);
      });
      expect(mismatches.sort()).toEqual([]);
      // The conditions select something on every capture but the smallest old traces.
      expect(nonEmpty).toBeGreaterThanOrEqual(Math.min(10, seen.size));
    }, 180_000);
  }

  it('every listed difference is still seen', () => {
    expect(VERSION_DIFFERENCES.filter((a) => !used.has(a)).map((a) => `${a.conditions}: ${a.reason}`)).toEqual([]);
  });
});
