/**
 * Binding a parsed output format to an event source: every `%` token, a plain field or a
 * transformer expression (`%tolower(proc.name)`), is read through the evaluator's operand
 * compiler, the path conditions use, so outputs and conditions never disagree on a value.
 */

import { CheckPlanner } from '../evaluator/checks.js';
import type { FieldCatalogue, FieldType } from '../fields/catalogue.js';
import type { EventSource, FieldAccessor } from '../fields/source.js';
import type { Operand, TransformerListItem } from '../parser/index.js';
import type { FormatToken } from '../rules/output-format.js';
import type { BoundToken } from './render.js';
import { jsonForm, textForm } from './value-forms.js';

export interface BoundField<E> {
  key: string;
  read: FieldAccessor<E>;
  type: FieldType | undefined;
}

export interface BoundFormat<E> {
  /** The message tokens, in order. */
  message: BoundToken<E>[];
  /**
   * The output fields, sorted by key, for JSON. As libsinsp's formatter, a transformer
   * contributes the plain fields it reads, not its own result.
   */
  fields: BoundField<E>[];
}

export class FormatBinder<E> {
  private readonly operands: CheckPlanner<E>;

  constructor(
    source: EventSource<E>,
    private readonly catalogue: FieldCatalogue,
  ) {
    this.operands = new CheckPlanner(source, catalogue);
  }

  bind(tokens: readonly FormatToken[]): BoundFormat<E> {
    const fields = new Map<string, BoundField<E>>();
    const message = tokens.map((t): BoundToken<E> => {
      if (t.kind === 'text') return { text: t.text, width: 0 };
      const compiled = this.operands.operand(t.operand);
      if (t.field) {
        if (!fields.has(t.text)) fields.set(t.text, { key: t.text, read: jsonForm(t.field.def, compiled.read), type: compiled.type });
      } else {
        for (const inner of innerFields(t.operand)) {
          const key = inner.arg === undefined ? inner.name : `${inner.name}[${inner.arg}]`;
          if (!fields.has(key)) {
            const read = this.operands.operand(inner);
            const def = this.catalogue.get(inner.name);
            fields.set(key, { key, read: def ? jsonForm(def, read.read) : read.read, type: read.type });
          }
        }
      }
      // A transformer's result is a value of its own, printed as it is.
      const read = t.field ? textForm(t.field.def, compiled.read) : compiled.read;
      return { text: t.text, width: t.width, read, type: compiled.type };
    });
    return { message, fields: [...fields.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
  }
}

type FieldOperand = Extract<Operand, { kind: 'field' }>;

/** The plain fields a transformer expression reads, in order. */
function innerFields(node: Operand | TransformerListItem): FieldOperand[] {
  if (node.kind === 'field') return [node];
  if (node.kind !== 'transformer') return [];
  return node.args.flatMap((a) => (a.kind === 'transformer_list' ? a.items.flatMap(innerFields) : innerFields(a)));
}
