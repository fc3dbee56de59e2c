import { readFileSync } from 'node:fs';
import type { Bench } from 'tinybench';
import { Engine } from '../../src/evaluator/engine.js';
import { FieldCatalogue } from '../../src/fields/catalogue.js';
import { loadRulesContents } from '../../src/rules/loader.js';
import { type FlatEvent, FlatEventSource } from '../../src/sources/jsonl/flat-source.js';
import { UPSTREAM_RULE_FILES } from '../shared.js';
import type { Registration, Suite, Throughput } from '../types.js';

const TARGET_EVENTS_PER_SECOND = 10_000_000;

/** A realistic mix: mostly high-volume syscalls no rule wants, some that many rules inspect, a few that fire. */
export function eventMix(): FlatEvent[] {
  const base = {
    'proc.name': 'nginx',
    'proc.pid': 4242,
    'user.name': 'www-data',
    'user.uid': 33,
    'container.id': 'abc6831a04ae',
    'proc.pname': 'nginx',
    'proc.aname[2]': 'containerd-shim',
  };
  const quiet = ['brk', 'mmap', 'munmap', 'fstat', 'futex', 'epoll_wait', 'clock_gettime', 'nanosleep', 'rt_sigaction', 'mprotect', 'lseek', 'poll'];
  const events: FlatEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const kind = i % 100;
    if (kind < 80) events.push({ ...base, 'evt.type': quiet[i % quiet.length]!, 'evt.num': i });
    else if (kind < 90)
      events.push({
        ...base,
        'evt.type': 'openat',
        'evt.num': i,
        'fd.name': `/var/www/html/page${i}.html`,
        'fd.typechar': 'f',
        'fd.num': 12,
        'evt.is_open_read': true,
        'evt.is_open_write': false,
        'evt.rawres': 12,
      });
    else if (kind < 95)
      events.push({
        ...base,
        'evt.type': 'connect',
        'evt.num': i,
        'fd.typechar': '4',
        'fd.sip': '10.0.0.5',
        'fd.sport': 5432,
        'fd.l4proto': 'tcp',
        'evt.rawres': 0,
      });
    else if (kind < 99)
      events.push({
        ...base,
        'evt.type': 'execve',
        'evt.num': i,
        'proc.name': 'logrotate',
        'proc.exepath': '/usr/sbin/logrotate',
        'proc.cmdline': 'logrotate /etc/logrotate.conf',
        'proc.tty': 0,
      });
    else
      events.push({
        ...base,
        'evt.type': 'execve',
        'evt.num': i,
        'proc.name': 'bash',
        'proc.exepath': '/bin/bash',
        'proc.cmdline': 'bash -i',
        'proc.tty': 34816,
        'proc.pname': 'runc',
      });
  }
  // As the capture reader hands them over: objects and strings made by JSON.parse.
  return events.map((e) => JSON.parse(JSON.stringify(e)) as FlatEvent);
}

/** The kinds of events in the mix, with their share, as the evaluate suite reports them. */
const EVENT_KINDS: [string, string, (e: FlatEvent) => boolean][] = [
  ['quiet', '80%', (e) => !['openat', 'connect', 'execve'].includes(e['evt.type'] as string)],
  ['openat', '10%', (e) => e['evt.type'] === 'openat'],
  ['connect', '5%', (e) => e['evt.type'] === 'connect'],
  ['execve (no rule fires)', '4%', (e) => e['evt.type'] === 'execve' && e['proc.name'] === 'logrotate'],
  ['execve (a rule fires)', '1%', (e) => e['evt.type'] === 'execve' && e['proc.name'] === 'bash'],
];

export const evaluateSuite: Suite = {
  name: 'evaluate',
  register(bench: Bench): Registration {
    const contents = UPSTREAM_RULE_FILES.map((name) => ({ name, text: readFileSync(name, 'utf8') }));
    const loaded = loadRulesContents(contents);
    const engine = new Engine(loaded.output!.rules, new FlatEventSource(), FieldCatalogue.syscall(), {}, 'first');
    const events = eventMix();
    // Summed so that the engine's work cannot be optimised away.
    // biome-ignore lint/correctness/noUnusedVariables: written on purpose, never read
    let fired = 0;
    const task = `evaluate ${events.length} mixed events against the three upstream files`;
    bench.add(task, () => {
      for (let i = 0; i < events.length; i++) fired += engine.evaluate(events[i]!).length;
    });
    // Each kind of the mix on its own, to show where the mix's time goes.
    const throughputs: Throughput[] = [
      { name: 'evaluation only (one core, three upstream files)', unit: 'events/s', task, perIteration: events.length, atLeast: TARGET_EVENTS_PER_SECOND },
    ];
    for (const [kind, share, picks] of EVENT_KINDS) {
      const subset = events.filter(picks);
      const kindTask = `evaluate the mix's ${kind} events`;
      bench.add(kindTask, () => {
        for (let i = 0; i < subset.length; i++) fired += engine.evaluate(subset[i]!).length;
      });
      throughputs.push({ name: `  of which ${kind} (${share} of the mix)`, unit: 'events/s', task: kindTask, perIteration: subset.length });
    }
    return { throughputs };
  },
};
