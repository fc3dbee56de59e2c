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
const DELIMITERS = BLANKS + '(),=';
const WORD_SPLIT = /[ \t\n\r(),=]+/;

export function quoteListItem(item: string): string {
  return item.includes(' ') && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

/** Returns the rewritten text and the names of the lists substituted into it. */
export function substituteLists(text: string, lists: ExpandedList[], offsets?: OffsetMap): { text: string; used: string[] } {
  let cnd = text;
  const used: string[] = [];
  // A delimited occurrence of a name is a whole word: skip lists whose name is no word here.
  const words = new Set(cnd.split(WORD_SPLIT));
  for (const list of lists) {
    if (!words.has(list.name)) continue;
    let found = false;
    let start = cnd.indexOf(list.name);
    while (start !== -1) {
      let end = start + list.name.length;
      const before = start === 0 || DELIMITERS.includes(cnd[start - 1]!);
      const after = end >= cnd.length || DELIMITERS.includes(cnd[end]!);
      if (before && after) {
        while (start > 0 && BLANKS.includes(cnd[start - 1]!)) start--;
        while (end < cnd.length && BLANKS.includes(cnd[end]!)) end++;
        const sub = list.items.map(quoteListItem).join(', ');
        if (sub === '') {
          // An empty list takes a neighbouring comma with it.
          if (start > 0 && cnd[start - 1] === ',') start--;
          else if (end < cnd.length && cnd[end] === ',') end++;
        }
        const prefix = start > 0 ? cnd.slice(0, start) + ' ' : '';
        const replacement = sub + ' ';
        offsets?.record(start, end - start, prefix.length - start + replacement.length);
        cnd = prefix + replacement + cnd.slice(end);
        start += sub.length + 1;
        found = true;
      }
      start = cnd.indexOf(list.name, start + 1);
    }
    if (found) {
      list.used = true;
      used.push(list.name);
      for (const item of list.items) for (const w of quoteListItem(item).split(WORD_SPLIT)) words.add(w);
    }
  }
  return { text: cnd, used };
}
