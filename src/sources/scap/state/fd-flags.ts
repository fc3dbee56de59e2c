/**
 * sinsp_fdinfo::m_flags bits (userspace/libsinsp/fdinfo.h), kept in FdInfo.flags, the fd
 * constructors the parsers share, and the close-on-exec bits of an fd's open flags (execve
 * drops such fds, dup and fcntl clear them on the copy).
 */
import { PPM_EPOLL_CLOEXEC, PPM_O_CLOEXEC } from '../synth/constants.js';
import type { FdInfo, FdType } from './model.js';

export const FD_FLAGS_ROLE_CLIENT = 1 << 2;
export const FD_FLAGS_ROLE_SERVER = 1 << 3;
export const FD_FLAGS_SOCKET_CONNECTED = 1 << 13;
export const FD_FLAGS_IS_CLONED = 1 << 14;
export const FD_FLAGS_CONNECTION_PENDING = 1 << 15;
export const FD_FLAGS_CONNECTION_FAILED = 1 << 16;
export const FD_FLAGS_OVERLAY_UPPER = 1 << 17;
export const FD_FLAGS_OVERLAY_LOWER = 1 << 18;

/** A new fd with nothing known but its number and type (a pidfd's `pid` is set where it is made). */
export function newFd(fd: number, type: FdType): FdInfo {
  return {
    fd,
    type,
    name: '',
    nameRaw: '',
    oldName: '',
    openFlags: 0,
    mode: 0,
    dev: 0,
    ino: 0n,
    mountId: 0,
    role: undefined,
    connected: false,
    nameChanged: false,
    flags: 0,
  };
}

/** sinsp_fdinfo::clone: an independent copy (tuples and addresses included). */
export function cloneFd(f: FdInfo): FdInfo {
  const copy: FdInfo = { ...f };
  if (f.tuple !== undefined) copy.tuple = { ...f.tuple };
  if (f.unix !== undefined) copy.unix = { ...f.unix };
  if (f.server !== undefined) copy.server = { ...f.server };
  return copy;
}

/** Keeps `role` in step with the role bits (server wins when both are set, as fd.is_server reads it). */
function syncRole(f: FdInfo): void {
  f.role = (f.flags & FD_FLAGS_ROLE_SERVER) !== 0 ? 'server' : (f.flags & FD_FLAGS_ROLE_CLIENT) !== 0 ? 'client' : undefined;
}

export function setRoleServer(f: FdInfo): void {
  f.flags |= FD_FLAGS_ROLE_SERVER;
  syncRole(f);
}

export function setRoleClient(f: FdInfo): void {
  f.flags |= FD_FLAGS_ROLE_CLIENT;
  syncRole(f);
}

export function isRoleNone(f: FdInfo): boolean {
  return (f.flags & (FD_FLAGS_ROLE_CLIENT | FD_FLAGS_ROLE_SERVER)) === 0;
}

/** set_socket_connected: clears pending/failed. */
export function setConnected(f: FdInfo): void {
  f.flags = (f.flags & ~(FD_FLAGS_CONNECTION_PENDING | FD_FLAGS_CONNECTION_FAILED)) | FD_FLAGS_SOCKET_CONNECTED;
  f.connected = true;
}

const PPM_MFD_CLOEXEC = 1 << 0;

export function isCloseOnExec(f: FdInfo): boolean {
  if ((f.openFlags & PPM_O_CLOEXEC) !== 0) return true;
  if (f.type === 'eventpoll' && (f.openFlags & PPM_EPOLL_CLOEXEC) !== 0) return true;
  return f.type === 'memfd' && (f.openFlags & PPM_MFD_CLOEXEC) !== 0;
}

export function clearCloseOnExec(f: FdInfo): void {
  f.openFlags &= ~(PPM_O_CLOEXEC | PPM_EPOLL_CLOEXEC | PPM_MFD_CLOEXEC);
}
