// Pure chunk folding, no server: each case is a handful of chunks as some server sends them.
import { describe, expect, it, vi } from "vitest";
import { createStreamAccumulator, parseUsage, stopReasonOf, type Accumulated } from "../../src/model/stream-accumulator.js";
import type { ModelDelta } from "../../src/model/types.js";

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  id: "c",
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});
const call = (fragment: Record<string, unknown>) => chunk({ tool_calls: [fragment] });

function fold(...chunks: unknown[]): Accumulated & { deltas: ModelDelta[] } {
  const acc = createStreamAccumulator();
  const deltas = chunks.flatMap((c) => acc.push(c));
  deltas.push(...acc.end());
  return { ...acc.result(), deltas };
}

describe("text and reasoning", () => {
  it("concatenates content deltas and returns one text delta per non-empty piece", () => {
    const r = fold(chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" }), chunk({ content: "lo" }), chunk({}, "stop"));
    expect(r.text).toBe("Hello");
    expect(r.deltas).toEqual([{ type: "text", delta: "Hel" }, { type: "text", delta: "lo" }]);
    expect(r.finishReason).toBe("stop");
    expect(r.chunks).toBe(4);
  });

  it("collects reasoning_content (DeepSeek) and reasoning (OpenRouter) as thinking, apart from the text", () => {
    const r = fold(chunk({ reasoning_content: "think " }), chunk({ reasoning: "more" }), chunk({ content: "answer" }));
    expect(r).toMatchObject({ thinking: "think more", text: "answer" });
    expect(r.deltas.map((d) => d.type)).toEqual(["thinking", "thinking", "text"]);
  });

  it("ignores choices other than index 0, non-object chunks, and null content (but counts every chunk)", () => {
    const other = { choices: [{ index: 1, delta: { content: "other" }, finish_reason: null }] };
    const r = fold(other, "garbage", null, chunk({ content: null }), chunk({ content: "mine" }));
    expect(r.text).toBe("mine");
    expect(r.chunks).toBe(5);
  });

  it("reads a whole `message` in place of a `delta` (proxies, and non-streamed completions)", () => {
    const r = fold({ choices: [{ index: 0, message: { role: "assistant", content: "whole" }, finish_reason: "stop" }] });
    expect(r).toMatchObject({ text: "whole", finishReason: "stop" });
  });

  it("does not let an empty finish_reason ('' from Ollama) overwrite a real one", () => {
    expect(fold(chunk({}, "length"), chunk({}, "")).finishReason).toBe("length");
  });
});

describe("tool calls", () => {
  it("joins argument fragments by index, OpenAI style", () => {
    const r = fold(
      call({ index: 0, id: "call_a", type: "function", function: { name: "read_file", arguments: "" } }),
      call({ index: 1, id: "call_b", type: "function", function: { name: "list_dir", arguments: "" } }),
      call({ index: 0, function: { arguments: '{"pa' } }),
      call({ index: 1, function: { arguments: "{}" } }),
      call({ index: 0, function: { arguments: 'th":"a"}' } }),
    );
    expect(r.toolCalls).toEqual([
      { id: "call_a", name: "read_file", arguments: '{"path":"a"}' },
      { id: "call_b", name: "list_dir", arguments: "{}" },
    ]);
  });

  it("does not double a name repeated on every fragment (vLLM, LM Studio)", () => {
    const r = fold(
      call({ index: 0, id: "x", function: { name: "read_file", arguments: '{"a":' } }),
      call({ index: 0, id: "x", function: { name: "read_file", arguments: "1}" } }),
    );
    expect(r.toolCalls).toEqual([{ id: "x", name: "read_file", arguments: '{"a":1}' }]);
  });

  it("joins a name split across fragments", () => {
    const r = fold(call({ index: 0, id: "x", function: { name: "read_", arguments: "" } }), call({ index: 0, function: { name: "file", arguments: "{}" } }));
    expect(r.toolCalls[0]?.name).toBe("read_file");
  });

  it("treats a complete JSON text after a complete JSON text as a resend, not a continuation", () => {
    const r = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a":1}' } }), call({ index: 0, function: { arguments: '{"a":1}' } }));
    expect(r.toolCalls[0]?.arguments).toBe('{"a":1}');
  });

  it("treats fragments that repeat the text so far as replacements (llama.cpp cumulative arguments)", () => {
    const r = fold(
      call({ index: 0, id: "x", function: { name: "f", arguments: '{"pa' } }),
      call({ index: 0, function: { arguments: '{"path":' } }),
      call({ index: 0, function: { arguments: '{"path":"a"}' } }),
    );
    expect(r.toolCalls[0]?.arguments).toBe('{"path":"a"}');
  });

  it("serializes arguments sent as an object (llama.cpp, TGI)", () => {
    expect(fold(call({ index: 0, id: "x", function: { name: "f", arguments: { path: "a" } } })).toolCalls[0]?.arguments).toBe('{"path":"a"}');
  });

  it("gives empty arguments as '{}' (vLLM for tools without parameters)", () => {
    expect(fold(call({ index: 0, id: "x", function: { name: "f", arguments: "" } })).toolCalls[0]?.arguments).toBe("{}");
  });

  it("without index (Gemini): a fragment with the same id or with neither id nor name continues the call before it", () => {
    const r = fold(
      call({ id: "a", function: { name: "f", arguments: '{"x":' } }),
      call({ function: { arguments: "1}" } }),
      call({ id: "b", function: { name: "g", arguments: "" } }),
      call({ id: "b", function: { arguments: "{}" } }),
    );
    expect(r.toolCalls).toEqual([
      { id: "a", name: "f", arguments: '{"x":1}' },
      { id: "b", name: "g", arguments: "{}" },
    ]);
  });

  it("without index or id: each named fragment starts a new call", () => {
    const r = fold(call({ function: { name: "f", arguments: "{}" } }), call({ function: { name: "g", arguments: "{}" } }));
    expect(r.toolCalls.map((c) => c.name)).toEqual(["f", "g"]);
  });

  it("a new id at an index already used starts a new call, and later fragments at that index go to it (Ollama)", () => {
    const r = fold(
      call({ index: 0, id: "a", function: { name: "f", arguments: "" } }),
      call({ index: 0, function: { arguments: '{"n":1}' } }),
      call({ index: 0, id: "b", function: { name: "g", arguments: "" } }),
      call({ index: 0, function: { arguments: '{"n":2}' } }),
    );
    expect(r.toolCalls).toEqual([
      { id: "a", name: "f", arguments: '{"n":1}' },
      { id: "b", name: "g", arguments: '{"n":2}' },
    ]);
  });

  it("without index, one id shared by whole parallel calls (Gemini adapters): each differing call is kept", () => {
    const r = fold(
      call({ id: "same", function: { name: "f", arguments: '{"n":1}' } }),
      call({ id: "same", function: { name: "g", arguments: '{"n":2}' } }),
      call({ id: "same", function: { name: "f", arguments: '{"n":3}' } }),
    );
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ["f", '{"n":1}'],
      ["g", '{"n":2}'],
      ["f", '{"n":3}'],
    ]);
    expect(new Set(r.toolCalls.map((c) => c.id)).size).toBe(3);
  });

  it("replaces missing, empty and repeated ids with unique 9-character alphanumeric ids", () => {
    const r = fold(
      call({ index: 0, function: { name: "f", arguments: "{}" } }),
      call({ index: 1, id: "", function: { name: "g", arguments: "{}" } }),
      call({ index: 2, id: "dup", function: { name: "h", arguments: "{}" } }),
      call({ index: 3, id: "dup", function: { name: "k", arguments: "{}" } }),
    );
    const ids = r.toolCalls.map((c) => c.id);
    expect(ids[2]).toBe("dup");
    for (const id of [ids[0], ids[1], ids[3]]) expect(id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(new Set(ids).size).toBe(4);
  });

  it("drops a call that never got a name", () => {
    expect(fold(call({ index: 0, id: "x", function: { arguments: "{}" } })).toolCalls).toEqual([]);
  });
});

