// The one table of limits: each limit's default, bounds, flag, config key and help text. The
// flags (cli/run-options.ts), the config schema (config-file.ts), the workflow defaults, the help
// text and the trust rule for project files (project-trust.ts) all read it, so a bound changes in
// one place. Every limit here is tighter when lower: that is what lets a project file lower one
// but never raise it.

export interface LimitSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** The flag that sets it, when there is one. */
  readonly flag?: string;
  /** Where it sits in a config file ("limits.memoryMb"); a duration key holds a string like "30m". */
  readonly configKey: string;
  /** `duration`: milliseconds here, a string like "90s" in flags and config files. */
  readonly unit: "count" | "ms" | "duration" | "MiB" | "bytes" | "chars";
  /** What it bounds, for --help and for messages ("sub-agents running at once"). */
  readonly help: string;
}

// Node fires a timer longer than 2^31-1 ms (about 596h) after 1 ms instead, which would stop every
// workflow at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

export const LIMITS = {
  concurrency: { default: 8, min: 1, max: 64, flag: "--concurrency", configKey: "concurrency", unit: "count", help: "sub-agents running at once" },
  maxAgents: { default: 100, min: 1, max: 10_000, flag: "--max-agents", configKey: "maxAgents", unit: "count", help: "sub-agents one workflow may start" },
  wallTimeMs: { default: 3_600_000, min: 1, max: MAX_TIMER_MS, flag: "--timeout", configKey: "timeout", unit: "duration", help: "wall-clock limit per workflow" },
  memoryMb: { default: 128, min: 8, max: 8192, configKey: "limits.memoryMb", unit: "MiB", help: "memory of the workflow's isolate" },
  cpuTimeMs: { default: 60_000, min: 100, max: 24 * 3_600_000, configKey: "limits.cpuTimeMs", unit: "ms", help: "CPU time of the workflow's own code" },
  maxCodeBytes: { default: 100_000, min: 1024, max: 10_000_000, configKey: "limits.maxCodeBytes", unit: "bytes", help: "size of a workflow's code" },
  maxResultBytes: { default: 1_000_000, min: 1024, max: 100_000_000, configKey: "limits.maxResultBytes", unit: "bytes", help: "size of a workflow's or sub-agent's result" },
  maxLogBytes: { default: 1_000_000, min: 1024, max: 100_000_000, configKey: "limits.maxLogBytes", unit: "bytes", help: "size of a workflow's log" },
  maxItemsPerCall: { default: 4096, min: 1, max: 65_536, configKey: "limits.maxItemsPerCall", unit: "count", help: "items one parallel() or pipeline() call of a Claude Code–format script may take" },
  reduceInputChars: { default: 200_000, min: 1000, max: 10_000_000, configKey: "limits.reduceInputChars", unit: "chars", help: "input reduceAgent passes on before it truncates" },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;

/**
 * Sub-agents one Claude Code–format script may start in a run, whatever --max-agents allows: the
 * runaway-loop backstop Claude Code documents. --max-agents (default 100) is usually tighter.
 */
export const CLAUDE_FORMAT_MAX_AGENTS = 1000;
export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];

/** One value per limit; the workflow room's `WorkflowLimits` has this shape. */
export type Limits = { readonly [K in LimitName]: number };

export const DEFAULT_LIMITS: Limits = Object.fromEntries(LIMIT_NAMES.map((name) => [name, LIMITS[name].default])) as Record<LimitName, number>;

/** The limits under `limits.` in a config file (the others are top-level keys or durations). */
export const NESTED_LIMIT_NAMES = LIMIT_NAMES.filter((name) => LIMITS[name].configKey.startsWith("limits."));

/** How a value of this limit reads to a person: "128 MiB", "1h", "8". */
export function formatLimit(name: LimitName, value: number): string {
  const spec: LimitSpec = LIMITS[name];
  switch (spec.unit) {
    case "count":
      return String(value);
    case "ms":
    case "duration":
      return value % 3_600_000 === 0 ? `${value / 3_600_000}h` : value % 60_000 === 0 ? `${value / 60_000}m` : value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`;
    case "MiB":
      return `${value} MiB`;
    case "bytes":
      return `${value} bytes`;
    case "chars":
      return `${value} characters`;
    default: {
      const unreachable: never = spec.unit;
      return unreachable;
    }
  }
}

/** The --help text of a limit's flag: "sub-agents running at once, 1 to 64 (default: 8)". */
export function limitHelp(name: LimitName, example?: string): string {
  const spec: LimitSpec = LIMITS[name];
  const range = spec.unit === "duration" ? (example ?? "") : `, ${spec.min} to ${spec.max}`;
  return `${spec.help}${range} (default: ${formatLimit(name, spec.default)})`;
}

/**
 * `--confirm-over`: a workflow projected to start more sub-agents, or to cost more, than this asks
 * before it runs; without a terminal it refuses unless `--yes-over` is given (issue 11). Lower is
 * tighter, like the limits above.
 */
export const CONFIRM_OVER = {
  agents: 25,
  usd: 1,
  flag: "--confirm-over",
  help: "ask before a workflow projected past N sub-agents or $X runs: N, $X, or N,$X (default: 25,$1); without a terminal it needs --yes-over",
} as const;
