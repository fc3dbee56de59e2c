/**
 * Reading rules YAML the way Falco's yaml-cpp does: every scalar is text (converted on
 * demand, with yaml-cpp's booleans), and every node keeps its position for diagnostics.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Scalar, type YAMLMap } from 'yaml';
import type { FilePosition } from './diagnostics.js';
import { readYamlFast } from './yaml-fast.js';

/** What the rules reader needs of a parsed YAML document. */
export interface YamlDocument {
  contents: unknown;
  errors: readonly { message: string; pos: [number, number] }[];
}

export interface YamlSource {
  name: string;
  text: string;
  lineCounter: LineCounter;
  documents: YamlDocument[];
}

export interface YamlSyntaxError {
  message: string;
  offset: number;
}

export function readYaml(name: string, text: string): { source: YamlSource; error?: YamlSyntaxError } {
  const lineCounter = new LineCounter();
  // Rules files nearly always fit the fast reader's subset; anything else (and every
  // syntax error) goes through the general parser.
  const fast = readYamlFast(text);
  if (fast) {
    for (const offset of fast.lineStarts) lineCounter.addNewLine(offset);
    return { source: { name, text, lineCounter, documents: fast.documents } };
  }
  // The failsafe schema keeps every scalar as text, as yaml-cpp does; duplicate keys are
  // allowed as in yaml-cpp (the first one is read).
  const documents = parseAllDocuments(text, { lineCounter, schema: 'failsafe', uniqueKeys: false });
  const source: YamlSource = { name, text, lineCounter, documents: Array.isArray(documents) ? documents : [] };
  for (const doc of source.documents) {
    const [first] = doc.errors;
    if (first) return { source, error: { message: first.message.split('\n')[0]!, offset: first.pos[0] } };
  }
  if (!Array.isArray(documents)) {
    return { source, error: { message: 'empty YAML stream', offset: 0 } };
  }
  for (const doc of documents) resolveAliases(doc);
  return { source };
}

/**
 * Replaces every alias (`*shells`) by the node its anchor names, as yaml-cpp hands the
 * same node to its reader: `items: *shells` is a sequence, `condition: *c` a scalar. The
 * node keeps its own range, so positions inside it point at the text under the anchor.
 * Merge keys (`<<: *base`) stay ordinary keys, as in yaml-cpp. An alias of a node that
 * contains it is left alone (it would make a loop).
 */
function resolveAliases(doc: Document.Parsed): void {
  const open = new Set<unknown>();
  const resolve = (node: unknown): unknown => {
    if (!isAlias(node)) {
      walk(node);
      return node;
    }
    const target = node.resolve(doc);
    return target === undefined || open.has(target) ? node : target;
  };
  const walk = (node: unknown): void => {
    if (open.has(node)) return;
    if (isMap(node)) {
      open.add(node);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        pair.key = resolve(pair.key);
        pair.value = resolve(pair.value);
      }
      open.delete(node);
    } else if (isSeq(node)) {
      open.add(node);
      node.items = node.items.map(resolve);
      open.delete(node);
    }
  };
  doc.contents = resolve(doc.contents) as typeof doc.contents;
}

export function positionAt(source: YamlSource, offset: number): FilePosition {
  const { line, col } = source.lineCounter.linePos(offset);
  return { name: source.name, line, column: col, offset };
}

export function nodeOffset(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/** yaml-cpp's null: an empty or `~`/`null` plain scalar. */
export function isNullNode(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  return isScalar(node) && node.type === 'PLAIN' && NULLS.has(String(node.value));
}

export function scalarText(node: Scalar): string {
  return String(node.value ?? '');
}

export function toBool(text: string): boolean | undefined {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}

export function toUnsigned(text: string): number | undefined {
  return /^\+?[0-9]+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** The value node under `key` in a map (the first pair with that key), or undefined. */
export function mapGet(map: YAMLMap, key: string): Node | null | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value as Node | null) ?? null;
  }
  return undefined;
}

/** Whether `key` is present (even with an empty value). */
export function mapHas(map: YAMLMap, key: string): boolean {
  return mapGet(map, key) !== undefined;
}

export function mapKeyNode(map: YAMLMap, key: string): Node | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key as Node;
  }
  return undefined;
}

export function mapKeys(map: YAMLMap): { key: string; node: Node }[] {
  return map.items.filter((p) => isScalar(p.key)).map((p) => ({ key: String((p.key as Scalar).value), node: p.key as Node }));
}

export { isMap, isScalar, isSeq };
