/**
 * The event table as the scap reader, converter and renderer use it: per event code, its
 * parameters (type, print format, value table) and the flags that decide how libscap reads and
 * converts it. Built once from src/fields/event-table.json and event-values.json (both generated
 * by scripts/gen-event-table.mjs from falcosecurity/libs).
 */
import eventTable from '../../fields/event-table.json' with { type: 'json' };
import eventValues from '../../fields/event-values.json' with { type: 'json' };

export interface ParamInfo {
  readonly name: string;
  /** libs ppm_param_type name: PT_FD, PT_CHARBUF, ... */
  readonly type: string;
  /** libs ppm_print_format name: PF_DEC, PF_HEX, PF_OCT, PF_10_PADDED_DEC, PF_ID, PF_DIR, PF_NA. */
  readonly fmt: string;
  /** Flag or enum parameters: [name, value] pairs in libs table order. */
  readonly values?: readonly (readonly [string, number])[];
  /** PT_DYN parameters: the layout by the index byte that starts the value. */
  readonly dynamic?: readonly { readonly type: string; readonly fmt: string }[];
  /** PT_FSRELPATH: index of the dirfd parameter the path is relative to. */
  readonly dirfd?: number;
}

export interface EventInfo {
  readonly code: number;
  /** PPME_* name of the code. */
  readonly id: string;
  readonly name: string;
  readonly direction: 'enter' | 'exit';
  readonly params: readonly ParamInfo[];
  readonly flags: readonly string[];
}

interface RawParam {
  name: string;
  type: string;
  fmt?: string;
  values?: string;
  dynamic?: string;
  dirfd?: number;
}
interface RawEvent {
  code: number;
  id: string;
  name: string;
  direction: 'enter' | 'exit';
  flags: string[];
  params: RawParam[];
}

export interface ConversionInstr {
  readonly from: 'old' | 'enter' | 'default' | 'empty' | 'callback';
  readonly param: number;
  readonly fallbackEmpty?: boolean;
  readonly callback?: string;
}
export interface Conversion {
  readonly code: number;
  readonly nparams: number;
  readonly action: 'store' | 'pass' | 'store_and_pass' | 'add_params' | 'change_type';
  readonly to?: number;
  readonly instrs?: readonly ConversionInstr[];
}

const values = eventValues as unknown as {
  valueTables: Record<string, [string, number][]>;
  dynamicParams: Record<string, { type: string; fmt: string }[]>;
  errnoNames: Record<string, string>;
  signalNames: Record<string, string>;
  conversions: Conversion[];
};

export const EVENTS: readonly EventInfo[] = (eventTable as unknown as { events: RawEvent[] }).events.map((e) => ({
  code: e.code,
  id: e.id,
  name: e.name,
  direction: e.direction,
  flags: e.flags,
  params: e.params.map((p) => {
    const info: { -readonly [K in keyof ParamInfo]: ParamInfo[K] } = { name: p.name, type: p.type, fmt: p.fmt ?? 'PF_NA' };
    if (p.values !== undefined) info.values = values.valueTables[p.values];
    if (p.dynamic !== undefined) info.dynamic = values.dynamicParams[p.dynamic];
    if (p.dirfd !== undefined) info.dirfd = p.dirfd;
    return info;
  }),
}));

/** Event codes at or above this are from a newer driver: libscap skips them. */
export const PPM_EVENT_MAX = EVENTS.length;

const flagArray = (flag: string): Uint8Array => Uint8Array.from(EVENTS, (e) => (e.flags.includes(flag) ? 1 : 0));
/** Parameter lengths are 32-bit (else 16-bit) for these codes. */
export const LARGE_PAYLOAD = flagArray('EF_LARGE_PAYLOAD');
export const OLD_VERSION = flagArray('EF_OLD_VERSION');
export const CONVERTER_MANAGED = flagArray('EF_CONVERTER_MANAGED');
export const UNUSED = flagArray('EF_UNUSED');
/** Number of parameters of each code in the current table. */
export const NPARAMS = Uint8Array.from(EVENTS, (e) => e.params.length);

/** libsinsp's errno names by positive errno number. */
export const ERRNO_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(values.errnoNames).map(([k, v]) => [Number(k), v]));
/** libsinsp's signal names by number. */
export const SIGNAL_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(values.signalNames).map(([k, v]) => [Number(k), v]));

/** libscap's converter table, keyed by `code * 256 + nparams`. */
export const CONVERSIONS: ReadonlyMap<number, Conversion> = new Map(values.conversions.map((c) => [c.code * 256 + c.nparams, c]));

/** Event code of a PPME_* name (throws on a name missing from the table: a programming error). */
export function codeOf(id: string): number {
  const e = EVENTS.find((x) => x.id === id);
  if (e === undefined) throw new Error(`event ${id} is not in the event table`);
  return e.code;
}

/** Value table by name (for tests and tools). */
export function valueTable(name: string): readonly (readonly [string, number])[] | undefined {
  return values.valueTables[name];
}

/** Fixed width in bytes of a parameter type, or 0 for variable-length types (ppm_param_helpers.h). */
export function fixedWidth(type: string): number {
  switch (type) {
    case 'PT_INT8':
    case 'PT_UINT8':
    case 'PT_FLAGS8':
    case 'PT_ENUMFLAGS8':
    case 'PT_SIGTYPE':
      return 1;
    case 'PT_INT16':
    case 'PT_UINT16':
    case 'PT_FLAGS16':
    case 'PT_ENUMFLAGS16':
    case 'PT_SYSCALLID':
    case 'PT_PORT':
      return 2;
    case 'PT_INT32':
    case 'PT_UINT32':
    case 'PT_FLAGS32':
    case 'PT_ENUMFLAGS32':
    case 'PT_UID':
    case 'PT_GID':
    case 'PT_MODE':
    case 'PT_SIGSET':
    case 'PT_FD32':
    case 'PT_PID32':
    case 'PT_IPV4ADDR':
      return 4;
    case 'PT_INT64':
    case 'PT_UINT64':
    case 'PT_RELTIME':
    case 'PT_ABSTIME':
    case 'PT_ERRNO':
    case 'PT_FD':
    case 'PT_PID':
      return 8;
    case 'PT_IPV6ADDR':
      return 16;
    default:
      return 0;
  }
}
