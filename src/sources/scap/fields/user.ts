/**
 * user.* and group.* fields (libsinsp's sinsp_filter_check_user / _group): the thread's
 * uid/gid and the capture's user and group tables. An unknown uid or gid prints libsinsp's
 * fallbacks: root's name and home for id 0, `<NA>` text otherwise.
 */
import type { StateView, ThreadInfo } from '../state/model.js';
import type { Extractor, FieldValue } from './types.js';

function onThread(read: (t: ThreadInfo, s: StateView) => FieldValue): Extractor {
  return (ev, s) => {
    const t = s.thread(ev.tid);
    return t === undefined ? undefined : read(t, s);
  };
}

const UINT32_MAX = 0xffffffff;

export const USER_FIELDS: Record<string, () => Extractor> = {
  'user.uid': () => onThread((t) => t.uid),
  'user.name': () => onThread((t, s) => s.user(t.uid)?.name ?? (t.uid === 0 ? 'root' : '<NA>')),
  'user.homedir': () => onThread((t, s) => s.user(t.uid)?.homedir ?? (t.uid === 0 ? '/root' : '<NA>')),
  'user.shell': () => onThread((t, s) => s.user(t.uid)?.shell ?? '<NA>'),
  // An unset login uid (-1 as unsigned) prints as -1.
  'user.loginuid': () => onThread((t) => (t.loginuid >= 0 && t.loginuid < UINT32_MAX ? t.loginuid : -1)),
  'user.loginname': () => onThread((t, s) => s.user(t.loginuid)?.name ?? (t.loginuid === 0 ? 'root' : '<NA>')),
  'group.gid': () => onThread((t) => t.gid),
  'group.name': () => onThread((t, s) => s.group(t.gid)?.name ?? (t.gid === 0 ? 'root' : '<NA>')),
};
