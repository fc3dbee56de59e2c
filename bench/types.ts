import type { Bench } from 'tinybench';

/** A figure in results.json: a tinybench timing, or a throughput derived from one. */
export interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  samples: number;
  /** The target this figure is judged against, in words (e.g. '< 100 ms'). */
  target?: string;
  met?: boolean;
}

/** A throughput computed from a task's timing: `perIteration` units per iteration of `task`. */
export interface Throughput {
  name: string;
  unit: string;
  task: string;
  perIteration: number;
  /** Target: at least this many units per second. */
  atLeast?: number;
}

/** A timing target for a task: at most this many milliseconds per iteration. */
export interface TimeTarget {
  task: string;
  atMostMs: number;
}

export interface Registration {
  throughputs?: Throughput[];
  timeTargets?: TimeTarget[];
  /** Figures measured outside tinybench (ratios, memory). */
  figures?: Figure[];
}

export interface Suite {
  name: string;
  register(bench: Bench): Promise<Registration | void> | Registration | void;
}
