/**
 * Facts about event codes the extractors test per event, from libsinsp's event table
 * (src/fields/event-table.json), in flat arrays indexed by code so a test is one load.
 */
import eventTable from '../../../fields/event-table.json' with { type: 'json' };

interface Entry {
  code: number;
  id: string;
  name: string;
  direction: 'enter' | 'exit';
  flags: string[];
  categories: string[];
  params: { name: string; type: string }[];
}

const events = (eventTable as { events: Entry[] }).events;

// EF_* flags, as bits of our own (libsinsp's values do not matter here).
export const EF_CREATES_FD = 1;
export const EF_DESTROYS_FD = 2;
export const EF_USES_FD = 4;
export const EF_READS_FROM_FD = 8;
export const EF_WRITES_TO_FD = 16;
export const EF_WAITS = 32;
const FLAG_BITS: Record<string, number> = {
  EF_CREATES_FD,
  EF_DESTROYS_FD,
  EF_USES_FD,
  EF_READS_FROM_FD,
  EF_WRITES_TO_FD,
  EF_WAITS,
};

/** The category names `evt.category` prints, by libsinsp's EC_* (I/O ones refined by fd). */
const CATEGORY_NAMES: Record<string, string> = {
  EC_UNKNOWN: 'unknown',
  EC_OTHER: 'other',
  EC_FILE: 'file',
  EC_NET: 'net',
  EC_IPC: 'IPC',
  EC_MEMORY: 'memory',
  EC_PROCESS: 'process',
  EC_SLEEP: 'sleep',
  EC_SYSTEM: 'system',
  EC_SIGNAL: 'signal',
  EC_USER: 'user',
  EC_TIME: 'time',
  EC_PROCESSING: 'processing',
  EC_IO_READ: 'io',
  EC_IO_WRITE: 'io',
  EC_IO_OTHER: 'io',
  EC_WAIT: 'wait',
  EC_SCHEDULER: 'scheduler',
  EC_INTERNAL: 'internal',
  EC_SYSCALL: 'syscall',
  EC_TRACEPOINT: 'tracepoint',
  EC_PLUGIN: 'plugin',
  EC_METAEVENT: 'meta',
};

/** Category kinds the extractors branch on. */
export const CAT_OTHER = 0;
export const CAT_IO_READ = 1;
export const CAT_IO_WRITE = 2;
export const CAT_IO_OTHER = 3;
export const CAT_MEMORY = 4;

/** Category bits that say where an event comes from, not what it is. */
const SOURCE_CATEGORIES = new Set(['EC_SYSCALL', 'EC_TRACEPOINT', 'EC_PLUGIN', 'EC_METAEVENT', 'EC_ITER']);

const size = events.length;
export const eventFlags = new Uint8Array(size);
export const eventIsExit = new Uint8Array(size);
export const eventIsSyscall = new Uint8Array(size);
export const eventCategoryKind = new Uint8Array(size);
/** The name `evt.category` prints for the event (`io` for I/O ones, refined by the fd). */
export const eventCategoryName: string[] = new Array(size);
export const eventName: string[] = new Array(size);
/** The PPME_* identifier, to find events by libsinsp's names. */
export const eventId: string[] = new Array(size);
/** Index of the `fd` parameter (-1 if none): the fd an EF_USES_FD event works on. */
export const eventFdParam = new Int8Array(size);
export const eventParamNames: string[][] = new Array(size);

for (const e of events) {
  const c = e.code;
  let f = 0;
  for (const name of e.flags) f |= FLAG_BITS[name] ?? 0;
  eventFlags[c] = f;
  eventIsExit[c] = e.direction === 'exit' ? 1 : 0;
  eventIsSyscall[c] = e.categories.includes('EC_SYSCALL') ? 1 : 0;
  // The main category is the first one that is not the EC_SYSCALL/EC_TRACEPOINT/... source tag.
  const main = e.categories.find((x) => !SOURCE_CATEGORIES.has(x)) ?? e.categories[0] ?? 'EC_UNKNOWN';
  eventCategoryName[c] = CATEGORY_NAMES[main] ?? 'unknown';
  eventCategoryKind[c] =
    main === 'EC_IO_READ'
      ? CAT_IO_READ
      : main === 'EC_IO_WRITE'
        ? CAT_IO_WRITE
        : main === 'EC_IO_OTHER'
          ? CAT_IO_OTHER
          : main === 'EC_MEMORY'
            ? CAT_MEMORY
            : CAT_OTHER;
  eventName[c] = e.name;
  eventId[c] = e.id;
  eventFdParam[c] = e.params.findIndex((p) => p.name === 'fd' && p.type === 'PT_FD');
  eventParamNames[c] = e.params.map((p) => p.name);
}

/** The code of a PPME_* identifier (throws on a typo: a build-time fact). */
export function codeOf(id: string): number {
  const i = eventId.indexOf(id);
  if (i < 0) throw new Error(`no event ${id} in the event table`);
  return i;
}

/** Index of parameter `name` in events of code `code`, -1 if it has none. */
export function paramIndex(code: number, name: string): number {
  return eventParamNames[code]?.indexOf(name) ?? -1;
}
