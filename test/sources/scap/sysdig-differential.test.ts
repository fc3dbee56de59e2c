/**
 * Differential test of the scap reader and the parameter renderer against sysdig (Debian's
 * 0.29, which embeds libsinsp): every event sysdig prints must be read by kestrel with the
 * same number, type, direction, timestamp, CPU and thread, and every parameter must render
 * the same, in evt.args and as evt.rawarg.NAME.
 *
 * The reader runs with convert: false (events as written): sysdig 0.29 predates libscap's
 * converter. Differences that come from libs changes since 0.29 (kestrel follows libs HEAD)
 * are listed in versionDifference() and skipped by rule; each names the libs code.
 *
 * State-resolved text (fd names, thread names) is given to the renderer through its hooks
 * from what sysdig printed for the same event (a fake fd table): this checks how kestrel
 * composes `3(<f>/etc/passwd)`, not the state engine.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import eventTable from '../../../src/fields/event-table.json' with { type: 'json' };
import { type FdRef, type RenderContext, renderParam, renderRawArg } from '../../../src/sources/scap/render.js';
import { readScap } from '../../../src/sources/scap/stream.js';
import { EVENTS } from '../../../src/sources/scap/tables.js';
import { requireSysdig } from '../../helpers/sysdig.js';
import { OLD_CAPTURES, SYSDIG_CAPTURES } from './helpers.js';

const DIR = '../shared/captures/scap';
const SEP = '\x1e';
/** Types sinsp_filter_check::rawval_to_string prints in 0.29 (it stops with "wrong event type" on others, PT_FD and PT_PID included). */
const RAW_TYPES = new Set(
  'INT8 INT16 INT32 INT64 UINT8 UINT16 UINT32 UINT64 FLAGS8 FLAGS16 FLAGS32 UID GID ERRNO RELTIME ABSTIME CHARBUF FSPATH FSRELPATH BYTEBUF'
    .split(' ')
    .map((t) => `PT_${t}`),
);
function firstParam(name: string): { type: string } | undefined {
  for (const e of EVENTS) for (const p of e.params) if (p.name === name) return p;
  return undefined;
}
const SC_NAMES = (eventTable as unknown as { scNames: string[] }).scNames;

/**
 * Parameter renderings that changed in libs after sysdig 0.29: kestrel renders as libs HEAD.
 * Returns a reason to skip the comparison of one parameter, or undefined to compare it.
 */
function versionDifference(eventId: string, type: string, name: string): string | undefined {
  // PT_UID/PT_GID: HEAD always resolves the user/group name (`uid=1000(<NA>)`), 0.29 printed the number
  if (type === 'PT_UID' || type === 'PT_GID') return 'uid/gid resolution (event.cpp PT_UID)';
  // enum flags: HEAD prints every name with the value (`AF_LOCAL|AF_UNIX`), 0.29 stopped at the first
  if (type.startsWith('PT_ENUMFLAGS')) return 'enum flags list every match (event.cpp PT_ENUMFLAGS)';
  // mmap/munmap/brk/mprotect-like results became PT_ERRNO or changed format in the table
  if (name === 'res' && /MMAP|BRK|MUNMAP|MPROTECT/.test(eventId)) return 'res type changed in event_table.c';
  return undefined;
}

interface SysdigEvent {
  num: number;
  type: string;
  dir: string;
  rawtime: string;
  cpu: string;
  tid: string;
  args: string;
}

function sysdigEvents(file: string): Map<number, SysdigEvent> {
  const out = execFileSync(
    'sysdig',
    ['-r', file, '-p', ['*%evt.num', '%evt.type', '%evt.dir', '%evt.rawtime', '%evt.cpu', '%thread.tid', '%evt.args'].join(SEP)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const events = new Map<number, SysdigEvent>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [num, type, dir, rawtime, cpu, tid, args] = line.split(SEP) as [string, string, string, string, string, string, string];
    // 0.29 leaves a space after the last argument; libs HEAD removes it
    events.set(Number(num), { num: Number(num), type, dir, rawtime, cpu, tid, args: args.replace(/ $/, '') });
  }
  return events;
}

/** Splits `a=1 b=x y c=3` by the event's parameter names, in order. */
function splitArgs(args: string, names: string[]): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  for (let i = 0; i < names.length; i++) {
    const head = `${names[i]}=`;
    if (!args.startsWith(head, pos)) break;
    const start = pos + head.length;
    let end = args.length;
    if (i + 1 < names.length) {
      const next = args.indexOf(` ${names[i + 1]}=`, start);
      if (next >= 0) end = next;
    }
    out.set(names[i]!, args.slice(start, end));
    pos = end + 1;
  }
  return out;
}

