/**
 * The dispatch tables of the state engine, by event code: which parser handles an event,
 * where its fd parameter is, whether its thread may be created on the fly
 * (can_query_os_for_thread_info), whether the event has a thread at all, which enter events
 * are kept for their exit. Built once from the event table; the per-event path only reads
 * typed arrays.
 */
import { codeOf, EVENTS } from '../synth/table.js';
import type { FdType } from './model.js';

// Handler ids, by event code (a Uint8Array lookup keeps the dispatch allocation-free).
export const H_NONE = 0;
export const H_CLONE = 1;
export const H_EXECVE = 2;
export const H_PROCEXIT = 3;
export const H_OPEN = 4;
export const H_SOCKET = 5;
export const H_BIND = 6;
export const H_CONNECT = 7;
export const H_ACCEPT = 8;
export const H_CLOSE = 9;
export const H_CLOSE_RANGE = 10;
export const H_PIPE = 11;
export const H_SOCKETPAIR = 12;
export const H_SINGLE_FD = 13;
export const H_EVENTFD = 14;
export const H_MEMFD = 15;
export const H_PIDFD_OPEN = 16;
export const H_PIDFD_GETFD = 17;
export const H_DUP = 18;
export const H_FCNTL = 19;
export const H_CHDIR = 20;
export const H_FCHDIR = 21;
export const H_GETCWD = 22;
export const H_READ_TUPLE = 23;
export const H_WRITE_TUPLE = 24;
export const H_SETUID = 25;
export const H_SETGID = 26;
export const H_SETSID = 27;
export const H_CAPSET = 28;
export const H_PRCTL = 29;
export const H_CHROOT = 30;
export const H_UNSHARE = 31;
export const H_RLIMIT = 32;
export const H_PRLIMIT = 33;
export const H_CONTAINER = 34;
export const H_CONTAINER_JSON = 35;
export const H_ASYNC = 36;
export const H_USER = 37;
export const H_GROUP = 38;
export const H_CONTEXT_SWITCH = 39;
export const H_MEMORY = 40;

export const N = EVENTS.length;
export const HANDLER = new Uint8Array(N);
/** The parameter that holds the fd at exit (libsinsp's get_exit_event_fd_location), -1 if none. */
export const EXIT_FD_PARAM = new Int8Array(N).fill(-1);
/** The parameter that holds the fd at enter (get_enter_event_fd_location), -1 if none. */
export const ENTER_FD_PARAM = new Int8Array(N).fill(-1);
/** The single fd type of parse_single_param_fd_exit events. */
export const SINGLE_FD_TYPE: (FdType | undefined)[] = new Array<FdType | undefined>(N);
/** Events whose thread lookup may create a placeholder thread (can_query_os_for_thread_info). */
export const QUERY_OS = new Uint8Array(N).fill(1);
/** Events that carry no thread (meta events: containers, users, async). */
export const NO_THREAD = new Uint8Array(N);
/** The parameter index of the socket tuple for read/write exits. */
export const TUPLE_PARAM = new Int8Array(N).fill(-1);
/** 1 for exit events. */
export const IS_EXIT = new Uint8Array(N);
/** 1 for meta events (EC_METAEVENT: containers, procinfo, users, async...): they do not start the capture's clock. */
export const IS_META = new Uint8Array(N);

export const C = (id: string): number => codeOf(id);
export const EXECVE_19_E = C('PPME_SYSCALL_EXECVE_19_E');
export const EXECVE_19_X = C('PPME_SYSCALL_EXECVE_19_X');
export const EXECVEAT_E = C('PPME_SYSCALL_EXECVEAT_E');
export const OPEN_X = C('PPME_SYSCALL_OPEN_X');
export const CREAT_X = C('PPME_SYSCALL_CREAT_X');
export const OPENAT_2_X = C('PPME_SYSCALL_OPENAT_2_X');
export const OPENAT2_X = C('PPME_SYSCALL_OPENAT2_X');
export const OPEN_BY_HANDLE_AT_X = C('PPME_SYSCALL_OPEN_BY_HANDLE_AT_X');
export const VFORK_20_X = C('PPME_SYSCALL_VFORK_20_X');
export const ACCEPT4_6_X = C('PPME_SOCKET_ACCEPT4_6_X');
export const DUP3_X = C('PPME_SYSCALL_DUP3_X');
export const PIPE2_X = C('PPME_SYSCALL_PIPE2_X');
export const EVENTFD2_X = C('PPME_SYSCALL_EVENTFD2_X');
export const INOTIFY_INIT1_X = C('PPME_SYSCALL_INOTIFY_INIT1_X');
export const SIGNALFD4_X = C('PPME_SYSCALL_SIGNALFD4_X');
export const TIMERFD_CREATE_X = C('PPME_SYSCALL_TIMERFD_CREATE_X');
export const EPOLL_CREATE1_X = C('PPME_SYSCALL_EPOLL_CREATE1_X');
export const SETNS_X = C('PPME_SYSCALL_SETNS_X');
export const USER_ADDED_E = C('PPME_USER_ADDED_E');
export const GROUP_ADDED_E = C('PPME_GROUP_ADDED_E');
export const RECVMMSG_X = C('PPME_SOCKET_RECVMMSG_X');
export const SENDMMSG_X = C('PPME_SOCKET_SENDMMSG_X');
export const SEND_X = C('PPME_SOCKET_SEND_X');
export const SENDTO_X = C('PPME_SOCKET_SENDTO_X');
export const SENDMSG_X = C('PPME_SOCKET_SENDMSG_X');
export const SETUID_X = C('PPME_SYSCALL_SETUID_X');
export const SETGID_X = C('PPME_SYSCALL_SETGID_X');

