/**
 * A fast reader for the part of YAML that rules files use: one document holding a block
 * sequence of block mappings, with plain, quoted, block (`>`/`|`) and flow-sequence values.
 *
 * The `yaml` package stays the reference: this reader builds the same nodes (its own
 * classes, same values, scalar styles and start/end offsets) or declines, returning
 * undefined, the moment the text uses anything outside that subset or anything it is not
 * sure about (anchors, tags, flow maps, escapes beyond the simple ones, tabs, CR, odd
 * indentation, syntax errors...). The caller then parses with the `yaml` package, which
 * also reports the errors. Why: the package's general parser took ~40% of loading the
 * upstream rules; test/rules/yaml-fast.test.ts checks the two agree, file by file and on
 * generated documents.
 *
 * Contract of the nodes built: scalars carry `value`, `type` and `range[0..1]`;
 * collections carry `range[0]`; that is all the rules reader and positions use.
 */
import { type Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export interface FastYamlDocument {
  contents: Node;
  errors: readonly never[];
}

export interface FastYamlResult {
  documents: FastYamlDocument[];
  /** Offsets where lines start, as the `yaml` package's LineCounter records them. */
  lineStarts: number[];
}

/** Thrown inside the reader to give up; never escapes readYamlFast. */
class Decline {}
const DECLINE = new Decline();

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;

/** Characters that cannot start a plain scalar in the subset (YAML indicators). */
const INDICATOR_START = new Set('-?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

export function readYamlFast(text: string): FastYamlResult | undefined {
  // Outside the subset as a whole: CR line ends, tabs, a byte-order mark, directives,
  // document markers, anchors or tags would need the general parser.
  if (/[\r\t\uFEFF]|^(---|\.\.\.|%)/m.test(text)) return undefined;
  try {
    const reader = new FastReader(text);
    const contents = reader.readDocument();
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    return { documents: [{ contents, errors: [] }], lineStarts };
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

class FastReader {
  /** Start of the line being read (block context always works line by line). */
  private pos = 0;
  private readonly n: number;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  readDocument(): Node {
    this.skipBlankLines();
    if (this.pos >= this.n || this.indent() !== 0 || !this.isSequenceEntry(this.pos)) throw DECLINE;
    const root = this.readBlockSequence(0);
    this.skipBlankLines();
    if (this.pos < this.n) throw DECLINE;
    return root;
  }

  // ---- lines ------------------------------------------------------------------------

  private lineEnd(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.n : end;
  }

  private nextLine(from: number): number {
    const end = this.lineEnd(from);
    return end < this.n ? end + 1 : this.n;
  }

  /** Spaces at the start of the current line. */
  private indent(): number {
    let p = this.pos;
    while (p < this.n && this.text.charCodeAt(p) === SPACE) p++;
    return p - this.pos;
  }

  /** Moves past empty lines and comment lines. */
  private skipBlankLines(): void {
    while (this.pos < this.n) {
      let p = this.pos;
      while (p < this.n && this.text.charCodeAt(p) === SPACE) p++;
      const c = this.text.charCodeAt(p);
      if (p < this.n && c !== NEWLINE && c !== HASH) return;
      this.pos = this.nextLine(p);
    }
  }

  /** After a value: only spaces and a comment may end the line; moves to the next line. */
  private finishLine(p: number): void {
    const start = p;
    while (p < this.n && this.text.charCodeAt(p) === SPACE) p++;
    if (p < this.n) {
      const c = this.text.charCodeAt(p);
      if (c === HASH) {
        if (p === start) throw DECLINE; // `#` glued to a value is not a comment
      } else if (c !== NEWLINE) {
        throw DECLINE;
      }
    }
    this.pos = this.nextLine(p);
  }

  private isSequenceEntry(p: number): boolean {
    if (this.text.charCodeAt(p) !== DASH) return false;
    const next = this.text.charCodeAt(p + 1);
    return p + 1 >= this.n || next === SPACE || next === NEWLINE;
  }

  /** The end of a simple mapping key starting at p (the offset of its colon), or -1. */
  private keyEnd(p: number): number {
    const first = this.text.charCodeAt(p);
    if (!isKeyStart(first)) return -1;
    let q = p + 1;
    while (q < this.n && isKeyChar(this.text.charCodeAt(q))) q++;
    if (this.text.charCodeAt(q) !== COLON) return -1;
    const after = this.text.charCodeAt(q + 1);
    return q + 1 >= this.n || after === SPACE || after === NEWLINE ? q : -1;
  }

  // ---- block collections ------------------------------------------------------------

  private readBlockSequence(indent: number): YAMLSeq {
    const seq = new YAMLSeq();
    const start = this.pos + indent;
    for (;;) {
      this.skipBlankLines();
      if (this.pos >= this.n) break;
      const ind = this.indent();
      if (ind < indent) break;
      if (ind > indent) throw DECLINE;
      const dash = this.pos + ind;
      if (!this.isSequenceEntry(dash)) break;
      let p = dash + 1;
      while (p < this.n && this.text.charCodeAt(p) === SPACE) p++;
      const c = this.text.charCodeAt(p);
      // Entries that start on the next line or nest a sequence on the same one.
      if (p >= this.n || c === NEWLINE || c === HASH || this.isSequenceEntry(p)) throw DECLINE;
      const item = this.keyEnd(p) >= 0 ? this.readBlockMap(p - this.pos, p) : this.readInlineValue(p, indent);
      seq.items.push(item);
    }
    seq.range = [start, this.pos, this.pos];
    return seq;
  }

  /** A block mapping at column `indent`; its first key is at `firstKey` on the current line. */
  private readBlockMap(indent: number, firstKey: number): YAMLMap {
    const map = new YAMLMap();
    let k = firstKey;
    for (;;) {
      const colon = this.keyEnd(k);
      if (colon < 0) throw DECLINE;
      const key = new Scalar(this.text.slice(k, colon));
      key.type = 'PLAIN';
      key.range = [k, colon, colon];
      map.items.push(new Pair(key, this.readMapValue(colon + 1, indent)));
      this.skipBlankLines();
      if (this.pos >= this.n) break;
      const ind = this.indent();
      if (ind < indent) break;
      if (ind > indent) throw DECLINE;
      k = this.pos + ind;
      // An entry at the mapping's own column after a value that is not an indentless
      // sequence (those were read as the value) is outside the subset.
      if (this.isSequenceEntry(k)) throw DECLINE;
    }
    map.range = [firstKey, this.pos, this.pos];
    return map;
  }

  /** The value after a key's colon (at p). */
  private readMapValue(p: number, indent: number): Node {
    const afterColon = p;
    while (p < this.n && this.text.charCodeAt(p) === SPACE) p++;
    const c = this.text.charCodeAt(p);
    if (p < this.n && c !== NEWLINE && c !== HASH) return this.readInlineValue(p, indent);
    // Nothing on the key's line: the value is on the next lines, or empty.
    if (c === HASH && p === afterColon) throw DECLINE;
    const emptyAt = p;
    this.pos = this.nextLine(p);
    this.skipBlankLines();
    if (this.pos < this.n) {
      const ind = this.indent();
      const q = this.pos + ind;
      if (ind > indent) {
        if (this.isSequenceEntry(q)) return this.readBlockSequence(ind);
        if (this.keyEnd(q) >= 0) return this.readBlockMap(ind, q);
        return this.readInlineValue(q, indent);
      }
      if (ind === indent && this.isSequenceEntry(q)) return this.readBlockSequence(ind);
    }
    // An empty value: the `yaml` package places it where the line's text ends; spaces or a
    // comment after the colon would move it, so only the plain case is read here.
    if (emptyAt !== afterColon) throw DECLINE;
    return scalar('', 'PLAIN', emptyAt, emptyAt);
  }

  /** A value that starts at p on the current line; leaves pos at the next line to read. */
  private readInlineValue(p: number, indent: number): Node {
    const c = this.text.charCodeAt(p);
    if (c === 62 /* > */ || c === 124 /* | */) return this.readBlockScalar(p, indent);
    if (c === OPEN_BRACKET) {
      const [seq, end] = this.readFlowSequence(p, indent);
      this.finishLine(end);
      return seq;
    }
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const [node, end] = this.readQuoted(p);
      this.finishLine(end);
      return node;
    }
    if (INDICATOR_START.has(c)) throw DECLINE;
    return this.readPlain(p, indent);
  }

  // ---- scalars ----------------------------------------------------------------------

  /**
   * A plain scalar in block context, possibly continued on more-indented lines: lines
   * are joined by a space, or by n line breaks where n empty lines separate them.
   */
  private readPlain(p: number, indent: number): Scalar {
    const start = p;
    let end = this.plainLineEnd(p);
    let value = this.text.slice(start, end);
    let lineStart = this.nextLine(end);
    const endedByComment = this.text.charCodeAt(this.skipSpaces(end)) === HASH;
    this.pos = lineStart;
    if (endedByComment) return scalar(value, 'PLAIN', start, end);
    for (;;) {
      // Count empty lines, then see whether the next line continues the scalar.
      let empty = 0;
      let q = lineStart;
      let first = q;
      for (;;) {
        if (q >= this.n) break;
        first = this.skipSpaces(q);
        if (first < this.n && this.text.charCodeAt(first) !== NEWLINE) break;
        empty++;
        q = this.nextLine(first);
      }
      if (q >= this.n || first - q <= indent) break;
      const c = this.text.charCodeAt(first);
      if (c === HASH || INDICATOR_START.has(c)) throw DECLINE;
      const lineEndAt = this.plainLineEnd(first);
      if (this.text.charCodeAt(this.skipSpaces(lineEndAt)) === HASH) throw DECLINE;
      value += (empty === 0 ? ' ' : '\n'.repeat(empty)) + this.text.slice(first, lineEndAt);
      end = lineEndAt;
      lineStart = this.nextLine(lineEndAt);
      this.pos = lineStart;
    }
    return scalar(value, 'PLAIN', start, end);
  }

  private skipSpaces(p: number): number {
    while (p < this.n && this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /**
   * Where a plain scalar's text ends on this line (before trailing spaces and a comment).
   * Declines on `: ` or a final `:` (a mapping the subset does not nest this way).
   */
  private plainLineEnd(p: number): number {
    let end = p;
    let q = p;
    for (; q < this.n; q++) {
      const c = this.text.charCodeAt(q);
      if (c === NEWLINE) break;
      if (c === HASH && this.text.charCodeAt(q - 1) === SPACE) break;
      if (c === COLON) {
        const next = this.text.charCodeAt(q + 1);
        if (q + 1 >= this.n || next === SPACE || next === NEWLINE) throw DECLINE;
      }
      if (c !== SPACE) end = q + 1;
    }
    return end;
  }

  /** A quoted scalar on one line; returns it and the offset after its closing quote. */
  private readQuoted(p: number): [Scalar, number] {
    const quote = this.text.charCodeAt(p);
    let value = '';
    let from = p + 1;
    let q = from;
    for (;;) {
      if (q >= this.n) throw DECLINE;
      const c = this.text.charCodeAt(q);
      if (c === NEWLINE) throw DECLINE;
      if (c === quote) {
        if (quote === SINGLE_QUOTE && this.text.charCodeAt(q + 1) === SINGLE_QUOTE) {
          value += this.text.slice(from, q + 1);
          q += 2;
          from = q;
          continue;
        }
        break;
      }
      if (c === BACKSLASH && quote === DOUBLE_QUOTE) {
        const escaped = SIMPLE_ESCAPES[this.text[q + 1] ?? ''];
        if (escaped === undefined) throw DECLINE;
        value += this.text.slice(from, q) + escaped;
        q += 2;
        from = q;
        continue;
      }
      q++;
    }
    value += this.text.slice(from, q);
    return [scalar(value, quote === DOUBLE_QUOTE ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', p, q + 1), q + 1];
  }

  /**
   * A `>` (folded) or `|` (literal) block scalar whose indicator is at p, inside a
   * collection at column `indent`.
   */
  private readBlockScalar(p: number, indent: number): Scalar {
    const folded = this.text.charCodeAt(p) === 62;
    let q = p + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    const indicator = this.text.charCodeAt(q);
    if (indicator === DASH) {
      chomp = 'strip';
      q++;
    } else if (indicator === 43 /* + */) {
      chomp = 'keep';
      q++;
    }
    const c = this.text.charCodeAt(q);
    if (q < this.n && c !== SPACE && c !== NEWLINE) throw DECLINE; // indentation indicators
    this.finishLine(q);

    // Lines of the scalar: empty ones, then its content indentation set by the first
    // text line; it ends before the first text line indented less.
    const lines: string[] = [];
    let contentIndent = -1;
    let leadingEmpty = 0;
    let trailingEmpty = 0;
    let contentEnd = this.pos;
    let line = this.pos;
    let maxEmptyIndent = 0;
    while (line < this.n) {
      const first = this.skipSpaces(line);
      const lineIndent = first - line;
      if (first >= this.n || this.text.charCodeAt(first) === NEWLINE) {
        maxEmptyIndent = Math.max(maxEmptyIndent, lineIndent);
        if (contentIndent < 0) leadingEmpty++;
        else trailingEmpty++;
        line = this.nextLine(first);
        continue;
      }
      if (contentIndent < 0) {
        if (lineIndent <= indent) break;
        contentIndent = lineIndent;
      } else if (lineIndent < contentIndent) {
        break;
      }
      // Empty lines with spaces beyond the content indentation carry text in a literal
      // scalar; the subset does not need them.
      if (maxEmptyIndent > contentIndent) throw DECLINE;
      for (let i = 0; i < trailingEmpty; i++) lines.push('');
      trailingEmpty = 0;
      maxEmptyIndent = 0;
      const end = this.lineEnd(first);
      lines.push(this.text.slice(line + contentIndent, end));
      line = end < this.n ? end + 1 : this.n;
      contentEnd = line;
    }
    if (contentIndent < 0 || maxEmptyIndent > contentIndent) throw DECLINE;
    if (chomp === 'keep' && this.text.charCodeAt(line - 1) !== NEWLINE) throw DECLINE;
    if (this.text.charCodeAt(contentEnd - 1) !== NEWLINE) throw DECLINE;

    let value = '\n'.repeat(leadingEmpty);
    value += folded ? foldLines(lines) : lines.join('\n');
    if (chomp === 'clip') value += '\n';
    else if (chomp === 'keep') value += '\n'.repeat(1 + trailingEmpty);
    this.pos = line;
    const end = chomp === 'keep' ? line : contentEnd;
    return scalar(value, folded ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL', p, end);
  }

  // ---- flow sequences ---------------------------------------------------------------

  /**
   * `[a, "b", [c]]`, possibly over several lines (each indented beyond `indent`), with
   * comments between items. Returns the sequence and the offset after its `]`.
   */
  private readFlowSequence(p: number, indent: number, nested = false): [YAMLSeq, number] {
    const seq = new YAMLSeq();
    seq.flow = true;
    // Only the outermost `]` may stand at the enclosing collection's column.
    const closeAtIndent = !nested;
    let q = this.skipFlowSpace(p + 1, indent, closeAtIndent);
    for (;;) {
      const c = this.text.charCodeAt(q);
      if (c === CLOSE_BRACKET) break;
      let itemEnd: number;
      if (c === OPEN_BRACKET) {
        const [inner, end] = this.readFlowSequence(q, indent, true);
        seq.items.push(inner);
        itemEnd = end;
      } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        const [inner, end] = this.readQuoted(q);
        seq.items.push(inner);
        itemEnd = end;
      } else {
        if (q >= this.n || INDICATOR_START.has(c)) throw DECLINE;
        const end = this.flowPlainEnd(q);
        seq.items.push(scalar(this.text.slice(q, end), 'PLAIN', q, end));
        itemEnd = end;
      }
      q = this.skipFlowSpace(itemEnd, indent, closeAtIndent);
      const next = this.text.charCodeAt(q);
      if (next === COMMA) {
        q = this.skipFlowSpace(q + 1, indent, closeAtIndent);
        continue;
      }
      if (next !== CLOSE_BRACKET) throw DECLINE;
    }
    seq.range = [p, q + 1, q + 1];
    return [seq, q + 1];
  }

  /** Where a plain scalar inside a flow sequence ends; it must end on its own line. */
  private flowPlainEnd(p: number): number {
    let end = p;
    for (let q = p; q < this.n; q++) {
      const c = this.text.charCodeAt(q);
      if (c === COMMA || c === CLOSE_BRACKET || c === NEWLINE) break;
      if (c === OPEN_BRACKET || c === 123 /* { */ || c === 125 /* } */) throw DECLINE;
      if (c === HASH && this.text.charCodeAt(q - 1) === SPACE) break;
      if (c === COLON) {
        const next = this.text.charCodeAt(q + 1);
        if (next === SPACE || next === NEWLINE || next === COMMA || next === CLOSE_BRACKET) throw DECLINE;
      }
      if (c !== SPACE) end = q + 1;
    }
    // A plain scalar that goes on after a line break would be folded: not in the subset.
    const after = this.text.charCodeAt(this.skipSpaces(end));
    if (after === NEWLINE) {
      const next = this.skipSpaces(this.nextLine(end));
      const c = this.text.charCodeAt(next);
      if (c !== COMMA && c !== CLOSE_BRACKET && c !== HASH && c !== NEWLINE) throw DECLINE;
    }
    return end;
  }

  /** Skips spaces, line breaks and comments inside a flow sequence. */
  private skipFlowSpace(p: number, indent: number, closeAtIndent: boolean): number {
    for (;;) {
      if (p >= this.n) throw DECLINE;
      const c = this.text.charCodeAt(p);
      if (c === SPACE) {
        p++;
      } else if (c === NEWLINE) {
        p++;
        const first = this.skipSpaces(p);
        const next = this.text.charCodeAt(first);
        // Continuation lines must be indented beyond the enclosing collection; the closing
        // bracket of the outermost sequence may stand at its column, comment lines anywhere.
        const lineIndent = first - p;
        const misplaced = lineIndent < indent || (lineIndent === indent && !(closeAtIndent && next === CLOSE_BRACKET));
        if (first < this.n && next !== NEWLINE && next !== HASH && misplaced) throw DECLINE;
        p = first;
      } else if (c === HASH) {
        const previous = this.text.charCodeAt(p - 1);
        if (previous !== SPACE && previous !== NEWLINE) throw DECLINE;
        p = this.lineEnd(p);
      } else {
        return p;
      }
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t' };

function scalar(value: string, type: Scalar.Type, start: number, end: number): Scalar {
  const node = new Scalar(value);
  node.type = type;
  node.range = [start, end, end];
  return node;
}

/**
 * Folding of a `>` scalar's lines: a break between two lines of text at the content
 * indentation becomes a space, or n breaks where n empty lines separate them; breaks
 * next to more-indented lines are kept as they are.
 */
function foldLines(lines: string[]): string {
  let value = '';
  let previous: string | undefined;
  let empty = 0;
  for (const line of lines) {
    if (line === '') {
      empty++;
      continue;
    }
    if (previous !== undefined) {
      const spaced = isMoreIndented(previous) || isMoreIndented(line);
      value += spaced ? '\n'.repeat(empty + 1) : empty === 0 ? ' ' : '\n'.repeat(empty);
    }
    value += line;
    previous = line;
    empty = 0;
  }
  return value;
}

function isMoreIndented(line: string): boolean {
  return line.charCodeAt(0) === SPACE;
}

function isKeyStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isKeyChar(c: number): boolean {
  return isKeyStart(c) || c === DASH || c === 46 /* . */;
}
