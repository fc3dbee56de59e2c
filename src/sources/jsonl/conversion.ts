/**
 * The sysdig `-p` format that turns a scap capture into flat JSONL events holding the given
 * fields, in the spellings kestrel reads: `sysdig -r X.scap -j -p "$(kestrel fields … --sysdig-format)"`.
 */
import { ANCESTRY_FIELDS, FieldCatalogue } from '../../fields/catalogue.js';
import { DERIVED_FD } from './flat-source.js';

/** Ancestry fields without an index are converted as indexed keys, which sysdig prints reliably. */
const ANCESTRY = new Set(Object.keys(ANCESTRY_FIELDS));
const ANCESTORS_IN_CONVERSIONS = 6;
/** Always converted: what replay and alerts need besides the rules' own fields. */
export const BASE_FIELDS = ['evt.num', 'evt.rawtime', 'evt.type', 'evt.dir'];

/** `fields` are canonical keys (`proc.name`, `proc.aname[2]`, `evt.arg[flags]`). */
export function sysdigFormat(fields: string[], catalogue: FieldCatalogue): string {
  const keys: string[] = [...BASE_FIELDS];
  for (const key of fields) {
    const match = /^([^[]+)(?:\[(.*)\])?$/.exec(key);
    const name = match?.[1] ?? key;
    const arg = match?.[2];
    if (ANCESTRY.has(key)) {
      for (let i = 1; i <= ANCESTORS_IN_CONVERSIONS; i++) keys.push(`${key}[${i}]`);
    } else if (DERIVED_FD[name]) {
      // Filter-only fd fields are derived from the fields they stand for.
      keys.push(...DERIVED_FD[name]!);
    } else if (catalogue.get(name)?.flags.has('filter_only')) {
    } else {
      // sysdig reads event arguments (and evt.type.is) by name only in the dotted form
      keys.push(FieldCatalogue.spelling(name, arg));
    }
  }
  return `*${[...new Set(keys)].map((k) => `%${k}`).join(' ')}`;
}