describe("usage", () => {
  it("reads usage from a choices-less chunk (OpenAI include_usage) and reports a usage delta", () => {
    const r = fold({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } });
    expect(r.usage).toEqual({ inputTokens: 10, outputTokens: 2 });
    expect(r.deltas).toEqual([{ type: "usage", usage: { inputTokens: 10, outputTokens: 2 } }]);
  });

  it("reads usage under x_groq.usage (Groq) and inside a choice", () => {
    expect(fold(chunk({}, "stop", { x_groq: { id: "r", usage: { prompt_tokens: 3, completion_tokens: 4 } } })).usage).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(fold({ choices: [{ index: 0, delta: {}, finish_reason: "stop", usage: { prompt_tokens: 5, completion_tokens: 6 } }] }).usage).toEqual({ inputTokens: 5, outputTokens: 6 });
  });

  it("keeps the last usage seen when every chunk carries a running one (vLLM continuous_usage_stats)", () => {
    const r = fold(chunk({ content: "a" }, null, { usage: { prompt_tokens: 9, completion_tokens: 1 } }), chunk({ content: "b" }, "stop", { usage: { prompt_tokens: 9, completion_tokens: 2 } }));
    expect(r.usage).toEqual({ inputTokens: 9, outputTokens: 2 });
  });

  it("parseUsage reads cached tokens (OpenAI details, DeepSeek cache hits), a router's cost, and input/output names", () => {
    expect(parseUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 40 }, cost: 0.002 })).toEqual({
      inputTokens: 100,
      outputTokens: 5,
      cachedInputTokens: 40,
      costUsd: 0.002,
    });
    expect(parseUsage({ prompt_tokens: 10, completion_tokens: 1, prompt_cache_hit_tokens: 8 })?.cachedInputTokens).toBe(8);
    expect(parseUsage({ input_tokens: 7, output_tokens: 3 })).toEqual({ inputTokens: 7, outputTokens: 3 });
    expect(parseUsage({ total_tokens: 5 })).toBeUndefined();
    expect(parseUsage(null)).toBeUndefined();
  });
});

