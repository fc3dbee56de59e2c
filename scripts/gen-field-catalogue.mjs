// Regenerates src/fields/field-catalogue.json (names, types, flags, print formats, providers of the
// syscall-source fields) from ../shared/fields/syscall-fields.json. Facts only.
import { readFileSync, writeFileSync } from 'node:fs';

const input = process.argv[2] ?? new URL('../../shared/fields/syscall-fields.json', import.meta.url);
const output = new URL('../src/fields/field-catalogue.json', import.meta.url);
const source = JSON.parse(readFileSync(input, 'utf8'));
// print_format: how libsinsp prints the value as text (absent in the source for plugin fields: na).
const fields = source.fields.map((f) => ({ name: f.name, type: f.type, flags: f.flags, print_format: f.print_format ?? 'na', provider: f.provider }));
writeFileSync(output, `${JSON.stringify({ source_commits: source.source_commits, fields }, null, 1)}\n`);
console.log(`wrote ${fields.length} fields`);