function on(handler: number, ...ids: string[]): void {
  for (const id of ids) HANDLER[C(id)] = handler;
}

for (const e of EVENTS) {
  IS_EXIT[e.code] = e.direction === 'exit' ? 1 : 0;
  IS_META[e.code] = (e as { categories?: readonly string[] }).categories?.includes('EC_METAEVENT') ? 1 : 0;
  if (!e.flags.includes('EF_USES_FD')) continue;
  const fdAt = e.params.findIndex((p) => p.type === 'PT_FD' && (p.name === 'fd' || p.name === 'oldfd'));
  if (e.direction === 'exit') EXIT_FD_PARAM[e.code] = fdAt;
  else ENTER_FD_PARAM[e.code] = e.params[0]?.type === 'PT_FD' ? 0 : fdAt;
}
on(H_CLONE, 'PPME_SYSCALL_CLONE_20_X', 'PPME_SYSCALL_FORK_20_X', 'PPME_SYSCALL_VFORK_20_X', 'PPME_SYSCALL_CLONE3_X');
on(H_EXECVE, 'PPME_SYSCALL_EXECVE_19_X', 'PPME_SYSCALL_EXECVEAT_X');
on(H_PROCEXIT, 'PPME_PROCEXIT_1_E');
on(H_OPEN, 'PPME_SYSCALL_OPEN_X', 'PPME_SYSCALL_CREAT_X', 'PPME_SYSCALL_OPENAT_2_X', 'PPME_SYSCALL_OPENAT2_X', 'PPME_SYSCALL_OPEN_BY_HANDLE_AT_X');
on(H_SOCKET, 'PPME_SOCKET_SOCKET_X');
on(H_BIND, 'PPME_SOCKET_BIND_X');
on(H_CONNECT, 'PPME_SOCKET_CONNECT_X');
on(H_ACCEPT, 'PPME_SOCKET_ACCEPT_5_X', 'PPME_SOCKET_ACCEPT4_6_X');
on(H_CLOSE, 'PPME_SYSCALL_CLOSE_X');
on(H_CLOSE_RANGE, 'PPME_SYSCALL_CLOSE_RANGE_X');
on(H_PIPE, 'PPME_SYSCALL_PIPE_X', 'PPME_SYSCALL_PIPE2_X');
on(H_SOCKETPAIR, 'PPME_SOCKET_SOCKETPAIR_X');
on(H_EVENTFD, 'PPME_SYSCALL_EVENTFD_X', 'PPME_SYSCALL_EVENTFD2_X');
on(H_MEMFD, 'PPME_SYSCALL_MEMFD_CREATE_X');
on(H_PIDFD_OPEN, 'PPME_SYSCALL_PIDFD_OPEN_X');
on(H_PIDFD_GETFD, 'PPME_SYSCALL_PIDFD_GETFD_X');
on(H_DUP, 'PPME_SYSCALL_DUP_1_X', 'PPME_SYSCALL_DUP2_X', 'PPME_SYSCALL_DUP3_X');
on(H_FCNTL, 'PPME_SYSCALL_FCNTL_X');
on(H_CHDIR, 'PPME_SYSCALL_CHDIR_X');
on(H_FCHDIR, 'PPME_SYSCALL_FCHDIR_X');
on(H_GETCWD, 'PPME_SYSCALL_GETCWD_X');
// every read/write exit marks its socket connected; the socket calls also carry a tuple
on(
  H_READ_TUPLE,
  'PPME_SYSCALL_READ_X',
  'PPME_SYSCALL_READV_X',
  'PPME_SYSCALL_PREAD_X',
  'PPME_SYSCALL_PREADV_X',
  'PPME_SOCKET_RECVFROM_X',
  'PPME_SOCKET_RECVMSG_X',
  'PPME_SOCKET_RECVMMSG_X',
  'PPME_SOCKET_RECV_X',
);
on(
  H_WRITE_TUPLE,
  'PPME_SYSCALL_WRITE_X',
  'PPME_SYSCALL_WRITEV_X',
  'PPME_SYSCALL_PWRITE_X',
  'PPME_SYSCALL_PWRITEV_X',
  'PPME_SOCKET_SENDTO_X',
  'PPME_SOCKET_SENDMSG_X',
  'PPME_SOCKET_SENDMMSG_X',
  'PPME_SOCKET_SEND_X',
);
on(H_SETUID, 'PPME_SYSCALL_SETUID_X', 'PPME_SYSCALL_SETRESUID_X', 'PPME_SYSCALL_SETREUID_X');
on(H_SETGID, 'PPME_SYSCALL_SETGID_X', 'PPME_SYSCALL_SETRESGID_X', 'PPME_SYSCALL_SETREGID_X');
on(H_SETSID, 'PPME_SYSCALL_SETSID_X');
on(H_CAPSET, 'PPME_SYSCALL_CAPSET_X');
on(H_PRCTL, 'PPME_SYSCALL_PRCTL_X');
on(H_CHROOT, 'PPME_SYSCALL_CHROOT_X');
on(H_UNSHARE, 'PPME_SYSCALL_UNSHARE_X', 'PPME_SYSCALL_SETNS_X');
on(H_RLIMIT, 'PPME_SYSCALL_GETRLIMIT_X', 'PPME_SYSCALL_SETRLIMIT_X');
on(H_PRLIMIT, 'PPME_SYSCALL_PRLIMIT_X');
on(H_CONTAINER, 'PPME_CONTAINER_E');
on(H_CONTAINER_JSON, 'PPME_CONTAINER_JSON_E', 'PPME_CONTAINER_JSON_2_E');
on(H_ASYNC, 'PPME_ASYNCEVENT_E');
on(H_USER, 'PPME_USER_ADDED_E', 'PPME_USER_DELETED_E');
on(H_GROUP, 'PPME_GROUP_ADDED_E', 'PPME_GROUP_DELETED_E');
on(H_CONTEXT_SWITCH, 'PPME_SCHEDSWITCH_6_E');
on(H_MEMORY, 'PPME_SYSCALL_BRK_4_X', 'PPME_SYSCALL_MMAP_X', 'PPME_SYSCALL_MMAP2_X', 'PPME_SYSCALL_MUNMAP_X');
export const singleFd: [string, FdType][] = [
  ['PPME_SYSCALL_SIGNALFD_X', 'signalfd'],
  ['PPME_SYSCALL_SIGNALFD4_X', 'signalfd'],
  ['PPME_SYSCALL_TIMERFD_CREATE_X', 'timerfd'],
  ['PPME_SYSCALL_INOTIFY_INIT_X', 'inotify'],
  ['PPME_SYSCALL_INOTIFY_INIT1_X', 'inotify'],
  ['PPME_SYSCALL_BPF_2_X', 'bpf'],
  ['PPME_SYSCALL_USERFAULTFD_X', 'userfaultfd'],
  ['PPME_SYSCALL_IO_URING_SETUP_X', 'io_uring'],
  ['PPME_SYSCALL_EPOLL_CREATE_X', 'eventpoll'],
  ['PPME_SYSCALL_EPOLL_CREATE1_X', 'eventpoll'],
];
for (const [id, type] of singleFd) {
  HANDLER[C(id)] = H_SINGLE_FD;
  SINGLE_FD_TYPE[C(id)] = type;
}
/** Enter events kept until their exit: those whose exit changes state (retrieve_enter_event, and the converter's fill-in of old layouts). */
export const STORE_ENTER = new Uint8Array(N);
for (const e of EVENTS) {
  if (e.direction === 'enter' && e.code + 1 < N && HANDLER[e.code + 1] !== H_NONE && EVENTS[e.code + 1]!.direction === 'exit') STORE_ENTER[e.code] = 1;
}
export const SKIP_EMPTY_ENTER = new Uint8Array(N);
for (const id of ['PPME_SYSCALL_OPEN_E', 'PPME_SYSCALL_CREAT_E', 'PPME_SYSCALL_OPENAT_2_E', 'PPME_SYSCALL_OPENAT2_E', 'PPME_SYSCALL_EXECVE_19_E'])
  SKIP_EMPTY_ENTER[C(id)] = 1;
