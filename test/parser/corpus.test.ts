/**
 * Accepted and rejected conditions with their expected tree shape or error position.
 * Expectations follow libsinsp's parser (falcosecurity/libs userspace/libsinsp/filter/parser.cpp).
 */
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../src/parser/index.js';
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
  ["evt.type in (open, 'openat', \"creat\")", '(in evt.type ["open" "openat" "creat"])'],
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
  ["proc.name = \"it's\"", `(= proc.name "it's")`],
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
];

// [condition, line, column, expected-message fragment]
const rejected: [string, number, number, RegExp][] = [
  ['', 1, 1, /empty/],
  ['   ', 1, 4, /field check or a macro name/],
  ['not(', 1, 5, /field check or a macro name/],
  ['not (', 1, 6, /field check or a macro name/],
  ['not ', 1, 5, /field check or a macro name/],
  ['evt.type=open and(', 1, 19, /field check or a macro name/],
  ['evt.type=open and ', 1, 19, /field check or a macro name/],
  ['evt.type=open and', 1, 18, /blank or '\('/],
  ['evt.type=open or', 1, 17, /blank or '\('/],
  // After a modifier, `or_` reads as the keyword `or` (libsinsp: `_` is not alphanumeric), so `oneof` is a value.
  ['proc.name = oneof or_', 1, 19, /expected 'and', 'or' or the end/],
  ['proc.name=curl andx', 1, 16, /'and', 'or'/],
  ['proc.name=curl orx', 1, 16, /'and', 'or'/],
  ['proc.name=curl and"x"', 1, 19, /blank or '\('/],
  ['a b', 1, 3, /'and', 'or'/],
  ['a)', 1, 2, /'and', 'or'/],
  ['(a', 1, 3, /'\)'/],
  ['((a)', 1, 5, /'\)'/],
  ['()', 1, 2, /field check or a macro name/],
  ['evt.type', 1, 9, /operator/],
  ['evt.type open', 1, 10, /operator/],
  ['evt.type existsx', 1, 10, /operator/],
  ['evt.type containsx', 1, 10, /operator/],
  ['evt.type contains(x)', 1, 10, /operator/],
  ['evt.type =', 1, 11, /value/],
  ['evt.type = ', 1, 12, /value/],
  ['evt.type = (open)', 1, 12, /value/],
  ['evt.type = )', 1, 12, /value/],
  ['evt.type = ,', 1, 12, /value/],
  ['evt.type = a=b', 1, 13, /'and', 'or'/],
  ['evt.type = a b', 1, 14, /'and', 'or'/],
  ['evt.type in', 1, 12, /list/],
  ['evt.type in (a,)', 1, 16, /value/],
  ['evt.type in (,a)', 1, 14, /closing the list/],
  ['evt.type in (a b)', 1, 16, /closing the list/],
  ['evt.type in (a', 1, 15, /closing the list/],
  ['evt.type in ((a))', 1, 14, /closing the list/],
  ['evt.type in (tolower(a))', 1, 21, /closing the list/],
  ['evt.type in "a"', 1, 13, /list/],
  ['evt.type in 1a', 1, 13, /list/],
  ['proc.pid > abc', 1, 12, /number/],
  ['proc.pid > 10abc', 1, 12, /number/],
  ['proc.pid > 1.2.3', 1, 12, /number/],
  ['proc.pid > "10"', 1, 12, /number/],
  ['proc.pid >', 1, 11, /number/],
  ['proc.name = "abc', 1, 13, /unterminated/],
  ["proc.name = 'abc", 1, 13, /unterminated/],
  ['proc.name = "a\\"', 1, 13, /unterminated/],
  ['proc.name = "a\\q"', 1, 15, /escape/],
  ["proc.name = 'a\\\"'", 1, 15, /escape/],
  ['proc.name = "a\\\'"', 1, 15, /escape/],
  ['proc.name = "\\x4"', 1, 14, /hexadecimal/],
  ['proc.name = "\\xZZ"', 1, 14, /hexadecimal/],
  ['proc.aname[a b]=x', 1, 14, /'\]'/],
  ['proc.aname[ 2]=x', 1, 13, /field argument/],
  ['proc.aname[2 ]=x', 1, 14, /'\]'/],
  ['proc.aname[]=x', 1, 12, /field argument/],
  ['proc.aname[2=x', 1, 15, /'\]'/],
  ['proc.aname [2]=x', 1, 12, /operator/],
  ['proc.aname["2"x]=x', 1, 15, /'\]'/],
  ['tolower(proc.name', 1, 18, /closing 'tolower\('/],
  ['proc.name intolower(proc.pname', 1, 31, /closing 'tolower\('/],
  ['proc.name inval(x)', 1, 17, /field inside 'val\('/],
  ['proc.name intolower (proc.pname)', 1, 21, /'and', 'or'/],
  ['tolower() = a', 1, 9, /transformer argument/],
  ['tolower(x) = a', 1, 9, /transformer argument/],
  ['tolower (proc.name) = a', 1, 9, /'and', 'or'/],
  ['val(proc.name) = a', 1, 4, /'and', 'or'/],
  ['proc.name = val(x)', 1, 17, /field inside 'val\('/],
  ['proc.name = val(proc.pname', 1, 27, /closing 'val\('/],
  ['proc.name = val (proc.pname)', 1, 17, /'and', 'or'/],
  ['concat(proc.name,) = a', 1, 18, /transformer argument/],
  ['join(",", (proc.name,)) = a', 1, 22, /list item/],
  ['proc.name = oneof ("a"', 1, 23, /closing the list/],
  ['proc.name = oneof (a,)', 1, 22, /value/],
  ['1a.b exists', 1, 1, /field check or a macro name/],
  ['a.b. exists', 1, 1, /field check or a macro name/],
  ['my-macro', 1, 1, /field check or a macro name/],
  ['_macro', 1, 1, /field check or a macro name/],
  ['"a" = b', 1, 1, /field check or a macro name/],
  ['= b', 1, 1, /field check or a macro name/],
  ['a\nand\nb c', 3, 3, /'and', 'or'/],
  ['evt.type = open and\n  proc.name in (a, b', 2, 21, /closing the list/],
  ['a and\r\n(b', 2, 3, /'\)'/],
  ['a \f b', 1, 3, /character "\\f"/],
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
    expect(result.error.message).toMatch(message);
    expect(result.error.code).toBe('CONDITION_SYNTAX');
  });
});

describe('depth limit', () => {
  it('accepts moderate nesting and rejects runaway nesting, as libsinsp caps recursion', () => {
    expect(parseCondition('('.repeat(15) + 'a' + ')'.repeat(15)).ok).toBe(true);
    const deep = parseCondition('('.repeat(200) + 'a' + ')'.repeat(200));
    expect(deep.ok).toBe(false);
    if (!deep.ok) expect(deep.error.message).toMatch(/nests too deeply/);
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
