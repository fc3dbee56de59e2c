/**
 * Field bindings (`${SRC.FIELD}` as a step argument) and the fields each resource and step
 * exposes to them. The exposed fields are those the JSON schemas list in `x-metadata`
 * (resources' `newFields`; syscall steps' arguments and, where it has a type, `ret`).
 */
import type { Node } from 'yaml';
import type { EgResource, SyscallName } from './types.js';
import { childOrigin } from './yaml-tree.js';

/** event-generator's binding syntax: the whole string, blanks allowed around (Go's \s). */
const BINDING = /^[\t\n\f\r ]*\$\{[\t\n\f\r ]*([^\t\n\f\r ]+?)\.([^\t\n\f\r ]+)[\t\n\f\r ]*\}[\t\n\f\r ]*$/;

export interface RawBinding {
  localField: string;
  srcName: string;
  srcField: string;
  /** The argument's node, for diagnostics. */
  origin: Node | undefined;
}

/**
 * Takes the bindings out of a syscall step's arguments (they are removed from `args`, as
 * event-generator does), looking into nested objects (openat2's `how`) but not into lists.
 */
export function extractBindings(args: Record<string, unknown>, prefix = ''): RawBinding[] {
  const out: RawBinding[] = [];
  for (const [arg, value] of Object.entries(args)) {
    if (typeof value === 'string') {
      const match = BINDING.exec(value);
      if (!match) continue;
      out.push({ srcName: match[1]!, srcField: match[2]!, localField: prefix + arg, origin: childOrigin(args, arg) });
      delete args[arg];
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out.push(...extractBindings(value as Record<string, unknown>, `${arg}.`));
    }
  }
  return out;
}

/** Field path → field type, for what a resource exposes. */
export function resourceFields(resource: EgResource): Record<string, string> {
  switch (resource.type) {
    case 'clientServer':
      return { 'client.fd': 'fd', 'server.fd': 'fd' };
    case 'process':
      return { pid: 'pid' };
    case 'fd':
      return resource.subtype === 'pipe' ? { readFd: 'fd', writeFd: 'fd' } : { fd: 'fd' };
  }
}

/** Field path → field type, for what a syscall step exposes (arguments, then `ret`). */
export const SYSCALL_FIELDS: Record<SyscallName, Record<string, string>> = {
  write: { fd: 'fd', buffer: 'buffer', len: 'buffer_len', ret: 'buffer_len' },
  read: { fd: 'fd', buffer: 'buffer', len: 'buffer_len', ret: 'fd' },
  open: { pathname: 'file_path', flags: 'open_flags', mode: 'open_mode', ret: 'fd' },
  openat: { dirFd: 'fd', pathname: 'file_path', flags: 'open_flags', mode: 'open_mode', ret: 'fd' },
  openat2: {
    dirFd: 'fd',
    pathname: 'file_path',
    'how.flags': 'open_how_flags',
    'how.mode': 'open_how_mode',
    'how.resolve': 'open_how_resolve',
    ret: 'fd',
  },
  symlink: { target: 'file_path', linkPath: 'file_path' },
  symlinkat: { target: 'file_path', newDirFd: 'fd', linkPath: 'file_path' },
  link: { oldPath: 'file_path', newPath: 'file_path' },
  linkat: { oldDirFd: 'fd', oldPath: 'file_path', newDirFd: 'fd', newPath: 'file_path', flags: 'linkat_flags' },
  init_module: { moduleImage: 'buffer', paramValues: 'module_params' },
  finit_module: { fd: 'fd', paramValues: 'module_params', flags: 'finit_module_flags' },
  dup: { oldFd: 'fd', ret: 'fd' },
  dup2: { oldFd: 'fd', newFd: 'fd', ret: 'fd' },
  dup3: { oldFd: 'fd', newFd: 'fd', flags: 'dup3_flags', ret: 'fd' },
  connect: { fd: 'fd', address: 'socket_address' },
  socket: { domain: 'socket_domain', type: 'socket_type', protocol: 'socket_protocol', ret: 'fd' },
  sendto: { fd: 'fd', buf: 'buffer', len: 'buffer_len', flags: 'send_flags', destAddr: 'socket_address' },
  kill: { pid: 'pid', sig: 'signal' },
};