describe("stopReasonOf", () => {
  it.each([
    ["stop", false, "stop"],
    ["eos", false, "stop"],
    [null, false, "stop"],
    ["length", false, "length"],
    ["max_tokens", false, "length"],
    ["content_filter", false, "content_filter"],
    ["tool_calls", true, "tool_calls"],
    ["stop", true, "tool_calls"],
    [null, true, "tool_calls"],
    ["abort", false, "server_error"],
    ["error", true, "server_error"],
  ] as const)("finish_reason %s with tool calls %s is %s", (reason, hasCalls, expected) => {
    expect(stopReasonOf(reason, hasCalls)).toBe(expected);
  });
});

describe("content as a list of parts (Mistral)", () => {
  const thinkingPart = (t: string) => ({ type: "thinking", thinking: [{ type: "text", text: t }] });
  it("text parts are answer and thinking parts are thinking, in order (mistral-small answers 391, not 91)", () => {
    const r = fold(
      chunk({ content: [thinkingPart("17 * 23 = 39"), thinkingPart("1.")] }),
      chunk({ content: [{ type: "text", text: "39" }] }),
      chunk({ content: [{ type: "text", text: "1" }] }),
      chunk({ content: "" }, "stop"),
    );
    expect(r.text).toBe("391");
    expect(r.thinking).toBe("17 * 23 = 391.");
    expect(r.deltas).toEqual([
      { type: "thinking", delta: "17 * 23 = 39" },
      { type: "thinking", delta: "1." },
      { type: "text", delta: "39" },
      { type: "text", delta: "1" },
    ]);
  });

  it("a string content after part lists (Magistral) is answer text, and an empty thinking list adds nothing", () => {
    const r = fold(chunk({ content: [thinkingPart("ok")] }), chunk({ content: [{ type: "thinking", thinking: [] }] }), chunk({ content: "Look both ways." }));
    expect(r).toMatchObject({ text: "Look both ways.", thinking: "ok" });
  });
});

