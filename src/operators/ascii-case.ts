/**
 * Case folding as libsinsp does it: ASCII letters only. Its icontains is strcasestr, its iglob
 * fnmatch with FNM_CASEFOLD and its tolower()/toupper() the C functions byte by byte, all in the
 * C locale, so 'É' and 'é' stay different and 'ß' stays one letter.
 */

const A = 0x41;
const Z = 0x5a;
const LOWER_A = 0x61;

/** `s` with A-Z lowered (the same string when it has none). */
export function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/** `s` with a-z raised (the same string when it has none). */
export function asciiUpper(s: string): string {
  return /[a-z]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s;
}

/** strcasestr: whether `needle` (already lowered with asciiLower) occurs in `s`, ASCII letters matching in either case; allocates nothing. */
export function includesAsciiFolded(s: string, needle: string): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const last = s.length - n;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < n; j++) {
      let c = s.charCodeAt(i + j);
      if (c >= A && c <= Z) c += LOWER_A - A;
      if (c !== needle.charCodeAt(j)) continue outer;
    }
    return true;
  }
  return false;
}
