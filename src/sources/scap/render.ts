/**
 * Event parameters as text, as libsinsp renders them (userspace/libsinsp/event.cpp
 * get_param_as_str, sinsp_filtercheck_event.cpp for evt.args / evt.arg / evt.rawarg,
 * sinsp_filtercheck.cpp rawval_to_string for raw values). See docs/scap.md.
 *
 * A parameter renders as a value and a "resolved" text (empty when there is none): evt.arg
 * gives the resolved text when there is one, evt.args writes `name=value(resolved)`.
 * What libsinsp resolves from its state (fd names, thread names, users, cwd) comes from the
 * optional hooks of a RenderContext, which the state engine provides.
 */
import type { ScapEvent } from './event.js';
import { formatIpv4, formatIpv6 } from './net.js';
import { ERRNO_NAMES, EVENTS, SIGNAL_NAMES } from './tables.js';
import {
  absTime,
  BITS,
  bufferDots,
  cDoubleG,
  cInt,
  concatenatePaths,
  cSmall,
  cString,
  flagNames,
  int64Text,
  isLegacyNull,
  modeNames,
  NA_BYTES,
  numericConv,
  readInt,
  readSmall,
  sockaddr as sockaddrText,
  socktuple as socktupleText,
} from './value-text.js';

export { bufferDots, cDoubleG, cInt, concatenatePaths } from './value-text.js';

import eventTable from '../../fields/event-table.json' with { type: 'json' };

const SC_NAMES = (eventTable as unknown as { scNames: string[] }).scNames;
const GENERIC_X = EVENTS.findIndex((e) => e.id === 'PPME_GENERIC_X');

/** What an fd parameter resolves to when the state knows the fd (libsinsp's `<f>/etc/passwd`). */
export interface FdRef {
  /** fd.typechar: f, d, 4, 6, u, p, e, s, l, i, t, n, b, r, m, P, o, ... */
  typechar: string;
  name: string;
  /** IPv4/IPv6 sockets: t, u, i or r (tcp, udp, icmp, raw). */
  l4?: string;
}

export interface RenderContext {
  /**
   * The event's thread is known to the state. libsinsp resolves nothing (no fd names, no
   * AT_FDCWD, no errno for a negative fd, no cwd, no users) for an event without a thread.
   * Defaults to true when `fd` is given.
   */
  threadKnown?: boolean;
  /** The fd of the event's thread, when the state knows it. */
  fd?(fd: number): FdRef | undefined;
  /** PT_PID parameters: the comm of that thread. */
  comm?(tid: number): string | undefined;
  user?(uid: number): string | undefined;
  group?(gid: number): string | undefined;
  /** The thread's cwd, for relative PT_FSPATH values. */
  cwd?(): string | undefined;
  /** The path of a directory fd, for PT_FSRELPATH values relative to a dirfd. */
  dirPath?(fd: number): string | undefined;
  /** libsinsp's max_evt_output_len: PT_BYTEBUF text longer than this ends in `...` (0: no limit; sysdig uses 80). */
  maxBufferLength?: number;
}

const NONE: RenderContext = {};

/** Reused result: rendering one parameter allocates only its strings. */
export interface Rendered {
  value: string;
  resolved: string;
}

function threadKnown(ctx: RenderContext): boolean {
  return ctx.threadKnown ?? ctx.fd !== undefined;
}

/**
 * Parameter `i` of the event as libsinsp's get_param_as_str gives it (buffer format
 * PF_NORMAL). `out` is filled and returned (pass one object to avoid allocating it).
 */
