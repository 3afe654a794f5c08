// OpenAI's own streaming format, end to end through the SDK: what the model makes of it, and what
// it sends.
import { describe, expect, it } from "vitest";
import type { ModelRequest } from "../../src/model/types.js";
import { text, toolCalls } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest, modelHarness, toolRequest } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

describe("streamed answers", () => {
  it("emits the text deltas in order, and they join into the turn's text", async () => {
    const answer = "The quick brown fox jumps over the lazy dog, twice: the quick brown fox.";
    const harness = modelHarness(await start(() => text(answer)));
    const turn = await harness.call();
    const textDeltas = harness.deltas.flatMap((d) => (d.type === "text" ? [d.delta] : []));
    expect(textDeltas.length).toBeGreaterThan(10);
    expect(textDeltas.join("")).toBe(answer);
    expect(turn).toMatchObject({ text: answer, thinking: "", toolCalls: [], stopReason: "stop" });
    expect(turn.error).toBeUndefined();
  });

  it("keeps characters outside the BMP intact across chunk boundaries", async () => {
    const answer = "emoji 🦊🦊🦊 and 漢字 across chunks";
    const harness = modelHarness(await start(() => text(answer)));
    expect((await harness.call()).text).toBe(answer);
  });

  it("reassembles tool-call arguments split over many chunks into the exact JSON text", async () => {
    const args = { path: "src/very/long/path/to/some/file.ts", offset: 120, limit: 200, note: 'quotes " and \\ escapes' };
    const harness = modelHarness(await start(() => toolCalls({ name: "read_file", arguments: args, id: "call_abc" })));
    const turn = await harness.call(toolRequest());
    expect(turn.stopReason).toBe("tool_calls");
    expect(turn.toolCalls).toEqual([{ id: "call_abc", name: "read_file", arguments: JSON.stringify(args) }]);
  });

  it("keeps several tool calls of one message in order with their own ids, names and arguments", async () => {
    const harness = modelHarness(
      await start(() =>
        toolCalls(
          { name: "read_file", arguments: { path: "a.ts" }, id: "call_1" },
          { name: "list_dir", arguments: { path: "src" }, id: "call_2" },
          { name: "read_file", arguments: { path: "b.ts" }, id: "call_3" },
        ),
      ),
    );
    const turn = await harness.call(toolRequest());
    expect(turn.toolCalls).toEqual([
      { id: "call_1", name: "read_file", arguments: '{"path":"a.ts"}' },
      { id: "call_2", name: "list_dir", arguments: '{"path":"src"}' },
      { id: "call_3", name: "read_file", arguments: '{"path":"b.ts"}' },
    ]);
  });

  it("keeps text sent before tool calls in the same message beside the calls", async () => {
    const harness = modelHarness(await start(() => ({ ...toolCalls({ name: "list_dir", arguments: {} }), text: "Let me look." })));
    const turn = await harness.call(toolRequest());
    expect(turn.text).toBe("Let me look.");
    expect(turn.toolCalls.map((c) => [c.name, c.arguments])).toEqual([["list_dir", "{}"]]);
    expect(turn.stopReason).toBe("tool_calls");
  });

  it("takes usage from the final usage chunk and reports it as a usage delta", async () => {
    const harness = modelHarness(await start(() => text("ok", { usage: { prompt: 120, completion: 7 } })));
    const turn = await harness.call();
    expect(turn.usage).toEqual({ inputTokens: 120, outputTokens: 7 });
    expect(harness.deltas.filter((d) => d.type === "usage")).toEqual([{ type: "usage", usage: { inputTokens: 120, outputTokens: 7 } }]);
  });

  it("prices the usage when the model's price is known (openai/gpt-4o-mini)", async () => {
    const server = await start(() => text("ok", { usage: { prompt: 1_000_000, completion: 1_000_000 } }));
    const turn = await modelHarness(server, { id: "openai/gpt-4o-mini", model: "gpt-4o-mini" }).call();
    expect(turn.usage.costUsd).toBeCloseTo(0.15 + 0.6, 10);
  });

  it("maps finish_reason length to stopReason length", async () => {
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const harness = modelHarness(await start(() => ({ kind: "sse", events: [chunk({ role: "assistant", content: "cut sh" }, null), chunk({}, "length"), "data: [DONE]\n\n"] })));
    expect(await harness.call()).toMatchObject({ text: "cut sh", stopReason: "length" });
  });

  it("turns finish_reason content_filter into an error of kind content_filter", async () => {
    const chunk = { id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: {}, finish_reason: "content_filter" }] };
    const harness = modelHarness(await start(() => ({ kind: "sse", events: [`data: ${JSON.stringify(chunk)}\n\n`, "data: [DONE]\n\n"] })));
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({ kind: "content_filter", message: "the server's content filter stopped the answer" });
  });
});