describe("refusal", () => {
  it("collects delta.refusal apart from the text", () => {
    const r = fold(chunk({ refusal: "I'm sorry, " }), chunk({ refusal: "I can't." }), chunk({ content: null, refusal: null }, "stop"));
    expect(r).toMatchObject({ text: "", refusal: "I'm sorry, I can't." });
  });
});

describe("<think> tags inside content", () => {
  it("is thinking from the first byte, even with the tag split across deltas: no text delta carries any of it", () => {
    const r = fold(chunk({ content: "<thi" }), chunk({ content: "nk>\nreason" }), chunk({ content: " here</th" }), chunk({ content: "ink>\n\nThe" }), chunk({ content: " answer." }));
    expect(r.text).toBe("The answer.");
    expect(r.thinking).toBe("\nreason here");
    expect(r.deltas.filter((d) => d.type === "text").map((d) => (d.type === "text" ? d.delta : ""))).toEqual(["The", " answer."]);
  });

  it("treats an unclosed <think> as thinking to the end (a stream cut inside it)", () => {
    expect(fold(chunk({ content: "<think>still thinking" }))).toMatchObject({ text: "", thinking: "still thinking" });
  });

  it("releases a held-back '<' that starts no tag, and leaves other text untouched", () => {
    const r = fold(chunk({ content: "a <" }), chunk({ content: "b and <" }));
    expect(r.text).toBe("a <b and <");
    expect(r.thinking).toBe("");
  });

  it("splits gpt-oss harmony channels (llama.cpp without its parser): analysis is thinking, final is the answer", () => {
    const r = fold(chunk({ content: "<|channel|>analysis<|message|>User says test." }), chunk({ content: "<|start|>assistant<|channel|>final<|message|>Got it!" }));
    expect(r).toMatchObject({ text: "Got it!", thinking: "User says test." });
  });
});

describe("unknown fields of tool calls", () => {
  it("keeps fields we do not read (Gemini's thought signature) on the call and inside its function", () => {
    const signature = { google: { thought_signature: "c2lnbmF0dXJl" } };
    const r = fold(
      call({ index: 0, id: "c1", type: "function", function: { name: "read_file", arguments: "", strict: true }, extra_content: signature }),
      call({ index: 0, function: { arguments: '{"path":"a"}' } }),
    );
    expect(r.toolCalls).toEqual([{ id: "c1", name: "read_file", arguments: '{"path":"a"}', extra: { extra_content: signature }, functionExtra: { strict: true } }]);
  });
});

describe("answer size", () => {
  it("counts UTF-8 bytes of text, reasoning, refusal and tool arguments, not of framing", () => {
    const r = fold(chunk({ content: "é" }), chunk({ reasoning_content: "ab" }), call({ index: 0, id: "c", function: { name: "f", arguments: "{}" } }), chunk({ refusal: "no" }), chunk({ content: "" }));
    expect(r.bytes).toBe(2 + 2 + 2 + 2);
  });
});

describe("long tool arguments", () => {
  // A 940 KB argument in small deltas took 83 s when every fragment re-parsed the whole text
  // (JSON.parse per fragment: quadratic). Counting parses checks that without a clock.
  it("accumulates a 100 KB argument sent in 4-character deltas exactly, without re-parsing the text per fragment", () => {
    const code = "x".repeat(100 * 1024 - 12);
    const args = JSON.stringify({ code });
    const acc = createStreamAccumulator();
    acc.push(call({ index: 0, id: "c", function: { name: "write_file", arguments: "" } }));
    const parse = vi.spyOn(JSON, "parse");
    try {
      for (let i = 0; i < args.length; i += 4) acc.push(call({ index: 0, function: { arguments: args.slice(i, i + 4) } }));
      expect(parse.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      parse.mockRestore();
    }
    expect(acc.result().toolCalls[0]?.arguments).toBe(args);
  });
});
