/**
 * fs.path.* fields (libsinsp's sinsp_filter_check_fspath): the path, or source and target,
 * of a successful filesystem syscall, from its parameters (fd.name for fchmod/fchown);
 * resolved against the cwd or directory fd, or raw as the syscall gave it.
 */
import type { ResolvedField } from '../../../fields/catalogue.js';
import type { ScapEvent } from '../event.js';
import type { StateView, ThreadInfo } from '../state/model.js';
import { concatenatePaths, cwdDir } from './common.js';
import { codeOf, paramIndex } from './event-info.js';
import { currentFd, dirOf } from './fd.js';
import type { Extractor } from './types.js';

type Role = 'path' | 'source' | 'target';

/** Per event: the parameter holding each role's path ('fd.name' = the fd's name), and how success is told. */
interface Spec {
  path?: string;
  source?: string;
  target?: string;
  /** 'res' = the res parameter is 0; 'fd' = the fd parameter is not -1. */
  success: 'res' | 'fd';
}

const SPECS: [string, Spec][] = [
  ['PPME_SYSCALL_MKDIR_2_X', { path: 'path', success: 'res' }],
  ['PPME_SYSCALL_MKDIRAT_X', { path: 'path', success: 'res' }],
  ['PPME_SYSCALL_RMDIR_2_X', { path: 'path', success: 'res' }],
  ['PPME_SYSCALL_UNLINK_2_X', { path: 'path', success: 'res' }],
  ['PPME_SYSCALL_UNLINKAT_2_X', { path: 'name', success: 'res' }],
  ['PPME_SYSCALL_OPEN_X', { path: 'name', success: 'fd' }],
  ['PPME_SYSCALL_OPENAT_2_X', { path: 'name', success: 'fd' }],
  ['PPME_SYSCALL_OPENAT2_X', { path: 'name', success: 'fd' }],
  ['PPME_SYSCALL_FCHMODAT_X', { path: 'filename', success: 'res' }],
  ['PPME_SYSCALL_CHMOD_X', { path: 'filename', success: 'res' }],
  ['PPME_SYSCALL_FCHMOD_X', { path: 'fd.name', success: 'res' }],
  ['PPME_SYSCALL_CHOWN_X', { path: 'path', success: 'res' }],
  ['PPME_SYSCALL_LCHOWN_X', { path: 'path', success: 'res' }],
  ['PPME_SYSCALL_FCHOWN_X', { path: 'fd.name', success: 'res' }],
  ['PPME_SYSCALL_FCHOWNAT_X', { path: 'pathname', success: 'res' }],
  ['PPME_SYSCALL_QUOTACTL_X', { path: 'special', success: 'res' }],
  ['PPME_SYSCALL_RENAME_X', { source: 'oldpath', target: 'newpath', success: 'res' }],
  ['PPME_SYSCALL_RENAMEAT_X', { source: 'oldpath', target: 'newpath', success: 'res' }],
  ['PPME_SYSCALL_RENAMEAT2_X', { source: 'oldpath', target: 'newpath', success: 'res' }],
  // libsinsp names the new link the source of link/linkat and the existing file the target.
  ['PPME_SYSCALL_LINK_2_X', { source: 'newpath', target: 'oldpath', success: 'res' }],
  ['PPME_SYSCALL_LINKAT_2_X', { source: 'newpath', target: 'oldpath', success: 'res' }],
  ['PPME_SYSCALL_SYMLINK_X', { source: 'linkpath', target: 'target', success: 'res' }],
  ['PPME_SYSCALL_SYMLINKAT_X', { source: 'linkpath', target: 'target', success: 'res' }],
  ['PPME_SYSCALL_MOUNT_X', { source: 'dev', target: 'dir', success: 'res' }],
  ['PPME_SYSCALL_UMOUNT_1_X', { path: 'name', success: 'res' }],
  ['PPME_SYSCALL_UMOUNT2_X', { path: 'name', success: 'res' }],
];

/** Per role, per event code: the path parameter's index (-2 = fd.name) and the success parameter's. */
interface Compiled {
  pathParam: number;
  successParam: number;
  success: 'res' | 'fd';
}

