import { describe, expect, it } from 'vitest';
import { loadRulesContents, parseCondition, Replayer } from '../src/index.js';

describe('public API', () => {
  it('loads rules, replays events and returns alerts', () => {
    const loaded = loadRulesContents([
      { name: 'r.yaml', text: '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = sh\n  output: "sh by %user.name"\n  priority: WARNING\n' },
    ]);
    expect(loaded.successful).toBe(true);
    const replayer = new Replayer(loaded.output!.rules);
    const alerts: string[] = [];
    replayer.process({ event: { 'evt.type': 'execve', 'proc.name': 'sh', 'user.name': 'root', 'evt.rawtime': 0 }, file: 'x', line: 1, size: 1 }, (a) =>
      alerts.push(a.line),
    );
    replayer.process({ event: { 'evt.type': 'execve', 'proc.name': 'ls' }, file: 'x', line: 2, size: 1 }, (a) => alerts.push(a.line));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/: Warning sh by root container_id=<NA> /);
    expect(parseCondition('a and').ok).toBe(false);
  });
});
