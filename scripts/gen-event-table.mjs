// Regenerates src/fields/event-table.json from falcosecurity/libs (a git directory, e.g. the
// one the tool library's fetch brings): the event table's codes, names, categories, flags and
// parameters; the syscall names without an event of their own (they arrive as generic events);
// and the I/O events Falco ignores unless run with -A (I/O categories, not state-changing).
// Usage: node scripts/gen-event-table.mjs [LIBS_GIT_DIR]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const gitDir = process.argv[2] ?? '/work/.mirror/falcosecurity+libs/repo';
const show = (path) => execFileSync('git', ['-C', gitDir, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = execFileSync('git', ['-C', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

const header = show('driver/ppm_events_public.h');
const codeOf = new Map();
for (const m of header.matchAll(/^\s*(PPME_[A-Z0-9_]+)\s*=\s*(\d+)/gm)) codeOf.set(m[1], Number(m[2]));
const syscallNames = [...header.matchAll(/PPM_SC_X\(([A-Z0-9_]+),\s*\d+\)/g)].map((m) => m[1].toLowerCase());

const table = show('driver/event_table.c');
const entry = /\[(PPME_[A-Z0-9_]+)\]\s*=\s*\{\s*"([^"]*)"\s*,\s*([^,]+),\s*([^,]+),\s*(\d+)/g;
const starts = [...table.matchAll(entry)];
const events = starts.map((m, i) => {
  const body = table.slice(m.index + m[0].length, starts[i + 1]?.index ?? table.length);
  return {
    code: codeOf.get(m[1]),
    id: m[1],
    name: m[2],
    direction: m[1].endsWith('_E') ? 'enter' : 'exit',
    categories: m[3].split('|').map((s) => s.trim()),
    flags: m[4].split('|').map((s) => s.trim()),
    params: [...body.matchAll(/\{\s*"([^"]+)"\s*,\s*(PT_[A-Z0-9_]+)/g)].map((p) => ({ name: p[1], type: p[2] })),
  };
});
events.sort((a, b) => a.code - b.code);

const byName = new Map();
for (const e of events) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
const genericSyscalls = [...new Set(syscallNames.filter((n) => n !== 'unknown' && !byName.has(n)))].sort();
const simpleConsumerSkipped = [...byName.entries()]
  .filter(([, es]) => es.some((e) => e.categories.some((c) => c === 'EC_IO_READ' || c === 'EC_IO_WRITE')))
  .filter(([, es]) => !es.some((e) => e.flags.includes('EF_MODIFIES_STATE')))
  .map(([name]) => name)
  .sort();

const out = new URL('../src/fields/event-table.json', import.meta.url);
writeFileSync(out, JSON.stringify({ source: `falcosecurity/libs@${commit}`, events, genericSyscalls, simpleConsumerSkipped }) + '\n');
console.log(`${events.length} events, ${byName.size} names, ${genericSyscalls.length} generic syscalls, ${simpleConsumerSkipped.length} ignored without -A`);
