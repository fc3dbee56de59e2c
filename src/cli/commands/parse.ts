import { parseArgs } from 'node:util';
import { codeFrame } from '../../diagnostics/codeframe.js';
import { formatSyntaxError, type Node, parseCondition, stripRanges } from '../../parser/index.js';
import { childrenOf } from '../../parser/visitor.js';
import { type CliIO, UsageError } from '../io.js';

export function runParse(argv: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, ranges: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('parse takes exactly one condition (quote it for the shell)');
  const text = positionals[0]!;
  const result = parseCondition(text);
  if (!result.ok) {
    if (values.json) {
      io.out(`${JSON.stringify({ error: result.error }, null, 2)}\n`);
    } else {
      const { hint, ...error } = result.error;
      const frame = codeFrame(text, error.position.line, error.position.column);
      io.err(`error: ${formatSyntaxError(error)}\n${frame}\n${hint ? `hint: ${hint}\n` : ''}`);
    }
    return 1;
  }
  if (values.json) {
    io.out(`${JSON.stringify(values.ranges ? result.ast : stripRanges(result.ast), null, 2)}\n`);
  } else {
    io.out(`${renderTree(result.ast)}\n`);
  }
  return 0;
}

/** An indented outline of the tree, one node a line. */
function renderTree(node: Node, depth = 0): string {
  const pad = '  '.repeat(depth);
  const line = `${pad}${describeNode(node)}`;
  const children = childrenOf(node);
  return [line, ...children.map((c) => renderTree(c, depth + 1))].join('\n');
}

function describeNode(node: Node): string {
  switch (node.kind) {
    case 'and':
    case 'or':
    case 'not':
      return node.kind;
    case 'identifier':
      return `macro ${node.name}`;
    case 'unary':
      return node.operator;
    case 'binary':
      return node.modifier ? `${node.operator} ${node.modifier}` : node.operator;
    case 'field':
      return node.arg === undefined ? `field ${node.name}` : `field ${node.name}[${node.arg}]`;
    case 'transformer':
      return node.arg === undefined ? `${node.name}()` : `${node.name}()[${node.arg}]`;
    case 'transformer_list':
      return 'list';
    case 'value':
      return `value ${JSON.stringify(node.value)}`;
    case 'list':
      return 'list';
    case 'list_ref':
      return `list ${node.name}`;
  }
}
