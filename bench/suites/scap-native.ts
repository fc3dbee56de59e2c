import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { hasSysdig } from '../data.js';
import { sectionedScap } from '../scap-data.js';
import { sharedPath } from '../shared.js';
import type { Figure, Registration, Suite } from '../types.js';

/** Runs of each side, alternated (sysdig, kestrel, sysdig, …): the machine is shared. */
const RUNS = 3;
const EVENTS = 1_000_000;
const GIGABYTE = 1e9;
const CONDITION = 'evt.type in (open, openat) and fd.name startswith /etc';
const PROBE = 'dist/bench/scap-probe.js';
const CLI = 'dist/src/cli/main.js';
const WALK = 'dist/bench/scap-walk.js';

interface Run {
  wall: number;
  report: Record<string, unknown>;
}

/** Runs a command to the end, its standard output discarded; wall seconds and its JSON report (stderr). */
function run(command: string, args: string[], env: Record<string, string> = {}): Run {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, ...env } });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop() ?? '';
  return { wall, report: last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : {} };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figure = (name: string, unit: string, xs: number[], extra: Partial<Figure> = {}): Figure => ({
  name,
  unit,
  median: median(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
  samples: xs.length,
  ...extra,
});

/**
 * kestrel on scap captures natively (reader, converter, state engine, evaluator), each run a
 * process of its own: filtering against sysdig on the same file and condition, replay with
 * the upstream rules, and memory on a ~1 GB capture.
 */
export const scapNativeSuite: Suite = {
  name: 'scap-native',
  register(): Registration {
    const scap = sectionedScap('sectioned-1m.scap', ['curl_google.scap'], { events: EVENTS });
    const big = sectionedScap('sectioned-1gb.scap', ['curl_google.scap', 'curl_google_comments.scap', 'test_ipv6_client.scap', 'single_ipv6_conn.scap'], {
      bytes: GIGABYTE,
    });
    const figures: Figure[] = [];

    // An untimed pass of each first, so that timed runs read from the page cache (the probe's
    // report also counts the events).
    const events = run(process.execPath, [PROBE, 'filter', scap, CONDITION]).report['events'] as number;
    const kestrelFilter = [CLI, 'replay', '--filter', CONDITION, '-p', '%evt.num', scap];
    if (hasSysdig()) {
      run('sysdig', ['-r', scap, '-p', '%evt.num', CONDITION]);
      const sysdig: number[] = [];
      const kestrel: number[] = [];
      const ratios: number[] = [];
      const floor: number[] = [];
      const floorRatios: number[] = [];
      const startup: number[] = [];
      // kestrel's start-up: the same command on a capture of 389 blocks
      const small = [CLI, 'replay', '--filter', CONDITION, '-p', '%evt.num', sharedPath('captures/scap/test_ipv6_client.scap')];
      for (let i = 0; i < RUNS; i++) {
        const s = run('sysdig', ['-r', scap, '-p', '%evt.num', CONDITION]).wall;
        const k = run(process.execPath, kestrelFilter);
        const w = run(process.execPath, [WALK, scap]).wall;
        startup.push(run(process.execPath, small).wall);
        sysdig.push(s);
        kestrel.push(k.wall);
        ratios.push(k.wall / s);
        floor.push(w);
        floorRatios.push(w / s);
      }
      figures.push(
        figure(`sysdig -r sectioned-1m.scap (${events} events once libs' converter has merged enter events): ${CONDITION}`, 's', sysdig),
        figure('kestrel replay --filter, same file and condition (process wall time)', 's', kestrel),
        figure('kestrel time / sysdig time (per alternated pair)', 'ratio', ratios, { target: '<= 1.0', met: median(ratios) <= 1.0 }),
        // What no JavaScript reader can beat here: a Node process that only steps over the blocks.
        figure("floor: a Node process stepping over the same file's blocks, nothing decoded (bench/scap-walk.ts)", 's', floor),
        figure('floor time / sysdig time', 'ratio', floorRatios),
        figure('kestrel start-up: the same command on a 389-block capture (test_ipv6_client.scap)', 's', startup),
      );
    }

    // Each run: a process replaying the capture 3 times; the first pass is cold (JIT warming
    // up: what `kestrel replay` of one capture sees), the other two warm (steady state).
    const cold: number[] = [];
    const warm: number[] = [];
    const warmCpu: number[] = [];
    const walls: number[] = [];
    let replayed = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = run(process.execPath, [PROBE, 'replay', scap, '3']);
      replayed = r.report['events'] as number;
      const passes = r.report['passSeconds'] as number[];
      const cpus = r.report['passCpuSeconds'] as number[];
      cold.push(replayed / passes[0]!);
      for (let p = 1; p < passes.length; p++) {
        warm.push(replayed / passes[p]!);
        warmCpu.push(replayed / cpus[p]!);
      }
      walls.push(r.wall);
    }
    figures.push(
      figure(`scap replay, upstream rules, cold process (${replayed} events, rules loaded before)`, 'events/s', cold, {
        target: '>= 1M events/s',
        met: median(cold) >= 1e6,
      }),
      figure('scap replay, upstream rules, warm (passes 2 and 3 in the same process)', 'events/s', warm, {
        target: '>= 1M events/s',
        met: median(warm) >= 1e6,
      }),
      figure('scap replay, upstream rules, warm, per CPU second (less sensitive to other jobs)', 'events/s', warmCpu),
      figure('scap replay process, 3 passes (wall time, rules loading included)', 's', walls),
    );

    // A larger capture, one pass per process (what `kestrel replay` of it sees), read on two
    // threads (the default from 128 MB) and on one (KESTREL_SCAP_THREADS=1), alternated.
    const large = sectionedScap('sectioned-4m.scap', ['curl_google.scap'], { events: 5_000_000 });
    const two: number[] = [];
    const one: number[] = [];
    const gains: number[] = [];
    let largeEvents = 0;
    for (let i = 0; i < RUNS; i++) {
      const a = run(process.execPath, [PROBE, 'replay', large, '1'], { KESTREL_SCAP_THREADS: '1' }).report;
      const b = run(process.execPath, [PROBE, 'replay', large, '1']).report;
      largeEvents = b['events'] as number;
      one.push(largeEvents / (a['seconds'] as number));
      two.push(largeEvents / (b['seconds'] as number));
      gains.push((a['seconds'] as number) / (b['seconds'] as number));
    }
    figures.push(
      figure(`scap replay, upstream rules, ${(statSync(large).size / 1e6).toFixed(0)} MB capture (${largeEvents} events), two threads`, 'events/s', two, {
        target: '>= 1M events/s',
        met: median(two) >= 1e6,
      }),
      figure('same, one thread (KESTREL_SCAP_THREADS=1)', 'events/s', one),
      figure('one-thread time / two-thread time (per alternated pair): what the second thread buys', 'ratio', gains),
    );

    const m = run(process.execPath, ['--expose-gc', PROBE, 'memory', big]).report;
    const heap = m['heap'] as number[];
    const mb = (b: number) => b / 1048576;
    // Growth from the first sample (after 2^20 events: state and caches built) to the last.
    const growth = heap.length > 1 ? mb(heap[heap.length - 1]! - heap[0]!) : 0;
    const rss = (m['maxRssKb'] as number) / 1024;
    figures.push(
      figure(`scap replay of ${(statSync(big).size / 1e9).toFixed(2)} GB (${m['events']} events), upstream rules: peak RSS`, 'MB', [rss], {
        target: '<= 300 MB (flat)',
        met: rss <= 300,
      }),
      figure(`heap growth over the replay (${heap.length} samples after full GC, every 2^20 events)`, 'MB', [growth], {
        target: '<= 5 MB (flat)',
        met: Math.abs(growth) <= 5,
      }),
      figure('heap after full GC, first and last sample', 'MB', heap.length > 0 ? [mb(heap[0]!), mb(heap[heap.length - 1]!)] : [0]),
    );
    return { figures };
  },
};
