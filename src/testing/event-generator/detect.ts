/**
 * Tells an event-generator description from kestrel's own test files
 * (`*.kestrel-test.yaml`, src/testing/schema.ts): both have a `tests` list (and both may
 * use `cases`), but only event-generator's tests have `runner` (required there), `steps`,
 * `resources`, `context` or `expectedOutcome`, and only kestrel's have `expect`, `events`,
 * `capture` or `defaults` (required there: `expect`) or the top-level `rules`/`matching`.
 */
import { isPlainObject, parseYaml } from './yaml-tree.js';

const EVENT_GENERATOR_KEYS = ['runner', 'steps', 'resources', 'context', 'expectedOutcome', 'before', 'after'];
const KESTREL_KEYS = ['expect', 'events', 'capture', 'defaults'];

export function isEventGeneratorSuite(text: string): boolean {
  const { doc } = parseYaml(text);
  // Read what parses: a file with errors can still be told apart by its keys.
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  if (!isPlainObject(value)) return false;
  if ('rules' in value || 'matching' in value) return false;
  const tests = value['tests'];
  if (!Array.isArray(tests)) return false;
  let eventGenerator = false;
  for (const test of tests) {
    if (!isPlainObject(test)) continue;
    if (KESTREL_KEYS.some((k) => k in test)) return false;
    if (EVENT_GENERATOR_KEYS.some((k) => k in test)) eventGenerator = true;
  }
  return eventGenerator;
}
