// Median and spread of repeated measurements, and how a figure reads beside its target.

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

export type Unit = "s" | "ms" | "µs" | "MB" | "%" | "×" | "tokens" | "CPU-s" | "requests" | "files";

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return "–";
  switch (unit) {
    case "s":
    case "CPU-s":
      return `${value.toFixed(2)} ${unit}`;
    case "ms":
      return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
    case "µs":
      return `${value.toFixed(1)} µs`;
    case "MB":
      return `${value.toFixed(0)} MB`;
    case "%":
      return `${value.toFixed(1)} %`;
    case "×":
      return `${value.toFixed(2)}×`;
    case "tokens":
    case "requests":
    case "files":
      return `${Math.round(value).toLocaleString("en-US")} ${unit}`;
    default: {
      const unreachable: never = unit;
      return String(unreachable);
    }
  }
}

/** A target is an upper bound on the median. */
export interface Target {
  readonly max: number;
  /** How the issue states it, e.g. "≤ 0.4 s". */
  readonly text: string;
}

export type Verdict = "met" | "missed" | "no target";

export function verdict(summary: Summary, target: Target | undefined): Verdict {
  if (target === undefined || !Number.isFinite(summary.median)) return "no target";
  return summary.median <= target.max ? "met" : "missed";
}
