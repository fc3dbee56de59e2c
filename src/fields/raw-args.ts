/**
 * The type of `evt.rawarg.NAME`: libsinsp types it, when the filter is compiled, as the
 * first event parameter so named (sinsp_filter_check_event::extract_arg), so that
 * `evt.rawarg.res > 100` compares numbers. Every other field has its catalogue type.
 */

import type { FieldType, ResolvedField } from './catalogue.js';
import { firstParamType } from './event-params.js';

/** libsinsp parameter types as catalogue types; ones without a comparison of their own stay strings. */
const BY_PARAM_TYPE: Record<string, FieldType> = {
  PT_INT8: 'int16',
  PT_INT16: 'int16',
  PT_INT32: 'int32',
  PT_INT64: 'int64',
  PT_ERRNO: 'int64',
  PT_FD: 'int64',
  PT_PID: 'int64',
  PT_UINT8: 'uint32',
  PT_UINT16: 'uint32',
  PT_UINT32: 'uint32',
  PT_FLAGS8: 'uint32',
  PT_FLAGS16: 'uint32',
  PT_FLAGS32: 'uint32',
  PT_ENUMFLAGS8: 'uint32',
  PT_ENUMFLAGS16: 'uint32',
  PT_ENUMFLAGS32: 'uint32',
  PT_MODE: 'uint32',
  PT_UID: 'uint32',
  PT_GID: 'uint32',
  PT_SYSCALLID: 'uint32',
  PT_SIGTYPE: 'uint32',
  PT_UINT64: 'uint64',
  PT_RELTIME: 'reltime',
  PT_ABSTIME: 'abstime',
  PT_PORT: 'port',
  PT_BOOL: 'bool',
  PT_DOUBLE: 'double',
  PT_BYTEBUF: 'bytebuf',
  PT_IPADDR: 'ipaddr',
  PT_IPV4ADDR: 'ipaddr',
  PT_IPV6ADDR: 'ipaddr',
};

/** The type a field's values compare as. */
export function comparedType(field: ResolvedField): FieldType {
  const def = field.def;
  if (def.name !== 'evt.rawarg' || field.arg === undefined) return def.type;
  return BY_PARAM_TYPE[firstParamType(field.arg) ?? ''] ?? def.type;
}
