// 5xx and other passing server trouble: retried with exponential backoff and jitter, and given up
// after exactly maxRetries + 1 attempts.
import { describe, expect, it } from "vitest";
import { errorReply, sequence, text } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest, modelHarness } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

describe("server errors that pass", () => {
  it("500 then 503 then success: the answer arrives, after two retry deltas (attempts 1 and 2) and three requests", async () => {
    const server = await start(sequence(errorReply(500, "The server had an error"), errorReply(503, "Service Unavailable"), text("third time")));
    const harness = modelHarness(server, { random: () => 0 });
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: "third time", stopReason: "stop" });
    expect(turn.error).toBeUndefined();
    expect(harness.retries()).toEqual([
      { type: "retry", attempt: 1, delayMs: 500, reason: "HTTP 500: The server had an error" },
      { type: "retry", attempt: 2, delayMs: 1000, reason: "HTTP 503: Service Unavailable" },
    ]);
    expect(harness.delays).toEqual([500, 1000]);
    expect(server.requests).toHaveLength(3);
  });

  it("529 overloaded (Anthropic's body) is retried and its message is the retry reason", async () => {
    const overloaded = { kind: "error" as const, status: 529, body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } } };
    const server = await start(sequence(overloaded, text("ok")));
    const harness = modelHarness(server);
    expect((await harness.call()).text).toBe("ok");
    expect(harness.retries().map((r) => r.reason)).toEqual(["HTTP 529: Overloaded"]);
  });

  it("503 with Gemini's overload body is retried and its message is the retry reason", async () => {
    const body = { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } };
    const server = await start(sequence({ kind: "error", status: 503, body }, text("ok")));
    const harness = modelHarness(server);
    expect((await harness.call()).text).toBe("ok");
    expect(harness.retries().map((r) => r.reason)).toEqual(["HTTP 503: The model is overloaded. Please try again later."]);
  });

  it("502 with a proxy's HTML page is retried and the page's text is the retry reason", async () => {
    const page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const server = await start(sequence({ kind: "error", status: 502, body: page }, text("ok")));
    const harness = modelHarness(server);
    expect((await harness.call()).text).toBe("ok");
    expect(harness.retries()[0]?.reason).toContain("502 Bad Gateway");
  });

  it("408 is retried with kind timeout on failure", async () => {
    const server = await start(() => errorReply(408, "Request timed out"));
    const turn = await modelHarness(server, { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }).call();
    expect(turn.error?.kind).toBe("timeout");
    expect(server.requests).toHaveLength(2);
  });
});

describe("server errors that persist", () => {
  it("persistent 500 with maxRetries 3 fails after 4 attempts: 4 requests, 3 waits, stopReason error of kind server", async () => {
    const server = await start(() => errorReply(500, "The server had an error"));
    const harness = modelHarness(server, { retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 60_000 } });
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({ kind: "server", message: "HTTP 500: The server had an error (after 4 attempts)" });
    expect(server.requests).toHaveLength(4);
    expect(harness.delays).toHaveLength(3);
    expect(harness.retries().map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it("with the default policy (maxRetries 5) a persistent 503 fails after 6 requests", async () => {
    const server = await start(() => errorReply(503, "Service Unavailable"));
    const turn = await modelHarness(server).call();
    expect(turn.error?.message).toBe("HTTP 503: Service Unavailable (after 6 attempts)");
    expect(server.requests).toHaveLength(6);
  });

  it("maxRetries 0 makes one request and reports the error without an attempt count", async () => {
    const server = await start(() => errorReply(500, "The server had an error"));
    const turn = await modelHarness(server, { retry: { maxRetries: 0, baseDelayMs: 1000, maxDelayMs: 60_000 } }).call();
    expect(turn.error).toEqual({ kind: "server", message: "HTTP 500: The server had an error" });
    expect(server.requests).toHaveLength(1);
  });

  it("backoff doubles from baseDelayMs and stops at maxDelayMs (random 1: 1000, 2000, 4000, 8000, 8000)", async () => {
    const server = await start(() => errorReply(500, "The server had an error"));
    const harness = modelHarness(server, { random: () => 1, retry: { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 8000 } });
    await harness.call();
    expect(harness.delays).toEqual([1000, 2000, 4000, 8000, 8000]);
  });
});
