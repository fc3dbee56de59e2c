/**
 * Reads an event-generator description into plain values (as Go's decoder does into
 * map[string]any) while remembering, for every map entry and list element, the YAML node
 * it came from. Copies made while instantiating templates carry those nodes along, so a
 * problem found in a generated test points back at the text that produced it.
 */
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';

/** The node of a map or list, and the nodes of its entries (by key or index). */
interface ContainerOrigin {
  node: Node;
  children: Map<string, Node>;
}

const origins = new WeakMap<object, ContainerOrigin>();

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** The document as plain values; undefined for an empty document. */
  value: unknown;
  /** Syntax errors event-generator's reader also reports, first first. */
  errors: { offset: number; message: string }[];
}

/**
 * Parses like event-generator's YAML reader (goccy/go-yaml). One difference from the
 * YAML spec matters for these files: goccy reads `key: %{ item.x }` as the plain string
 * `%{ item.x }` when the line is indented (a `%` only starts a directive at column 1, and
 * a `{` inside a plain scalar is text), so templates write placeholders unquoted. The
 * `yaml` package reads the same string but flags it (BAD_SCALAR_START); that flag is
 * dropped on indented lines and kept at column 1, where goccy fails too.
 * Like goccy's decoder, the whole stream must parse and the first document is the description.
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const doc = docs[0] ?? new Document(null);
  const errors: ParsedYaml['errors'] = [];
  for (const e of docs.flatMap((d) => d.errors)) {
    const offset = e.pos[0];
    if (e.code === 'BAD_SCALAR_START' && text[offset] === '%' && isIndented(text, offset)) continue;
    errors.push({ offset, message: e.message.split('\n')[0]! });
  }
  const value = errors.length === 0 && doc.contents ? toValue(doc.contents as Node, doc) : undefined;
  return { doc, lineCounter, value, errors };
}

/** True when the line holding `offset` starts with a blank. */
function isIndented(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text[lineStart] === ' ';
}

function toValue(node: Node, doc: Document): unknown {
  if (isAlias(node)) return toValue(node.resolve(doc) as Node, doc);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const children = new Map<string, Node>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const valueNode = pair.value as Node | null;
      out[key] = valueNode ? toValue(valueNode, doc) : null;
      children.set(key, valueNode ?? keyNode ?? node);
    }
    origins.set(out, { node, children });
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const children = new Map<string, Node>();
    node.items.forEach((item, i) => {
      out.push(item ? toValue(item as Node, doc) : null);
      children.set(String(i), (item as Node | null) ?? node);
    });
    origins.set(out, { node, children });
    return out;
  }
  if (isScalar(node)) {
    if (node.type === 'PLAIN' && typeof node.source === 'string') return plainScalar(node.source);
    return node.value ?? null;
  }
  return null;
}

/**
 * A plain scalar as goccy/go-yaml resolves it: YAML 1.2's null and booleans, and its own
 * number syntax, where a leading 0 means octal (`mode: 0644` is 420) and `_` separates
 * digits; everything else is a string.
 */
export function plainScalar(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(text)) return NaN;
  const number = goccyNumber(text);
  return number === undefined ? text : number;
}

function goccyNumber(text: string): number | undefined {
  if (text.startsWith('_')) return undefined;
  const dots = text.split('.').length - 1;
  if (dots > 1) return undefined;
  const negative = text.startsWith('-');
  let digits = text;
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (digits.startsWith('-')) digits = digits.slice(1);
  digits = digits.replace(/_/g, '');
  let base = 10;
  let body = digits;
  if (digits.startsWith('0x')) [base, body] = [16, digits.slice(2)];
  else if (digits.startsWith('0o')) [base, body] = [8, digits.slice(2)];
  else if (digits.startsWith('0b')) [base, body] = [2, digits.slice(2)];
  else if (digits.startsWith('0') && digits.length > 1 && dots === 0) [base, body] = [8, digits];
  else if (dots === 1) {
    // Go's strconv.ParseFloat syntax (decimal with optional exponent, or hex float).
    if (!/^(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(body)) return undefined;
    const f = Number(body);
    return negative ? -f : f;
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }[base]!;
  if (!valid.test(body)) return undefined;
  const n = parseInt(body, base);
  return negative ? -n : n;
}

/** A deep copy that keeps the origins of the copied containers. */
export function cloneWithOrigins<T>(value: T): T {
  if (Array.isArray(value)) {
    const out = value.map((v) => cloneWithOrigins(v));
    copyOrigin(value, out);
    return out as T;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneWithOrigins(v);
    copyOrigin(value, out);
    return out as T;
  }
  return value;
}

function copyOrigin(from: object, to: object): void {
  const origin = origins.get(from);
  if (origin) origins.set(to, { node: origin.node, children: new Map(origin.children) });
}

/** Records that entry `key` of `container` now comes from `node` (a substituted value). */
export function setChildOrigin(container: object, key: string | number, node: Node | undefined): void {
  const origin = origins.get(container);
  if (origin && node) origin.children.set(String(key), node);
}

/** The node a container's entry came from. */
export function childOrigin(container: object, key: string | number): Node | undefined {
  return origins.get(container)?.children.get(String(key));
}

export function containerOrigin(container: object): Node | undefined {
  return origins.get(container)?.node;
}

/**
 * The node that produced the value at `path` below `root`: the deepest one known, so a
 * missing key points at the mapping that lacks it.
 */
export function originAt(root: unknown, path: readonly (string | number)[]): Node | undefined {
  let current: unknown = root;
  let best = isObject(current) ? containerOrigin(current) : undefined;
  for (const segment of path) {
    if (!isObject(current)) break;
    const child = childOrigin(current, segment);
    if (!child) break;
    best = child;
    current = (current as Record<string, unknown>)[segment as string];
    if (isObject(current)) best = containerOrigin(current) ?? best;
  }
  return best;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
