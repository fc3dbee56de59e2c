// Regenerates src/fields/event-table.json from a falcosecurity/libs git directory (bare or not;
// files are read from its HEAD with `git show`).
//
// Usage: node scripts/gen-event-table.mjs [LIBS_GIT_DIR] [ARCH]
//   LIBS_GIT_DIR defaults to /work/.mirror/falcosecurity+libs/repo
//   ARCH (x86_64, aarch64, s390x, ppc64le, riscv64, loongarch64) defaults to x86_64; it only
//   matters for the syscall table's `#ifdef __NR_*` entries (UF_NEVER_DROP syscalls).
//
// Sources read:
//   driver/ppm_events_public.h              enum ppm_event_code, PPM_SC_FIELDS, EC_*/EF_* enums
//   driver/event_table.c                    g_event_info (name, category, flags, params)
//   userspace/libscap/linux/scap_ppm_sc.c   g_events_to_sc_map (event code -> ppm_sc codes)
//   driver/syscall_table.c + syscall_compat_<ARCH>.h   UF_NEVER_DROP syscalls
//
// Output (facts only):
//   events                 every event code 0..PPM_EVENT_MAX-1, in code order
//   genericSyscalls        ppm_sc names that are not the name of any event code >= 2: valid
//                          `evt.type` values that libsinsp's names_to_event_set() resolves to
//                          {PPME_GENERIC_E, PPME_GENERIC_X} (includes "unknown" and a few
//                          tracepoint / arch-variant names such as "sched_process_exit", "pread64")
//   genericEventSyscalls   the ppm_sc listed under PPME_GENERIC_E in g_events_to_sc_map: the
//                          syscalls actually delivered as generic events (a subset of the above)
//   simpleConsumerSkipped  what `falco -i` prints: sc_set_to_event_names(io_sc_set() minus
//                          sinsp_state_sc_set()), the syscalls dropped unless -A / base_syscalls.all
//   simpleConsumerSkippedCodes  event codes of those syscalls (sc_set_to_event_set)
//   scNames                ppm_sc name by ppm_sc code ("" for holes); a generic event's evt.type
//                          is scNames[its ID parameter]
//   events[].params[]      {name, type, fmt (PF_* print format), values? (name of its value table,
//                          flag and enum parameters), dynamic? (PT_DYN: its layout table),
//                          dirfd? (PT_FSRELPATH: index of the dirfd parameter)}
//
// Second output, src/fields/event-values.json (what a capture reader and a renderer need):
//   valueTables            flags_table.c: table name -> [[name, value], ...] in table order
//                          (the order libsinsp walks when it renders a flag parameter)
//   dynamicParams          dynamic_params_table.c: table name -> [{type, fmt}] by index
//   errnoNames, signalNames  libsinsp's sinsp_utils::errno_to_str / signal_to_str: number -> name
//   conversions            libscap's savefile converter (converter/table.cpp): one entry per
//                          (event code, parameter count): action (store, pass, store_and_pass,
//                          add_params, change_type), `to` (the new code for change_type), instrs
//                          [{from: old|enter|default|empty|callback, param, fallbackEmpty?, callback?}]
// Extra sources: driver/flags_table.c, driver/dynamic_params_table.c, userspace/libsinsp/utils.cpp,
// sinsp_errno.h, sinsp_signal.h, userspace/libscap/engine/savefile/converter/table.cpp
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const gitDir = process.argv[2] ?? '/work/.mirror/falcosecurity+libs/repo';
const arch = process.argv[3] ?? 'x86_64';
const git = (...args) => execFileSync('git', ['-C', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const show = (path) => git('show', `HEAD:${path}`);
const commit = git('rev-parse', 'HEAD').trim();

function fail(msg) {
  console.error(`gen-event-table: ${msg}`);
  process.exit(1);
}

// ---------- tiny C helpers ----------

/** Removes comments, keeping string and char literals intact. */
function stripComments(src) {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      out += ' ';
      i = end < 0 ? src.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index of the bracket closing the one at `open` (handles (), {}, [] and string literals). */
function closing(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  fail(`unbalanced bracket at offset ${open}`);
}

/** Splits on commas that are not nested in brackets or strings; drops a trailing empty item. */
function splitTop(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts;
}

/** Body (between the outer braces) of the array initializer `NAME[...] = { ... }`. */
function arrayBody(src, name) {
  const m = new RegExp(`\\b${name}\\s*\\[[^\\]]*\\]\\s*=\\s*\\{`).exec(src);
  if (!m) fail(`array ${name} not found`);
  const open = m.index + m[0].length - 1;
  return src.slice(open + 1, closing(src, open));
}

/** `[KEY] = VALUE` designated initializers of an array body. */
function designated(body) {
  return splitTop(body).map((item) => {
    const m = /^\[\s*([A-Za-z0-9_]+)\s*\]\s*=\s*([\s\S]*)$/.exec(item);
    if (!m) fail(`not a designated initializer: ${item.slice(0, 80)}`);
    return { key: m[1], value: m[2].trim() };
  });
}

const unbrace = (s) => {
  const t = s.trim();
  if (!t.startsWith('{') || closing(t, 0) !== t.length - 1) fail(`expected {...}: ${t.slice(0, 80)}`);
  return t.slice(1, -1);
};
const identifiers = (expr) => [...expr.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]);

// ---------- ppm_events_public.h ----------

const header = stripComments(show('driver/ppm_events_public.h'));

function enumBody(typedefName, enumTag) {
  const re = typedefName ? new RegExp(`typedef\\s+enum\\s*\\{([^}]*)\\}\\s*${typedefName}\\s*;`) : new RegExp(`enum\\s+${enumTag}\\s*\\{([^}]*)\\}`);
  const m = re.exec(header);
  if (!m) fail(`enum ${typedefName ?? enumTag} not found`);
  return m[1];
}

/** Evaluates the enum's constant expressions (ints, shifts, |, other members). */
function enumValues(body) {
  const values = new Map();
  let next = 0;
  for (const item of splitTop(body)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*([\s\S]+))?$/.exec(item);
    if (!m) fail(`bad enum item: ${item}`);
    let v = next;
    if (m[2] !== undefined) {
      const expr = m[2].replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => {
        if (!values.has(id)) fail(`unknown enum constant ${id}`);
        return String(values.get(id));
      });
      if (!/^[\d\s()<|+-]*$/.test(expr)) fail(`unsupported enum expression: ${m[2]}`);
      v = Function(`"use strict"; return (${expr});`)();
    }
    values.set(m[1], v);
    next = v + 1;
  }
  return values;
}

