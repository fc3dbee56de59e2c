/**
 * Accepted and rejected conditions with their expected tree shape, or error message and position.
 * Expectations follow libsinsp's parser (falcosecurity/libs userspace/libsinsp/filter/parser.cpp).
 */
import { describe, expect, it } from 'vitest';
import { formatSyntaxError, parseCondition, RULES_MAX_DEPTH } from '../../src/parser/index.js';
import { shape } from './shape.js';

const accepted: [string, string][] = [
  // comparison operators
  ['evt.type = open', '(= evt.type "open")'],
  ['evt.type == open', '(== evt.type "open")'],
  ['evt.type != open', '(!= evt.type "open")'],
  ['proc.pid < 10', '(< proc.pid "10")'],
  ['proc.pid <= 10', '(<= proc.pid "10")'],
  ['proc.pid > 10', '(> proc.pid "10")'],
  ['proc.pid >= 10', '(>= proc.pid "10")'],
  ['proc.pid>=10', '(>= proc.pid "10")'],
  ['proc.pid<10', '(< proc.pid "10")'],
  ['proc.name=bash', '(= proc.name "bash")'],
  ['proc.name!=bash', '(!= proc.name "bash")'],
  ['fd.name contains /etc', '(contains fd.name "/etc")'],
  ['fd.name icontains ETC', '(icontains fd.name "ETC")'],
  ['evt.buffer bcontains 2f62696e', '(bcontains evt.buffer "2f62696e")'],
  ['fd.name startswith /etc/', '(startswith fd.name "/etc/")'],
  ['evt.buffer bstartswith 7f454c46', '(bstartswith evt.buffer "7f454c46")'],
  ['fd.name endswith .so', '(endswith fd.name ".so")'],
  ['fd.name glob /etc/*', '(glob fd.name "/etc/*")'],
  ['fd.name iglob /ETC/*', '(iglob fd.name "/ETC/*")'],
  ['fd.name regex "^/etc/.*"', '(regex fd.name "^/etc/.*")'],
  ['fd.name exists', '(exists fd.name)'],
  ['fd.name in (/etc/passwd, /etc/shadow)', '(in fd.name ["/etc/passwd" "/etc/shadow"])'],
  ['fd.name in(/etc/passwd)', '(in fd.name ["/etc/passwd"])'],
  ['proc.aname intersects (sshd, bash)', '(intersects proc.aname ["sshd" "bash"])'],
  ['fd.name pmatch (/etc, /usr/bin)', '(pmatch fd.name ["/etc" "/usr/bin"])'],
  // modifiers
  ['proc.name = oneof (bash, sh)', '(= oneof proc.name ["bash" "sh"])'],
  ['proc.name != anyof (bash, sh)', '(!= anyof proc.name ["bash" "sh"])'],
  ['fd.name startswith allof (/etc, /usr)', '(startswith allof fd.name ["/etc" "/usr"])'],
  ['fd.name contains anyof shell_list', '(contains anyof fd.name @shell_list)'],
  ['proc.name = oneof', '(= proc.name "oneof")'],
  ['proc.name = oneof and a.b exists', '(and (= proc.name "oneof") (exists a.b))'],
  ['proc.name =oneof', '(= proc.name "oneof")'],
  ['proc.name in or_', '(in proc.name @or_)'],
  ['proc.name glob anyof (a*, b*)', '(glob anyof proc.name ["a*" "b*"])'],
  ['fd.name regex oneof ("^/a", "^/b")', '(regex oneof fd.name ["^/a" "^/b"])'],
  // list forms
  ['evt.type in ()', '(in evt.type [])'],
  ['evt.type in ( )', '(in evt.type [])'],
  ['evt.type in (open, \'openat\', "creat")', '(in evt.type ["open" "openat" "creat"])'],
  ['evt.type in (shell_binaries, open)', '(in evt.type ["shell_binaries" "open"])'],
  ['proc.name in shell_binaries', '(in proc.name @shell_binaries)'],
  ['proc.name inshell_binaries', '(in proc.name @shell_binaries)'],
  ['proc.name intersectsx', '(intersects proc.name @x)'],
  ['proc.name pmatchx', '(pmatch proc.name @x)'],
  // the rest of such a word may also be a transformer touching its '(' (libsinsp: `in tolower(f)`)
  ['proc.name intolower(proc.pname)', '(in proc.name tolower(proc.pname))'],
  ['proc.name inval(proc.aname)', '(in proc.name val(proc.aname))'],
  ['fd.name pmatchtoupper(fd.directory)', '(pmatch fd.name toupper(fd.directory))'],
  ['proc.name intolower', '(in proc.name @tolower)'],
  ['proc.name inval', '(in proc.name @val)'],
  ['proc.name in (a,b,c)', '(in proc.name ["a" "b" "c"])'],
  ['proc.name in (\n  a,\n  b\n)', '(in proc.name ["a" "b"])'],
  ['proc.name in ("a b", c)', '(in proc.name ["a b" "c"])'],
  ['proc.pid in (1, 2, 0x10)', '(in proc.pid ["1" "2" "0x10"])'],
  // values
  ['proc.name = "a b"', '(= proc.name "a b")'],
  ["proc.name = 'a b'", '(= proc.name "a b")'],
  ['proc.name = "say \\"hi\\""', '(= proc.name "say \\"hi\\"")'],
  ["proc.name = 'it\\'s'", `(= proc.name "it's")`],
  ['proc.name = "tab\\there"', '(= proc.name "tab\\there")'],
  ['proc.name = "nl\\n"', '(= proc.name "nl\\n")'],
  ['proc.name = "back\\\\slash"', '(= proc.name "back\\\\slash")'],
  ['proc.name = "\\x41\\x42"', '(= proc.name "AB")'],
  ['proc.name = "a\\/b"', '(= proc.name "a/b")'],
  ['proc.name = ""', '(= proc.name "")'],
  ['proc.name = "it\'s"', `(= proc.name "it's")`],
  ['proc.name = /usr/bin/*', '(= proc.name "/usr/bin/*")'],
  ['proc.name = a-b.c_d:e', '(= proc.name "a-b.c_d:e")'],
  ['proc.name = a!b', '(= proc.name "a!b")'],
  ['proc.name = <x>', '(= proc.name "<x>")'],
  ['proc.name = [x]', '(= proc.name "[x]")'],
  ['proc.name = runc:[0:PARENT]', '(= proc.name "runc:[0:PARENT]")'],
  ['proc.name = and', '(= proc.name "and")'],
  ['proc.name = or', '(= proc.name "or")'],
  ['proc.name = 123', '(= proc.name "123")'],
  ['proc.name = *', '(= proc.name "*")'],
  ['fd.name = .', '(= fd.name ".")'],
  ['proc.pid > -1', '(> proc.pid "-1")'],
  ['proc.pid > +1', '(> proc.pid "+1")'],
  ['proc.pid > 1.5', '(> proc.pid "1.5")'],
  ['proc.pid > 1e+5', '(> proc.pid "1e+5")'],
  ['proc.pid > 0x1F', '(> proc.pid "0x1F")'],
  ['proc.pid > 0XfF', '(> proc.pid "0XfF")'],
  ['proc.pid > 5.', '(> proc.pid "5.")'],
  // field arguments
  ['proc.aname[2] = bash', '(= proc.aname["2"] "bash")'],
  ['proc.aname[0] = bash', '(= proc.aname["0"] "bash")'],
  ['container.mount.dest[/var/run/docker.sock] exists', '(exists container.mount.dest["/var/run/docker.sock"])'],
  ['k8s.pod.label[app.kubernetes.io/name] = web', '(= k8s.pod.label["app.kubernetes.io/name"] "web")'],
  ['k8s.pod.label["a b"] = web', '(= k8s.pod.label["a b"] "web")'],
  ["k8s.pod.label['x'] = web", '(= k8s.pod.label["x"] "web")'],
  ['evt.arg[flags] contains O_RDONLY', '(contains evt.arg["flags"] "O_RDONLY")'],
  ['container.mount.dest[/proc*] exists', '(exists container.mount.dest["/proc*"])'],
  ['x.y[a(b)=c,d] exists', '(exists x.y["a(b)=c,d"])'],
  ['evt.arg.flags contains O_CREAT', '(contains evt.arg.flags "O_CREAT")'],
  ['k8s.pod.label.app = web', '(= k8s.pod.label.app "web")'],
  ['a1_b.c2_d.e3 exists', '(exists a1_b.c2_d.e3)'],
  // transformers and val()
  ['tolower(proc.name) = bash', '(= tolower(proc.name) "bash")'],
  ['toupper(proc.name) = BASH', '(= toupper(proc.name) "BASH")'],
  ['b64(evt.arg.data) contains x', '(contains b64(evt.arg.data) "x")'],
  ['basename(proc.exe) = sh', '(= basename(proc.exe) "sh")'],
  ['len(proc.name) > 3', '(> len(proc.name) "3")'],
  ['join(",", (proc.name, proc.exe)) contains a', '(contains join("," [proc.name proc.exe]) "a")'],
  ['concat(proc.name, "-", proc.pid) = a', '(= concat(proc.name "-" proc.pid) "a")'],
  ['getopt(proc.args)[c] = x', '(= getopt(proc.args)["c"] "x")'],
  ['tolower(toupper(proc.name)) = x', '(= tolower(toupper(proc.name)) "x")'],
  ['tolower( proc.name ) = x', '(= tolower(proc.name) "x")'],
  ['len(proc.name) > len(proc.exe)', '(> len(proc.name) len(proc.exe))'],
  ['proc.name = val(proc.pname)', '(= proc.name val(proc.pname))'],
  ['proc.name = val( proc.pname )', '(= proc.name val(proc.pname))'],
  ['proc.pid > val(proc.ppid)', '(> proc.pid val(proc.ppid))'],
  ['proc.name in val(proc.aname)', '(in proc.name val(proc.aname))'],
  ['proc.name = tolower(proc.pname)', '(= proc.name tolower(proc.pname))'],
  ['concat(proc.name, 1, 0x2) = a', '(= concat(proc.name "1" "0x2") "a")'],
  ['join(",", ()) = a', '(= join("," []) "")'.replace('"")', '"a")')],
  ['concat(proc.name, (proc.exe, "x", 3)) = a', '(= concat(proc.name [proc.exe "x" "3"]) "a")'],
  ['proc.name = tolowerx', '(= proc.name "tolowerx")'],
  ['proc.name = val', '(= proc.name "val")'],
  // boolean structure and precedence
  ['a and b', '(and (macro a) (macro b))'],
  ['a or b', '(or (macro a) (macro b))'],
  ['a and b or c', '(or (and (macro a) (macro b)) (macro c))'],
  ['a or b and c', '(or (macro a) (and (macro b) (macro c)))'],
  ['not a and b', '(and (not (macro a)) (macro b))'],
  ['not (a and b)', '(not (and (macro a) (macro b)))'],
  ['not(a and b)', '(not (and (macro a) (macro b)))'],
  ['not not a', '(macro a)'],
  ['not not not a', '(not (macro a))'],
  ['not (not a)', '(not (not (macro a)))'],
  ['a and not(b)', '(and (macro a) (not (macro b)))'],
  ['a and(b or c)', '(and (macro a) (or (macro b) (macro c)))'],
  ['a or(b)', '(or (macro a) (macro b))'],
  ['(a)and b', '(and (macro a) (macro b))'],
  ['(a) or (b)', '(or (macro a) (macro b))'],
  ['((a))', '(macro a)'],
  ['a and b and c', '(and (macro a) (macro b) (macro c))'],
  ['a or b or c', '(or (macro a) (macro b) (macro c))'],
  ['a or (b or c)', '(or (macro a) (or (macro b) (macro c)))'],
  ['(a and b) and c', '(and (and (macro a) (macro b)) (macro c))'],
  ['proc.name="x"and a', '(and (= proc.name "x") (macro a))'],
  // identifiers (macro references) and keyword-like words
  ['spawned_process', '(macro spawned_process)'],
  ['andx', '(macro andx)'],
  ['notx', '(macro notx)'],
  ['orx', '(macro orx)'],
  ['not', '(macro not)'],
  ['and', '(macro and)'],
  ['a and and', '(and (macro a) (macro and))'],
  ['a and not', '(and (macro a) (macro not))'],
  ['inbound', '(macro inbound)'],
  ['exists', '(macro exists)'],
  ['in', '(macro in)'],
  ['tolower', '(macro tolower)'],
  ['Macro1_x', '(macro Macro1_x)'],
  // whitespace and newlines
  ['  evt.type = open  ', '(= evt.type "open")'],
  ['\tevt.type\t=\topen', '(= evt.type "open")'],
  ['evt.type = open\nand proc.name = bash', '(and (= evt.type "open") (= proc.name "bash"))'],
  ['evt.type = open\r\nand\r\nproc.name = bash', '(and (= evt.type "open") (= proc.name "bash"))'],
  ['(\n  a\n  or b\n)', '(or (macro a) (macro b))'],
  ['not\na', '(not (macro a))'],
  ['fd.name\ncontains\nx', '(contains fd.name "x")'],
  // libsinsp matches its tokens as prefixes at its cursor: `10and` is `10` then `and`
  ['proc.pid > 10and x', '(and (> proc.pid "10") (macro x))'],
  ['proc.pid>10or(a)', '(or (> proc.pid "10") (macro a))'],
  // libsinsp drops a list's first item when it has a bad escape (its try block takes the error for an empty list)
  ['evt.type in ("a\\q")', '(in evt.type [])'],
  // a backspace is a blank between tokens but part of a bare string or field argument
  ['proc.name = a\bb', '(= proc.name "a\\bb")'],
  ['x.y[\b] exists', '(exists x.y["\\b"])'],
  // `not` takes the POSIX spaces after it, form feed included
  ['not\fa', '(not (macro a))'],
];