export function renderParam(e: ScapEvent, i: number, ctx: RenderContext = NONE, out: Rendered = { value: '', resolved: '' }): Rendered {
  const declared = EVENTS[e.type]?.params[i];
  out.value = '';
  out.resolved = '';
  if (declared === undefined || i >= e.paramCount) return out;
  let bytes = e.paramBytes(i);
  if (isLegacyNull(declared.type, bytes)) bytes = NA_BYTES;
  if (bytes.length === 0) {
    // an empty parameter (the converter's "empty" values)
    switch (declared.type) {
      case 'PT_BYTEBUF':
      case 'PT_SOCKTUPLE':
      case 'PT_FDLIST':
      case 'PT_CHARBUFARRAY':
      case 'PT_CHARBUF_PAIR_ARRAY':
      case 'PT_DYN':
        out.value = 'NULL';
        break;
      default:
        out.value = '<NA>';
    }
    return out;
  }
  let type = declared.type;
  if (type === 'PT_DYN' && declared.dynamic !== undefined) {
    const idx = bytes[0]!;
    const layout = declared.dynamic[idx];
    if (layout !== undefined) {
      type = layout.type;
      bytes = bytes.subarray(1);
    }
  }
  const fmt = declared.fmt;
  const bits = BITS[type] ?? 0;
  const width = bits / 8;
  const num = (): bigint => readInt(bytes, 0, Math.min(width, bytes.length));
  const known = threadKnown(ctx);
  switch (type) {
    case 'PT_INT8':
    case 'PT_INT16':
    case 'PT_INT32':
    case 'PT_INT64':
    case 'PT_UINT8':
    case 'PT_UINT16':
    case 'PT_UINT32':
    case 'PT_UINT64': {
      const conv = numericConv(fmt);
      out.value =
        bits <= 32
          ? cSmall(readSmall(bytes, 0, Math.min(width, bytes.length)), bits, conv)
          : conv === 'd'
            ? int64Text(bytes, 0, bytes.length)
            : cInt(num(), bits, conv);
      break;
    }
    case 'PT_FD': {
      out.value = int64Text(bytes, 0, bytes.length);
      if (!known) break;
      const fd = Number(out.value);
      if (fd >= 0) {
        const ref = ctx.fd?.(fd);
        if (ref !== undefined) out.resolved = `<${ref.typechar}${ref.l4 ?? ''}>${ref.name}`;
      } else if (fd === -100) {
        out.resolved = 'AT_FDCWD';
      } else {
        // libsinsp passes the fd as a 32-bit errno code
        out.resolved = ERRNO_NAMES.get(-(readSmall(bytes, 0, Math.min(4, bytes.length)) | 0)) ?? '';
      }
      break;
    }
    case 'PT_PID': {
      out.value = int64Text(bytes, 0, bytes.length);
      out.resolved = ctx.comm?.(Number(out.value)) ?? '';
      break;
    }
    case 'PT_ERRNO': {
      out.value = int64Text(bytes, 0, bytes.length);
      if (out.value.startsWith('-')) out.resolved = ERRNO_NAMES.get(-(readSmall(bytes, 0, Math.min(4, bytes.length)) | 0)) ?? '';
      break;
    }
    case 'PT_CHARBUF':
      out.value = cString(bytes);
      break;
    case 'PT_FSPATH':
    case 'PT_FSRELPATH': {
      const path = cString(bytes);
      out.value = path;
      if (!known) {
        // libsinsp gives the path itself as the resolved text when the thread is unknown
        out.resolved = path;
        break;
      }
      if (path === '<NA>' || path === '' || path.startsWith('/')) break;
      let base = ctx.cwd?.() ?? '';
      if (type === 'PT_FSRELPATH' && declared.dirfd !== undefined && declared.dirfd < e.paramCount) {
        const dirfdInfo = EVENTS[e.type]!.params[declared.dirfd];
        if (dirfdInfo?.type === 'PT_FD') {
          const dirfd = e.paramInt(declared.dirfd);
          if (dirfd !== -100) base = ctx.dirPath?.(dirfd) ?? base;
        }
      }
      out.resolved = concatenatePaths(base, path);
      break;
    }
    case 'PT_BYTEBUF': {
      let text = bufferDots(bytes);
      const max = ctx.maxBufferLength ?? 0;
      if (max !== 0 && text.length > max) text = max > 3 ? `${text.slice(0, max - 3)}...` : text.slice(0, max);
      out.value = text;
      break;
    }
    case 'PT_SOCKADDR':
      out.value = sockaddrText(bytes);
      break;
    case 'PT_SOCKTUPLE':
      out.value = socktupleText(bytes);
      break;
    case 'PT_FDLIST': {
      if (!known || bytes.length < 2) break;
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const n = dv.getUint16(0, true);
      const parts: string[] = [];
      for (let j = 0, at = 2; j < n && at + 10 <= bytes.length; j++, at += 10) {
        const fd = dv.getBigUint64(at, true);
        const ref = ctx.fd?.(Number(BigInt.asIntN(64, fd)));
        const flags = dv.getInt16(at + 8, true) >>> 0;
        parts.push(`${fd}:${ref?.typechar ?? '?'}${flags.toString(16)}`);
      }
      out.value = parts.join(' ');
      break;
    }
    case 'PT_SYSCALLID': {
      const sc = Number(num());
      if (sc >= SC_NAMES.length) {
        out.value = '<unknown syscall>';
        break;
      }
      out.value = String(sc);
      out.resolved = SC_NAMES[sc] ?? '';
      break;
    }
    case 'PT_SIGTYPE': {
      const sig = Number(num());
      out.value = String(sig);
      out.resolved = SIGNAL_NAMES.get(sig) ?? '';
      break;
    }
    case 'PT_RELTIME': {
      const v = BigInt.asUintN(64, num());
      if (v === 0xffffffffffffffffn) {
        out.value = 'none';
        break;
      }
      out.value = v.toString();
      out.resolved = `${cDoubleG(Number(v) / 1e9)}s`;
      break;
    }
    case 'PT_FLAGS8':
    case 'PT_FLAGS16':
    case 'PT_FLAGS32':
    case 'PT_ENUMFLAGS8':
    case 'PT_ENUMFLAGS16':
    case 'PT_ENUMFLAGS32': {
      const v = readSmall(bytes, 0, Math.min(width, bytes.length));
      out.value = String(v);
      out.resolved = flagNames(declared, v, type.startsWith('PT_ENUM'));
      break;
    }
    case 'PT_MODE': {
      const v = Number(BigInt.asUintN(32, num()));
      out.value = cInt(BigInt(v), 32, numericConv(fmt));
      out.resolved = modeNames(declared, v);
      break;
    }
    case 'PT_ABSTIME':
      out.value = absTime(BigInt.asUintN(64, num()));
      break;
    case 'PT_DYN':
      out.value = 'INVALID DYNAMIC PARAMETER';
      break;
    case 'PT_UID':
    case 'PT_GID': {
      const v = Number(BigInt.asUintN(32, num()));
      if (v === 0xffffffff) {
        out.value = '-1';
        out.resolved = '<NONE>';
        break;
      }
      out.value = String(v | 0);
      const name = known ? (type === 'PT_UID' ? ctx.user?.(v) : ctx.group?.(v)) : undefined;
      out.resolved = name !== undefined && name !== '' ? name : '<NA>';
      break;
    }
    case 'PT_SIGSET': {
      const v = Number(BigInt.asUintN(32, num()));
      const names: string[] = [];
      for (let sig = 0; sig < 32; sig++) {
        if ((v >>> sig) & 1) {
          const n = SIGNAL_NAMES.get(sig + 1);
          if (n !== undefined) names.push(n);
        }
      }
      out.value = names.join(' ');
      break;
    }
    case 'PT_CHARBUFARRAY':
    case 'PT_CHARBUF_PAIR_ARRAY': {
      // libsinsp renders these from in-memory vectors (events it builds itself); in a capture
      // they are NUL-separated strings: joined as libsinsp joins its vectors, '.' between
      // items, and `a:b,c:d` for pairs (taken alternately)
      const items = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\0');
      if (items.at(-1) === '') items.pop();
      if (type === 'PT_CHARBUFARRAY') out.value = items.join('.');
      else {
        const pairs: string[] = [];
        for (let k = 0; k + 1 < items.length; k += 2) pairs.push(`${items[k]}:${items[k + 1]}`);
        out.value = pairs.join(',');
      }
      break;
    }
    default:
      out.value = '(n.a.)';
  }
  return out;
}

