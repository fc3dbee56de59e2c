/**
 * Case folding as libsinsp does it: ASCII letters only. Its icontains is strcasestr, its iglob
 * fnmatch with FNM_CASEFOLD and its tolower()/toupper() the C functions byte by byte, all in the
 * C locale, so 'É' and 'é' stay different and 'ß' stays one letter.
 */

/** `s` with A-Z lowered (the same string when it has none). */
export function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/** `s` with a-z raised (the same string when it has none). */
export function asciiUpper(s: string): string {
  return /[a-z]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s;
}

/**
 * strcasestr as a search: a regular expression finding `needle` with its ASCII letters in either
 * case and every other character as itself (no i flag: it would fold more than ASCII).
 * Native matching, nothing allocated per test.
 */
export function asciiFoldedSearch(needle: string): RegExp {
  let source = '';
  for (const ch of needle) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) source += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else source += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(source);
}