// libsinsp's messages (filter/parser.cpp, escaping.cpp), written out here so that a change of
// wording in src/parser/errors.ts shows. Each message below was checked against libsinsp's
// own parser: parser.cpp, escaping.cpp and ast.cpp at falcosecurity/libs 48dfd53cd compiled
// with re2 2022-06-01 (see scripts/libsinsp-parser-oracle.sh); positions are kestrel's (the
// offending token), not libsinsp's cursor.
const TRANSFORMERS = "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";
const OPERATOR =
  "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'";
const STRING_OR_TRANSFORMER = `expected a string value or a field with a valid transformer: ${TRANSFORMERS}`;
const NUMBER_OR_TRANSFORMER = `expected a number value or a field with a valid transformer: ${TRANSFORMERS}`;
const LIST_OR_TRANSFORMER = `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMERS}`;
const CHECK = "expected a '(' token, a field check, or an identifier";
const CLOSE_PAREN = "expected a ')' token";
const CLOSE_TRANSFORMER = "expected a ')' token closing the transformer";
const CLOSE_BRACKET = "expected a ']' token";
const FIELD_ARGUMENT = 'expected a valid field argument: a quoted string or a bare string';
const TRANSFORMER_ARGUMENT = 'expected field transformer argument: field, transformer, quoted string, number, or transformer list';
const TRANSFORMER_LIST_ARGUMENT = 'expected transformer list argument: field, transformer, quoted string, or number';
const trailing = (token: string) => `unexpected token after '${token}', expecting 'or', 'and'`;
const blankAfter = (keyword: 'and' | 'or') => `expected blank or '(' after '${keyword}'`;

