// Durations as people write and read them: "90s", "1h30m", "2m59.5s", "500ms".

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

// Units largest first, each at most once, each with an optional fraction: what a person types for
// --timeout and what servers send in x-ratelimit-reset-* headers ("6m0s", "2m59.56s", "20ms").
const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;

/** Milliseconds (whole) from "90s", "30m", "1h30m", "500ms", or a bare number of seconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const match = DURATION.exec(trimmed);
  if (match === null || trimmed === "") return undefined;
  const [, h, m, s, ms] = match;
  return Math.round(Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s + Number(ms ?? 0));
}

/**
 * How a duration is shown:
 * - "measured": how long something took, as precise as its size needs (420ms, 3.2s, 1m05s, 2h03m);
 * - "elapsed": a counter that ticks once a second (7s, 1m05s, 2h03m);
 * - "limit": a configured limit, exactly, the way the flag takes it back (90s, 30m, 2h, 1500ms).
 */
export type DurationStyle = "measured" | "elapsed" | "limit";

const two = (n: number): string => String(n).padStart(2, "0");

/** Minutes and seconds, or hours and minutes, from whole seconds. */
function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${two(seconds % 60)}s`;
  return `${Math.floor(m / 60)}h${two(m % 60)}m`;
}

export function formatDuration(ms: number, style: DurationStyle): string {
  switch (style) {
    case "measured": {
      if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
      if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
      return clock(Math.round(ms / 1000));
    }
    case "elapsed": {
      const s = Math.max(0, Math.floor(ms / 1000));
      return s < 60 ? `${s}s` : clock(s);
    }
    case "limit": {
      const unit = (["h", "m", "s"] as const).find((u) => ms % UNIT_MS[u] === 0 && ms >= UNIT_MS[u]);
      return unit === undefined ? `${ms}ms` : `${ms / UNIT_MS[unit]}${unit}`;
    }
    default: {
      const unreachable: never = style;
      return unreachable;
    }
  }
}
