// The connection itself fails: refused, cut mid-stream, silent. These are retried like 5xx, and
// a retry voids the partial text so far (the `retry` delta tells the UI so).
import { describe, expect, it } from "vitest";
import { sequence, startFakeServer, text } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest, modelHarness } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

const ANSWER = "The complete answer, streamed in many small chunks.";

describe("connection cut mid-stream", () => {
  it("is retried with one retry delta, and the final text is the second attempt's, complete and not duplicated", async () => {
    const server = await start(sequence({ kind: "drop", text: ANSWER, afterChunks: 3 }, text(ANSWER)));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: ANSWER, stopReason: "stop" });
    expect(harness.retries()).toHaveLength(1);
    expect(harness.retries()[0]?.reason).toMatch(/^the connection failed: /);
    // What arrived before the cut is a strict prefix (how much depends on when undici sees the
    // socket close); everything after the retry delta is the answer exactly once.
    const beforeRetry = harness.deltas.slice(0, harness.deltas.findIndex((d) => d.type === "retry"));
    const partial = beforeRetry.map((d) => (d.type === "text" ? d.delta : "")).join("");
    expect(ANSWER.startsWith(partial) && partial.length < ANSWER.length).toBe(true);
    expect(harness.liveText()).toBe(ANSWER);
    expect(server.requests).toHaveLength(2);
  });

  it("cut on every attempt ends with stopReason error of kind network after maxRetries + 1 = 3 requests", async () => {
    const server = await start(() => ({ kind: "drop", text: ANSWER }));
    const harness = modelHarness(server, { retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 100 } });
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error?.kind).toBe("network");
    expect(turn.error?.message).toMatch(/^the connection failed: .+ \(after 3 attempts\)$/);
    expect(turn.text).toBe("");
    expect(server.requests).toHaveLength(3);
  });
});

describe("server unreachable", () => {
  it("a closed port ends with stopReason error of kind network whose message names the refused connection", async () => {
    const closed = await startFakeServer(() => text("never"));
    await closed.close();
    const harness = modelHarness(closed, { retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 100 } });
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error?.kind).toBe("network");
    expect(turn.error?.message).toMatch(/^could not reach the server: .*ECONNREFUSED.* \(after 3 attempts\)$/);
    expect(harness.delays).toHaveLength(2);
  });
});

describe("silent servers", () => {
  // The timeouts are real timers: long enough that a loaded machine answers the second request in
  // time, short enough to keep the test quick. The first request never answers at all.
  it("no response headers within requestTimeoutMs: the request is retried with the reason 'the request timed out', and the retry answers", async () => {
    const server = await start(sequence({ kind: "hang" }, text(ANSWER)));
    const harness = modelHarness(server, { requestTimeoutMs: 1000 });
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: ANSWER, stopReason: "stop" });
    expect(harness.retries().map((r) => r.reason)).toEqual(["the request timed out"]);
    expect(server.requests).toHaveLength(2);
  });

  it("no response headers on any attempt: stopReason error of kind timeout after maxRetries + 1 = 2 requests", async () => {
    const server = await start(() => ({ kind: "hang" }));
    const turn = await modelHarness(server, { requestTimeoutMs: 200, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }).call();
    expect(turn.error).toEqual({ kind: "timeout", message: "the request timed out (after 2 attempts)" });
    expect(server.requests).toHaveLength(2);
  });

  it("a stream that goes silent for idleTimeoutMs is retried, and the final text is the retry's alone", async () => {
    const server = await start(sequence({ kind: "stall", text: ANSWER, afterChunks: 2 }, text(ANSWER)));
    const harness = modelHarness(server, { idleTimeoutMs: 1000 });
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: ANSWER, stopReason: "stop" });
    expect(harness.retries()).toHaveLength(1);
    expect(harness.retries()[0]?.reason).toMatch(/^the stream stalled: no answer text for 1s$/);
    expect(harness.liveText()).toBe(ANSWER);
    expect(server.requests).toHaveLength(2);
  });
});

describe("garbage in the stream", () => {
  it("a chunk that is not JSON is retried with a reason that says so", async () => {
    const server = await start(sequence({ kind: "sse", events: ["data: {not json\n\n", "data: [DONE]\n\n"] }, text("clean")));
    const harness = modelHarness(server);
    expect((await harness.call()).text).toBe("clean");
    expect(harness.retries()[0]?.reason).toMatch(/^the server sent a chunk that is not JSON: /);
  });
});