const eventCodeOf = enumValues(enumBody('ppm_event_code'));
const PPM_EVENT_MAX = eventCodeOf.get('PPM_EVENT_MAX');
eventCodeOf.delete('PPM_EVENT_MAX');
const categoryValue = enumValues(enumBody(null, 'ppm_event_category'));
const flagValue = enumValues(enumBody(null, 'ppm_event_flags'));

const scFields = /#define\s+PPM_SC_FIELDS((?:[^\n]*\\\n)*[^\n]*)/.exec(header);
if (!scFields) fail('PPM_SC_FIELDS not found');
const scNames = [];
for (const m of scFields[1].matchAll(/PPM_SC_X\(\s*([A-Z0-9_]+)\s*,\s*(\d+)\s*\)/g)) {
  scNames[Number(m[2])] = m[1].toLowerCase();
}
const PPM_SC_MAX = scNames.length;
for (let i = 0; i < PPM_SC_MAX; i++) scNames[i] ??= '';
const scCodeOf = new Map(scNames.map((n, i) => [`PPM_SC_${n.toUpperCase()}`, i]));

// ---------- event_table.c ----------

const table = stripComments(show('driver/event_table.c'));
const events = new Array(PPM_EVENT_MAX);
for (const { key, value } of designated(arrayBody(table, 'g_event_info'))) {
  const code = eventCodeOf.get(key);
  if (code === undefined) fail(`event ${key} not in enum ppm_event_code`);
  const fields = splitTop(unbrace(value));
  const name = /^"([^"]*)"$/.exec(fields[0])?.[1];
  if (name === undefined) fail(`${key}: bad name ${fields[0]}`);
  const categories = identifiers(fields[1]);
  const flags = identifiers(fields[2]).filter((f) => f !== 'EF_NONE');
  for (const c of categories) if (!categoryValue.has(c)) fail(`${key}: unknown category ${c}`);
  for (const f of flags) if (!flagValue.has(f)) fail(`${key}: unknown flag ${f}`);
  const nparams = Number(fields[3]);
  const params =
    fields[4] === undefined
      ? []
      : splitTop(unbrace(fields[4])).map((p) => {
          const [pname, ptype, pfmt, pinfo] = splitTop(unbrace(p));
          const param = { name: /^"([^"]*)"$/.exec(pname)[1], type: ptype, fmt: pfmt ?? 'PF_NA' };
          if (pinfo !== undefined) {
            const dirfd = /^DIRFD_PARAM\(\s*(\d+)\s*\)$/.exec(pinfo);
            if (dirfd) param.dirfd = Number(dirfd[1]);
            else if (ptype === 'PT_DYN') param.dynamic = pinfo;
            else param.values = pinfo;
            if (!dirfd && !/^[a-z0-9_]+$/.test(pinfo)) fail(`${key}: unexpected param info ${pinfo}`);
          }
          return param;
        });
  if (params.length !== nparams) fail(`${key}: declares ${nparams} params, lists ${params.length}`);
  events[code] = {
    code,
    id: key,
    name,
    direction: code % 2 === 0 ? 'enter' : 'exit', // PPME_IS_ENTER(x) is ((x & 1) == 0)
    categories,
    flags,
    params,
  };
}
for (let c = 0; c < PPM_EVENT_MAX; c++) if (!events[c]) fail(`event code ${c} missing from g_event_info`);
const categoryMask = (e) => e.categories.reduce((a, c) => a | categoryValue.get(c), 0);
const hasFlag = (e, f) => e.flags.includes(f);

