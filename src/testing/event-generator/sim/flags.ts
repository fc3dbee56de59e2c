/**
 * Names event-generator accepts for flag and enum arguments (golang.org/x/sys/unix names,
 * x86_64 values), and their translation to the PPM_* values the drivers write.
 */
import {
  PPM_O_APPEND,
  PPM_O_CLOEXEC,
  PPM_O_CREAT,
  PPM_O_DIRECT,
  PPM_O_DIRECTORY,
  PPM_O_DSYNC,
  PPM_O_EXCL,
  PPM_O_LARGEFILE,
  PPM_O_NONBLOCK,
  PPM_O_RDONLY,
  PPM_O_RDWR,
  PPM_O_SYNC,
  PPM_O_TMPFILE,
  PPM_O_TRUNC,
  PPM_O_WRONLY,
} from '../../../sources/scap/synth/index.js';

export const O: Record<string, number> = {
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR: 2,
  O_ACCMODE: 3,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_NONBLOCK: 0o4000,
  O_NDELAY: 0o4000,
  O_DSYNC: 0o10000,
  O_ASYNC: 0o20000,
  O_DIRECT: 0o40000,
  O_LARGEFILE: 0,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  O_SYNC: 0o4010000,
  O_FSYNC: 0o4010000,
  O_RSYNC: 0o4010000,
  O_PATH: 0o10000000,
  O_TMPFILE: 0o20200000,
};

export const RESOLVE: Record<string, number> = {
  RESOLVE_NO_XDEV: 0x01,
  RESOLVE_NO_MAGICLINKS: 0x02,
  RESOLVE_NO_SYMLINKS: 0x04,
  RESOLVE_BENEATH: 0x08,
  RESOLVE_IN_ROOT: 0x10,
  RESOLVE_CACHED: 0x20,
};

/** PPM_RESOLVE_* (driver/ppm_events_public.h). */
const PPM_RESOLVE: Record<number, number> = { 8: 1 << 0, 16: 1 << 1, 2: 1 << 2, 4: 1 << 3, 1: 1 << 4, 32: 1 << 5 };

export const AT: Record<string, number> = {
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_REMOVEDIR: 0x200,
  AT_SYMLINK_FOLLOW: 0x400,
  AT_NO_AUTOMOUNT: 0x800,
  AT_EMPTY_PATH: 0x1000,
};

export const MODULE_INIT: Record<string, number> = {
  MODULE_INIT_IGNORE_MODVERSIONS: 1,
  MODULE_INIT_IGNORE_VERMAGIC: 2,
  MODULE_INIT_COMPRESSED_FILE: 4,
};

export const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGIOT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPOLL: 29,
  SIGPWR: 30,
  SIGSYS: 31,
};

export const AF: Record<string, number> = {
  AF_UNSPEC: 0,
  AF_UNIX: 1,
  AF_LOCAL: 1,
  AF_INET: 2,
  AF_AX25: 3,
  AF_IPX: 4,
  AF_APPLETALK: 5,
  AF_NETROM: 6,
  AF_BRIDGE: 7,
  AF_ATMPVC: 8,
  AF_X25: 9,
  AF_INET6: 10,
  AF_ROSE: 11,
  AF_DECnet: 12,
  AF_NETBEUI: 13,
  AF_SECURITY: 14,
  AF_KEY: 15,
  AF_NETLINK: 16,
  AF_ROUTE: 16,
  AF_PACKET: 17,
  AF_ASH: 18,
  AF_ECONET: 19,
  AF_ATMSVC: 20,
  AF_RDS: 21,
  AF_SNA: 22,
  AF_IRDA: 23,
  AF_PPPOX: 24,
  AF_WANPIPE: 25,
  AF_LLC: 26,
  AF_CAN: 29,
  AF_TIPC: 30,
  AF_BLUETOOTH: 31,
  AF_IUCV: 32,
  AF_RXRPC: 33,
  AF_ISDN: 34,
  AF_PHONET: 35,
  AF_IEEE802154: 36,
  AF_CAIF: 37,
  AF_ALG: 38,
  AF_NFC: 39,
  AF_VSOCK: 40,
  AF_KCM: 41,
  AF_QIPCRTR: 42,
  AF_SMC: 43,
  AF_XDP: 44,
  AF_MCTP: 45,
};

