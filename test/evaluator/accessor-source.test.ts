/**
 * A source whose fields are read only through accessor calls (as a stateful scap source
 * reads them: no event property holds a field's value) must get the same results and the
 * same fast paths as the flat source's property reads: gates and shared reads work on calls.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type RuleMatching } from '../../src/evaluator/engine.js';
import { FieldCatalogue, type ResolvedField } from '../../src/fields/catalogue.js';
import { eventCodes } from '../../src/fields/events.js';
import type { EventSource, FieldAccessor } from '../../src/fields/source.js';
import { loadRulesContents } from '../../src/rules/loader.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';

/** The flat source with every property read turned into a call, counting the calls. */
class CallOnlySource implements EventSource<FlatEvent> {
  readonly name = 'syscall';
  readonly calls = new Map<string, number>();
  private readonly flat = new FlatEventSource();
  eventType(e: FlatEvent): string | undefined {
    return this.flat.eventType(e);
  }
  accessor(field: ResolvedField): FieldAccessor<FlatEvent> {
    const inner = this.flat.accessor(field);
    return (e) => {
      this.calls.set(field.key, (this.calls.get(field.key) ?? 0) + 1);
      return inner(e);
    };
  }
}

const yaml = ['a', 'b', 'c', 'd']
  .map(
    (n, i) => `
- rule: r${n}
  desc: d
  condition: evt.type = execve and proc.name in (${n}, ${n}${n}) and proc.pid > ${i}
  output: o
  priority: WARNING`,
  )
  .join('\n');

describe('a source read through accessor calls', () => {
  const rules = loadRulesContents([{ name: 'calls.yaml', text: yaml }]).output!.rules;
  const catalogue = FieldCatalogue.syscall();

  it('fires what the property-reading source fires', () => {
    for (const matching of ['first', 'all'] as RuleMatching[]) {
      const byProperty = new Engine(rules, new FlatEventSource(), catalogue, {}, matching);
      const byCall = new Engine(rules, new CallOnlySource(), catalogue, {}, matching);
      let fired = 0;
      for (const name of ['a', 'bb', 'c', 'x', null, 5]) {
        for (const pid of [0, 2, 9]) {
          const event: FlatEvent = { 'evt.type': 'execve', 'proc.name': name, 'proc.pid': pid };
          const expected = byProperty.evaluate(event).map((r) => r.rule.name);
          expect(
            byCall.evaluate(event).map((r) => r.rule.name),
            JSON.stringify(event),
          ).toEqual(expected);
          fired += expected.length;
        }
      }
      expect(fired).toBeGreaterThanOrEqual(5);
    }
  });

  it('is gated on the called field and reads it once per event', () => {
    const source = new CallOnlySource();
    const engine = new Engine(rules, source, catalogue, {}, 'all');
    expect(String(engine.program('execve'))).toContain('const gate');
    // A name no rule allows: the gate skips all four rules after one read of proc.name.
    engine.evaluate({ 'evt.type': 'execve', 'proc.name': 'zz', 'proc.pid': 5 });
    expect(source.calls.get('proc.name')).toBe(1);
    expect(source.calls.get('proc.pid') ?? 0).toBe(0);
    // An allowed name: proc.name is still read once, shared by the gate and the rules.
    engine.evaluate({ 'evt.type': 'execve', 'proc.name': 'cc', 'proc.pid': 5 });
    expect(source.calls.get('proc.name')).toBe(2);
  });
});

/** Events that carry their event-table code, as a scap source's do. */
class CodedSource extends CallOnlySource {
  eventCode(e: FlatEvent): number {
    return e['evt.code'] as number;
  }
}

describe('a source that gives event codes', () => {
  const text = `
- rule: exec
  desc: d
  condition: evt.type = execve and proc.name = a
  output: o
  priority: WARNING
- rule: generic
  desc: d
  condition: evt.type = acct and proc.name = a
  output: o
  priority: WARNING
`;
  const rules = loadRulesContents([{ name: 'codes.yaml', text }]).output!.rules;
  const engine = new Engine(rules, new CodedSource(), FieldCatalogue.syscall(), {}, 'all');
  const fired = (e: FlatEvent) => engine.evaluate(e).map((r) => r.rule.name);

  it('finds programs by code, and generic syscall events by the syscall they carry', () => {
    const [execveEnter, execveExit] = eventCodes('execve');
    const [genericEnter] = eventCodes('syscall');
    expect(fired({ 'evt.code': execveExit, 'evt.type': 'execve', 'proc.name': 'a' })).toEqual(['exec']);
    expect(fired({ 'evt.code': execveEnter, 'evt.type': 'execve', 'proc.name': 'b' })).toEqual([]);
    // Two generic events with one code and different syscalls: each gets its own type's rules.
    expect(fired({ 'evt.code': genericEnter, 'evt.type': 'acct', 'proc.name': 'a' })).toEqual(['generic']);
    expect(fired({ 'evt.code': genericEnter, 'evt.type': 'add_key', 'proc.name': 'a' })).toEqual([]);
  });
});