// ---------- libscap g_events_to_sc_map ----------

const scMapSrc = stripComments(show('userspace/libscap/linux/scap_ppm_sc.c'));
const eventToSc = Array.from({ length: PPM_EVENT_MAX }, () => []);
for (const { key, value } of designated(arrayBody(scMapSrc, 'g_events_to_sc_map'))) {
  const code = eventCodeOf.get(key);
  if (code === undefined) fail(`g_events_to_sc_map: unknown event ${key}`);
  if (value === 'NULL') continue;
  const list = /^\(\s*ppm_sc_code\s*\[\s*\]\s*\)\s*(\{[\s\S]*\})$/.exec(value);
  if (!list) fail(`g_events_to_sc_map[${key}]: unexpected ${value.slice(0, 60)}`);
  for (const item of splitTop(unbrace(list[1]))) {
    if (item === '-1') break;
    const sc = scCodeOf.get(item);
    if (sc === undefined) fail(`g_events_to_sc_map[${key}]: unknown ${item}`);
    eventToSc[code].push(sc);
  }
}

// ---------- syscall table: UF_NEVER_DROP ppm_sc for ARCH ----------

const compat = show(`driver/syscall_compat_${arch}.h`);
const definedNr = new Set([...compat.matchAll(/#define\s+(__NR_[A-Za-z0-9_]+)\s/g)].map((m) => m[1]));
const neverDropSc = new Set();
{
  const lines = stripComments(show('driver/syscall_table.c')).split('\n');
  const active = [true];
  for (const line of lines) {
    const pp = /^\s*#\s*(ifdef|ifndef|if|else|endif)\b\s*(\S*)/.exec(line);
    if (pp) {
      const top = active[active.length - 1];
      if (pp[1] === 'ifdef') active.push(top && definedNr.has(pp[2]));
      else if (pp[1] === 'ifndef') active.push(top && !definedNr.has(pp[2]));
      else if (pp[1] === 'if')
        active.push(top && false); // only `__KERNEL__ && __mips__` occurs
      else if (pp[1] === 'else') {
        const taken = active.pop();
        active.push(active[active.length - 1] && !taken);
      } else active.pop();
      continue;
    }
    if (!active[active.length - 1]) continue;
    const m = /^\s*\[\s*(__NR_\w+)[^\]]*\]\s*=\s*\{([^}]*)\}/.exec(line);
    if (!m) continue;
    const [flagsExpr, , , sc] = splitTop(m[2]);
    if (identifiers(flagsExpr).includes('UF_NEVER_DROP')) {
      if (!scCodeOf.has(sc)) fail(`syscall table: unknown ${sc}`);
      neverDropSc.add(scCodeOf.get(sc));
    }
  }
}

// ---------- emulation of the libscap / libsinsp set helpers ----------

const EC_SYSCALL = categoryValue.get('EC_SYSCALL');
const EC_TRACEPOINT = categoryValue.get('EC_TRACEPOINT');
// scap_get_ppm_sc_from_events
const scFromEvents = (codes) => new Set([...codes].flatMap((c) => eventToSc[c]));
// scap_get_events_from_ppm_sc
const eventsFromSc = (scs) => new Set(events.filter((e) => eventToSc[e.code].some((s) => scs.has(s))).map((e) => e.code));
// scap_get_syscall_category_from_event: low bits of the category
const syscallCategory = (e) => categoryMask(e) & (EC_SYSCALL - 1);
const GENERIC = new Set([eventCodeOf.get('PPME_GENERIC_E'), eventCodeOf.get('PPME_GENERIC_X')]);

// libsinsp::events::io_sc_set(): events whose syscall category is EC_IO_READ or EC_IO_WRITE
const ioRead = categoryValue.get('EC_IO_READ');
const ioWrite = categoryValue.get('EC_IO_WRITE');
const ioSc = scFromEvents(events.filter((e) => [ioRead, ioWrite].includes(syscallCategory(e))).map((e) => e.code));
// libsinsp::events::sinsp_state_sc_set() = scap_get_modifies_state_ppm_sc()
const stateSc = new Set([
  ...scFromEvents(events.filter((e) => e.code >= 2 && hasFlag(e, 'EF_MODIFIES_STATE') && categoryMask(e) & (EC_SYSCALL | EC_TRACEPOINT)).map((e) => e.code)),
  ...neverDropSc,
]);
// falco::app::ignored_sc_set()
const ignoredSc = new Set([...ioSc].filter((s) => !stateSc.has(s)));
// libsinsp::events::sc_set_to_event_names()
function scSetToEventNames(scs) {
  const evs = [...eventsFromSc(scs)].filter((c) => !GENERIC.has(c));
  const names = new Set(evs.map((c) => events[c].name));
  const covered = scFromEvents(evs);
  for (const s of scs) if (!covered.has(s) && scNames[s] !== '') names.add(scNames[s]);
  return names;
}

// ---------- #define constants (PPM_* flag values, SE_* errno and signal numbers) ----------

/** `#define NAME value` constants of a C file whose value is an integer expression. */
function defines(src, into = new Map()) {
  const text = stripComments(src).replace(/\\\n/g, ' ');
  const raw = new Map();
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+([^\n]+)$/gm)) raw.set(m[1], m[2].trim());
  const evaluating = new Set();
  const value = (name) => {
    if (into.has(name)) return into.get(name);
    const expr = raw.get(name);
    if (expr === undefined || evaluating.has(name)) return undefined;
    evaluating.add(name);
    let ok = true;
    // C literals: hex, octal (leading 0), decimal, with U/L suffixes; casts to integer types dropped
    const js = expr
      .replace(/\(\s*(?:unsigned\s+)?(?:u?int\d+_t|int|long|unsigned)\s*\)/g, '')
      .replace(/\b(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*\b/g, (lit) => {
        const t = lit.replace(/[uUlL]+$/, '');
        const v = /^0[xX]/.test(t) ? BigInt(t) : /^0[0-7]+$/.test(t) ? BigInt(`0o${t.slice(1)}`) : BigInt(t);
        return `${v}n`;
      })
      .replace(/\b[A-Za-z_][A-Za-z0-9_]*\b(?!n\b)/g, (id) => {
        const v = value(id);
        if (v === undefined) ok = false;
        return `${v}n`;
      });
    evaluating.delete(name);
    if (!ok || !/^[\dn\s()<>|&~+\-*]*$/.test(js)) return undefined;
    let v;
    try {
      v = Function(`"use strict"; return (${js});`)();
    } catch {
      return undefined;
    }
    if (typeof v !== 'bigint') return undefined;
    into.set(name, v);
    return v;
  };
  for (const name of raw.keys()) value(name);
  return into;
}
const ppmDefines = defines(show('driver/ppm_events_public.h'));