export const SOCK: Record<string, number> = {
  SOCK_STREAM: 1,
  SOCK_DGRAM: 2,
  SOCK_RAW: 3,
  SOCK_RDM: 4,
  SOCK_SEQPACKET: 5,
  SOCK_DCCP: 6,
  SOCK_PACKET: 10,
  SOCK_NONBLOCK: 0o4000,
  SOCK_CLOEXEC: 0o2000000,
};

export const IPPROTO: Record<string, number> = {
  IPPROTO_IP: 0,
  IPPROTO_ICMP: 1,
  IPPROTO_IGMP: 2,
  IPPROTO_TCP: 6,
  IPPROTO_UDP: 17,
  IPPROTO_IPV6: 41,
  IPPROTO_ICMPV6: 58,
  IPPROTO_SCTP: 132,
  IPPROTO_UDPLITE: 136,
  IPPROTO_RAW: 255,
};

export const MSG: Record<string, number> = {
  MSG_OOB: 1,
  MSG_PEEK: 2,
  MSG_DONTROUTE: 4,
  MSG_CTRUNC: 8,
  MSG_PROXY: 0x10,
  MSG_TRUNC: 0x20,
  MSG_DONTWAIT: 0x40,
  MSG_EOR: 0x80,
  MSG_WAITALL: 0x100,
  MSG_FIN: 0x200,
  MSG_SYN: 0x400,
  MSG_CONFIRM: 0x800,
  MSG_RST: 0x1000,
  MSG_ERRQUEUE: 0x2000,
  MSG_NOSIGNAL: 0x4000,
  MSG_MORE: 0x8000,
  MSG_WAITFORONE: 0x10000,
  MSG_FASTOPEN: 0x20000000,
  MSG_CMSG_CLOEXEC: 0x40000000,
};

/** A number, or one name of `names`. */
export function single(value: unknown, names: Record<string, number>, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const t = value.trim();
    if (/^-?\d+$/.test(t)) return Number(t);
    const v = names[t];
    if (v !== undefined) return v;
  }
  throw new Error(`${what}: unknown value ${JSON.stringify(value)}`);
}

/** A number, or names joined by `|`. */
export function flags(value: unknown, names: Record<string, number>, what: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    let out = 0;
    for (const part of value.split('|')) out |= single(part, names, what);
    return out;
  }
  throw new Error(`${what}: unknown value ${JSON.stringify(value)}`);
}

/** Linux open flags to the drivers' PPM_O_* (what open_flags_to_scap does). */
export function openFlagsToPpm(f: number): number {
  let out = 0;
  const acc = f & 3;
  out |= acc === 0 ? PPM_O_RDONLY : acc === 1 ? PPM_O_WRONLY : acc === 2 ? PPM_O_RDWR : 0;
  if (f & O.O_CREAT!) out |= PPM_O_CREAT;
  if (f & O.O_APPEND!) out |= PPM_O_APPEND;
  if (f & O.O_DSYNC!) out |= PPM_O_DSYNC;
  if (f & O.O_EXCL!) out |= PPM_O_EXCL;
  if (f & O.O_NONBLOCK!) out |= PPM_O_NONBLOCK;
  if ((f & O.O_SYNC!) === O.O_SYNC) out |= PPM_O_SYNC;
  if (f & O.O_TRUNC!) out |= PPM_O_TRUNC;
  if (f & O.O_DIRECT!) out |= PPM_O_DIRECT;
  if ((f & O.O_TMPFILE!) === O.O_TMPFILE) out |= PPM_O_TMPFILE;
  else if (f & O.O_DIRECTORY!) out |= PPM_O_DIRECTORY;
  if (f & 0o100000) out |= PPM_O_LARGEFILE;
  if (f & O.O_CLOEXEC!) out |= PPM_O_CLOEXEC;
  return out;
}

