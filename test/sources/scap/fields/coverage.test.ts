import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../../../src/fields/catalogue.js';
import { extractedFields, NA_BY_DESIGN } from '../../../../src/sources/scap/fields/index.js';

describe('scap field coverage', () => {
  const catalogue = FieldCatalogue.syscall()
    .all()
    .map((f) => f.name);
  const extracted = new Set(extractedFields());

  it('extracts every catalogue field or lists it as NA by design, with a reason', () => {
    const missing = catalogue.filter((name) => !extracted.has(name) && !NA_BY_DESIGN.has(name));
    expect(missing).toEqual([]);
    for (const [name, reason] of NA_BY_DESIGN) expect(reason, name).toMatch(/\w{3} \w{3}/);
  });

  it('lists no field both ways, and none the catalogue lacks', () => {
    expect([...NA_BY_DESIGN.keys()].filter((n) => extracted.has(n))).toEqual([]);
    const known = new Set(catalogue);
    expect([...extracted, ...NA_BY_DESIGN.keys()].filter((n) => !known.has(n))).toEqual([]);
  });
});