// ---------- flags_table.c: value tables of flag and enum parameters ----------

// The only conditional is `#ifndef CONFIG_64BIT` (a kernel option, never defined when libsinsp is
// built), so every entry is kept.
const flagsSrc = stripComments(show('driver/flags_table.c')).replace(/^[ \t]*#[ \t]*(?:ifndef|endif)\b.*$/gm, '');
const valueTables = {};
for (const m of flagsSrc.matchAll(/const\s+struct\s+ppm_name_value\s+([a-z0-9_]+)\s*\[\s*\]\s*=\s*\{/g)) {
  const open = m.index + m[0].length - 1;
  const entries = [];
  for (const item of splitTop(flagsSrc.slice(open + 1, closing(flagsSrc, open)))) {
    const [n, v] = splitTop(unbrace(item));
    if (n === '0' || n === 'NULL') break; // terminator
    const name = /^"([^"]*)"$/.exec(n)?.[1];
    const value = /^\d+$/.test(v) ? BigInt(v) : (ppmDefines.get(v) ?? enumConstant(v));
    if (name === undefined || value === undefined) fail(`flags_table.c ${m[1]}: cannot evaluate ${item}`);
    // [name, value] in table order: libsinsp walks the table in this order when it renders flags
    entries.push([name, Number(BigInt.asUintN(32, value))]);
  }
  valueTables[m[1]] = entries;
}
for (const e of events) {
  for (const p of e.params) if (p.values !== undefined && !valueTables[p.values]) fail(`${e.id}.${p.name}: no value table ${p.values}`);
}

