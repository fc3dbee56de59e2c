/**
 * The simulated machine's architecture: what `runIf` tests against, and which steps exist.
 * Names are Go's GOARCH (`amd64`, `arm64`), as event-generator and Falco's suites write
 * them; the kernel's names (`x86_64`, `aarch64`) are accepted as aliases.
 */
import type { EgRunIf, SyscallName } from './types.js';

export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

const ALIASES: Record<string, Arch> = { amd64: 'amd64', x86_64: 'amd64', arm64: 'arm64', aarch64: 'arm64' };

/** The architecture a name denotes, or undefined for one kestrel does not simulate. */
export function parseArch(name: string): Arch | undefined {
  return ALIASES[name.toLowerCase()];
}

/**
 * Steps event-generator refuses on an architecture whose kernel lacks the syscall
 * (pkg/test/step/syscall/{open,link,symlink,dup2}/*_arm64.go): the test fails with this error.
 */
const MISSING_SYSCALLS: Record<Arch, ReadonlySet<SyscallName>> = {
  amd64: new Set(),
  arm64: new Set(['open', 'link', 'symlink', 'dup2']),
};

export function hasSyscall(arch: Arch, syscall: SyscallName): boolean {
  return !MISSING_SYSCALLS[arch].has(syscall);
}

/**
 * Whether a test with this `runIf` runs on `arch`; undefined when it does, else why not.
 * `val` is compared as an architecture when it names one (so `x86_64` equals `amd64`).
 */
export function runIfBlocks(runIf: EgRunIf | undefined, arch: Arch): string | undefined {
  if (runIf === undefined) return undefined;
  const { op, val } = runIf.arch;
  const wanted = parseArch(val) ?? val;
  const holds = op === 'eq' ? wanted === arch : wanted !== arch;
  return holds ? undefined : `runIf: arch ${op} ${val} is false on the simulated ${arch}`;
}
