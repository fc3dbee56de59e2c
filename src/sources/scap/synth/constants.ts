/**
 * Flag values of the drivers' public ABI (driver/ppm_events_public.h in falcosecurity/libs):
 * what the PT_FLAGS* parameters hold. Named as the header names them.
 */

/** Open flags (PPM_O_*), the `flags` of open/openat/openat2. */
export const PPM_O_NONE = 0;
export const PPM_O_RDONLY = 1 << 0;
export const PPM_O_WRONLY = 1 << 1;
export const PPM_O_RDWR = PPM_O_RDONLY | PPM_O_WRONLY;
export const PPM_O_CREAT = 1 << 2;
export const PPM_O_APPEND = 1 << 3;
export const PPM_O_DSYNC = 1 << 4;
export const PPM_O_EXCL = 1 << 5;
export const PPM_O_NONBLOCK = 1 << 6;
export const PPM_O_SYNC = 1 << 7;
export const PPM_O_TRUNC = 1 << 8;
export const PPM_O_DIRECT = 1 << 9;
export const PPM_O_DIRECTORY = 1 << 10;
export const PPM_O_LARGEFILE = 1 << 11;
export const PPM_O_CLOEXEC = 1 << 12;
export const PPM_O_TMPFILE = 1 << 13;
export const PPM_O_F_CREATED = 1 << 14;
export const PPM_FD_UPPER_LAYER = 1 << 15;
export const PPM_FD_LOWER_LAYER = 1 << 16;
/** creat's 16-bit `creat_flags`. */
export const PPM_FD_UPPER_LAYER_CREAT = 1 << 0;
export const PPM_FD_LOWER_LAYER_CREAT = 1 << 1;

/** Clone flags (PPM_CL_*), the `flags` of clone/fork/vfork/clone3 exits; some are libsinsp's own. */
export const PPM_CL_CLONE_FILES = 1 << 0;
export const PPM_CL_CLONE_FS = 1 << 1;
export const PPM_CL_CLONE_IO = 1 << 2;
export const PPM_CL_CLONE_NEWIPC = 1 << 3;
export const PPM_CL_CLONE_NEWNET = 1 << 4;
export const PPM_CL_CLONE_NEWNS = 1 << 5;
export const PPM_CL_CLONE_NEWPID = 1 << 6;
export const PPM_CL_CLONE_NEWUTS = 1 << 7;
export const PPM_CL_CLONE_PARENT = 1 << 8;
export const PPM_CL_CLONE_PARENT_SETTID = 1 << 9;
export const PPM_CL_CLONE_PTRACE = 1 << 10;
export const PPM_CL_CLONE_SIGHAND = 1 << 11;
export const PPM_CL_CLONE_SYSVSEM = 1 << 12;
export const PPM_CL_CLONE_THREAD = 1 << 13;
export const PPM_CL_CLONE_UNTRACED = 1 << 14;
export const PPM_CL_CLONE_VM = 1 << 15;
export const PPM_CL_CLONE_INVERTED = 1 << 16;
export const PPM_CL_NAME_CHANGED = 1 << 17;
export const PPM_CL_CLOSED = 1 << 18;
export const PPM_CL_ACTIVE = 1 << 19;
export const PPM_CL_CLONE_NEWUSER = 1 << 20;
export const PPM_CL_PIPE_SRC = 1 << 21;
export const PPM_CL_PIPE_DST = 1 << 22;
export const PPM_CL_CLONE_CHILD_CLEARTID = 1 << 23;
export const PPM_CL_CLONE_CHILD_SETTID = 1 << 24;
export const PPM_CL_CLONE_SETTLS = 1 << 25;
export const PPM_CL_CLONE_STOPPED = 1 << 26;
export const PPM_CL_CLONE_VFORK = 1 << 27;
export const PPM_CL_CLONE_NEWCGROUP = 1 << 28;
export const PPM_CL_CHILD_IN_PIDNS = 1 << 29;
export const PPM_CL_IS_MAIN_THREAD = 1 << 30;

/** execve/execveat `flags` (PPM_EXE_*). */
export const PPM_EXE_WRITABLE = 1 << 0;
export const PPM_EXE_UPPER_LAYER = 1 << 1;
export const PPM_EXE_FROM_MEMFD = 1 << 2;
export const PPM_EXE_LOWER_LAYER = 1 << 3;

/** execveat enter `flags`. */
export const PPM_EXVAT_AT_EMPTY_PATH = 1 << 0;
export const PPM_EXVAT_AT_SYMLINK_NOFOLLOW = 1 << 1;

/** The dirfd meaning "the current directory". */
export const PPM_AT_FDCWD = -100;

/** fcntl `cmd` values that matter to state. */
export const PPM_FCNTL_F_DUPFD = 1;
export const PPM_FCNTL_F_SETFD = 3;
export const PPM_FCNTL_F_DUPFD_CLOEXEC = 26;

export const PPM_EPOLL_CLOEXEC = 1 << 0;
export const PPM_PR_SET_CHILD_SUBREAPER = 36;
export const PPM_PR_GET_CHILD_SUBREAPER = 37;

/** Linux socket() values the drivers pass through unchanged. */
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_RAW = 255;

export { PPM_AF_INET, PPM_AF_INET6, PPM_AF_NETLINK, PPM_AF_UNIX } from './encode.js';