// ---------- dynamic_params_table.c: the per-index layouts of PT_DYN parameters ----------

const dynSrc = stripComments(show('driver/dynamic_params_table.c'));
const dynamicParams = {};
for (const m of dynSrc.matchAll(/const\s+struct\s+ppm_param_info\s+([a-z0-9_]+)\s*\[[^\]]*\]\s*=\s*\{/g)) {
  const open = m.index + m[0].length - 1;
  const list = [];
  for (const { key, value } of designated(dynSrc.slice(open + 1, closing(dynSrc, open)))) {
    const idx = ppmDefines.get(key) ?? enumConstant(key);
    const [, type, fmt] = splitTop(unbrace(value));
    list[Number(idx)] = { type, fmt };
  }
  dynamicParams[m[1]] = list;
}
function enumConstant(name) {
  for (const em of header.matchAll(/enum\s*[A-Za-z0-9_]*\s*\{([^}]*)\}/g)) {
    if (em[1].includes('#') || !new RegExp(`\\b${name}\\b`).test(em[1])) continue;
    const vals = enumValues(em[1].replace(/\s+/g, ' '));
    if (vals.has(name)) return BigInt(vals.get(name));
  }
  fail(`constant ${name} not found`);
}

// ---------- libsinsp errno and signal names (sinsp_utils::errno_to_str / signal_to_str) ----------

function caseNames(fnName, constHeader) {
  const consts = defines(show(constHeader));
  const utils = stripComments(show('userspace/libsinsp/utils.cpp'));
  const at = utils.indexOf(fnName);
  if (at < 0) fail(`${fnName} not found`);
  const open = utils.indexOf('{', at);
  const body = utils.slice(open, closing(utils, open));
  const out = {};
  for (const m of body.matchAll(/case\s+([A-Z0-9_]+)\s*:\s*return\s+"([^"]*)"/g)) {
    const v = consts.get(m[1]);
    if (v === undefined) fail(`${fnName}: unknown ${m[1]}`);
    out[String(v)] = m[2];
  }
  return out;
}
const errnoNames = caseNames('sinsp_utils::errno_to_str(', 'userspace/libsinsp/sinsp_errno.h');
const signalNames = caseNames('sinsp_utils::signal_to_str(', 'userspace/libsinsp/sinsp_signal.h');

