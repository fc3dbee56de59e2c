/**
 * The event table seen by name: which event code a (name, direction) pair stands for, and
 * the parameter layout of every code. Several codes share a name (old layouts of execve,
 * clone, ...); by name the synthesizer picks the one the current drivers emit, the one the
 * table does not mark EF_OLD_VERSION (the newest code when all are old).
 */
import eventTable from '../../../fields/event-table.json' with { type: 'json' };

export interface ParamInfo {
  readonly name: string;
  readonly type: string;
}

export interface EventInfo {
  readonly code: number;
  readonly id: string;
  readonly name: string;
  readonly direction: 'enter' | 'exit';
  readonly flags: readonly string[];
  readonly params: readonly ParamInfo[];
  /** EF_LARGE_PAYLOAD: parameter lengths are 32-bit instead of 16-bit. */
  readonly largePayload: boolean;
}

const raw = (eventTable as { events: Omit<EventInfo, 'largePayload'>[] }).events;

/** Event info by code. */
export const EVENTS: readonly EventInfo[] = raw.map((e) => ({ ...e, largePayload: e.flags.includes('EF_LARGE_PAYLOAD') }));

const byId = new Map<string, EventInfo>();
const byName = new Map<string, EventInfo>();
for (const e of EVENTS) {
  byId.set(e.id, e);
  if (e.name === 'NA') continue;
  const key = `${e.name}/${e.direction}`;
  const prev = byName.get(key);
  const old = e.flags.includes('EF_OLD_VERSION');
  // A current layout wins over an old one; among equals the later (newer) code wins.
  if (prev === undefined || !old || prev.flags.includes('EF_OLD_VERSION')) byName.set(key, e);
}

/** The code of a PPME_* id (throws on a typo: the ids are constants of this code base). */
export function codeOf(id: string): number {
  const e = byId.get(id);
  if (e === undefined) throw new Error(`unknown event id ${id}`);
  return e.code;
}

/** The event a name and direction stand for (the current layout), or undefined. */
export function eventByName(name: string, direction: 'enter' | 'exit'): EventInfo | undefined {
  return byName.get(`${name}/${direction}`);
}

/** The event with a PPME_* id, or undefined. */
export function eventById(id: string): EventInfo | undefined {
  return byId.get(id);
}