/** Parameter names of each layout (for completing older layouts). */
export const PARAM_NAMES: readonly (readonly string[])[] = EVENTS.map((e) => e.params.map((p) => p.name));
for (const e of EVENTS) {
  const clone = /^PPME_SYSCALL_(CLONE|FORK|VFORK)(_\d+)?_X$/.test(e.id) || e.id === 'PPME_SYSCALL_CLONE3_X';
  const noQuery = clone || /^PPME_SCHEDSWITCH/.test(e.id) || /^PPME_PROCEXIT/.test(e.id);
  if (noQuery) QUERY_OS[e.code] = 0;
  if (/^PPME_(CONTAINER_JSON_2|USER_ADDED|USER_DELETED|GROUP_ADDED|GROUP_DELETED|PLUGINEVENT|ASYNCEVENT)_E$/.test(e.id)) NO_THREAD[e.code] = 1;
  // EF_SKIPPARSERESET events (and the unused ones) get no thread either.
  if (e.flags.includes('EF_SKIPPARSERESET') || e.flags.includes('EF_UNUSED')) NO_THREAD[e.code] = 1;
  const tupleAt = e.params.findIndex((p) => p.name === 'tuple');
  if (tupleAt >= 0 && e.direction === 'exit') TUPLE_PARAM[e.code] = tupleAt;
}
// Old container events carry no thread but are not flagged like the others.
NO_THREAD[C('PPME_CONTAINER_E')] = 1;
NO_THREAD[C('PPME_CONTAINER_JSON_E')] = 1;
