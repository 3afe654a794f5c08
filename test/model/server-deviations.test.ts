// One test per way a real server bends OpenAI's stream (see test/helpers/fake-openai-deviations.ts
// for which server does what). Each asserts the AssistantTurn a user of the model would get.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AssistantTurn } from "../../src/model/types.js";
import { DEVIATION_NAMES, sequence, text, toolCalls, type Deviation, type Reply } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest, modelHarness, toolRequest } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

const CALLS = [
  { name: "read_file", arguments: { path: "src/index.ts" } },
  { name: "list_dir", arguments: { path: "src" } },
  { name: "read_file", arguments: { path: "README.md" } },
];
const SCRIPTED_IDS = ["call_0_0", "call_0_1", "call_0_2"];

async function turnUnder(deviation: Deviation, reply: Reply = toolCalls(...CALLS)): Promise<AssistantTurn> {
  const harness = modelHarness(await start(() => reply, { deviation }));
  return harness.call(toolRequest());
}

/** The three calls, whole and in order, with ids that are present and unique. */
function expectScriptedCalls(turn: AssistantTurn, ids?: readonly string[]): void {
  expect(turn.error).toBeUndefined();
  expect(turn.stopReason).toBe("tool_calls");
  expect(turn.toolCalls.map((c) => c.name)).toEqual(CALLS.map((c) => c.name));
  expect(turn.toolCalls.map((c) => JSON.parse(c.arguments) as unknown)).toEqual(CALLS.map((c) => c.arguments));
  const got = turn.toolCalls.map((c) => c.id);
  expect(new Set(got).size).toBe(got.length);
  for (const id of got) expect(id).not.toBe("");
  if (ids !== undefined) expect(got).toEqual(ids);
}