// [condition, line, column, libsinsp's message]
const rejected: [string, number, number, string][] = [
  ['', 1, 1, 'filter input string is empty'],
  ['   ', 1, 4, CHECK],
  ['not(', 1, 5, CHECK],
  ['not (', 1, 6, CHECK],
  ['not ', 1, 5, CHECK],
  ['evt.type=open and(', 1, 19, CHECK],
  ['evt.type=open and ', 1, 19, CHECK],
  ['evt.type=open and', 1, 18, blankAfter('and')],
  ['evt.type=open or', 1, 17, blankAfter('or')],
  ['proc.name = oneof or_', 1, 21, blankAfter('or')],
  ['proc.name=curl andx', 1, 19, blankAfter('and')],
  ['proc.name=curl orx', 1, 18, blankAfter('or')],
  ['proc.name=curl and"x"', 1, 19, blankAfter('and')],
  ['a b', 1, 3, trailing('a')],
  ['a)', 1, 2, trailing('a')],
  ['(a', 1, 3, CLOSE_PAREN],
  ['((a)', 1, 5, CLOSE_PAREN],
  ['()', 1, 2, CHECK],
  ['evt.type', 1, 9, OPERATOR],
  ['evt.type open', 1, 10, OPERATOR],
  ['evt.type existsx', 1, 16, trailing('exists')],
  ['evt.type containsx', 1, 10, OPERATOR],
  ['evt.type contains(x)', 1, 10, OPERATOR],
  ['evt.type =', 1, 11, STRING_OR_TRANSFORMER],
  ['evt.type = ', 1, 12, STRING_OR_TRANSFORMER],
  ['evt.type = (open)', 1, 12, STRING_OR_TRANSFORMER],
  ['evt.type = )', 1, 12, STRING_OR_TRANSFORMER],
  ['evt.type = ,', 1, 12, STRING_OR_TRANSFORMER],
  ['evt.type = a=b', 1, 13, trailing('a')],
  ['evt.type = a b', 1, 14, trailing('a')],
  ['evt.type in', 1, 12, LIST_OR_TRANSFORMER],
  ['evt.type in (a,)', 1, 16, 'expected a string value'],
  ['evt.type in (,a)', 1, 14, CLOSE_PAREN],
  ['evt.type in (a b)', 1, 16, CLOSE_PAREN],
  ['evt.type in (a', 1, 15, CLOSE_PAREN],
  ['evt.type in ((a))', 1, 14, CLOSE_PAREN],
  ['evt.type in (tolower(a))', 1, 21, CLOSE_PAREN],
  ['evt.type in "a"', 1, 13, LIST_OR_TRANSFORMER],
  ['evt.type in 1a', 1, 13, LIST_OR_TRANSFORMER],
  ['proc.pid > abc', 1, 12, NUMBER_OR_TRANSFORMER],
  ['proc.pid > 10abc', 1, 14, trailing('10')],
  ['proc.pid > 1.2.3', 1, 15, trailing('1.2')],
  ['proc.pid > "10"', 1, 12, NUMBER_OR_TRANSFORMER],
  ['proc.pid >', 1, 11, NUMBER_OR_TRANSFORMER],
  ['proc.name = "abc', 1, 13, STRING_OR_TRANSFORMER],
  ["proc.name = 'abc", 1, 13, STRING_OR_TRANSFORMER],
  ['proc.name = "a\\"', 1, 13, STRING_OR_TRANSFORMER],
  ['proc.name = "a\\q"', 1, 15, 'unsupported string escape sequence: \\q'],
  ["proc.name = 'a\\\"'", 1, 15, 'invalid \\" escape in \'-quoted string'],
  ['proc.name = "a\\\'"', 1, 15, 'invalid \\\' escape in "-quoted string'],
  ['proc.name = "\\x4"', 1, 14, 'truncated hex char escape sequence'],
  ['proc.name = "\\xZZ"', 1, 14, 'invalid hex char escape sequence: ZZ'],
  ['proc.aname[a b]=x', 1, 14, CLOSE_BRACKET],
  ['proc.aname[ 2]=x', 1, 13, FIELD_ARGUMENT],
  ['proc.aname[2 ]=x', 1, 14, CLOSE_BRACKET],
  ['proc.aname[]=x', 1, 12, FIELD_ARGUMENT],
  ['proc.aname[2=x', 1, 15, CLOSE_BRACKET],
  ['proc.aname [2]=x', 1, 12, OPERATOR],
  ['proc.aname["2"x]=x', 1, 15, CLOSE_BRACKET],
  ['tolower(proc.name', 1, 18, CLOSE_TRANSFORMER],
  ['proc.name intolower(proc.pname', 1, 31, CLOSE_TRANSFORMER],
  ['proc.name inval(x)', 1, 17, "expected a field within 'val' transformer"],
  ['proc.name intolower (proc.pname)', 1, 21, trailing('tolower')],
  ['tolower() = a', 1, 9, TRANSFORMER_ARGUMENT],
  ['tolower(x) = a', 1, 9, TRANSFORMER_ARGUMENT],
  ['tolower (proc.name) = a', 1, 9, trailing('tolower')],
  ['val(proc.name) = a', 1, 4, trailing('val')],
  ['proc.name = val(x)', 1, 17, "expected a field within 'val' transformer"],
  ['proc.name = val(proc.pname', 1, 27, CLOSE_TRANSFORMER],
  ['proc.name = val (proc.pname)', 1, 17, trailing('val')],
  ['concat(proc.name,) = a', 1, 18, TRANSFORMER_ARGUMENT],
  ['join(",", (proc.name,)) = a', 1, 22, TRANSFORMER_LIST_ARGUMENT],
  ['proc.name = oneof ("a"', 1, 23, CLOSE_PAREN],
  ['proc.name = oneof (a,)', 1, 22, 'expected a string value'],
  ['1a.b exists', 1, 1, CHECK],
  ['a.b. exists', 1, 4, OPERATOR],
  ['my-macro', 1, 3, trailing('my')],
  ['_macro', 1, 1, CHECK],
  ['"a" = b', 1, 1, CHECK],
  ['= b', 1, 1, CHECK],
  ['a\nand\nb c', 3, 3, trailing('b')],
  ['evt.type = open and\n  proc.name in (a, b', 2, 21, CLOSE_PAREN],
  ['a and\r\n(b', 2, 3, CLOSE_PAREN],
  ['a \f b', 1, 3, trailing('a')],
  ['proc.name = a<=b', 1, 15, trailing('a<')],
  ['proc.name = <=x', 1, 14, trailing('<')],
  ['a android', 1, 6, blankAfter('and')],
  ['a orange', 1, 5, blankAfter('or')],
  ['proc.name in-x', 1, 13, LIST_OR_TRANSFORMER],
  ['proc.name inx-y', 1, 14, trailing('x')],
  ['evt.type in ("a\\q" )', 1, 20, CLOSE_PAREN],
  ['evt.type in ("a\\q", b)', 1, 19, CLOSE_PAREN],
  ['proc.pid > 0x1G', 1, 15, trailing('0x1')],
  ['concat(10abc) = a', 1, 10, CLOSE_TRANSFORMER],
  ['join(",", (proc.name-x)) = a', 1, 21, "expected ')'"],
  ['proc.name = val(proc.pname-x)', 1, 27, CLOSE_TRANSFORMER],
  ['proc.name = oneof x-y', 1, 20, trailing('x')],
  ['proc.name = "a b" c', 1, 19, trailing('a b')],
  ['proc.name = a!b c', 1, 17, trailing('a!b')],
  ['proc.name = "\\x4G"', 1, 14, 'invalid hex char escape sequence: 4G'],
  ['not\ba', 1, 5, trailing('not')],
  ['proc.name in (a) x', 1, 18, trailing(')')],
  ['proc.aname[2] exists x', 1, 22, trailing('exists')],
  ['evt.type existsin', 1, 16, trailing('exists')],
  ['proc.name = "a\\"b" x', 1, 20, trailing('a"b')],
  ['proc.name = "\\x"', 1, 14, 'truncated hex char escape sequence'],
  ['x.y["\\q"] exists', 1, 6, 'unsupported string escape sequence: \\q'],
  ['tolower("a', 1, 9, TRANSFORMER_ARGUMENT],
  ['proc.name = oneof (a b)', 1, 22, CLOSE_PAREN],
  ['proc.name contains anyof and', 1, 29, blankAfter('and')],
  ['proc.name = anyof 1a', 1, 19, trailing('anyof')],
  ['proc.name = oneof (a) b', 1, 23, trailing(')')],
];

