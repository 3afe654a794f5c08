import { describe, expect, it } from "vitest";
import { classifyStatus, retryAfterMs, retryDelayMs, type ClassifiedError, type RetryPolicy } from "../../src/model/retry-policy.js";

const headers = (values: Record<string, string>) => new Headers(values);
const NOW = Date.parse("2025-06-01T12:00:00Z");

describe("retryAfterMs", () => {
  it("reads retry-after-ms (OpenAI) and x-ms-retry-after-ms (Azure) as milliseconds", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "1500" }))).toBe(1500);
    expect(retryAfterMs(headers({ "x-ms-retry-after-ms": "700" }))).toBe(700);
  });

  it("reads Retry-After as seconds, fractions included", () => {
    expect(retryAfterMs(headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "0.5" }))).toBe(500);
  });

  it("reads Retry-After as an HTTP date relative to now, and a past date as 0", () => {
    expect(retryAfterMs(headers({ "retry-after": "Sun, 01 Jun 2025 12:00:30 GMT" }), NOW)).toBe(30_000);
    expect(retryAfterMs(headers({ "retry-after": "Sun, 01 Jun 2025 11:59:00 GMT" }), NOW)).toBe(0);
  });

  it("prefers retry-after-ms over Retry-After", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
  });

  it("reads Groq's x-ratelimit-reset-requests durations: 6s, 6m0s, 2m59.56s, 250ms", () => {
    expect(retryAfterMs(headers({ "x-ratelimit-reset-requests": "6s" }))).toBe(6000);
    expect(retryAfterMs(headers({ "x-ratelimit-reset-requests": "6m0s" }))).toBe(360_000);
    expect(retryAfterMs(headers({ "x-ratelimit-reset-requests": "2m59.56s" }))).toBeCloseTo(179_560, 6);
    expect(retryAfterMs(headers({ "x-ratelimit-reset-tokens": "250ms" }))).toBe(250);
  });

  it("returns undefined for no headers, no wait header, or values it cannot read", () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after-ms": "-5" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "x-ratelimit-reset-requests": "later" }))).toBeUndefined();
  });
});

describe("retryDelayMs", () => {
  const policy: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 10_000 };
  const plain: ClassifiedError = { kind: "server", retryable: true, message: "HTTP 500" };

  it("uses the server's wait on the first retry whatever it is, capped at maxDelayMs", () => {
    expect(retryDelayMs(policy, 1, { ...plain, retryAfterMs: 0 }, () => 0.9)).toBe(0);
    expect(retryDelayMs(policy, 1, { ...plain, retryAfterMs: 2500 }, () => 0.9)).toBe(2500);
    expect(retryDelayMs(policy, 1, { ...plain, retryAfterMs: 3_600_000 }, () => 0)).toBe(10_000);
  });

  it("on later retries waits at least the previous attempt's backoff: a server's wait of 0 that failed is not taken again", () => {
    // attempt 2: at least the backoff of attempt 1, [500, 1000]; attempt 4: of attempt 3, [2000, 4000].
    expect(retryDelayMs(policy, 2, { ...plain, retryAfterMs: 0 }, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 2, { ...plain, retryAfterMs: 0 }, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 4, { ...plain, retryAfterMs: 0 }, () => 0.5)).toBe(3000);
    // A longer wait from the server still wins.
    expect(retryDelayMs(policy, 4, { ...plain, retryAfterMs: 6000 }, () => 0.9)).toBe(6000);
  });

  it("without a server wait, stays within [ceiling/2, ceiling] where ceiling = base * 2^(attempt-1)", () => {
    for (const attempt of [1, 2, 3]) {
      const ceiling = 1000 * 2 ** (attempt - 1);
      expect(retryDelayMs(policy, attempt, plain, () => 0)).toBe(ceiling / 2);
      expect(retryDelayMs(policy, attempt, plain, () => 1)).toBe(ceiling);
      for (const r of [0.1, 0.37, 0.5, 0.99]) {
        const delay = retryDelayMs(policy, attempt, plain, () => r);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it("caps the ceiling at maxDelayMs for late attempts (attempt 10: between 5000 and 10000)", () => {
    expect(retryDelayMs(policy, 10, plain, () => 0)).toBe(5000);
    expect(retryDelayMs(policy, 10, plain, () => 1)).toBe(10_000);
  });
});

describe("classifyStatus", () => {
  it.each([
    [401, "auth", false],
    [403, "auth", false],
    [404, "not_found", false],
    [400, "bad_request", false],
    [422, "bad_request", false],
    [408, "timeout", true],
    [409, "server", true],
    [429, "rate_limit", true],
    [500, "server", true],
    [529, "server", true],
  ] as const)("HTTP %i is kind %s, retryable %s", (status, kind, retryable) => {
    expect(classifyStatus(status)).toEqual({ kind, retryable });
  });

  it("no status (an error inside a 200 stream) is a retryable server error", () => {
    expect(classifyStatus(undefined)).toEqual({ kind: "server", retryable: true });
  });
});
