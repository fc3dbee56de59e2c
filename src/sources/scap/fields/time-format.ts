/**
 * Event times as libsinsp prints them (ts_to_string, ts_to_iso_8601): local time of day
 * and date with the zone offset fixed when rules are compiled (libsinsp reads it once per
 * call from the current time, not the event's), ISO 8601 always in UTC.
 */
const NS_PER_S = 1_000_000_000n;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The local zone's offset from UTC in seconds, now (what libsinsp's gmt2local(0) gives). */
export function localOffsetSeconds(): number {
  return -new Date().getTimezoneOffset() * 60;
}

/** `HH:MM:SS[.nnnnnnnnn]`, optionally preceded by `YYYY-MM-DD `. */
export function timeString(ts: bigint, offsetSeconds: number, date: boolean, ns: boolean): string {
  const sec = Number(ts / NS_PER_S) + offsetSeconds;
  const nsec = Number(ts % NS_PER_S);
  const s = ((sec % 86400) + 86400) % 86400;
  let out = '';
  if (date) {
    const d = new Date((sec - s) * 1000);
    out = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} `;
  }
  out += `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor((s % 3600) / 60), 2)}:${pad(s % 60, 2)}`;
  if (ns) out += `.${pad(nsec, 9)}`;
  return out;
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000`. */
export function iso8601(ts: bigint): string {
  const sec = Number(ts / NS_PER_S);
  const nsec = Number(ts % NS_PER_S);
  const d = new Date(sec * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(nsec, 9)}+0000`
  );
}
