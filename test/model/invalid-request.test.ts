// Requests the server will not take: retrying cannot help, so the model answers at once with the
// server's own words, except for optional parameters it can drop and send again without.
import { describe, expect, it } from "vitest";
import type { ModelRequest } from "../../src/model/types.js";
import { errorReply, sequence, text, type Deviation, type FakeServer } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest, modelHarness, toolRequest } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

describe("errors that are not retried", () => {
  it("400: one request, stopReason error of kind bad_request, and the message quotes the server", async () => {
    const server = await start(() => errorReply(400, "Invalid type for 'messages[2].content': expected a string."));
    const harness = modelHarness(server);
    const turn = await harness.call();
    expect(turn.stopReason).toBe("error");
    expect(turn.error).toEqual({ kind: "bad_request", message: "HTTP 400: Invalid type for 'messages[2].content': expected a string." });
    expect(server.requests).toHaveLength(1);
    expect(harness.delays).toEqual([]);
    expect(harness.retries()).toEqual([]);
  });

  it("401: kind auth, with the server's message, after one request", async () => {
    const server = await start(() => errorReply(401, "Incorrect API key provided: sk-test."));
    const turn = await modelHarness(server).call();
    expect(turn.error).toEqual({ kind: "auth", message: "HTTP 401: Incorrect API key provided: sk-test." });
    expect(server.requests).toHaveLength(1);
  });

  it("403: kind auth, after one request", async () => {
    const server = await start(() => errorReply(403, "Project does not have access to model gpt-5"));
    expect((await modelHarness(server).call()).error?.kind).toBe("auth");
    expect(server.requests).toHaveLength(1);
  });

  it("404: kind not_found, with the server's message, after one request", async () => {
    const server = await start(() => errorReply(404, "The model `gpt-9` does not exist or you do not have access to it."));
    const turn = await modelHarness(server).call();
    expect(turn.error).toEqual({ kind: "not_found", message: "HTTP 404: The model `gpt-9` does not exist or you do not have access to it." });
    expect(server.requests).toHaveLength(1);
  });

  it("404 with Ollama's string error body: the message carries the string", async () => {
    const server = await start(() => ({ kind: "error", status: 404, body: { error: 'model "llama9" not found, try pulling it first' } }));
    const turn = await modelHarness(server).call();
    expect(turn.error?.kind).toBe("not_found");
    expect(turn.error?.message).toContain('model \\"llama9\\" not found, try pulling it first');
  });

  it("400 with vLLM's top-level error body (no `error` wrapper): the message carries the server's text", async () => {
    const body = { object: "error", message: "This model's maximum context length is 8192 tokens.", type: "BadRequestError", param: null, code: 400 };
    const server = await start(() => ({ kind: "error", status: 400, body }));
    const turn = await modelHarness(server).call();
    expect(turn.error).toEqual({ kind: "bad_request", message: "HTTP 400: This model's maximum context length is 8192 tokens." });
  });

  it("400 with Gemini's array error body: the message carries the text inside the array", async () => {
    const body = [{ error: { code: 400, message: "Invalid JSON payload received. Unknown name \"store\": Cannot find field.", status: "INVALID_ARGUMENT" } }];
    const server = await start(() => ({ kind: "error", status: 400, body }));
    const turn = await modelHarness(server).call();
    expect(turn.error).toEqual({ kind: "bad_request", message: 'HTTP 400: Invalid JSON payload received. Unknown name "store": Cannot find field.' });
    expect(server.requests).toHaveLength(1);
  });
});

describe("parameters a server refuses are dropped and the request sent again", () => {
  async function refusedThenSent(deviation: Deviation, request: ModelRequest): Promise<FakeServer> {
    const server = await start(() => text("accepted"), { deviation });
    const harness = modelHarness(server);
    const turn = await harness.call(request);
    expect(turn).toMatchObject({ text: "accepted", stopReason: "stop" });
    expect(harness.delays).toEqual([]);
    expect(server.requests).toHaveLength(2);
    return server;
  }

  it("refuse-stream-options (Azure 400): the second request has no stream_options", async () => {
    const server = await refusedThenSent("refuse-stream-options", toolRequest());
    expect(server.requests[0]?.body).toHaveProperty("stream_options");
    expect(server.requests[1]?.body).not.toHaveProperty("stream_options");
    expect(server.requests[1]?.body.stream).toBe(true);
  });

  it("refuse-stream-options-422 (Mistral extra_forbidden): the second request has no stream_options", async () => {
    const server = await refusedThenSent("refuse-stream-options-422", toolRequest());
    expect(server.requests[1]?.body).not.toHaveProperty("stream_options");
  });

  it("refuse-auto-tool-choice (vLLM without --enable-auto-tool-choice): the second request has no tool_choice", async () => {
    const server = await refusedThenSent("refuse-auto-tool-choice", toolRequest());
    expect(server.requests[0]?.body.tool_choice).toBe("auto");
    expect(server.requests[1]?.body).not.toHaveProperty("tool_choice");
    expect(server.requests[1]?.body.tools).toHaveLength(2);
  });

  it("refuse-parallel-tool-calls (Gemini, array error body): the second request has no parallel_tool_calls", async () => {
    const server = await refusedThenSent("refuse-parallel-tool-calls", toolRequest());
    expect(server.requests[1]?.body).not.toHaveProperty("parallel_tool_calls");
  });

  it("refuse-json-schema-response-format (DeepSeek): the second request has no response_format", async () => {
    const request: ModelRequest = { messages: [{ role: "user", content: "json please" }], responseFormat: { name: "r", schema: { type: "object" } } };
    const server = await refusedThenSent("refuse-json-schema-response-format", request);
    expect(server.requests[1]?.body).not.toHaveProperty("response_format");
  });

  it("refuse-null-content (LM Studio): the second request sends '' instead of null beside tool calls", async () => {
    const request: ModelRequest = {
      messages: [
        { role: "user", content: "read a.ts" },
        { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "read_file", arguments: '{"path":"a.ts"}' }] },
        { role: "tool", toolCallId: "call_1", name: "read_file", content: "body" },
      ],
    };
    const server = await refusedThenSent("refuse-null-content", request);
    expect(server.requests[0]?.body.messages[1]?.content).toBeNull();
    expect(server.requests[1]?.body.messages[1]?.content).toBe("");
  });

  it("a dropped parameter stays dropped for the model's later calls", async () => {
    const server = await start(() => text("accepted"), { deviation: "refuse-stream-options" });
    const harness = modelHarness(server);
    await harness.call();
    await harness.call();
    expect(server.requests.map((r) => "stream_options" in r.body)).toEqual([true, false, false]);
  });

  it("a refusal that names an already dropped parameter ends the call with the server's message after two requests", async () => {
    const refusal = errorReply(400, "Unrecognized request argument supplied: stream_options");
    const server = await start(sequence(refusal, refusal, text("never reached")));
    const turn = await modelHarness(server).call();
    expect(turn.error).toEqual({ kind: "bad_request", message: "HTTP 400: Unrecognized request argument supplied: stream_options" });
    expect(server.requests).toHaveLength(2);
  });
});
