/** Falco priorities, most severe first (the index is Falco's numeric priority). */
export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Case-insensitive, with Falco's one alias: `info` for Informational. */
export function parsePriority(text: string): Priority | undefined {
  const lower = text.toLowerCase();
  if (lower === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === lower);
}

/** Numeric severity: 0 (Emergency) … 7 (Debug). */
export function priorityLevel(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}