describe('accepted conditions', () => {
  it.each(accepted)('%j', (condition, expected) => {
    const result = parseCondition(condition);
    if (!result.ok) throw new Error(`rejected: ${result.error.position.line}:${result.error.position.column} ${result.error.message}`);
    expect(shape(result.ast)).toBe(expected);
  });
});

describe('rejected conditions', () => {
  it.each(rejected)('%j at %i:%i', (condition, line, column, message) => {
    const result = parseCondition(condition);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect({ line: result.error.position.line, column: result.error.position.column }).toEqual({ line, column });
    expect(result.error.message).toBe(message);
    expect(result.error.code).toBe('CONDITION_SYNTAX');
  });

  it("explain an unclosed quote in a hint, after libsinsp's message", () => {
    const result = parseCondition('proc.name = "abc');
    if (result.ok) throw new Error('accepted');
    expect(result.error).toMatchObject({ message: STRING_OR_TRANSFORMER, hint: 'this quoted string has no closing quote' });
    expect(formatSyntaxError(result.error)).toBe(`1:13: ${STRING_OR_TRANSFORMER}\nhint: this quoted string has no closing quote`);
  });
});

describe('depth limit', () => {
  const nested = (n: number) => `${'('.repeat(n)}proc.name = a${')'.repeat(n)}`;

  // libsinsp's depth_guard counts the calls of its guarded functions: 5 for each parenthesis
  // (parse_embedded_remainder, parse_or, parse_and, parse_not, parse_check) and 7 for a
  // comparison on its own, so its default limit of 100 allows 18 parentheses around one.
  it("is libsinsp's default, 100: 18 parentheses around a comparison parse, 19 do not", () => {
    expect(parseCondition(nested(18)).ok).toBe(true);
    const deep = parseCondition(nested(19));
    if (deep.ok) throw new Error('accepted');
    expect(deep.error.message).toBe('exceeded max depth limit of 100');
    expect(deep.error.position).toMatchObject({ line: 1, column: 20 });
    expect(deep.error.hint).toContain('about 18 parentheses around a comparison');
    expect(deep.error.hint).toContain('macros');
  });

  it("is 1000 in Falco's rule loader (RULES_MAX_DEPTH): 198 parentheses parse, 199 do not", () => {
    expect(parseCondition(nested(198), { maxDepth: RULES_MAX_DEPTH }).ok).toBe(true);
    const deep = parseCondition(nested(199), { maxDepth: RULES_MAX_DEPTH });
    if (deep.ok) throw new Error('accepted');
    expect(deep.error.message).toBe('exceeded max depth limit of 1000');
    expect(deep.error.hint).toContain('about 198 parentheses');
  });

  it('counts every guarded call, transformers and lists included', () => {
    // tolower( costs 2 (parse_field_or_transformer_remainder, parse_field_transformer_arg)
    const transformers = (n: number) => `${'tolower('.repeat(n)}proc.name${')'.repeat(n)} = x`;
    expect(parseCondition(transformers(47)).ok).toBe(true);
    expect(parseCondition(transformers(48))).toMatchObject({ ok: false, error: { message: 'exceeded max depth limit of 100' } });
  });

  it('reproduces libsinsp where its depth error is swallowed at the head of a list', () => {
    // try_parse_list_expr reads the first item in a try block: the depth error there is taken
    // for an empty list, and the level depth_guard added is never taken back.
    expect(parseCondition('evt.type in (a)', { maxDepth: 7 })).toMatchObject({ ok: false, error: { message: CLOSE_PAREN } });
    expect(parseCondition('evt.type in ()', { maxDepth: 7 })).toMatchObject({ ok: false, error: { message: 'parser fatal error: recursion is unbalanced' } });
    expect(parseCondition('evt.type in (a)', { maxDepth: 8 }).ok).toBe(true);
  });
});

