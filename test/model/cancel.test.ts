// Cancelling through the AbortSignal: the call ends as "aborted" (not an error) and is never
// retried. The stalled-stream tests also prove promptness without a clock: the server never
// finishes its answer, so only the abort can end the call before the test times out.
import { describe, expect, it } from "vitest";
import { errorReply, text } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest, modelHarness } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

const ABORTED = { text: "", thinking: "", toolCalls: [], stopReason: "aborted", usage: { inputTokens: 0, outputTokens: 0 } };

describe("cancelling a model call", () => {
  it("aborting after the first text delta of a stream that never ends returns stopReason aborted, no error, one request, no retry", async () => {
    const server = await start(() => ({ kind: "stall", text: "the start of an answer", afterChunks: 1 }));
    const controller = new AbortController();
    const harness = modelHarness(server);
    const pending = harness.call("hello", controller.signal);
    await waitFor(() => harness.deltas.some((d) => d.type === "text"));
    controller.abort();
    expect(await pending).toEqual(ABORTED);
    expect(harness.retries()).toEqual([]);
    expect(harness.delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("aborting while the server has not sent headers returns stopReason aborted after one request", async () => {
    const server = await start(() => ({ kind: "hang" }));
    const controller = new AbortController();
    const harness = modelHarness(server);
    const pending = harness.call("hello", controller.signal);
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    expect(await pending).toEqual(ABORTED);
    expect(server.requests).toHaveLength(1);
    expect(harness.retries()).toEqual([]);
  });

  it("aborting during the backoff wait returns stopReason aborted without a second request", async () => {
    const server = await start(() => errorReply(503, "Service Unavailable"));
    const controller = new AbortController();
    const delays: number[] = [];
    const harness = modelHarness(server, {
      sleep: (ms, signal) => {
        delays.push(ms);
        controller.abort();
        return signal?.aborted ? Promise.reject(new Error("aborted")) : Promise.resolve();
      },
    });
    expect(await harness.call("hello", controller.signal)).toEqual(ABORTED);
    expect(delays).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("an already aborted signal returns stopReason aborted without sending a request", async () => {
    const server = await start(() => text("never"));
    const controller = new AbortController();
    controller.abort();
    expect(await modelHarness(server).call("hello", controller.signal)).toEqual(ABORTED);
    expect(server.requests).toHaveLength(0);
  });

  it("aborting during a slow stream (chunk delay) drops the partial text and reports no usage", async () => {
    const server = await start(() => text("a slow answer with many chunks to stream one by one"), { chunkDelayMs: 20 });
    const controller = new AbortController();
    const harness = modelHarness(server);
    const pending = harness.call("hello", controller.signal);
    await waitFor(() => harness.deltas.filter((d) => d.type === "text").length >= 2);
    controller.abort();
    expect(await pending).toEqual(ABORTED);
    expect(server.requests).toHaveLength(1);
  });
});

/** Polls a condition on the event loop; the test's own timeout bounds it. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