/**
 * evt.arg.NAME / evt.arg[N]: the resolved text when there is one, else the value; undefined
 * when the event has no parameter i (libsinsp extracts nothing).
 */
export function renderArg(e: ScapEvent, i: number, ctx: RenderContext = NONE): string | undefined {
  if (i < 0 || i >= e.paramCount || EVENTS[e.type]?.params[i] === undefined) return undefined;
  const r = renderParam(e, i, ctx);
  return r.resolved !== '' ? r.resolved : r.value;
}

/** evt.args (and evt.info): `name=value` or `name=value(resolved)`, space-separated; empty for generic exit events. */
export function renderArgs(e: ScapEvent, ctx: RenderContext = NONE): string {
  if (e.type === GENERIC_X) return '';
  const params = EVENTS[e.type]?.params ?? [];
  const r: Rendered = { value: '', resolved: '' };
  let s = '';
  for (let i = 0; i < e.paramCount; i++) {
    renderParam(e, i, ctx, r);
    const name = params[i]?.name ?? '';
    s += r.resolved === '' ? `${name}=${r.value} ` : `${name}=${r.value}(${r.resolved}) `;
  }
  return s.length > 0 ? s.slice(0, -1) : s;
}

/** Index of the parameter named `name` in this event, or -1. */
export function paramIndex(e: ScapEvent, name: string): number {
  const params = EVENTS[e.type]?.params ?? [];
  for (let i = 0; i < e.paramCount && i < params.length; i++) if (params[i]!.name === name) return i;
  return -1;
}

