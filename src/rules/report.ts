/** Load results as people and machines read them. */
import { codeFrame } from '../diagnostics/codeframe.js';
import { codeDescription, type Diagnostic, type FileLoadResult, type Location, primaryPosition } from './diagnostics.js';

/** Falco's `falco_load_results` JSON entry for one file. */
export function loadResultJson(result: FileLoadResult, contents: ReadonlyMap<string, string>): unknown {
  const entry = (d: Diagnostic) => ({
    code: d.code,
    codedesc: codeDescription(d.code),
    message: d.message,
    context: {
      locations: d.locations.map((l: Location) => ({
        item_type: l.itemType,
        item_name: l.itemName,
        position: { name: l.position.name, line: l.position.line, column: l.position.column, offset: l.position.offset },
      })),
      snippet: snippet(d, contents),
    },
  });
  return { name: result.name, successful: result.successful, errors: result.errors.map(entry), warnings: result.warnings.map(entry) };
}

/** The line holding the diagnostic's position, with a caret under the column. */
export function snippet(d: Diagnostic, contents: ReadonlyMap<string, string>): string {
  const pos = primaryPosition(d);
  const text = contents.get(pos.name);
  if (text === undefined) return '';
  const line = text.split(/\r\n|\r|\n/)[pos.line - 1] ?? '';
  return `${line}\n${' '.repeat(Math.max(0, pos.column - 1))}^\n`;
}

/** `file:line:col: error CODE: message`, the item it is about, a code frame and kestrel's hint. */
export function formatDiagnostic(d: Diagnostic, contents: ReadonlyMap<string, string>): string {
  const pos = primaryPosition(d);
  const item = [...d.locations].reverse().find((l) => l.itemName !== '' && ['rule', 'macro', 'list', 'exception'].includes(l.itemType));
  const about = item ? ` (${item.itemType} '${item.itemName}')` : '';
  const head = `${pos.name}:${pos.line}:${pos.column}: ${d.severity} ${d.code}: ${d.message}${about}`;
  const text = contents.get(pos.name);
  const lines = [head];
  if (text !== undefined) lines.push(codeFrame(text, pos.line, pos.column));
  if (d.hint) lines.push(`hint: ${d.hint}`);
  return lines.join('\n');
}

/** Falco's one-line verdict for a file. */
export function summaryLine(result: FileLoadResult): string {
  if (!result.successful) return `${result.name}: Invalid`;
  return result.warnings.length > 0 ? `${result.name}: Ok, with warnings` : `${result.name}: Ok`;
}
