// What a benchmark reports: rows of repeated measurements, each beside the target.
import type { Target, Unit } from "./stats.js";

export interface Row {
  /** The benchmark's number in issue 13's table, e.g. "2". */
  readonly bench: string;
  readonly what: string;
  readonly samples: readonly number[];
  readonly unit: Unit;
  readonly target?: Target;
  /** Context for the figure: the setup, what it is compared with. */
  readonly note?: string;
}

export interface BenchContext {
  readonly quick: boolean;
  /** Measured runs per figure (after one warm-up run where a process starts). */
  readonly runs: number;
  log(line: string): void;
}

export interface Benchmark {
  readonly id: string;
  readonly title: string;
  /** What it measures and how, for BENCHMARKS.md. */
  readonly setup: string;
  run(context: BenchContext): Promise<readonly Row[]>;
}
