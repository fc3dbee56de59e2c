import { readdirSync } from 'node:fs';
import path from 'node:path';

// One place finds the shared reference material for the tests and the benchmarks.
import { SHARED_DIR, sharedPath, UPSTREAM_RULE_FILES, type UpstreamCondition, upstreamConditions } from '../../bench/shared.js';

export { SHARED_DIR, sharedPath, UPSTREAM_RULE_FILES, type UpstreamCondition, upstreamConditions };
export const UPSTREAM_RULES_DIR = sharedPath('falcosecurity-rules') + path.sep;
/** The gzipped scap captures the differential tests read. */
export const SCAP_DIR = sharedPath('captures/scap') + path.sep;

/**
 * kestrel's own rule tests (test/rule-tests) as `kestrel test` arguments: each file that tests
 * the upstream rules is given them with -r (its `rules:` names ../shared, which may be
 * elsewhere), the others run as written. One argument list per invocation.
 */
export function ownRuleTestRuns(root: string): string[][] {
  const dir = path.join(root, 'test/rule-tests');
  const upstream = path.join(dir, 'upstream-stable.kestrel-test.yaml');
  const others = readdirSync(dir)
    .filter((name) => name.endsWith('.kestrel-test.yaml'))
    .map((name) => path.join(dir, name))
    .filter((file) => file !== upstream);
  return [others, [upstream, '-r', UPSTREAM_RULE_FILES[0]!]];
}
