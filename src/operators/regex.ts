/**
 * The values of `regex` as libsinsp compiles them (sinsp_filter_check::add_filter_value):
 * RE2 with the RE2::POSIX options, that is POSIX egrep syntax (no `\d`, no `(?…)`, no
 * `\b`) and leftmost-longest matching, matched anchored at both ends; a pattern RE2 rejects
 * is a compile error, `invalid regex pattern: ` and RE2's own text.
 *
 * re2js (a port of RE2 by way of Go and RE2/J) compiles Perl syntax through its public
 * API. Its RE2 class, which takes the parser flags, is reached through a compiled pattern,
 * and RE2JS.initTest wraps the result; test/rules/regex.test.ts checks that this still
 * works and that the messages are RE2's.
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';

interface InternalRE2Class {
  compileImpl(expr: string, mode: number, longest: boolean): unknown;
}
interface RE2JSInternals {
  initTest(pattern: string, flags: number, re2: unknown): RE2JS;
}

/** re2js's RE2Flags.CLASS_NL: RE2::Options::ParseFlags() sets it for every pattern (`[^a]` matches a newline). */
const CLASS_NL = 4;
const RE2 = RE2JS.compile('x').re2().constructor as unknown as InternalRE2Class;

/** re2js reports Go's regexp/syntax error codes; these are RE2's words for them (re2/regexp.cc kErrorStrings). */
const RE2_TEXT: Record<string, string> = {
  'missing argument to repetition operator': 'no argument for repetition operator',
  'invalid nested repetition operator': 'bad repetition operator',
  'invalid or unsupported Perl syntax': 'invalid perl operator',
  'invalid repeat count': 'invalid repetition size',
  'missing closing )': 'missing )',
  'missing closing ]': 'missing ]',
  'trailing backslash at end of expression': 'trailing \\',
  'invalid named capture': 'invalid named capture group',
};

export type RegexCompile = { ok: true; regex: RE2JS } | { ok: false; message: string; hint?: string };

/** Compiles a `regex` value as libsinsp does; `message` is libsinsp's when RE2 rejects it. */
export function compileRegex(pattern: string): RegexCompile {
  try {
    const re2 = RE2.compileImpl(pattern, CLASS_NL, true);
    return { ok: true, regex: (RE2JS as unknown as RE2JSInternals).initTest(pattern, 0, re2) };
  } catch (error) {
    if (!(error instanceof RE2JSSyntaxException)) throw error;
    // re2js names the whole class (from its '[' to the end of the pattern) where RE2 names a '-'.
    const wholeClass = error.input?.startsWith('[') && (error.error === 'missing closing ]' || !RANGE.test(error.input));
    const dash = wholeClass ? posixDashError(error.input!) : undefined;
    const code = RE2_TEXT[error.error] ?? error.error;
    const message = `invalid regex pattern: ${dash ?? (error.input ? `${code}: ${error.input}` : code)}`;
    // RE2 (C++) has no nesting limit of its own; Go's, which re2js has, is 1000.
    return error.error === 'expression nests too deeply'
      ? { ok: false, message, hint: 'kestrel cannot match a pattern nested more than 1000 deep (RE2 in Falco can)' }
      : { ok: false, message, ...(pattern.includes('(?') || perlAccepts(pattern) ? { hint: POSIX_HINT } : {}) };
  }
}

/** Whether the pattern is valid Perl-style syntax: then POSIX mode is what rejects it. */
function perlAccepts(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}

/** A range RE2 and re2js both name (`z-a`); one starting with '[' is `[-` and one character. */
const RANGE = /^\[-(\\x\{[0-9a-fA-F]+\}|\\x[0-9a-fA-F]{2}|\\.|.)$/su;

const POSIX_HINT =
  'libsinsp compiles regex values with RE2 in POSIX mode: no \\d, \\w, \\s or \\b (use [0-9], [[:alnum:]_], [[:space:]]), ' + 'no (?:…), (?i) or lookaround';

/**
 * RE2's error for a '-' that POSIX syntax does not allow in a bracket expression (only first
 * or last), given the class from its '[' on. re2js names the whole class; RE2 names the '-'
 * and the character after it, or reports invalid UTF-8 when the pattern ends there
 * (re2/parse.cc ParseCharClass). Undefined when the class has no such '-'.
 */
function posixDashError(text: string): string | undefined {
  let i = text.startsWith('[^') ? 2 : 1;
  let first = true;
  // One character of the class, escapes (\\x41, \\x{2d}, \\012) included.
  const skipChar = () => {
    const escaped = text[i] === '\\' ? /^\\(x\{[^}]*\}|x[0-9a-fA-F]{2}|[0-7][0-7]{0,2}|[\s\S])/su.exec(text.slice(i)) : null;
    i += escaped ? escaped[0].length : text.codePointAt(i)! > 0xffff ? 2 : 1;
  };
  while (i < text.length && (text[i] !== ']' || first)) {
    if (text[i] === '-' && !first && (i + 1 === text.length || text[i + 1] !== ']')) {
      if (i + 1 === text.length) return 'invalid UTF-8';
      return `invalid character class range: -${String.fromCodePoint(text.codePointAt(i + 1)!)}`;
    }
    first = false;
    if (text.startsWith('[:', i)) {
      const end = text.indexOf(':]', i + 2);
      if (end >= 0) {
        i = end + 2;
        continue;
      }
    }
    skipChar();
    if (text[i] === '-' && i + 1 < text.length && text[i + 1] !== ']') {
      i++;
      skipChar();
    }
  }
  return undefined;
}
