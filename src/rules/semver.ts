export interface Semver {
  major: number;
  minor: number;
  patch: number;
}

/** Parses `x.y.z` (a pre-release or build suffix is ignored for comparison). */
export function parseSemver(text: string): Semver | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function compareSemver(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatSemver(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** Old integer engine versions N mean 0.N.0. */
export function implicitEngineVersion(n: number): Semver {
  return { major: 0, minor: n, patch: 0 };
}
