/**
 * Checks an expanded condition against the field catalogue the way libsinsp compiles a
 * filter: every field must exist with a valid argument, every operator must suit the
 * field's type, every value must parse for that type, `evt.type` values must name events.
 * It also collects libsinsp's compile warnings (LOAD_COMPILE_CONDITION).
 */
import { FieldCatalogue, type FieldType, type ResolvedField } from '../fields/catalogue.js';
import { isKnownEventName } from '../fields/events.js';
import { comparedType } from '../fields/raw-args.js';
import { ipConstantProblem, numericConstantProblem } from '../operators/constants.js';
import { compileRegex } from '../operators/regex.js';
import { operatorAccepts } from '../operators/registry.js';
import { TRANSFORMER_CALL_PREFIX, transformerSpec } from '../operators/transformers.js';
import type { BinaryCheckExpr, Expr, FieldExpr, Node, Operand, RightHandSide, TransformerExpr } from '../parser/index.js';

export interface ConditionProblem {
  /** libsinsp's message where it has one (`filter_check called with nonexistent field x.y`). */
  message: string;
  node: Node;
  /** An unknown field or event type: what `skip-if-unknown-filter` forgives. */
  unknown: boolean;
  /** kestrel's explanation, shown after the message. */
  hint?: string;
}

export interface ConditionWarning {
  message: string;
  node: Node;
}

/** A value that reads as a transformer call: `tolower(proc.name)`. */
const TRANSFORMER_CALL = new RegExp(`${TRANSFORMER_CALL_PREFIX.source}.+\\)$`);

export class ConditionValidator {
  readonly problems: ConditionProblem[] = [];
  readonly warnings: ConditionWarning[] = [];
  /** Fields read by the condition, canonical spelling, in first-use order. */
  readonly fields: string[] = [];

  constructor(private readonly catalogue: FieldCatalogue) {}

  validate(expr: Expr): void {
    switch (expr.kind) {
      case 'and':
      case 'or':
        for (const child of expr.children) this.validate(child);
        return;
      case 'not':
        this.validate(expr.child);
        return;
      case 'identifier':
        this.problem(`'${expr.name}' is neither a macro nor a field check`, expr, false);
        return;
      case 'unary':
        this.operandType(expr.left, false);
        return;
      case 'binary':
        this.binary(expr);
        return;
    }
  }

  private binary(expr: BinaryCheckExpr): void {
    const left = this.operandType(expr.left, false);
    if (left === undefined) return;
    const { type, isList, field } = left;
    const op = expr.operator;
    if (!operatorAccepts(op, type, isList)) {
      this.problem(`operator '${op}' cannot be used with ${describeOperand(expr.left)} (type ${type})`, expr, false);
      return;
    }
    this.rightHandSide(expr, expr.right, type, field);
  }

  private rightHandSide(expr: BinaryCheckExpr, right: RightHandSide, type: FieldType, field: ResolvedField | undefined): void {
    switch (right.kind) {
      case 'transformer':
        this.operandType(right, true);
        return;
      case 'list_ref':
        this.problem(`'${right.name}' is not a defined list; write the values in parentheses or define the list`, right, false);
        return;
      case 'value':
        this.value(expr, right.value, right, type, field);
        return;
      case 'list':
        for (const item of right.items) this.value(expr, item.value, item, type, field);
        return;
    }
  }

  private value(expr: BinaryCheckExpr, value: string, node: Node, type: FieldType, field: ResolvedField | undefined): void {
    const problem = valueProblem(value, type);
    if (problem) {
      this.problem(problem, node, false, type === 'bool' ? 'a boolean field takes true or false' : undefined);
      return;
    }
    if (field?.def.name === 'evt.type' && !isKnownEventName(value)) {
      this.problem(`unknown event type ${value}`, node, true);
      return;
    }
    if (expr.operator === 'regex') {
      // sinsp_filter_check::add_filter_value compiles each pattern as it is added.
      const regex = compileRegex(value);
      if (!regex.ok) {
        this.problem(regex.message, node, false, regex.hint);
        return;
      }
    }
    this.valueWarnings(expr, value, node);
  }

