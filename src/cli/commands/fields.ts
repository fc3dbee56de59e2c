import { parseArgs } from 'node:util';
import { FieldCatalogue, type FieldDef } from '../../fields/catalogue.js';
import { FIELD_DESCRIPTIONS } from '../../fields/descriptions.js';
import { loadRulesFiles } from '../../rules/loader.js';
import { formatDiagnostic } from '../../rules/report.js';
import { sysdigFormat } from '../../sources/jsonl/conversion.js';
import { type CliIO, UsageError } from '../io.js';

export function runFields(argv: string[], io: CliIO): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      rules: { type: 'string', short: 'r', multiple: true },
      used: { type: 'boolean' },
      json: { type: 'boolean' },
      'sysdig-format': { type: 'boolean' },
    },
  });
  const catalogue = FieldCatalogue.syscall();
  let names: string[];
  if (values.used) {
    if (!values.rules?.length) throw new UsageError('--used needs rules (-r)');
    const loaded = loadRulesFiles(values.rules, { cwd: io.cwd });
    if (!loaded.output) {
      for (const r of loaded.results) for (const d of r.errors) io.err(`${formatDiagnostic(d, loaded.contents)}\n`);
      return 1;
    }
    const used = new Set<string>();
    for (const rule of loaded.output.rules) for (const f of [...rule.conditionFields, ...rule.outputFields]) used.add(f);
    names = [...used].sort();
  } else {
    names = catalogue.all().map((f) => f.name);
  }

  if (values['sysdig-format']) {
    io.out(`${sysdigFormat(names, catalogue)}\n`);
    return 0;
  }

  const rows = names.map((name) => {
    const def = catalogue.get(name.replace(/\[.*\]$/, '')) ?? catalogue.get(name.split('.').slice(0, 2).join('.'));
    return { name, def };
  });
  if (values.json) {
    io.out(
      `${JSON.stringify(
        rows.map(({ name, def }) => describe(name, def)),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const { name, def } of rows) {
    const d = describe(name, def);
    io.out(`${name.padEnd(width)}  ${d.type.padEnd(8)}  ${d.description}${d.flags.length ? `  [${d.flags.join(', ')}]` : ''}\n`);
  }
  return 0;
}

function describe(name: string, def: FieldDef | undefined) {
  return {
    name,
    type: def?.type ?? 'unknown',
    flags: def ? [...def.flags] : [],
    provider: def?.provider ?? '',
    description: def ? (FIELD_DESCRIPTIONS[def.name] ?? '') : '',
  };
}
