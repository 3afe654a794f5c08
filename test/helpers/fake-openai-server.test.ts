// The fake server's baseline must be OpenAI's exact format, or every model test proves less than
// it claims. These read its raw bytes with fetch, not through the SDK.
import { describe, expect, it } from "vitest";
import { errorReply, lastUserText, sequence, systemText, text, toolCalls, toolResults, type FakeServer } from "./fake-openai-server.js";
import { fakeServerPerTest } from "./model-harness.js";

const start = fakeServerPerTest();

const USER = { role: "user", content: "hi" };

async function post(server: FakeServer, body: Record<string, unknown>, path = "/chat/completions"): Promise<Response> {
  return fetch(server.baseUrl + path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
    body: JSON.stringify({ model: "m", messages: [USER], ...body }),
  });
}

/** The `data:` payloads of an SSE body, [DONE] included as the string "[DONE]". */
async function events(response: Response): Promise<unknown[]> {
  const raw = await response.text();
  expect(raw.endsWith("\n\n")).toBe(true);
  return raw
    .split("\n\n")
    .filter((event) => event !== "")
    .map((event) => {
      expect(event.startsWith("data: ")).toBe(true);
      const data = event.slice("data: ".length);
      return data === "[DONE]" ? data : (JSON.parse(data) as unknown);
    });
}

interface Chunk {
  object: string;
  id: string;
  model: string;
  created: number;
  choices: Array<{ index: number; delta: Record<string, unknown> & { tool_calls?: Array<Record<string, unknown>> }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

describe("fake OpenAI server: OpenAI's stream format", () => {
  it("streams text as chat.completion.chunk events, role first, finish_reason stop, then [DONE] and no usage chunk", async () => {
    const server = await start(() => text("Hello there, world"));
    const response = await post(server, { stream: true });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const all = await events(response);
    expect(all.at(-1)).toBe("[DONE]");
    const chunks = all.slice(0, -1) as Chunk[];
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: "chat.completion.chunk", id: "chatcmpl-fake0", model: "m" });
      expect(typeof chunk.created).toBe("number");
      expect(chunk.choices).toHaveLength(1);
      expect(chunk.usage).toBeUndefined();
    }
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hello there, world");
    expect(chunks.filter((c) => typeof c.choices[0]?.delta.content === "string" && c.choices[0].delta.content !== "").length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.choices[0]?.finish_reason)).toEqual([...Array<null>(chunks.length - 1).fill(null), "stop"]);
  });

  it("adds a final usage chunk with choices: [] only when stream_options.include_usage is true", async () => {
    const server = await start(() => text("ok", { usage: { prompt: 12, completion: 3 } }));
    const all = await events(await post(server, { stream: true, stream_options: { include_usage: true } }));
    const chunks = all.slice(0, -1) as Chunk[];
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it("sends each tool call's index, id, type and name once, then arguments in small fragments carrying only index and arguments", async () => {
    const server = await start(() =>
      toolCalls({ name: "read_file", arguments: { path: "src/index.ts" } }, { name: "list_dir", arguments: { path: "src" }, id: "call_mine" }),
    );
    const chunks = (await events(await post(server, { stream: true }))).slice(0, -1) as Chunk[];
    const fragments = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    const heads = fragments.filter((f) => "id" in f);
    expect(heads).toEqual([
      { index: 0, id: "call_0_0", type: "function", function: { name: "read_file", arguments: "" } },
      { index: 1, id: "call_mine", type: "function", function: { name: "list_dir", arguments: "" } },
    ]);
    const rest = fragments.filter((f) => !("id" in f));
    for (const f of rest) expect(Object.keys(f).sort()).toEqual(["function", "index"]);
    const argsOf = (index: number) => rest.filter((f) => f.index === index).map((f) => (f.function as { arguments: string }).arguments);
    expect(argsOf(0).length).toBeGreaterThan(3);
    expect(argsOf(0).join("")).toBe('{"path":"src/index.ts"}');
    expect(argsOf(1).join("")).toBe('{"path":"src"}');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("answers stream: false with one chat.completion JSON body", async () => {
    const server = await start(() => toolCalls({ name: "list_dir", arguments: "{}" }));
    const response = await post(server, { stream: false });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: null, tool_calls: [{ id: "call_0_0", type: "function", function: { name: "list_dir", arguments: "{}" } }] } }],
      usage: { prompt_tokens: 1 },
    });
  });
});

describe("fake OpenAI server: routing and recording", () => {
  it("serves /chat/completions under any prefix and answers other paths with 404", async () => {
    const server = await start(() => text("ok"));
    expect((await post(server, { stream: false }, "/deployments/gpt/chat/completions")).status).toBe(200);
    expect((await post(server, { stream: false }, "/completions")).status).toBe(404);
    expect(server.requests.map((r) => r.path)).toEqual(["/v1/deployments/gpt/chat/completions"]);
  });

  it("records each request's parsed body and headers, and the inspectors read messages from it", async () => {
    const server = await start(sequence(text("first"), errorReply(500, "boom")));
    const messages = [
      { role: "system", content: "be brief" },
      { role: "user", content: "old question" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "read_file", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c1", content: "file body" },
      { role: "user", content: [{ type: "text", text: "new " }, { type: "text", text: "question" }] },
    ];
    expect((await post(server, { messages, stream: false })).status).toBe(200);
    expect((await post(server, { messages, stream: false })).status).toBe(500);
    const [first] = server.requests;
    expect(first?.headers.authorization).toBe("Bearer sk-test");
    expect(first && lastUserText(first)).toBe("new question");
    expect(first && systemText(first)).toBe("be brief");
    expect(first && toolResults(first)).toEqual(["file body"]);
    expect(server.requests.map((r) => r.index)).toEqual([0, 1]);
  });

  it("refuses a body that is not a chat-completions request with a 400 that names the field", async () => {
    const server = await start(() => text("ok"));
    const response = await post(server, { messages: [{ role: "robot", content: "x" }] });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/messages/);
    expect(server.requests).toHaveLength(0);
  });

  it("answers with a 500 that quotes the message when the test's handler throws", async () => {
    const server = await start(() => {
      throw new Error("no reply scripted for this");
    });
    const response = await post(server, { stream: true });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("no reply scripted for this");
  });
});

describe("the benchmark knobs", () => {
  it("answers maxConcurrent requests at once and refuses one more with a 429", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await start(async (request) => {
      if (request.index === 0) await held;
      return text("fine");
    }, { maxConcurrent: 1 });
    const first = post(server, { stream: false });
    // The first request is in progress (its handler waits) once the server has recorded it.
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = await post(server, { stream: false });
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("rate_limit_exceeded");
    release();
    const answered = await first;
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe("fine");
    expect(server.stats()).toEqual({ rejected: 1, peakInFlight: 1 });
  });

  it("keeps a paced, delayed stream intact", async () => {
    const server = await start(() => text("abcdefgh", { chunkDelayMs: 1 }), { latencyMs: (request) => (request.index === 0 ? 1 : 0), tokensPerSecond: 1000 });
    const chunks = (await events(await post(server, { stream: true }))).filter((e): e is Chunk => e !== "[DONE]");
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("abcdefgh");
  });
});
