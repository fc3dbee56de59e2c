/**
 * Rule exceptions become condition text, as Falco builds it:
 * `(CONDITION) and not (F1 C1 V1 and F2 C2 V2) or (...)`, one `and not` per exception.
 */
import { LoadError } from './diagnostics.js';
import { quoteListItem } from './lists.js';
import type { ExceptionInfo } from './model.js';
import { isListOperatorText } from './operators.js';

export function buildExceptionCondition(condition: string, exceptions: ExceptionInfo[], fieldsOut: string[], namesOut: string[] = []): string {
  let result = `(${condition})`;
  for (const ex of exceptions) {
    let clause = '';
    if (!ex.fields.isList) {
      for (const value of ex.values) {
        if (value.isList) throw new LoadError('LOAD_ERR_VALIDATE', 'Expected values array to contain a list of strings', ex.context);
        clause += clause === '' ? `(${ex.fields.item} ${ex.comps.item} (` : ', ';
        fieldsOut.push(ex.fields.item);
        clause += quoteListItem(value.item);
      }
      clause += clause === '' ? '' : '))';
    } else {
      clause = '(';
      for (const tuple of ex.values) {
        if (tuple.items.length !== ex.fields.items.length) {
          throw new LoadError('LOAD_ERR_VALIDATE', 'Fields and values lists must have equal length', ex.context);
        }
        clause += clause === '(' ? '' : ' or ';
        clause += '(';
        ex.fields.items.forEach((field, k) => {
          const value = tuple.items[k]!;
          const comp = ex.comps.items[k]!.item;
          let rhs: string;
          if (value.isList) {
            rhs = `(${value.items.map((v) => quoteListItem(v.item)).join(', ')})`;
          } else if (isListOperatorText(comp)) {
            rhs = value.item.startsWith('(') ? value.item : `(${value.item})`;
          } else {
            rhs = quoteListItem(value.item);
          }
          clause += `${k === 0 ? '' : ' and '} ${field.item} ${comp} ${rhs}`;
          fieldsOut.push(field.item);
        });
        clause += ')';
      }
      clause += ')';
      if (clause === '()') clause = '';
    }
    if (clause !== '') {
      result += ` and not ${clause}`;
      namesOut.push(ex.name);
    }
  }
  return result;
}
