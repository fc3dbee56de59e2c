/**
 * Field extraction for scap captures: `extractor(field)` builds, once per field at
 * compile time, the function that reads the field from an event and the state. Every
 * syscall-source field of the catalogue is either extracted here or listed in
 * NA_BY_DESIGN with the reason a capture cannot give it a value.
 */
import type { ResolvedField } from '../../../fields/catalogue.js';
import { CONTAINER_FIELDS } from './container.js';
import { counter, EVT_FIELDS } from './evt.js';
import { FD_FIELDS } from './fd.js';
import { FDLIST_FIELDS } from './fdlist.js';
import { FSPATH_FIELDS } from './fspath.js';
import { THREAD_FIELDS } from './thread.js';
import { type Extractor, type ExtractorOptions, NA } from './types.js';
import { USER_FIELDS } from './user.js';

export type { Extractor, ExtractorOptions, ParamRenderer } from './types.js';

type Builder = (field: ResolvedField, options: ExtractorOptions) => Extractor;

const BUILDERS = new Map<string, Builder>();
for (const table of [THREAD_FIELDS, FD_FIELDS, EVT_FIELDS, USER_FIELDS, CONTAINER_FIELDS, FDLIST_FIELDS, FSPATH_FIELDS] as Record<string, Builder>[]) {
  for (const [name, build] of Object.entries(table)) BUILDERS.set(name, build);
}
BUILDERS.set('util.cnt', () => counter());

const DNS = "a host name from libsinsp's DNS cache, which resolves live lookups; a replayed capture has none";
const DEPRECATED = 'deprecated: the container plugin extracts nothing for it';
const DEPRECATED_K8S = 'deprecated (use the k8smeta plugin): the container plugin extracts nothing for it';

/** Fields that are NA on every scap event, and why. */
export const NA_BY_DESIGN: ReadonlyMap<string, string> = new Map([
  ['fd.cip.name', DNS],
  ['fd.sip.name', DNS],
  ['fd.lip.name', DNS],
  ['fd.rip.name', DNS],
  ['thread.cpu', "set only on procinfo events (sysdig's periodic CPU samples), which Falco captures do not carry"],
  ['thread.cpu.user', 'set only on procinfo events, which Falco captures do not carry'],
  ['thread.cpu.system', 'set only on procinfo events, which Falco captures do not carry'],
  ['evt.pluginname', 'syscall events come from no plugin'],
  ['evt.plugininfo', 'syscall events come from no plugin'],
  ['container.healthcheck', DEPRECATED],
  ['container.liveness_probe', DEPRECATED],
  ['container.readiness_probe', DEPRECATED],
  ['proc.is_container_healthcheck', DEPRECATED],
  ['proc.is_container_liveness_probe', DEPRECATED],
  ['proc.is_container_readiness_probe', DEPRECATED],
  ...['rc', 'svc', 'rs', 'deployment'].flatMap((k) => ['name', 'id', 'label', 'labels'].map((p): [string, string] => [`k8s.${k}.${p}`, DEPRECATED_K8S])),
  ['k8s.ns.id', DEPRECATED_K8S],
  ['k8s.ns.label', DEPRECATED_K8S],
  ['k8s.ns.labels', DEPRECATED_K8S],
]);

/** Names of the fields extracted from scap events. */
export function extractedFields(): string[] {
  return [...BUILDERS.keys()];
}

/**
 * The extractor of a resolved field. Unknown fields and fields NA by design read as NA
 * (resolution against the catalogue has already reported unknown names).
 */
export function extractor(field: ResolvedField, options: ExtractorOptions = {}): Extractor {
  const build = BUILDERS.get(field.def.name);
  return build === undefined ? NA : build(field, options);
}