// ---------- libscap savefile converter table (converter/table.cpp) ----------

const convSrc = stripComments(show('userspace/libscap/engine/savefile/converter/table.cpp'));
const conversions = [];
for (const m of convSrc.matchAll(/\{\s*conversion_key\s*\{\s*([A-Z0-9_]+)\s*,\s*(\d+)\s*\}\s*,/g)) {
  const start = m.index;
  const item = convSrc.slice(start, closing(convSrc, start) + 1);
  const code = eventCodeOf.get(m[1]);
  if (code === undefined) fail(`converter: unknown event ${m[1]}`);
  const action = /\.action\(\s*C_ACTION_([A-Z_]+)\s*\)/.exec(item)?.[1];
  if (!action) fail(`converter ${m[1]}/${m[2]}: no action`);
  const desired = /\.desired_type\(\s*([A-Z0-9_]+)\s*\)/.exec(item)?.[1];
  const conv = { code, nparams: Number(m[2]), action: action.toLowerCase() };
  if (desired !== undefined) {
    conv.to = eventCodeOf.get(desired);
    if (conv.to === undefined) fail(`converter: unknown event ${desired}`);
  }
  const instrsAt = item.indexOf('.instrs(');
  if (instrsAt >= 0) {
    const open = item.indexOf('{', instrsAt);
    conv.instrs = splitTop(item.slice(open + 1, closing(item, open))).map((instr) => {
      const [c, n, f, cb] = splitTop(unbrace(instr));
      const kind = /^C_INSTR_FROM_([A-Z]+)$/.exec(c)?.[1];
      if (!kind || (n !== undefined && !/^\d+$/.test(n))) fail(`converter ${m[1]}/${m[2]}: bad instruction ${instr}`);
      const out = { from: kind.toLowerCase(), param: Number(n ?? 0) };
      if (f === 'CIF_FALLBACK_TO_EMPTY') out.fallbackEmpty = true;
      else if (f !== undefined && f !== 'CIF_NO_FLAGS') fail(`converter: unknown flag ${f}`);
      if (cb !== undefined) out.callback = cb;
      return out;
    });
  }
  conversions.push(conv);
}

// ---------- outputs ----------

const genericE = eventCodeOf.get('PPME_GENERIC_E');
const genericEventSyscalls = [...new Set(eventToSc[genericE].map((s) => scNames[s]))].sort();
const eventNamesFrom2 = new Set(events.filter((e) => e.code >= 2).map((e) => e.name));
const genericSyscalls = [...new Set(scNames.filter((n) => n !== '' && !eventNamesFrom2.has(n)))].sort();
const simpleConsumerSkipped = [...scSetToEventNames(ignoredSc)].sort();
const simpleConsumerSkippedCodes = [...eventsFromSc(ignoredSc)].sort((a, b) => a - b);

const out = {
  source: `falcosecurity/libs@${commit}`,
  events,
  genericSyscalls,
  simpleConsumerSkipped,
  genericEventSyscalls,
  simpleConsumerSkippedCodes,
  scNames,
};
const outPath = new URL('../src/fields/event-table.json', import.meta.url);
writeFileSync(outPath, `${JSON.stringify(out)}\n`);

// What a capture reader and a parameter renderer need beyond the table (kept apart so the
// evaluator's start-up does not parse it).
const values = {
  source: `falcosecurity/libs@${commit}`,
  valueTables,
  dynamicParams,
  errnoNames,
  signalNames,
  conversions,
};
writeFileSync(new URL('../src/fields/event-values.json', import.meta.url), `${JSON.stringify(values)}\n`);

const distinct = new Set(events.map((e) => e.name));
console.log(
  `libs@${commit.slice(0, 12)} (${arch}): ${events.length} event codes, ${distinct.size} distinct names, ` +
    `${PPM_SC_MAX} ppm_sc codes, ${genericSyscalls.length} names resolving to generic events ` +
    `(${genericEventSyscalls.length} routed through them), ${simpleConsumerSkipped.length} skipped without -A`,
);
