// Which model-call failures are worth another try, and how long to wait first.
import { parseDuration } from "../text/duration.js";
import type { ModelErrorKind } from "./types.js";

export interface RetryPolicy {
  /** Tries after the first; 0 turns retrying off. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

export interface ClassifiedError {
  readonly kind: ModelErrorKind;
  readonly retryable: boolean;
  readonly message: string;
  /** What the server asked for (Retry-After and its relatives), in milliseconds. */
  readonly retryAfterMs?: number;
  readonly status?: number;
}

type HeaderSource = { get(name: string): string | null } | undefined;

/**
 * Reads the wait a server asks for: `retry-after-ms` (OpenAI, Azure), `Retry-After` as seconds or
 * as an HTTP date (RFC 9110), or Groq's `x-ratelimit-reset-requests` style durations ("2m59.56s").
 */
export function retryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers.get(name);
    const ms = Number(value);
    if (value !== null && value.trim() !== "" && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const after = headers.get("retry-after");
  if (after !== null && after.trim() !== "") {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("x-ratelimit-reset-requests") ?? headers.get("x-ratelimit-reset-tokens");
  if (reset !== null) return parseDuration(reset);
  return undefined;
}

/**
 * Exponential backoff with jitter, or the server's own wait when it gave one (capped). The server's
 * wait is taken as given the first time; once it has failed (a `Retry-After: 0` answered by another
 * 429), the backoff of the attempt before is the least wait, so a busy server is not asked again
 * at once six times in a row.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, error: ClassifiedError, random: () => number): number {
  const backoff = (n: number): number => {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
  if (error.retryAfterMs !== undefined) return Math.min(Math.max(error.retryAfterMs, attempt > 1 ? backoff(attempt - 1) : 0), policy.maxDelayMs);
  return backoff(attempt);
}

/** Maps an HTTP status to an error kind and whether trying again can help. */
export function classifyStatus(status: number | undefined): { kind: ModelErrorKind; retryable: boolean } {
  if (status === undefined) return { kind: "server", retryable: true };
  if (status === 401 || status === 403) return { kind: "auth", retryable: false };
  if (status === 404) return { kind: "not_found", retryable: false };
  if (status === 408) return { kind: "timeout", retryable: true };
  if (status === 409) return { kind: "server", retryable: true };
  if (status === 429) return { kind: "rate_limit", retryable: true };
  if (status >= 500) return { kind: "server", retryable: true };
  return { kind: "bad_request", retryable: false };
}
