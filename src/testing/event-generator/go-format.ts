/**
 * Go's `%v` and `%s` for the values event-generator puts in its messages (decoded YAML:
 * maps, lists, strings, numbers, booleans, nil), so kestrel's messages read the same.
 */

/** `%v`: maps as `map[k:v]` with sorted keys, lists as `[a b]`, nil as `<nil>`. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goValue(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** `%s`: strings as they are; anything else in Go's bad-verb form, e.g. `%!s(uint64=5)`. */
export function goString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeName(value)}=${goValue(value)})`;
}

/** The Go type goccy/go-yaml decodes a value into. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? (value < 0 ? 'int64' : 'uint64') : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}