describe("tool-call shapes", () => {
  it("whole-tool-call-per-chunk (Ollama): three calls intact with their ids", async () => {
    expectScriptedCalls(await turnUnder("whole-tool-call-per-chunk"), SCRIPTED_IDS);
  });

  it("arguments-as-object (llama.cpp, TGI): arguments become JSON text of the object", async () => {
    const turn = await turnUnder("arguments-as-object");
    expectScriptedCalls(turn, SCRIPTED_IDS);
    expect(turn.toolCalls[0]?.arguments).toBe('{"path":"src/index.ts"}');
  });

  it("cumulative-arguments (llama.cpp): fragments repeating the text so far give the arguments once", async () => {
    expectScriptedCalls(await turnUnder("cumulative-arguments"), SCRIPTED_IDS);
  });

  it("name-and-id-on-every-fragment (vLLM, LM Studio): names are not repeated into 'read_fileread_file'", async () => {
    expectScriptedCalls(await turnUnder("name-and-id-on-every-fragment"), SCRIPTED_IDS);
  });

  it("tool-call-index-from-one (proxies): calls numbered from 1 are all kept in order", async () => {
    expectScriptedCalls(await turnUnder("tool-call-index-from-one"), SCRIPTED_IDS);
  });

  it("same-index-for-parallel-calls (Ollama): calls with different ids at index 0 stay three calls", async () => {
    expectScriptedCalls(await turnUnder(["same-index-for-parallel-calls", "whole-tool-call-per-chunk"]), SCRIPTED_IDS);
  });

  it("same-index-for-parallel-calls with fragmented arguments: each head with a new id starts a call", async () => {
    expectScriptedCalls(await turnUnder("same-index-for-parallel-calls"), SCRIPTED_IDS);
  });

  it("tool-calls-without-index (Gemini, SGLang): fragments follow the call whose id they continue", async () => {
    expectScriptedCalls(await turnUnder("tool-calls-without-index"), SCRIPTED_IDS);
  });

  it("tool-calls-without-index with whole calls and no ids (Gemini): three calls with fresh unique ids", async () => {
    expectScriptedCalls(await turnUnder(["tool-calls-without-index", "whole-tool-call-per-chunk", "missing-tool-call-ids"]));
  });

  it("missing-tool-call-ids: each call gets a unique 9-character alphanumeric id (Mistral's rule)", async () => {
    const turn = await turnUnder("missing-tool-call-ids");
    expectScriptedCalls(turn);
    for (const call of turn.toolCalls) expect(call.id).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it("empty-tool-call-ids (Gemini proxies): ids sent as '' are replaced by unique ids", async () => {
    const turn = await turnUnder("empty-tool-call-ids");
    expectScriptedCalls(turn);
    for (const call of turn.toolCalls) expect(call.id).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it("same-id-for-parallel-calls: the first call keeps the shared id and the others get unique ones", async () => {
    const turn = await turnUnder("same-id-for-parallel-calls");
    expectScriptedCalls(turn);
    expect(turn.toolCalls[0]?.id).toBe("call_shared");
  });

  it("same-id-for-parallel-calls without index, whole calls (Gemini adapters): three calls, not one merged", async () => {
    expectScriptedCalls(await turnUnder(["same-id-for-parallel-calls", "tool-calls-without-index", "whole-tool-call-per-chunk"]));
  });

  it("empty arguments for a tool without parameters (vLLM) become '{}'", async () => {
    const turn = await turnUnder([], toolCalls({ name: "list_dir", arguments: "" }));
    expect(turn.toolCalls).toEqual([{ id: "call_0_0", name: "list_dir", arguments: "{}" }]);
  });
});

describe("finish reasons", () => {
  it("finish-reason-stop-with-tool-calls (Ollama, Gemini): stopReason is still tool_calls", async () => {
    expectScriptedCalls(await turnUnder("finish-reason-stop-with-tool-calls"), SCRIPTED_IDS);
  });

  it("empty-finish-reason-on-every-chunk (Ollama): '' is read as no reason and the answer ends with stop", async () => {
    expect(await turnUnder("empty-finish-reason-on-every-chunk", text("done here"))).toMatchObject({ text: "done here", stopReason: "stop" });
  });

  it("finish-reason-eos (Together): an answer ending with 'eos' is a complete stop", async () => {
    expect(await turnUnder("finish-reason-eos", text("done here"))).toMatchObject({ text: "done here", stopReason: "stop" });
  });

  it("finish-reason-abort (vLLM): a partial answer ended by 'abort' is retried, and the retry's full text is the result", async () => {
    const server = await start(sequence(text("the whole answer, at length", { deviation: "finish-reason-abort" }), text("the whole answer, at length")));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: "the whole answer, at length", stopReason: "stop" });
    expect(harness.retries()).toHaveLength(1);
    expect(harness.retries()[0]?.reason).toMatch(/abort/);
    expect(server.requests).toHaveLength(2);
  });

  it("duplicate-finish-chunk (SGLang): the calls are not doubled", async () => {
    expectScriptedCalls(await turnUnder("duplicate-finish-chunk"), SCRIPTED_IDS);
  });

  it("no-finish-reason and no-done-marker together (LM Studio, MiniMax): the streamed text is the answer, stopReason stop", async () => {
    expect(await turnUnder(["no-finish-reason", "no-done-marker"], text("all of it"))).toMatchObject({ text: "all of it", stopReason: "stop" });
  });

  it("no-finish-reason with tool calls: stopReason is tool_calls", async () => {
    expectScriptedCalls(await turnUnder("no-finish-reason"), SCRIPTED_IDS);
  });

  it("no-done-marker (ik_llama.cpp): the answer is complete without [DONE]", async () => {
    expectScriptedCalls(await turnUnder("no-done-marker"), SCRIPTED_IDS);
  });
});

describe("usage placement", () => {
  const reply = text("counted", { usage: { prompt: 50, completion: 9 } });

  it("usage-on-last-content-chunk (DeepSeek, vLLM, OpenRouter): usage is read from the chunk with the finish reason", async () => {
    expect((await turnUnder("usage-on-last-content-chunk", reply)).usage).toEqual({ inputTokens: 50, outputTokens: 9 });
  });

  it("usage-under-x-groq (Groq): usage is read from x_groq.usage", async () => {
    expect((await turnUnder("usage-under-x-groq", reply)).usage).toEqual({ inputTokens: 50, outputTokens: 9 });
  });

  it("usage-on-every-chunk (vLLM continuous_usage_stats): the last running usage is the total, not a sum", async () => {
    expect((await turnUnder("usage-on-every-chunk", reply)).usage).toEqual({ inputTokens: 50, outputTokens: 9 });
  });

  it("no-usage (Ollama before 0.5.2): usage is zero tokens and no cost", async () => {
    expect((await turnUnder("no-usage", reply)).usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it("azure-content-filter-chunks (Azure): the choices-less first chunk and delta-less last choice change nothing", async () => {
    expect(await turnUnder("azure-content-filter-chunks", reply)).toMatchObject({ text: "counted", stopReason: "stop", usage: { inputTokens: 50, outputTokens: 9 } });
  });
});

describe("reasoning", () => {
  const reply = text("The answer is 4.", { thinking: "2 plus 2 is 4, so say 4." });

  it("reasoning-content-deltas (DeepSeek): reasoning goes to thinking and thinking deltas, not to the text", async () => {
    const harness = modelHarness(await start(() => reply, { deviation: "reasoning-content-deltas" }));
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: "The answer is 4.", thinking: "2 plus 2 is 4, so say 4." });
    expect(harness.deltas.flatMap((d) => (d.type === "thinking" ? [d.delta] : [])).join("")).toBe("2 plus 2 is 4, so say 4.");
  });

  it("reasoning-deltas (OpenRouter, Ollama): `reasoning` goes to thinking, not to the text", async () => {
    expect(await turnUnder("reasoning-deltas", reply)).toMatchObject({ text: "The answer is 4.", thinking: "2 plus 2 is 4, so say 4." });
  });

  it("think-tags-in-content (Ollama qwen3, llama.cpp): the <think> block moves from the text to thinking", async () => {
    expect(await turnUnder("think-tags-in-content", reply)).toMatchObject({ text: "The answer is 4.", thinking: "2 plus 2 is 4, so say 4." });
  });
});

describe("stream framing and errors inside the stream", () => {
  it("sse-comment-lines (OpenRouter, DeepSeek): comment lines are ignored", async () => {
    expectScriptedCalls(await turnUnder("sse-comment-lines"), SCRIPTED_IDS);
  });

  it("error-mid-stream (vLLM, SGLang): the error event is retried and the result is the retry's text alone", async () => {
    const answer = "a long enough answer to be cut halfway";
    const server = await start(sequence(text(answer, { deviation: "error-mid-stream" }), text(answer)));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn).toMatchObject({ text: answer, stopReason: "stop" });
    expect(harness.retries().map((r) => r.reason)).toEqual(["error in the stream: EngineCore encountered an issue."]);
    expect(harness.liveText()).toBe(answer);
    expect(server.requests).toHaveLength(2);
  });

  it("error-chunk-mid-stream (OpenRouter): a chunk with a top-level error is retried and its message is the retry reason", async () => {
    const answer = "a long enough answer to be cut halfway";
    const server = await start(sequence(text(answer, { deviation: "error-chunk-mid-stream" }), text(answer)));
    const harness = modelHarness(server);
    expect(await harness.call()).toMatchObject({ text: answer, stopReason: "stop" });
    expect(harness.retries().map((r) => r.reason)).toEqual(["error in the stream: Provider disconnected unexpectedly"]);
  });

  it("error-mid-stream on every attempt ends with stopReason error of kind server after maxRetries + 1 requests", async () => {
    const server = await start(() => text("a long enough answer to be cut halfway"), { deviation: "error-mid-stream" });
    const harness = modelHarness(server, { retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 100 } });
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error?.kind).toBe("server");
    expect(turn.error?.message).toBe("error in the stream: EngineCore encountered an issue. (after 3 attempts)");
    expect(server.requests).toHaveLength(3);
  });

  it("only-done-marker (vLLM, error before the first token): the model asks again without streaming and gets the answer", async () => {
    const server = await start(() => text("fine now"), { deviation: "only-done-marker" });
    const turn = await modelHarness(server).call();
    expect(turn).toMatchObject({ text: "fine now", stopReason: "stop" });
    expect(server.requests.map((r) => r.body.stream ?? false)).toEqual([true, false]);
  });

  it("json-body-for-stream-request (proxies): a 200 JSON body to a stream request is the answer, and the model asks without streaming for the rest of the session", async () => {
    const server = await start(() => toolCalls(...CALLS), { deviation: "json-body-for-stream-request" });
    const harness = modelHarness(server);
    expectScriptedCalls(await harness.call(toolRequest()), ["call_0_0", "call_0_1", "call_0_2"]);
    expectScriptedCalls(await harness.call(toolRequest()), ["call_1_0", "call_1_1", "call_1_2"]);
    expect(server.requests.map((r) => r.body.stream ?? false)).toEqual([true, false]);
    expect(server.requests[1]?.body).not.toHaveProperty("stream_options");
  });
});

describe("coverage of the fake server's deviations", () => {
  it("names every deviation the fake server offers in this file or in invalid-request.test.ts", () => {
    const here = readFileSync(new URL(import.meta.url), "utf8");
    const refusals = readFileSync(new URL("./invalid-request.test.ts", import.meta.url), "utf8");
    const untested = DEVIATION_NAMES.filter((name) => !here.includes(`"${name}"`) && !refusals.includes(`"${name}"`));
    expect(untested).toEqual([]);
  });
});
