import type { Bench } from 'tinybench';

/** A figure a suite reports besides tinybench's timings (throughput, ratios, memory). */
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

export interface Suite {
  name: string;
  /** Adds tinybench tasks; returns figures computed outside tinybench, if any. */
  register(bench: Bench): Promise<Figure[] | void> | Figure[] | void;
}
