/** event-generator style templates: one concrete test per case, `%{ item.KEY }` substituted. */
import type { TestCase } from './schema.js';

const PLACEHOLDER = /%\{\s*item\.([A-Za-z0-9_.-]+)\s*\}/g;

export function expandCases(test: TestCase): TestCase[] {
  if (!test.cases) return [test];
  const { strategy, values } = test.cases;
  const keys = Object.keys(values);
  const items: Record<string, unknown>[] = [];
  if (strategy === 'vector') {
    const length = Math.max(...keys.map((k) => values[k]!.length));
    for (const k of keys)
      if (values[k]!.length !== length) throw new Error(`vector cases need lists of one length: '${k}' has ${values[k]!.length}, expected ${length}`);
    for (let i = 0; i < length; i++) items.push(Object.fromEntries(keys.map((k) => [k, values[k]![i]])));
  } else {
    let acc: Record<string, unknown>[] = [{}];
    for (const k of keys) acc = acc.flatMap((partial) => values[k]!.map((v) => ({ ...partial, [k]: v })));
    items.push(...acc);
  }
  const { cases: _cases, ...template } = test;
  void _cases;
  return items.map((item, i) => ({ ...(substitute(template, item) as TestCase), name: `${substitute(template.name, item) as string} [case ${i}]` }));
}

function substitute(value: unknown, item: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    // A string that is only a placeholder takes the value as is (numbers stay numbers).
    const whole = /^%\{\s*item\.([A-Za-z0-9_.-]+)\s*\}$/.exec(value);
    if (whole) return lookup(item, whole[1]!);
    return value.replace(PLACEHOLDER, (_, key: string) => String(lookup(item, key)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, item) as string, substitute(v, item)]));
  }
  return value;
}

function lookup(item: Record<string, unknown>, key: string): unknown {
  if (!(key in item)) throw new Error(`no value for %{ item.${key} } in this case`);
  return item[key];
}
