export * from './ast.js';
export { formatSyntaxError, HINTS, SYNTAX, type ConditionSyntaxError } from './errors.js';
export { parseCondition, type ParseOptions, type ParseResult } from './parse.js';
export { printCondition, printNode } from './printer.js';
export { childrenOf, stripRanges, visit, type Visitor } from './visitor.js';
export { DEFAULT_MAX_DEPTH, RULES_MAX_DEPTH } from './words.js';
