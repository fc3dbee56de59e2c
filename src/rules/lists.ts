/**
 * List expansion as Falco does it: textually, before parsing. Wherever a list's name
 * stands delimited by blanks, parentheses, commas, '=' or the ends of the text, the name
 * (with the blanks around it) is replaced by the list's items joined with ", "; an item
 * containing a space is double-quoted. Every list is tried, in definition order.
 */
import type { OffsetMap } from './positions.js';

export interface ExpandedList {
  name: string;
  items: string[];
  used: boolean;
}

const BLANKS = ' \t\n\r';
const DELIMITERS = `${BLANKS}(),=`;
const WORD_SPLIT = /[ \t\n\r(),=]+/;

export function quoteListItem(item: string): string {
  return item.includes(' ') && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

/** What a list's name is replaced by, and the words that brings in. */
interface Replacement {
  text: string;
  words: string[];
}

/** Substitutes a fixed sequence of lists (whose items never change) into many texts. */
export class ListSubstituter {
  /** Positions of the lists of each name. */
  private readonly positions = new Map<string, number[]>();
  private readonly replacements: (Replacement | undefined)[] = [];

  constructor(private readonly lists: readonly ExpandedList[]) {
    lists.forEach((list, i) => {
      const at = this.positions.get(list.name);
      if (at) at.push(i);
      else this.positions.set(list.name, [i]);
    });
  }

  /** Returns the rewritten text and the names of the lists substituted into it. */
  substitute(text: string, offsets?: OffsetMap): { text: string; used: string[] } {
    let cnd = text;
    const used: string[] = [];
    // A delimited occurrence of a name is a whole word: only lists named by a word of the
    // text, or of the items substituted before their turn, can apply. Ascending positions.
    const pending: number[] = [];
    this.addCandidates(pending, cnd.split(WORD_SPLIT), -1);
    for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
      const list = this.lists[index]!;
      const replacement = this.replacementAt(index);
      const sub = replacement.text;
      let found = false;
      let start = cnd.indexOf(list.name);
      while (start !== -1) {
        let end = start + list.name.length;
        const before = start === 0 || DELIMITERS.includes(cnd[start - 1]!);
        const after = end >= cnd.length || DELIMITERS.includes(cnd[end]!);
        if (before && after) {
          while (start > 0 && BLANKS.includes(cnd[start - 1]!)) start--;
          while (end < cnd.length && BLANKS.includes(cnd[end]!)) end++;
          if (sub === '') {
            // An empty list takes a neighbouring comma with it.
            if (start > 0 && cnd[start - 1] === ',') start--;
            else if (end < cnd.length && cnd[end] === ',') end++;
          }
          const prefix = start > 0 ? `${cnd.slice(0, start)} ` : '';
          const rewritten = `${sub} `;
          offsets?.record(start, end - start, prefix.length - start + rewritten.length);
          cnd = prefix + rewritten + cnd.slice(end);
          start += sub.length + 1;
          found = true;
        }
        start = cnd.indexOf(list.name, start + 1);
      }
      if (found) {
        list.used = true;
        used.push(list.name);
        this.addCandidates(pending, replacement.words, index);
      }
    }
    return { text: cnd, used };
  }

  /** Adds the positions after `after` of lists named by `words`, keeping `pending` sorted and distinct. */
  private addCandidates(pending: number[], words: readonly string[], after: number): void {
    for (const word of words) {
      for (const i of this.positions.get(word) ?? []) {
        if (i <= after || pending.includes(i)) continue;
        let at = pending.length;
        while (at > 0 && pending[at - 1]! > i) at--;
        pending.splice(at, 0, i);
      }
    }
  }

  private replacementAt(index: number): Replacement {
    let replacement = this.replacements[index];
    if (!replacement) {
      const quoted = this.lists[index]!.items.map(quoteListItem);
      replacement = { text: quoted.join(', '), words: quoted.flatMap((item) => item.split(WORD_SPLIT)) };
      this.replacements[index] = replacement;
    }
    return replacement;
  }
}