describe('source ranges', () => {
  it('point at the tokens of each node', () => {
    const text = 'evt.type = open and proc.aname[2] in (sshd, "a b")';
    const result = parseCondition(text);
    if (!result.ok) throw new Error('rejected');
    const ast = result.ast;
    if (ast.kind !== 'and') throw new Error('not and');
    const [first, second] = ast.children;
    const slice = (n: { range: { start: { offset: number }; end: { offset: number } } }) => text.slice(n.range.start.offset, n.range.end.offset);
    expect(slice(first!)).toBe('evt.type = open');
    expect(slice(second!)).toBe('proc.aname[2] in (sshd, "a b")');
    if (second!.kind !== 'binary' || second!.right.kind !== 'list') throw new Error('shape');
    expect(slice(second!.left)).toBe('proc.aname[2]');
    expect(slice(second!.right)).toBe('(sshd, "a b")');
    expect(slice(second!.right.items[1]!)).toBe('"a b"');
    expect(second!.right.items[1]!.range.start).toEqual({ offset: 44, line: 1, column: 45 });
  });

  it('start a transformer glued to a list operator after the operator', () => {
    const text = 'proc.name intolower(proc.pname)[x]';
    const result = parseCondition(text);
    if (!result.ok || result.ast.kind !== 'binary') throw new Error('shape');
    expect(text.slice(result.ast.right.range.start.offset, result.ast.right.range.end.offset)).toBe('tolower(proc.pname)[x]');
    expect(result.ast.range.end.offset).toBe(text.length);
  });

  it('count lines and columns across newlines', () => {
    const result = parseCondition('a and\n  b.c exists');
    if (!result.ok || result.ast.kind !== 'and') throw new Error('shape');
    expect(result.ast.children[1]!.range.start).toEqual({ offset: 8, line: 2, column: 3 });
  });
});

it('has at least 150 cases', () => {
  expect(accepted.length + rejected.length).toBeGreaterThanOrEqual(150);
});