/**
 * evt.rawarg.NAME as text (sinsp_filter_check::rawval_to_string over the raw bytes, with the
 * parameter's type and print format); undefined when the event has no such parameter or
 * libsinsp has no text for the type (sockaddr, tuples, fd lists, ...).
 */
export function renderRawArg(e: ScapEvent, name: string): string | undefined {
  const i = paramIndex(e, name);
  if (i < 0) return undefined;
  const info = EVENTS[e.type]!.params[i]!;
  let bytes = e.paramBytes(i);
  if (isLegacyNull(info.type, bytes)) bytes = NA_BYTES;
  const bits = BITS[info.type] ?? 0;
  const num = (): bigint => readInt(bytes, 0, Math.min(bits / 8, bytes.length));
  const fmt = info.fmt;
  const conv = (signed: boolean): 'd' | 'u' | 'X' | 'o' | '09d' | undefined =>
    fmt === 'PF_OCT'
      ? 'o'
      : fmt === 'PF_HEX'
        ? 'X'
        : fmt === 'PF_DEC' || fmt === 'PF_ID'
          ? signed
            ? 'd'
            : 'u'
          : fmt === 'PF_10_PADDED_DEC'
            ? '09d'
            : undefined;
  switch (info.type) {
    case 'PT_INT8':
    case 'PT_INT16':
    case 'PT_INT32':
    case 'PT_INT64':
    case 'PT_PID':
    case 'PT_ERRNO':
    case 'PT_FD': {
      if (bytes.length === 0) return '0';
      const c = conv(true) ?? (bits === 64 ? 'd' : undefined);
      if (c === undefined || (c === '09d' && bits !== 64)) return undefined;
      return cInt(num(), bits, c);
    }
    case 'PT_UINT8':
    case 'PT_FLAGS8':
    case 'PT_ENUMFLAGS8':
    case 'PT_UINT16':
    case 'PT_FLAGS16':
    case 'PT_ENUMFLAGS16':
    case 'PT_PORT':
    case 'PT_UINT32':
    case 'PT_FLAGS32':
    case 'PT_ENUMFLAGS32':
    case 'PT_UID':
    case 'PT_GID':
    case 'PT_UINT64':
    case 'PT_RELTIME':
    case 'PT_ABSTIME': {
      if (bytes.length === 0) return '0';
      const c = conv(false);
      if (c === undefined || (c === '09d' && bits !== 64)) return undefined;
      return cInt(num(), bits, c);
    }
    case 'PT_CHARBUF':
    case 'PT_FSPATH':
    case 'PT_FSRELPATH':
      return cString(bytes);
    case 'PT_BYTEBUF':
      return bufferDots(bytes);
    case 'PT_IPV4ADDR':
      return bytes.length >= 4 ? formatIpv4(bytes) : undefined;
    case 'PT_IPV6ADDR':
      return bytes.length >= 16 ? formatIpv6(bytes) : undefined;
    default:
      return undefined;
  }
}
