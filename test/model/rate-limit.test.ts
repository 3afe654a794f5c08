// 429s: the model waits as long as the server asks, through the injected sleep; an empty balance or
// a wait longer than the policy's longest ends the call as a usage limit, with no retry spent.
import { describe, expect, it } from "vitest";
import { errorReply, sequence, text } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest, modelHarness } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

const RATE_LIMITED = "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.";

async function waitAskedFor(headers: Record<string, string>): Promise<number[]> {
  const server = await start(sequence(errorReply(429, RATE_LIMITED, headers), text("after the wait")));
  const harness = modelHarness(server);
  const turn = await harness.call();
  expect(turn).toMatchObject({ text: "after the wait", stopReason: "stop" });
  expect(server.requests).toHaveLength(2);
  return harness.delays;
}

describe("waits the server asks for", () => {
  it("Retry-After: 2 → sleeps 2000 ms once, emits one retry delta, then succeeds", async () => {
    const server = await start(sequence(errorReply(429, RATE_LIMITED, { "retry-after": "2" }), text("after the wait")));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: "after the wait", stopReason: "stop" });
    expect(harness.delays).toEqual([2000]);
    expect(harness.retries()).toEqual([{ type: "retry", attempt: 1, delayMs: 2000, reason: `HTTP 429: ${RATE_LIMITED}` }]);
    expect(server.requests).toHaveLength(2);
  });

  it("retry-after-ms: 1500 (OpenAI) → sleeps 1500 ms", async () => {
    expect(await waitAskedFor({ "retry-after-ms": "1500" })).toEqual([1500]);
  });

  it("x-ms-retry-after-ms: 700 (Azure) → sleeps 700 ms", async () => {
    expect(await waitAskedFor({ "x-ms-retry-after-ms": "700" })).toEqual([700]);
  });

  it("retry-after-ms wins over Retry-After when both are sent", async () => {
    expect(await waitAskedFor({ "retry-after-ms": "250", "retry-after": "9" })).toEqual([250]);
  });

  it("Retry-After as an HTTP date 40 s ahead → sleeps more than 30 s and at most 40 s", async () => {
    const delays = await waitAskedFor({ "retry-after": new Date(Date.now() + 40_000).toUTCString() });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(30_000);
    expect(delays[0]).toBeLessThanOrEqual(40_000);
  });

  it("x-ratelimit-reset-requests: 2.5s without Retry-After (Groq) → sleeps 2500 ms", async () => {
    expect(await waitAskedFor({ "x-ratelimit-reset-requests": "2.5s" })).toEqual([2500]);
  });

  it("Retry-After: 60 (exactly the policy's maxDelayMs) is still waited for", async () => {
    expect(await waitAskedFor({ "retry-after": "60" })).toEqual([60_000]);
  });

  it("a 429 without any wait header backs off exponentially with jitter (random 0.5: 750 then 1500 ms)", async () => {
    const server = await start(sequence(errorReply(429, RATE_LIMITED), errorReply(429, RATE_LIMITED), text("ok")));
    const harness = modelHarness(server, { random: () => 0.5 });
    expect((await harness.call()).text).toBe("ok");
    expect(harness.delays).toEqual([750, 1500]);
  });
});

describe("429s that end the call", () => {
  it("insufficient_quota is not retried: one request, kind usage_limit, and the message says the quota is exceeded", async () => {
    const body = {
      error: {
        message: "You exceeded your current quota, please check your plan and billing details.",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      },
    };
    const server = await start(() => ({ kind: "error", status: 429, body, headers: { "retry-after": "1" } }));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({ kind: "usage_limit", message: "HTTP 429: You exceeded your current quota, please check your plan and billing details." });
    expect(server.requests).toHaveLength(1);
    expect(harness.delays).toEqual([]);
  });

  it("Retry-After: 3600 is longer than agentwf ever waits: no retry, kind usage_limit, and the message says both waits", async () => {
    const server = await start(() => errorReply(429, RATE_LIMITED, { "retry-after": "3600" }));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({
      kind: "usage_limit",
      message: `HTTP 429: ${RATE_LIMITED} (the server asks to wait 1h00m, longer than the 1m00s agentwf waits)`,
    });
    expect(server.requests).toHaveLength(1);
    expect(harness.delays).toEqual([]);
  });

  it("Groq's x-ratelimit-reset-requests: 6m0s (a daily cap) ends the call the same way", async () => {
    const server = await start(() => errorReply(429, RATE_LIMITED, { "x-ratelimit-reset-requests": "6m0s" }));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn.error?.kind).toBe("usage_limit");
    expect(server.requests).toHaveLength(1);
  });

  it("a 429 on every attempt fails after maxRetries + 1 = 3 requests with kind rate_limit", async () => {
    const server = await start(() => errorReply(429, RATE_LIMITED, { "retry-after": "1" }));
    const harness = modelHarness(server, { retry: { maxRetries: 2, baseDelayMs: 1000, maxDelayMs: 60_000 } });
    const turn = await harness.call();
    expect(turn.error).toEqual({ kind: "rate_limit", message: `HTTP 429: ${RATE_LIMITED} (after 3 attempts)` });
    expect(server.requests).toHaveLength(3);
    expect(harness.delays).toEqual([1000, 1000]);
  });
});