/** What sysdig resolved for one event, as renderer hooks (the fake state). */
function hooksFrom(args: string): RenderContext {
  const fds = new Map<number, FdRef>();
  const comms = new Map<number, string>();
  for (const m of args.matchAll(/=(\d+)\(<([^>]*)>([^)]*)\)/g)) {
    const [typechar, l4] = [m[2]!.slice(0, 1), m[2]!.slice(1)];
    fds.set(Number(m[1]), { typechar, name: m[3]!, ...(l4 ? { l4 } : {}) });
  }
  for (const m of args.matchAll(/=(\d+)\(([^<)][^)]*)\)/g)) comms.set(Number(m[1]), m[2]!);
  return {
    threadKnown: true,
    fd: (fd) => fds.get(fd),
    comm: (tid) => comms.get(tid),
    cwd: () => '/',
    maxBufferLength: 80,
  };
}

function expectedType(e: { type: number; params: () => number }): string {
  const info = EVENTS[e.type]!;
  // generic events print the syscall of their ID parameter
  return info.name === 'syscall' ? (SC_NAMES[e.params()] ?? 'syscall') : info.name;
}

describe('scap reader against sysdig', () => {
  requireSysdig();

  // Captures sysdig 0.29 reads, old traces included (curl_google_comments.scap: see the test below).
  for (const { name, file } of SYSDIG_CAPTURES) {
    it(`${name}: every event sysdig prints, with the same header and parameters`, async () => {
      const sys = sysdigEvents(file);
      const paramNames = new Set<string>();
      const unsafeNames = new Set<string>();
      let matched = 0;
      let comparedParams = 0;
      let withArgs = 0;
      const mismatches: string[] = [];
      const skipped = new Map<string, number>();
      const result = await readScap(
        file,
        (e) => {
          const info = EVENTS[e.type]!;
          for (let i = 0; i < e.paramCount; i++) {
            const p = info.params[i]!;
            // sysdig stops ("wrong event type N") on a raw parameter of a type it has no text for
            if (RAW_TYPES.has(p.type)) paramNames.add(p.name);
            else unsafeNames.add(p.name);
          }
          const s = sys.get(e.num);
          if (s === undefined) return;
          matched++;
          const header = [
            expectedType({ type: e.type, params: () => e.paramUint(0) }),
            info.direction === 'enter' ? '>' : '<',
            e.ts().toString(),
            String(e.cpu),
            String(e.tid),
          ];
          // A syscall the table does not know: HEAD names it "unknown" (ppm_sc_names.c, the lower-cased PPM_SC_UNKNOWN), 0.29 "<unknown>"
          const theirType = s.type === '<unknown>' && info.name === 'syscall' ? 'unknown' : s.type;
          expect(header, `event ${e.num}`).toEqual([theirType, s.dir, s.rawtime, s.cpu, s.tid]);
          // 0.29 printed no arguments for either generic event; HEAD only hides the exit's
          if (info.name === 'syscall') return;
          withArgs++;
          const names = info.params.slice(0, e.paramCount).map((p) => p.name);
          const theirs = splitArgs(s.args, names);
          const ctx = hooksFrom(s.args);
          for (let i = 0; i < e.paramCount; i++) {
            const p = info.params[i]!;
            const reason = versionDifference(info.id, p.type, p.name);
            if (reason !== undefined) {
              skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
              continue;
            }
            // an empty buffer: HEAD prints NULL (event.cpp: empty parameters), 0.29 nothing
            if (p.type === 'PT_BYTEBUF' && e.paramLength(i) === 0) continue;
            // fd lists need the fd types of the state: only the fake fds of this event are known
            if (p.type === 'PT_FDLIST') continue;
            const r = renderParam(e, i, ctx);
            // FSPATH: with a known thread an absolute path has no resolved text; relative ones need the real cwd
            const mine = r.resolved === '' || p.type === 'PT_FSPATH' || p.type === 'PT_FSRELPATH' ? r.value : `${r.value}(${r.resolved})`;
            comparedParams++;
            if (mine !== theirs.get(p.name))
              mismatches.push(
                `${e.num} ${info.id} ${p.name} (${p.type} ${p.fmt}): kestrel ${JSON.stringify(mine)} sysdig ${JSON.stringify(theirs.get(p.name))}`,
              );
          }
        },
        { convert: false },
      );
      expect(result.error).toBeUndefined();
      expect(matched).toBe(sys.size);
      // Most events that are not generic syscalls have a parameter to compare (small old traces are mostly generic).
      expect(comparedParams).toBeGreaterThanOrEqual(withArgs / 2);
      if (sys.size > 0) expect(matched).toBeGreaterThan(0);
      expect(mismatches.slice(0, 20)).toEqual([]);

      // evt.rawarg.NAME: 0.29 prints <NA> for raw arguments in -p output, but compares them in
      // filters. Each kestrel text must select its own event in `evt.num=N and evt.rawarg.X=TEXT`
      // (decimal integers and strings: the forms a filter value parses back to the same bytes).
      const clauses: { num: number; text: string }[] = [];
      await readScap(
        file,
        (e) => {
          if (!sys.has(e.num)) return;
          const info = EVENTS[e.type]!;
          for (let i = 0; i < e.paramCount; i++) {
            const p = info.params[i]!;
            if (!RAW_TYPES.has(p.type) || p.type === 'PT_BYTEBUF' || e.paramLength(i) === 0) continue;
            // a filter parses evt.rawarg.NAME's value with the type of the first event declaring
            // NAME, and 0.29 cannot parse PT_FSPATH values ("wrong parameter type")
            const first = firstParam(p.name);
            if (first === undefined || first.type.startsWith('PT_FS') || !RAW_TYPES.has(first.type) || first.type === 'PT_BYTEBUF') continue;
            if (p.type.startsWith('PT_FS') || (p.type !== 'PT_CHARBUF' && p.fmt !== 'PF_DEC')) continue;
            if (info.params.findIndex((x) => x.name === p.name) !== i) continue;
            if (versionDifference(info.id, p.type, p.name) !== undefined) continue;
            const text = renderRawArg(e, p.name);
            if (text === undefined || /["\\\n]/.test(text) || text === '') continue;
            clauses.push({ num: e.num, text: `evt.rawarg.${p.name}="${text}"` });
          }
        },
        { convert: false },
      );
      const rawMismatches: string[] = [];
      for (let k = 0; k < clauses.length; k += 200) {
        const batch = clauses.slice(k, k + 200);
        const filter = batch.map((c) => `(evt.num=${c.num} and ${c.text})`).join(' or ');
        const out = execFileSync('sysdig', ['-r', file, '-p', '%evt.num', filter], { encoding: 'utf8', maxBuffer: 1 << 26 });
        const hit = new Set(out.split('\n').filter(Boolean).map(Number));
        for (const c of batch) if (!hit.has(c.num)) rawMismatches.push(`${c.num}: ${c.text} selects nothing`);
      }
      // The old traces' events carry mostly paths (which 0.29 cannot compare raw): there, some clause.
      if (OLD_CAPTURES.includes(name)) expect(clauses.length > 0 || withArgs === 0).toBe(true);
      else expect(clauses.length).toBeGreaterThan(withArgs / 2);
      expect(rawMismatches.slice(0, 20)).toEqual([]);
    });
  }

  it('curl_google_comments.scap (sysdig 0.29 cannot read it) gives the same events as curl_google.scap', async () => {
    // The same capture with pcapng comments added (editcap): a file comment as a section
    // header option, block comments after three events. libscap before libs commit c10380ab
    // (2025, "Skip over section header block options") read the options as the next block.
    const events = async (name: string) => {
      const out: string[] = [];
      const r = await readScap(`${DIR}/${name}`, (e) => {
        const args: string[] = [];
        for (let i = 0; i < e.paramCount; i++) args.push(renderParam(e, i).value);
        out.push(`${e.num} ${e.type} ${e.ts()} ${e.tid} ${e.cpu} ${args.join(' ')}`);
      });
      expect(r.error).toBeUndefined();
      return out;
    };
    const plain = await events('curl_google.scap');
    const commented = await events('curl_google_comments.scap');
    expect(plain.length).toBeGreaterThan(900);
    expect(commented).toEqual(plain);
  });
});