function compile(role: Role): Map<number, Compiled> {
  const m = new Map<number, Compiled>();
  for (const [id, spec] of SPECS) {
    const name = spec[role];
    if (name === undefined) continue;
    const code = codeOf(id);
    m.set(code, {
      pathParam: name === 'fd.name' ? -2 : paramIndex(code, name),
      successParam: paramIndex(code, spec.success),
      success: spec.success,
    });
  }
  return m;
}

const OPENAT_2_X = codeOf('PPME_SYSCALL_OPENAT_2_X');
const OPENAT2_X = codeOf('PPME_SYSCALL_OPENAT2_X');
const RENAMEAT2_X = codeOf('PPME_SYSCALL_RENAMEAT2_X');
const SYMLINKAT_X = codeOf('PPME_SYSCALL_SYMLINKAT_X');
/** *at() events whose path is relative to the directory fd the event carries. */
const DIRFD_EVENTS = new Set(['NEWFSTATAT_X', 'FCHOWNAT_X', 'FCHMODAT_X', 'MKDIRAT_X', 'UNLINKAT_2_X', 'MKNODAT_X'].map((x) => codeOf(`PPME_SYSCALL_${x}`)));

function succeeded(ev: ScapEvent, c: Compiled): boolean {
  const i = c.successParam;
  if (i < 0 || i >= ev.paramCount || ev.paramLength(i) === 0) return false;
  const v = ev.paramInt(i);
  return c.success === 'res' ? v === 0 : v !== -1;
}

/** The event's directory fd as a path prefix (libsinsp's format_dirfd): '<UNKNOWN>' unless a directory. */
function eventDirFd(t: ThreadInfo, ev: ScapEvent, s: StateView): string {
  const fd = currentFd(t, ev, s);
  if (fd === undefined || fd.type !== 'directory') return '<UNKNOWN>';
  return fd.name === '' || fd.name.endsWith('/') ? fd.name : `${fd.name}/`;
}

function build(role: Role, raw: boolean): Extractor {
  const table = compile(role);
  return (ev, s) => {
    const c = table.get(ev.type);
    if (c === undefined || !succeeded(ev, c)) return undefined;
    const t = s.thread(ev.tid);
    let path: string;
    if (c.pathParam === -2) {
      if (t === undefined) return undefined;
      const fd = currentFd(t, ev, s);
      if (fd === undefined) return undefined;
      path = fd.name;
    } else {
      if (c.pathParam < 0 || c.pathParam >= ev.paramCount) return undefined;
      path = ev.paramString(c.pathParam);
    }
    if (raw) return path;
    if (t === undefined) return undefined;
    if (path.startsWith('/')) return concatenatePaths('', path);
    let dir: string;
    const type = ev.type;
    if (type === OPENAT_2_X || type === OPENAT2_X) {
      // A relative openat path is the name the opened fd got.
      return concatenatePaths('', currentFd(t, ev, s)?.name ?? '<UNKNOWN>');
    } else if (DIRFD_EVENTS.has(type)) {
      dir = eventDirFd(t, ev, s);
    } else if (type === SYMLINKAT_X) {
      dir = role === 'source' ? eventDirFd(t, ev, s) : '<UNKNOWN>';
    } else if (type === RENAMEAT2_X) {
      const di = role === 'target' ? 3 : role === 'source' ? 1 : -1;
      dir = di < 0 || di >= ev.paramCount ? '<UNKNOWN>' : dirOf(t, ev.paramInt(di), path, s);
    } else {
      dir = cwdDir(t, s);
    }
    return concatenatePaths(dir, path);
  };
}

export const FSPATH_FIELDS: Record<string, (field: ResolvedField) => Extractor> = {
  'fs.path.name': () => build('path', false),
  'fs.path.nameraw': () => build('path', true),
  'fs.path.source': () => build('source', false),
  'fs.path.sourceraw': () => build('source', true),
  'fs.path.target': () => build('target', false),
  'fs.path.targetraw': () => build('target', true),
};
