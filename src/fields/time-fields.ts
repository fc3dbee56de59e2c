/**
 * The event time fields libsinsp derives from the event timestamp (sinsp_filter_check_gen_event
 * and evt.outputtime): a capture that carries only `evt.rawtime` still has them all, printed
 * as libsinsp prints them. A capture converted with `sysdig -j` holds the text fields as the
 * raw nanosecond number (libsinsp's JSON form of them): those are formatted the same way.
 */

/** Field name to the value derived from the timestamp (nanoseconds since the epoch). */
export const TIME_FIELDS: Readonly<Record<string, (ns: bigint) => string | number>> = {
  'evt.time': (ns) => clock(ns, true),
  // evt.outputtime follows sysdig's -t option; its default ('h') is evt.time.
  'evt.outputtime': (ns) => clock(ns, true),
  'evt.time.s': (ns) => clock(ns, false),
  'evt.time.iso8601': (ns) => iso8601(ns),
  'evt.datetime': (ns) => `${date(ns)} ${clock(ns, true)}`,
  'evt.datetime.s': (ns) => `${date(ns)} ${clock(ns, false)}`,
  'evt.rawtime.s': (ns) => Number(ns / NS),
  'evt.rawtime.ns': (ns) => Number(ns % NS),
};

/** The text fields among them: a number under their own key is a timestamp to format. */
export const TIME_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'evt.time',
  'evt.outputtime',
  'evt.time.s',
  'evt.time.iso8601',
  'evt.datetime',
  'evt.datetime.s',
]);

const NS = 1_000_000_000n;
const DAY = 86_400;

/**
 * libsinsp shifts times by the local zone's offset from UTC as it is now (not as it was at
 * the event), once per process here.
 */
const ZONE_SECONDS = -new Date().getTimezoneOffset() * 60;

/** A timestamp from a capture value: a number, a bigint or a decimal string; else undefined. */
export function timestampOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v >= 0n ? v : undefined;
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? BigInt(Math.trunc(v)) : undefined;
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return BigInt(v);
  return undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function localSeconds(ns: bigint): number {
  return Number(ns / NS) + ZONE_SECONDS;
}

/** `HH:MM:SS` or `HH:MM:SS.nnnnnnnnn`, local time. */
function clock(ns: bigint, nanos: boolean): string {
  const s = ((localSeconds(ns) % DAY) + DAY) % DAY;
  const text = `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return nanos ? `${text}.${pad(Number(ns % NS), 9)}` : text;
}

/** `YYYY-MM-DD`, local date. */
function date(ns: bigint): string {
  const d = new Date(localSeconds(ns) * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000`: always UTC, as libsinsp writes it. */
function iso8601(ns: bigint): string {
  const d = new Date(Number(ns / NS) * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(Number(ns % NS), 9)}+0000`
  );
}
