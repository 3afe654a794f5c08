// One test per way a server has kept a request alive without answering, and per bound that ends
// it: idle (only answer bytes count), total time (retries included), answer size, and the page a
// captive portal sends instead of an answer. The bounds are real timers, short enough to keep the
// tests quick; every assertion is about how the call ended, never about how long it took.
import { describe, expect, it } from "vitest";
import { fakeServerPerTest, modelHarness } from "../helpers/model-harness.js";
import { PORTAL_PAGE, sequence, text, type Reply } from "../helpers/fake-openai-server.js";

const start = fakeServerPerTest();
const NO_RETRY = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 };

describe("the idle limit counts answer bytes only", () => {
  it.each<[string, Reply]>([
    ["headers, then nothing", { kind: "headers-only" }],
    ["keep-alive comments forever", { kind: "trickle", filler: "comment" }],
    ["empty deltas forever", { kind: "trickle", filler: "empty-delta" }],
    ["blank lines forever after some text", { kind: "trickle", filler: "blank", afterChunks: 2, text: "started then stopped" }],
  ])("%s ends as a stalled stream, with the limit in the message", async (_name, reply) => {
    const server = await start(() => reply);
    const turn = await modelHarness(server, { idleTimeoutMs: 300, retry: NO_RETRY }).call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({ kind: "network", message: "the stream stalled: no answer text for 300ms" });
    expect(server.requests).toHaveLength(1);
  });

  it("a stalled stream is retried, and the retry's answer is the result", async () => {
    const server = await start(sequence({ kind: "trickle", filler: "comment" }, text("second time lucky")));
    const harness = modelHarness(server, { idleTimeoutMs: 300 });
    expect(await harness.call()).toMatchObject({ text: "second time lucky", stopReason: "stop" });
    expect(harness.retries().map((r) => r.reason)).toEqual(["the stream stalled: no answer text for 300ms"]);
  });
});

describe("the total time of one call", () => {
  it("ends a stream that makes progress forever (one piece every 10 ms) at the model's total limit", async () => {
    const server = await start(() => ({ kind: "endless", piece: "la ", everyMs: 10 }));
    const turn = await modelHarness(server, { totalTimeoutMs: 600, idleTimeoutMs: 60_000 }).call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({
      kind: "timeout",
      message: "the model did not finish answering within 600ms, the limit for one model request; ask for a shorter answer or use a faster model",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("covers every retry: a server that stalls on every attempt ends at the total limit, not after all retries", async () => {
    const server = await start(() => ({ kind: "headers-only" }));
    const turn = await modelHarness(server, { idleTimeoutMs: 200, totalTimeoutMs: 700, retry: { maxRetries: 50, baseDelayMs: 1, maxDelayMs: 1 } }).call();
    expect(turn.error?.kind).toBe("timeout");
    expect(turn.error?.message).toMatch(/^the model did not finish answering within 700ms/);
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    expect(server.requests.length).toBeLessThan(51);
  });

  it("a caller's shorter bound (the parent's --timeout) wins and is named", async () => {
    const server = await start(() => ({ kind: "trickle", filler: "comment" }));
    const model = modelHarness(server, { idleTimeoutMs: 60_000 });
    const turn = await model.callWith({ messages: [{ role: "user", content: "hi" }] }, { timeoutMs: 400 });
    expect(turn.error).toEqual({
      kind: "timeout",
      message: "the model did not finish answering within 400ms (--timeout); raise --timeout or give the agent a smaller task",
    });
  });

  it("a cancelled call is still 'aborted', not a timeout", async () => {
    const server = await start(() => ({ kind: "trickle", filler: "comment" }));
    const controller = new AbortController();
    const pending = modelHarness(server, { idleTimeoutMs: 60_000 }).call("hi", controller.signal);
    while (server.requests.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    expect((await pending).stopReason).toBe("aborted");
  });
});

describe("the answer size cap", () => {
  it("ends an endless answer at the cap with an error that names it, and does not retry", async () => {
    const server = await start(() => ({ kind: "endless", piece: "all work and no play " }));
    const turn = await modelHarness(server, { maxAnswerBytes: 64 * 1024 }).call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({
      kind: "too_large",
      message: "the answer passed 64 KB, the limit on one answer's text, reasoning and tool arguments; ask the agent for a shorter answer or split the task",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("counts reasoning and tool arguments too", async () => {
    const long = "x".repeat(3000);
    const server = await start(() => ({ kind: "tool_calls", calls: [{ name: "read_file", arguments: { path: long } }], thinking: long, deviation: "reasoning-content-deltas" }));
    const turn = await modelHarness(server, { maxAnswerBytes: 4000 }).call();
    expect(turn.error?.kind).toBe("too_large");
  });
});

describe("a web page instead of an answer", () => {
  const message = (baseUrl: string) =>
    `the server at ${new URL(baseUrl).host} answered with an HTML page, not an OpenAI-compatible response: check --base-url`;

  it("a 200 text/html page (a captive portal) is named as such, once, without retries", async () => {
    const server = await start(() => ({ kind: "html" }));
    const turn = await modelHarness(server).call();
    expect(turn.error).toEqual({ kind: "bad_response", message: message(server.baseUrl) });
    expect(server.requests).toHaveLength(1);
  });

  it("a page mislabelled as text/event-stream is recognised by its first bytes", async () => {
    const server = await start(() => ({ kind: "html", contentType: "text/event-stream" }));
    expect((await modelHarness(server).call()).error).toEqual({ kind: "bad_response", message: message(server.baseUrl) });
  });

  it("a page mislabelled as text/plain is recognised too", async () => {
    const server = await start(() => ({ kind: "html", contentType: "text/plain", body: `\n${PORTAL_PAGE}` }));
    expect((await modelHarness(server).call()).error).toEqual({ kind: "bad_response", message: message(server.baseUrl) });
  });
});

describe("usage of failed attempts", () => {
  const errorChunk = (usage: object) =>
    `data: ${JSON.stringify({ id: "gen-1", object: "chat.completion.chunk", created: 1, model: "m", error: { code: 502, message: "Provider disconnected" }, choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }], usage })}\n\n`;

  it("the usage on a chunk that carries an error is counted, and added to the retry's", async () => {
    const server = await start(
      sequence(
        { kind: "sse", events: [`data: ${JSON.stringify({ id: "gen-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "par" }, finish_reason: null }] })}\n\n`, errorChunk({ prompt_tokens: 40, completion_tokens: 7 })] },
        text("whole answer", { usage: { prompt: 40, completion: 3 } }),
      ),
    );
    const turn = await modelHarness(server).call();
    expect(turn).toMatchObject({ text: "whole answer", stopReason: "stop" });
    expect(turn.usage).toEqual({ inputTokens: 80, outputTokens: 10 });
  });

  it("a call that fails for good still reports what its attempts used", async () => {
    const server = await start(() => ({ kind: "sse", events: [errorChunk({ prompt_tokens: 5, completion_tokens: 2 })] }));
    const turn = await modelHarness(server, { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }).call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error?.message).toBe("error in the stream: Provider disconnected (after 2 attempts)");
    expect(turn.usage).toEqual({ inputTokens: 10, outputTokens: 4 });
  });
});