export function resolveToPpm(r: number): number {
  let out = 0;
  for (const [bit, ppm] of Object.entries(PPM_RESOLVE)) if (r & Number(bit)) out |= ppm;
  return out;
}

/** linkat flags to PPM_LINKAT_*. */
export function linkatFlagsToPpm(f: number): number {
  return (f & AT.AT_SYMLINK_FOLLOW! ? 1 : 0) | (f & AT.AT_EMPTY_PATH! ? 2 : 0);
}

/** Capability names (linux/capability.h), bit = index. */
export const CAPS = [
  'cap_chown',
  'cap_dac_override',
  'cap_dac_read_search',
  'cap_fowner',
  'cap_fsetid',
  'cap_kill',
  'cap_setgid',
  'cap_setuid',
  'cap_setpcap',
  'cap_linux_immutable',
  'cap_net_bind_service',
  'cap_net_broadcast',
  'cap_net_admin',
  'cap_net_raw',
  'cap_ipc_lock',
  'cap_ipc_owner',
  'cap_sys_module',
  'cap_sys_rawio',
  'cap_sys_chroot',
  'cap_sys_ptrace',
  'cap_sys_pacct',
  'cap_sys_admin',
  'cap_sys_boot',
  'cap_sys_nice',
  'cap_sys_resource',
  'cap_sys_time',
  'cap_sys_tty_config',
  'cap_mknod',
  'cap_lease',
  'cap_audit_write',
  'cap_audit_control',
  'cap_setfcap',
  'cap_mac_override',
  'cap_mac_admin',
  'cap_syslog',
  'cap_wake_alarm',
  'cap_block_suspend',
  'cap_audit_read',
  'cap_perfmon',
  'cap_bpf',
  'cap_checkpoint_restore',
];
export const ALL_CAPS = (1n << BigInt(CAPS.length)) - 1n;

export interface CapSets {
  inheritable: bigint;
  permitted: bigint;
  effective: bigint;
}

/**
 * A file capability text (libcap's cap_from_text: `CAPS=FLAGS` clauses separated by blanks,
 * `all` for every capability, `+`/`-` to add or drop) to the sets a process executing the
 * file gets, as event-generator runs it (SECBIT_NOROOT set: root gains nothing more).
 */
export function parseCapabilities(text: string): CapSets {
  const sets: CapSets = { inheritable: 0n, permitted: 0n, effective: 0n };
  for (const clause of text.trim().split(/\s+/)) {
    const m = /^([^=+-]*)([=+-])(.*)$/.exec(clause);
    if (!m) throw new Error(`capabilities: cannot parse ${JSON.stringify(clause)}`);
    let mask = 0n;
    for (const name of m[1]!.split(',').filter((n) => n !== '')) {
      const lower = name.toLowerCase();
      if (lower === 'all') mask = ALL_CAPS;
      else {
        const i = CAPS.indexOf(lower);
        if (i < 0) throw new Error(`capabilities: unknown capability ${JSON.stringify(name)}`);
        mask |= 1n << BigInt(i);
      }
    }
    if (m[1] === '') mask = ALL_CAPS;
    const op = m[2]!;
    const which = m[3]!;
    const apply = (set: keyof CapSets, on: boolean): void => {
      sets[set] = on ? sets[set] | mask : sets[set] & ~mask;
    };
    if (op === '=') {
      apply('inheritable', which.includes('i'));
      apply('permitted', which.includes('p'));
      apply('effective', which.includes('e'));
    } else {
      if (which.includes('i')) apply('inheritable', op === '+');
      if (which.includes('p')) apply('permitted', op === '+');
      if (which.includes('e')) apply('effective', op === '+');
    }
  }
  // A file's effective "set" is one bit: every permitted capability is effective, or none.
  return { inheritable: sets.inheritable, permitted: sets.permitted, effective: sets.effective !== 0n ? sets.permitted : 0n };
}
