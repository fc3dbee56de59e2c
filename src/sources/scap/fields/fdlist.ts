/**
 * fdlist.* fields (libsinsp's sinsp_filter_check_fdlist): for poll/ppoll exits, one entry
 * per polled fd, comma separated, from the fd list parameter (a 16-bit count, then per fd
 * a 64-bit number and 16-bit flags, little-endian).
 */
import type { ScapEvent } from '../event.js';
import type { FdInfo, StateView } from '../state/model.js';
import { ipText } from './common.js';
import { codeOf } from './event-info.js';
import { fdTable } from './fd.js';
import type { Extractor } from './types.js';

const POLL_X = codeOf('PPME_SYSCALL_POLL_X');
const PPOLL_X = codeOf('PPME_SYSCALL_PPOLL_X');

/** One entry for an fd, or undefined to skip it (with its comma). */
type Entry = (num: bigint, fd: FdInfo | undefined) => string | undefined;

function readI64(b: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i] ?? 0);
  return BigInt.asIntN(64, v);
}

function list(entry: Entry): Extractor {
  return (ev: ScapEvent, s: StateView) => {
    if ((ev.type !== POLL_X && ev.type !== PPOLL_X) || ev.paramCount < 2) return undefined;
    const t = s.thread(ev.tid);
    if (t === undefined) return undefined;
    const b = ev.paramBytes(1);
    if (b.length < 2) return undefined;
    const n = (b[0] ?? 0) | ((b[1] ?? 0) << 8);
    const table = fdTable(t, s);
    const parts: string[] = [];
    for (let j = 0, pos = 2; j < n && pos + 8 <= b.length; j++, pos += 10) {
      const num = readI64(b, pos);
      const e = entry(num, table.get(Number(num)));
      if (e !== undefined) parts.push(e);
    }
    return parts.length === 0 ? undefined : parts.join(',');
  };
}

const isSock = (fd: FdInfo | undefined) => fd !== undefined && (fd.type === 'ipv4' || fd.type === 'ipv6') && fd.tuple !== undefined;

/** libsinsp prints an IPv6 server socket's address with the IPv4 printer (its first four bytes). */
function serverIp(fd: FdInfo): string | undefined {
  // bind keeps the address in `server`; the capture's fd list as the tuple's server end
  const a = fd.server?.ip ?? fd.tuple?.dip;
  if (a === undefined) return undefined;
  return ipText(fd.type === 'ipv6_server' ? a.subarray(0, 4) : a);
}

export const FDLIST_FIELDS: Record<string, () => Extractor> = {
  'fdlist.nums': () => list((num) => String(num)),
  'fdlist.names': () => list((_num, fd) => (fd !== undefined && fd.name !== '' ? fd.name : '<NA>')),
  'fdlist.cips': () => list((_num, fd) => (isSock(fd) ? ipText(fd!.tuple!.sip) : undefined)),
  'fdlist.sips': () =>
    list((_num, fd) => {
      if (fd === undefined) return undefined;
      if (isSock(fd)) return ipText(fd.tuple!.dip);
      if (fd.type === 'ipv4_server' || fd.type === 'ipv6_server') return serverIp(fd);
      return undefined;
    }),
  'fdlist.cports': () => list((_num, fd) => (isSock(fd) ? String(fd!.tuple!.sport) : undefined)),
  'fdlist.sports': () => list((_num, fd) => (isSock(fd) ? String(fd!.tuple!.dport) : undefined)),
};
