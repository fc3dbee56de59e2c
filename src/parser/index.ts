export * from './ast.js';
export { type ConditionSyntaxError, formatSyntaxError, HINTS, SYNTAX } from './errors.js';
export { type ParseOptions, type ParseResult, parseCondition } from './parse.js';
export { printCondition, printNode } from './printer.js';
export { childrenOf, stripRanges, type Visitor, visit } from './visitor.js';
export { DEFAULT_MAX_DEPTH, RULES_MAX_DEPTH } from './words.js';
