/**
 * Maps an offset inside a condition or output string back to the rules file, so that a
 * diagnostic points at the offending token rather than at the whole item. The string
 * may have been rewritten first (list names substituted, exceptions appended): an
 * OffsetMap undoes that.
 */
import { isScalar, type Node } from 'yaml';
import type { FilePosition, ItemType, Location } from './diagnostics.js';
import type { TextOrigin } from './model.js';
import { positionAt } from './yaml-source.js';

/** Records text replacements so offsets in the new text map back to the original. */
export class OffsetMap {
  /** Replacements in the order made: [start in text at that time, old length, new length]. */
  private readonly edits: [number, number, number][] = [];

  record(start: number, oldLength: number, newLength: number): void {
    this.edits.push([start, oldLength, newLength]);
  }

  /** The offset in the original text that produced `offset` in the rewritten text. */
  toOriginal(offset: number): number {
    let o = offset;
    for (let i = this.edits.length - 1; i >= 0; i--) {
      const [start, oldLength, newLength] = this.edits[i]!;
      if (o < start) continue;
      if (o < start + newLength) o = start;
      else o = o - newLength + oldLength;
    }
    return o;
  }
}

/**
 * The file position of character `valueOffset` of a scalar's value. The value's characters
 * are aligned with the raw source, skipping what YAML removed (indentation, folding, quotes,
 * escapes).
 */
export function scalarOffsetToFile(origin: TextOrigin, valueOffset: number): FilePosition {
  const { source, node } = origin;
  const start = node.range?.[0] ?? 0;
  if (!isScalar(node)) return positionAt(source, start);
  const value = String(node.value ?? '');
  const end = node.range?.[1] ?? source.text.length;
  let j = start;
  if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
    const newline = source.text.indexOf('\n', start);
    j = newline < 0 ? end : newline + 1;
  } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    j = start + 1;
  }
  const target = Math.min(valueOffset, value.length);
  let i = 0;
  while (i < target && j < end) {
    if (value[i] === source.text[j]) {
      i++;
      j++;
    } else if (value[i] === ' ' && (source.text[j] === '\n' || source.text[j] === '\r')) {
      // A folded line break: the value's space stands for the break and the indentation after it.
      i++;
      j++;
      while (j < end && (source.text[j] === ' ' || source.text[j] === '\t')) j++;
    } else {
      j++;
    }
  }
  // Land on the token itself, not on indentation or a line break before it.
  while (j < end && /[ \t\r\n]/.test(source.text[j]!) && value[i] !== undefined && !/\s/.test(value[i]!)) j++;
  return positionAt(source, Math.min(j, source.text.length));
}

/** A location chain for a diagnostic at `valueOffset` inside an origin's text. */
export function locationsAt(origin: TextOrigin, valueOffset: number, itemType: ItemType = 'condition expression'): Location[] {
  return [...origin.context, { itemType, itemName: '', position: scalarOffsetToFile(origin, valueOffset) }];
}

export function nodeStart(node: Node): number {
  return node.range?.[0] ?? 0;
}