  /** libsinsp's hints: a value that looks like a field or a transformer, a regex that needs none. */
  private valueWarnings(expr: BinaryCheckExpr, value: string, node: Node): void {
    const compact = value.replace(/\s+/g, '');
    if (expr.operator === 'regex' && !needsRegex(value)) {
      this.warnings.push({
        message: `regex check with '${value}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'`,
        node,
      });
    }
    const fieldLike = /^([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+)(?:\[(.*)\])?$/.exec(compact);
    if (fieldLike && this.catalogue.resolve(fieldLike[1]!, fieldLike[2]).ok) {
      this.warnings.push({ message: `'${value}' may be a valid field misused as a const string value`, node });
    }
    if (TRANSFORMER_CALL.test(compact)) {
      this.warnings.push({ message: `'${value}' may be a valid field transformer misused as a const string value`, node });
    }
  }

  /** Resolves an operand's fields; returns the type it yields. */
  private operandType(node: Operand, rightSide: boolean): { type: FieldType; isList: boolean; field?: ResolvedField } | undefined {
    if (node.kind === 'field') {
      const resolved = this.resolveField(node);
      if (!resolved) return undefined;
      if (rightSide && resolved.def.flags.has('no_rhs')) {
        this.problem(`field '${resolved.def.name}' cannot be used on the right-hand side of a comparison`, node, false);
        return undefined;
      }
      return { type: comparedType(resolved), isList: resolved.def.flags.has('is_list'), field: resolved };
    }
    return this.transformerType(node, rightSide);
  }

  private transformerType(node: TransformerExpr, rightSide: boolean): { type: FieldType; isList: boolean } | undefined {
    let inputType: FieldType | undefined;
    for (const arg of node.args) {
      const items = arg.kind === 'transformer_list' ? arg.items : [arg];
      for (const item of items) {
        if (item.kind === 'value') continue;
        const t = this.operandType(item, false);
        if (!t) return undefined;
        if (item.kind === 'field' && this.catalogue.resolve(item.name, item.arg).ok) {
          const def = this.catalogue.resolve(item.name, item.arg);
          if (def.ok && def.field.def.flags.has('no_transformer') && node.name !== 'val') {
            this.problem(`field '${def.field.def.name}' cannot be used with the ${node.name}() transformer`, item, false);
            return undefined;
          }
        }
        inputType ??= t.type;
      }
    }
    void rightSide;
    const out = transformerSpec(node.name)?.output;
    const type = out === 'input' || out === undefined ? (inputType ?? 'charbuf') : out;
    return { type, isList: false };
  }

  private resolveField(node: FieldExpr): ResolvedField | undefined {
    const written = FieldCatalogue.writtenArgumentProblem(node.name, node.arg);
    if (written !== undefined) {
      this.problem(written, node, false);
      return undefined;
    }
    const lookup = this.catalogue.resolve(node.name, node.arg);
    if (!lookup.ok) {
      if (lookup.unknown) {
        // sinsp_extractor_compiler::create_filtercheck, with the name as written.
        const written = node.arg === undefined ? node.name : `${node.name}[${node.arg}]`;
        this.problem(`filter_check called with nonexistent field ${written}`, node, true, `no field is named '${node.name}' (kestrel fields lists them)`);
      } else {
        this.problem(lookup.message, node, false);
      }
      return undefined;
    }
    if (!this.fields.includes(lookup.field.key)) this.fields.push(lookup.field.key);
    return lookup.field;
  }

  private problem(message: string, node: Node, unknown: boolean, hint?: string): void {
    this.problems.push(hint ? { message, node, unknown, hint } : { message, node, unknown });
  }
}

function describeOperand(node: Operand): string {
  return node.kind === 'field' ? `field '${node.name}${node.arg !== undefined ? `[${node.arg}]` : ''}'` : `${node.name}()`;
}

/** Why `value` cannot be compared with a field of `type`, or undefined when it can. */
export function valueProblem(value: string, type: FieldType): string | undefined {
  switch (type) {
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'reltime':
    case 'abstime':
    case 'double':
    case 'port':
      return numericConstantProblem(value, type);
    case 'bool':
      return value === 'true' || value === 'false' ? undefined : `filter error: unrecognized boolean value ${value}`;
    case 'ipaddr':
    case 'ipnet':
      return ipConstantProblem(value, type);
    default:
      return undefined;
  }
}

/** Whether a regex value uses anything beyond anchors and a leading/trailing `.*`. */
function needsRegex(v: string): boolean {
  const special = '.+*?^$()[]{}|\\';
  for (let i = 0; i < v.length; i++) {
    if ((i === 0 && v[i] === '^') || (i === v.length - 1 && v[i] === '$')) continue;
    if (((i === 0 && v.length > 1) || i === v.length - 2) && v[i] === '.' && '+*?'.includes(v[i + 1] ?? '')) {
      i++;
      continue;
    }
    if (special.includes(v[i]!)) return true;
  }
  return false;
}
