import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { FIELD_DESCRIPTIONS } from '../../src/fields/descriptions.js';
import { sysdigFormat } from '../../src/sources/jsonl/conversion.js';
import { sharedPath } from '../helpers/upstream.js';

const shared = JSON.parse(readFileSync(sharedPath('fields/syscall-fields.json'), 'utf8')) as {
  fields: { name: string; type: string; flags: string[]; provider: string }[];
};
const catalogue = FieldCatalogue.syscall();

describe('field catalogue', () => {
  it('holds exactly the shared facts (names, types, flags, providers)', () => {
    expect(catalogue.all().map((f) => ({ name: f.name, type: f.type, flags: [...f.flags], provider: f.provider }))).toEqual(
      shared.fields.map((f) => ({ name: f.name, type: f.type, flags: f.flags, provider: f.provider })),
    );
  });

  it('has a description for every field and none for unknown ones', () => {
    for (const f of catalogue.all()) expect(FIELD_DESCRIPTIONS[f.name], f.name).toMatch(/\w{3}/);
    expect(Object.keys(FIELD_DESCRIPTIONS).sort()).toEqual(
      catalogue
        .all()
        .map((f) => f.name)
        .sort(),
    );
  });

  it('resolves arguments as libsinsp does', () => {
    expect(catalogue.resolve('proc.aname', '2')).toMatchObject({ ok: true, field: { key: 'proc.aname[2]' } });
    expect(catalogue.resolve('evt.arg.flags')).toMatchObject({ ok: true, field: { key: 'evt.arg[flags]', arg: 'flags' } });
    expect(catalogue.resolve('proc.aname', 'x')).toMatchObject({ ok: false, unknown: false });
    expect(catalogue.resolve('proc.name', '1')).toMatchObject({ ok: false, unknown: false });
    expect(catalogue.resolve('container.mount.dest')).toMatchObject({ ok: false, unknown: false });
    expect(catalogue.resolve('proc.nosuch')).toMatchObject({ ok: false, unknown: true });
    expect(catalogue.resolve('container.mount.dest', '/var/run/docker.sock').ok).toBe(true);
  });
});

describe('field spellings', () => {
  it("writes arguments after a dot where libsinsp's parser reads them so, in brackets otherwise", () => {
    expect(FieldCatalogue.spelling('evt.type.is', 'open')).toBe('evt.type.is.open');
    expect(FieldCatalogue.spelling('evt.arg', 'flags')).toBe('evt.arg.flags');
    expect(FieldCatalogue.spelling('evt.rawarg', 'res')).toBe('evt.rawarg.res');
    expect(FieldCatalogue.spelling('evt.arg', '0')).toBe('evt.arg[0]');
    expect(FieldCatalogue.spelling('proc.aname', '2')).toBe('proc.aname[2]');
    expect(FieldCatalogue.spelling('proc.name', undefined)).toBe('proc.name');
  });

  it('sysdig formats (kestrel fields --sysdig-format) use them: sysdig refuses evt.type.is[open]', () => {
    const resolved = ['evt.type.is.open', 'evt.arg.flags', 'proc.aname[2]'].map((n) => {
      const r = catalogue.resolve(n.replace(/\[.*$/, ''), /\[(.*)\]/.exec(n)?.[1]);
      if (!r.ok) throw new Error(r.message);
      return r.field.key;
    });
    expect(resolved).toEqual(['evt.type.is[open]', 'evt.arg[flags]', 'proc.aname[2]']);
    const format = sysdigFormat(resolved, catalogue);
    expect(format).toContain('%evt.type.is.open');
    expect(format).toContain('%evt.arg.flags');
    expect(format).toContain('%proc.aname[2]');
    expect(format).not.toContain('[open]');
  });
});