describe("what the model sends", () => {
  it("asks for a stream with stream_options.include_usage on every request", async () => {
    const server = await start(() => text("ok"));
    const harness = modelHarness(server);
    await harness.call();
    await harness.call();
    for (const request of server.requests) {
      expect(request.body.stream).toBe(true);
      expect(request.body.stream_options).toEqual({ include_usage: true });
    }
    expect(server.requests).toHaveLength(2);
  });

  it("sends the model name, the bearer key, and the conversation in the chat-completions wire format", async () => {
    const server = await start(() => text("ok"));
    const request: ModelRequest = {
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "read a.ts" },
        { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "read_file", arguments: '{"path":"a.ts"}' }] },
        { role: "tool", toolCallId: "call_1", name: "read_file", content: "" },
      ],
    };
    await modelHarness(server, { model: "served-name", apiKey: "sk-secret" }).call(request);
    const [sent] = server.requests;
    expect(sent?.headers.authorization).toBe("Bearer sk-secret");
    expect(sent?.body.model).toBe("served-name");
    expect(sent?.body.messages).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "read a.ts" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "read_file", arguments: '{"path":"a.ts"}' } }] },
      { role: "tool", tool_call_id: "call_1", name: "read_file", content: "(empty)" },
    ]);
  });

  it("sends tools with tool_choice auto and parallel_tool_calls true, and none of the three without tools", async () => {
    const server = await start(() => text("ok"));
    const harness = modelHarness(server);
    await harness.call(toolRequest());
    await harness.call("no tools here");
    const [withTools, without] = server.requests;
    expect(withTools?.body.tools?.map((t) => t.function.name)).toEqual(["read_file", "list_dir"]);
    expect(withTools?.body).toMatchObject({ tool_choice: "auto", parallel_tool_calls: true });
    expect(without?.body).not.toHaveProperty("tools");
    expect(without?.body).not.toHaveProperty("tool_choice");
    expect(without?.body).not.toHaveProperty("parallel_tool_calls");
  });

  it("sends responseFormat as a json_schema response_format", async () => {
    const server = await start(() => text("{}"));
    const schema = { type: "object", properties: { ok: { type: "boolean" } } };
    await modelHarness(server).call({ messages: [{ role: "user", content: "json" }], responseFormat: { name: "result", schema } });
    expect(server.requests[0]?.body.response_format).toEqual({ type: "json_schema", json_schema: { name: "result", schema } });
  });
});

describe("answers in one JSON body", () => {
  it("keeps a final '<' that could have started a <think> tag, and moves a <think> block to thinking", async () => {
    const body = (content: string) => ({
      id: "c1",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    const server = await start((request) => ({ kind: "json", body: body(request.index === 0 ? "x <" : "<think>hmm</think>\n\nfine") }));
    const harness = modelHarness(server);
    expect(await harness.call()).toMatchObject({ text: "x <", thinking: "", stopReason: "stop", usage: { inputTokens: 3, outputTokens: 2 } });
    expect(await harness.call()).toMatchObject({ text: "fine", thinking: "hmm" });
  });
});
