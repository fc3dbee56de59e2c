/**
 * The layers of src/, lowest first. A module may import from its own layer and from layers
 * below it, never from a layer above: the pipeline's dependencies point one way. `npm run deps`
 * checks this and the absence of cycles (CI runs it). docs/architecture.md explains each layer.
 */
const LAYERS = [
  ['fields', '^src/fields/'],
  ['diagnostics', '^src/diagnostics/'],
  ['operators', '^src/operators/'],
  ['parser', '^src/parser/'],
  ['rules', '^src/rules/'],
  ['evaluator', '^src/evaluator/'],
  ['output', '^src/output/'],
  ['sources', '^src/sources/'],
  ['replay', '^src/replay/'],
  ['testing', '^src/testing/'],
  ['cli', '^src/cli/'],
  ['api', '^src/index\\.ts$'],
];

const upward = LAYERS.map(([name, path], i) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} may only import from itself and the layers below it (${LAYERS.slice(0, i).map(([n]) => n).join(', ') || 'none'})`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
})).filter((rule) => rule.to.path.length > 0);

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'modules must not depend on each other in a cycle', from: {}, to: { circular: true } },
    { name: 'no-test-or-bench-from-src', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench)/' } },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
