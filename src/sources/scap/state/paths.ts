/**
 * Path joining as libsinsp does it (sinsp_utils::concatenate_paths in
 * userspace/libsinsp/utils.cpp): a relative path2 is appended to path1 (a directory ending in
 * '/'), then '.', '..' and repeated separators are folded; '..' never climbs above the start
 * of the result, and a trailing '/' is dropped except for the root. Paths longer than
 * SCAP_MAX_PATH_SIZE give libsinsp's placeholder.
 */

/** libscap's SCAP_MAX_PATH_SIZE. */
export const SCAP_MAX_PATH_SIZE = 1024;
export const PATH_TOO_LONG = '/DIR_TOO_LONG/FILENAME_TOO_LONG';

export function concatenatePaths(path1: string, path2: string): string {
  // The limit is in bytes (libsinsp works on UTF-8); characters are a cheap lower bound.
  if (path1.length + path2.length + 1 > SCAP_MAX_PATH_SIZE / 3 && Buffer.byteLength(path1) + Buffer.byteLength(path2) + 1 > SCAP_MAX_PATH_SIZE) {
    return PATH_TOO_LONG;
  }
  if (path2.length !== 0 && path2[0] !== '/') {
    const joined = path1 + path2;
    return isFolded(joined) ? joined : normalizeInto(path1, path2);
  }
  return isFolded(path2) ? path2 : normalizeInto('', path2);
}

/**
 * Whether folding would leave a path as it is: no empty, '.' or '..' segment and no trailing
 * '/' (the common case, a plain path), so that most joins build no character array.
 */
function isFolded(p: string): boolean {
  if (p.length <= 1) return p !== '.';
  if (p.charCodeAt(p.length - 1) === 47 /* / */ || p.includes('//') || p.includes('/./') || p.includes('/../')) return false;
  if (p.startsWith('./') || p.startsWith('../') || p === '..' || p.endsWith('/.') || p.endsWith('/..')) return false;
  return true;
}

/** Appends `path` to `base` character by character, folding as libsinsp does (exported for tests). */
export function normalizeInto(base: string, path: string): string {
  const out: string[] = base === '' ? [] : base.split('');
  const emptyBase = base.length === 0;
  let tc = out.length;
  let pc = 0;
  const at = (i: number): string => (i < path.length ? path[i]! : '');
  // Moves tc back to just after the previous separator, skipping `delta` input characters.
  const rewind = (delta: number): void => {
    if (tc <= 1) {
      pc += delta;
      return;
    }
    tc--;
    while (tc >= 1 && out[tc - 1] !== '/') tc--;
    pc += delta;
  };
  for (;;) {
    const c = at(pc);
    if (c === '') {
      if (tc > 1 && out[tc - 1] === '/') tc--;
      return out.slice(0, tc).join('');
    }
    if (c === '.' && (tc === 0 || out[tc - 1] === '/')) {
      const c1 = at(pc + 1);
      const c2 = at(pc + 2);
      if (c1 === '.' && c2 === '/') rewind(3);
      else if (c1 === '.' && c2 === '') rewind(2);
      else if (c1 === '/') pc += 2;
      else if (c1 === '') pc++;
      else out[tc++] = path[pc++]!;
    } else if (c === '/') {
      if ((tc > 0 && out[tc - 1] === '/') || (tc === 0 && !emptyBase)) pc++;
      else out[tc++] = path[pc++]!;
    } else {
      out[tc++] = path[pc++]!;
    }
  }
}
