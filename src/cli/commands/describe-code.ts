/**
 * `kestrel describe --code`: the JavaScript the engine generated for each event type, as it
 * runs it. Event types whose rules specialise alike share one program, printed once with
 * all its types. Each program is preceded by a header naming its types, the rules it tries
 * in order, and what its other references (`r0`, `r1`, ...) hold.
 */
import type { Engine, EngineRule } from '../../evaluator/engine.js';
import type { CompiledProgram } from '../../evaluator/program-builder.js';
import { allEventNames, genericSyscallNames, isKnownEventName } from '../../fields/events.js';

export interface ProgramCode {
  eventTypes: string[];
  /** Names of the rules the program tries, in order. */
  rules: string[];
  /** The body of `function program(refs) { ... }`, which returns the function run per event. */
  source: string;
  /** What each `rN` the source uses holds, by N. */
  refs: string[];
}

/** The programs for `eventType`, or for every event type some rule can match; an error message for an unknown type. */
export function programCode<E>(engine: Engine<E>, eventType: string | undefined): ProgramCode[] | { error: string } {
  if (eventType !== undefined && !isKnownEventName(eventType)) {
    return { error: `unknown event type "${eventType}": give an event or syscall name such as execve or openat (kestrel fields lists evt.type's values)` };
  }
  const types = eventType !== undefined ? [eventType] : allEventNames().filter((t) => t !== 'NA');
  const byProgram = new Map<CompiledProgram<E, EngineRule>, string[]>();
  // A syscall without an event of its own (evt.type = setns, say) gets a program of its own
  // only when some rule names it; the others run the generic `syscall` program.
  const generic = engine.compiled('syscall');
  if (eventType === undefined) types.push(...genericSyscallNames().filter((t) => engine.compiled(t) !== generic));
  for (const type of types) {
    const compiled = engine.compiled(type);
    // A type no rule can match has no program (unless it was asked for by name).
    if (compiled.values.length === 0 && eventType === undefined) continue;
    const list = byProgram.get(compiled);
    if (list) list.push(type);
    else byProgram.set(compiled, [type]);
  }
  return [...byProgram].map(([compiled, eventTypes]) => ({
    eventTypes,
    rules: compiled.values.map((r) => r.rule.name),
    source: compiled.source,
    refs: compiled.refs.map((value, i) => describeRef(value, compiled.labels[i] ?? '')),
  }));
}

function describeRef(value: unknown, label: string): string {
  if (isEngineRule(value)) return `rule ${JSON.stringify(value.rule.name)} (pushed to m when it matches)`;
  if (value instanceof Set) return `${label}: set of ${value.size} (${preview([...value])})`;
  return label || typeof value;
}

function isEngineRule(value: unknown): value is EngineRule {
  return typeof value === 'object' && value !== null && 'rule' in value && 'index' in value;
}

function preview(items: unknown[]): string {
  const shown = items.slice(0, 5).map((i) => JSON.stringify(i));
  return shown.join(', ') + (items.length > 5 ? ', ...' : '');
}

/** The program as text: a header comment, then a function that evaluates to what `run` is made from. */
export function renderProgram(p: ProgramCode, matching: string): string {
  const header = [
    `// Program for event type${p.eventTypes.length > 1 ? 's' : ''} ${p.eventTypes.join(', ')} (rule_matching: ${matching})`,
    p.rules.length > 0 ? `// Rules tried in order (${p.rules.length}):` : '// No rule can match these events.',
    ...p.rules.map((name, i) => `//   ${i + 1}. ${name}`),
  ];
  const used = p.refs.map((what, i) => `//   r${i}: ${what.length > 160 ? `${what.slice(0, 157)}...` : what}`);
  if (used.length > 0) header.push('// References (refs[i] is ri):', ...used);
  return `${header.join('\n')}\nfunction program(refs) {\n${p.source}\n}\n`;
}
