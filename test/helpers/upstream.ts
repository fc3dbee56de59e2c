import { readdirSync } from 'node:fs';
import path from 'node:path';

// One place finds the shared reference material for the tests and the benchmarks.
import { SHARED_DIR, sharedPath, UPSTREAM_RULE_FILES, type UpstreamCondition, upstreamConditions } from '../../bench/shared.js';

export { SHARED_DIR, sharedPath, UPSTREAM_RULE_FILES, type UpstreamCondition, upstreamConditions };
export const UPSTREAM_RULES_DIR = sharedPath('falcosecurity-rules') + path.sep;
/** The gzipped scap captures the differential tests read. */
export const SCAP_DIR = sharedPath('captures/scap') + path.sep;

/** kestrel's own rule tests of the upstream stable rules (test/rule-tests). */
export const UPSTREAM_RULE_TEST_FILES = ['upstream-stable.kestrel-test.yaml', 'upstream-stable-simulated.kestrel-test.yaml'];

/**
 * kestrel's own rule tests (test/rule-tests) as `kestrel test` arguments: the files that test
 * the upstream rules are given them with -r (their `rules:` names ../shared, which may be
 * elsewhere), the others run as written. One argument list per invocation.
 */
export function ownRuleTestRuns(root: string): string[][] {
  const dir = path.join(root, 'test/rule-tests');
  const upstream = UPSTREAM_RULE_TEST_FILES.map((name) => path.join(dir, name));
  const others = readdirSync(dir)
    .filter((name) => name.endsWith('.kestrel-test.yaml'))
    .map((name) => path.join(dir, name))
    .filter((file) => !upstream.includes(file));
  return [others, [...upstream, '-r', UPSTREAM_RULE_FILES[0]!]];
}
