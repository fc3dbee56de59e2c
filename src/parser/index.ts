export * from './ast.js';
export { formatSyntaxError, type ConditionSyntaxError } from './errors.js';
export { parseCondition, type ParseResult } from './parse.js';
export { printCondition, printNode } from './printer.js';
export { childrenOf, stripRanges, visit, type Visitor } from './visitor.js';
