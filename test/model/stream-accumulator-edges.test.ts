// The stream accumulator at the edges mutation testing found unguarded: numbers a server should
// not send, names and arguments streamed in every way servers stream them, ids reused, bytes.
import { describe, expect, it } from "vitest";
import { createStreamAccumulator, parseUsage, stopReasonOf, type Accumulated } from "../../src/model/stream-accumulator.js";
import type { ModelDelta } from "../../src/model/types.js";

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta, finish_reason: finish }] });
const call = (fragment: Record<string, unknown>) => chunk({ tool_calls: [fragment] });

function fold(...chunks: unknown[]): Accumulated & { deltas: ModelDelta[] } {
  const acc = createStreamAccumulator();
  const deltas = chunks.flatMap((c) => acc.push(c));
  deltas.push(...acc.end());
  return { ...acc.result(), deltas };
}

describe("parseUsage with numbers a server should not send", () => {
  it("reads NaN, Infinity and text as missing, and a negative count as 0", () => {
    expect(parseUsage({ prompt_tokens: Number.NaN, completion_tokens: 5 })).toEqual({ inputTokens: 0, outputTokens: 5 });
    expect(parseUsage({ prompt_tokens: 5, completion_tokens: Number.POSITIVE_INFINITY })).toEqual({ inputTokens: 5, outputTokens: 0 });
    expect(parseUsage({ prompt_tokens: "5", completion_tokens: 2 })).toEqual({ inputTokens: 0, outputTokens: 2 });
    expect(parseUsage({ prompt_tokens: -3, completion_tokens: -1 })).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(parseUsage({ prompt_tokens: Number.NaN, completion_tokens: Number.NaN })).toBeUndefined();
  });

  it("rounds counts, and takes the usual names before the other ones", () => {
    expect(parseUsage({ prompt_tokens: 2.6, completion_tokens: 1.2 })).toEqual({ inputTokens: 3, outputTokens: 1 });
    expect(parseUsage({ prompt_tokens: 4, input_tokens: 9, completion_tokens: 1, output_tokens: 8 })).toEqual({ inputTokens: 4, outputTokens: 1 });
    expect(parseUsage({ completion_tokens: 3 })).toEqual({ inputTokens: 0, outputTokens: 3 });
    expect(parseUsage({ prompt_tokens: 3 })).toEqual({ inputTokens: 3, outputTokens: 0 });
  });

  it("keeps a cost of 0 and refuses a negative or NaN cost, which would feed the budget", () => {
    expect(parseUsage({ prompt_tokens: 1, completion_tokens: 1, cost: 0 })).toEqual({ inputTokens: 1, outputTokens: 1, costUsd: 0 });
    expect(parseUsage({ prompt_tokens: 1, completion_tokens: 1, cost: -0.5 })).toEqual({ inputTokens: 1, outputTokens: 1 });
    expect(parseUsage({ prompt_tokens: 1, completion_tokens: 1, cost: Number.NaN })).toEqual({ inputTokens: 1, outputTokens: 1 });
  });

  it("counts cached tokens only when there are some, rounded, from details before the DeepSeek name", () => {
    expect(parseUsage({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 0 } })).toEqual({ inputTokens: 9, outputTokens: 1 });
    expect(parseUsage({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 2.6 } })?.cachedInputTokens).toBe(3);
    expect(parseUsage({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 4 }, prompt_cache_hit_tokens: 7 })?.cachedInputTokens).toBe(4);
    expect(parseUsage({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: null, prompt_cache_hit_tokens: 7 })?.cachedInputTokens).toBe(7);
    expect(parseUsage({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: [{ cached_tokens: 5 }] })).toEqual({ inputTokens: 9, outputTokens: 1 });
  });

  it("reads no usage from an array or a string", () => {
    expect(parseUsage([1, 2])).toBeUndefined();
    expect(parseUsage("10")).toBeUndefined();
  });
});

describe("tool-call names streamed every way", () => {
  it("keeps a name streamed cumulatively ('read_', then 'read_file') as 'read_file'", () => {
    const r = fold(call({ index: 0, id: "x", function: { name: "read_", arguments: "" } }), call({ index: 0, function: { name: "read_file", arguments: "{}" } }));
    expect(r.toolCalls).toEqual([{ id: "x", name: "read_file", arguments: "{}" }]);
  });

  it("joins a second part that does not start with the first, and ignores an empty name fragment", () => {
    const r = fold(
      call({ index: 0, id: "x", function: { name: "list", arguments: "" } }),
      call({ index: 0, function: { name: "", arguments: "" } }),
      call({ index: 0, function: { name: "_dir", arguments: "{}" } }),
    );
    expect(r.toolCalls).toEqual([{ id: "x", name: "list_dir", arguments: "{}" }]);
  });
});

describe("tool-call arguments streamed every way", () => {
  it("continues arguments that are not complete JSON yet, even when a fragment alone is complete JSON", () => {
    const r = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a":' } }), call({ index: 0, function: { arguments: "1" } }), call({ index: 0, function: { arguments: "}" } }));
    expect(r.toolCalls[0]?.arguments).toBe('{"a":1}');
  });

  it("appends a fragment that is not JSON after complete arguments (the model sent more; the tool sees it all)", () => {
    const r = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a":1}' } }), call({ index: 0, function: { arguments: " " } }));
    expect(r.toolCalls[0]?.arguments).toBe('{"a":1} ');
  });

  it("replaces arguments with a longer fragment that starts with them, and not with a shorter one", () => {
    const longer = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"p":"ab' } }), call({ index: 0, function: { arguments: '{"p":"abc"}' } }));
    expect(longer.toolCalls[0]?.arguments).toBe('{"p":"abc"}');
    const same = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"p":' } }), call({ index: 0, function: { arguments: '{"p":' } }));
    expect(same.toolCalls[0]?.arguments).toBe('{"p":');
    const shorter = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"p":"ab' } }), call({ index: 0, function: { arguments: '{"p"' } }));
    expect(shorter.toolCalls[0]?.arguments).toBe('{"p":"ab{"p"');
  });

  it("gives whitespace-only arguments as '{}', and replaces string arguments by object ones", () => {
    expect(fold(call({ index: 0, id: "x", function: { name: "f", arguments: "  " } })).toolCalls[0]?.arguments).toBe("{}");
    const r = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a":' } }), call({ index: 0, function: { arguments: { b: 2 } } }));
    expect(r.toolCalls[0]?.arguments).toBe('{"b":2}');
  });

  it("ignores arguments that are neither text nor an object, and a call fragment that is not an object", () => {
    const r = fold(chunk({ tool_calls: [7, { index: 0, id: "x", function: { name: "f", arguments: 5 } }] }));
    expect(r.toolCalls).toEqual([{ id: "x", name: "f", arguments: "{}" }]);
  });

  it("counts the bytes of arguments once, also when a resend or a cumulative fragment replaces them", () => {
    const resent = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a":1}' } }), call({ index: 0, function: { arguments: '{"a":1}' } }));
    expect(resent.bytes).toBe(7);
    const cumulative = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a"' } }), call({ index: 0, function: { arguments: '{"a":"é"}' } }));
    expect(cumulative.bytes).toBe(10);
    const object = fold(call({ index: 0, id: "x", function: { name: "f", arguments: { a: 1 } } }));
    expect(object.bytes).toBe(7);
  });
});

describe("which fragment starts another call", () => {
  it("a resent finished call under its own id stays one call (a resend, not a new call)", () => {
    const r = fold(call({ id: "a", function: { name: "f", arguments: '{"n":1}' } }), call({ id: "a", function: { name: "f", arguments: '{"n":1}' } }));
    expect(r.toolCalls).toEqual([{ id: "a", name: "f", arguments: '{"n":1}' }]);
  });

  it("two same-named calls with different arguments under one id, without index, are two calls", () => {
    const r = fold(call({ id: "s", function: { name: "f", arguments: '{"n":1}' } }), call({ id: "s", function: { name: "f", arguments: '{"n":2}' } }));
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ["f", '{"n":1}'],
      ["f", '{"n":2}'],
    ]);
    expect(r.toolCalls[0]?.id).toBe("s");
    expect(r.toolCalls[1]?.id).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it("same-named calls under one id whose arguments come as objects are told apart too", () => {
    const r = fold(call({ id: "s", function: { name: "f", arguments: { n: 1 } } }), call({ id: "s", function: { name: "f", arguments: { n: 2 } } }));
    expect(r.toolCalls.map((c) => c.arguments)).toEqual(['{"n":1}', '{"n":2}']);
  });

  it("a same-named fragment under one id continues a call whose arguments are not complete yet", () => {
    const r = fold(call({ id: "s", function: { name: "f", arguments: '{"n":' } }), call({ id: "s", function: { name: "f", arguments: "1}" } }));
    expect(r.toolCalls).toEqual([{ id: "s", name: "f", arguments: '{"n":1}' }]);
  });

  it("a same-named fragment with incomplete arguments under one id continues the call, not a new one", () => {
    const r = fold(call({ id: "s", function: { name: "f", arguments: '{"n":1}' } }), call({ id: "s", function: { name: "f", arguments: '{"n":' } }));
    expect(r.toolCalls.map((c) => c.name)).toEqual(["f"]);
  });

  it("at one index, a differently named fragment continues the call (index decides, as OpenAI streams)", () => {
    const r = fold(call({ index: 0, id: "a", function: { name: "f", arguments: "{}" } }), call({ index: 0, function: { name: "g", arguments: "" } }));
    expect(r.toolCalls.map((c) => c.name)).toEqual(["fg"]);
  });

  it("a fragment whose id matches the call's continues it, and an id first seen later is taken", () => {
    const r = fold(call({ index: 0, function: { name: "f", arguments: '{"a":' } }), call({ index: 0, id: "late", function: { arguments: "1}" } }));
    expect(r.toolCalls).toEqual([{ id: "late", name: "f", arguments: '{"a":1}' }]);
  });

  it("a named fragment without index or id after an unnamed call starts a new call, and the unnamed one is dropped", () => {
    const r = fold(call({ id: "a", function: { arguments: "{}" } }), call({ function: { name: "g", arguments: '{"b":1}' } }));
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([["g", '{"b":1}']]);
    expect(r.toolCalls[0]?.id).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it("keeps reading at the call's newest slot after a takeover, by id as well as by index", () => {
    const r = fold(
      call({ id: "s", function: { name: "f", arguments: '{"n":1}' } }),
      call({ id: "s", function: { name: "g", arguments: '{"n":' } }),
      call({ id: "s", function: { arguments: "2}" } }),
    );
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ["f", '{"n":1}'],
      ["g", '{"n":2}'],
    ]);
  });
});

describe("unknown fields and choices", () => {
  it("merges unknown fields over fragments, later ones winning, and skips undefined values", () => {
    const r = fold(
      call({ index: 0, id: "x", type: "function", sig: "one", function: { name: "f", arguments: "", meta: 1 } }),
      call({ index: 0, sig: "two", other: undefined, function: { arguments: "{}", meta: 2, gone: undefined } }),
    );
    expect(r.toolCalls).toEqual([{ id: "x", name: "f", arguments: "{}", extra: { sig: "two" }, functionExtra: { meta: 2 } }]);
  });

  it("keeps no extra fields when a call has none", () => {
    const r = fold(call({ index: 0, id: "x", type: "function", function: { name: "f", arguments: "{}" } }));
    expect(Object.keys(r.toolCalls[0] ?? {})).toEqual(["id", "name", "arguments"]);
  });

  it("reads a choice without an index as the first, skips non-object choices, and takes usage from a choice", () => {
    const r = fold({ choices: [5, { delta: { content: "hi" }, finish_reason: "length", usage: { prompt_tokens: 1, completion_tokens: 2 } }] });
    expect([r.text, r.finishReason, r.usage]).toEqual(["hi", "length", { inputTokens: 1, outputTokens: 2 }]);
  });

  it("ignores an empty reasoning and an empty refusal, and reports each non-empty one", () => {
    const r = fold(chunk({ reasoning_content: "", reasoning: "", refusal: "" }), chunk({ reasoning: "why", refusal: "no" }));
    expect([r.thinking, r.refusal, r.bytes]).toEqual(["why", "no", 5]);
    expect(r.deltas).toEqual([{ type: "thinking", delta: "why" }]);
  });

  it("takes reasoning_content before reasoning when a chunk has both", () => {
    expect(fold(chunk({ reasoning_content: "a", reasoning: "b" })).thinking).toBe("a");
  });

  it("reads thinking parts given as reasoning or text, and part lists with non-text entries", () => {
    const r = fold(
      chunk({
        content: [
          { type: "reasoning", reasoning: "r1" },
          { type: "thinking", text: "r2" },
          { type: "thinking", thinking: [{ type: "text", text: "r3" }, 5, { type: "text", text: 6 }] },
          { type: "thinking", thinking: 42 },
          7,
          { type: "image", text: "no" },
          { type: "text", text: "answer" },
        ],
      }),
    );
    expect([r.thinking, r.text]).toEqual(["r1r2r3", "answer"]);
  });

  it("counts the bytes of content given as a number as nothing", () => {
    const r = fold(chunk({ content: 5 }), chunk({ content: "é" }));
    expect([r.text, r.bytes]).toEqual(["é", 2]);
  });
});

describe("stopReasonOf for every reason", () => {
  it.each([
    ["abort", true, "server_error"],
    ["error", false, "server_error"],
    ["insufficient_system_resource", false, "server_error"],
    ["stop", true, "tool_calls"],
    ["length", true, "tool_calls"],
    ["length", false, "length"],
    ["max_tokens", false, "length"],
    ["content_filter", false, "content_filter"],
    ["safety", false, "content_filter"],
    [null, false, "stop"],
    ["eos_token", false, "stop"],
  ] as const)("%s with tool calls %s is %s", (reason, tools, expected) => {
    expect(stopReasonOf(reason, tools)).toBe(expected);
  });
});

describe("fragments missing a part", () => {
  it("takes a tool-call fragment without a function object, and one without a name or arguments", () => {
    const r = fold(call({ index: 0, id: "x", type: "function" }), call({ index: 0, function: { name: "f", arguments: "{}" } }));
    expect(r.toolCalls).toEqual([{ id: "x", name: "f", arguments: "{}" }]);
    const noIndex = fold(call({ id: "y", function: { name: "g", arguments: '{"a":1}' } }), call({ id: "y" }));
    expect(noIndex.toolCalls).toEqual([{ id: "y", name: "g", arguments: '{"a":1}' }]);
  });

  it("skips null choices, null tool calls and null content parts", () => {
    const r = fold({ choices: [null, { index: 0, delta: { content: [null, { type: "text", text: "a" }], tool_calls: [null, { index: 0, id: "x", function: { name: "f", arguments: "{}" } }] } }] });
    expect([r.text, r.toolCalls]).toEqual(["a", [{ id: "x", name: "f", arguments: "{}" }]]);
  });

  it("reads a choice with neither delta nor message for its finish reason", () => {
    expect(fold(chunk({ content: "a" }), { choices: [{ index: 0, finish_reason: "stop" }] })).toMatchObject({ text: "a", finishReason: "stop" });
  });

  it("keeps the finish reason when a later chunk has none", () => {
    expect(fold(chunk({ content: "a" }, "length"), chunk({}), { choices: [{ index: 0, delta: {}, finish_reason: null }] }).finishReason).toBe("length");
  });

  it("keeps a call's id when a later fragment has an empty one, and continues the call it belongs to", () => {
    const r = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a":' } }), call({ index: 0, id: "", function: { arguments: "1}" } }));
    expect(r.toolCalls).toEqual([{ id: "x", name: "f", arguments: '{"a":1}' }]);
    const noIndex = fold(call({ id: "a", function: { name: "f", arguments: '{"x":' } }), call({ id: "", function: { arguments: "1}" } }));
    expect(noIndex.toolCalls).toEqual([{ id: "a", name: "f", arguments: '{"x":1}' }]);
  });

  it("adds no thinking delta for an empty thinking part", () => {
    const r = fold(chunk({ content: [{ type: "thinking", thinking: "" }, { type: "thinking", thinking: [] }, { type: "text", text: "a" }] }));
    expect(r.deltas).toEqual([{ type: "text", delta: "a" }]);
  });

  it("keeps no unknown field whose value is undefined", () => {
    const r = fold(call({ index: 0, id: "x", other: undefined, function: { name: "f", arguments: "{}", gone: undefined } }));
    expect(r.toolCalls[0]).toEqual({ id: "x", name: "f", arguments: "{}" });
    expect(Object.keys(r.toolCalls[0] ?? {})).toEqual(["id", "name", "arguments"]);
    const mixed = fold(call({ index: 0, id: "x", sig: "s", other: undefined, function: { name: "f", arguments: "{}" } }));
    expect(Object.keys(mixed.toolCalls[0]?.extra ?? {})).toEqual(["sig"]);
  });
});

describe("calls told apart without an index", () => {
  it("keeps interleaved fragments of two ids with their own calls", () => {
    const r = fold(
      call({ id: "a", function: { name: "f", arguments: '{"x":' } }),
      call({ id: "b", function: { name: "g", arguments: '{"y":' } }),
      call({ id: "a", function: { arguments: "1}" } }),
      call({ id: "b", function: { arguments: "2}" } }),
    );
    expect(r.toolCalls).toEqual([
      { id: "a", name: "f", arguments: '{"x":1}' },
      { id: "b", name: "g", arguments: '{"y":2}' },
    ]);
  });

  it("makes two calls of two identical named fragments without index or id", () => {
    const r = fold(call({ function: { name: "f", arguments: "{}" } }), call({ function: { name: "f", arguments: "{}" } }));
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ["f", "{}"],
      ["f", "{}"],
    ]);
  });

  it("continues a finished call under its id with a fragment that has no name", () => {
    const r = fold(call({ id: "s", function: { name: "f", arguments: '{"n":1}' } }), call({ id: "s", function: { arguments: " " } }));
    expect(r.toolCalls).toEqual([{ id: "s", name: "f", arguments: '{"n":1} ' }]);
  });

  it("names a call whose arguments came first when its name follows under the same id", () => {
    const r = fold(call({ id: "s", function: { arguments: '{"n":1}' } }), call({ id: "s", function: { name: "f", arguments: "" } }));
    expect(r.toolCalls).toEqual([{ id: "s", name: "f", arguments: '{"n":1}' }]);
  });

  it("replaces complete arguments by a different complete JSON text (a server resending the call corrected)", () => {
    const r = fold(call({ index: 0, id: "x", function: { name: "f", arguments: '{"a":1}' } }), call({ index: 0, function: { arguments: '{"b":2}' } }));
    expect([r.toolCalls[0]?.arguments, r.bytes]).toEqual(['{"b":2}', 7]);
  });
});

describe("bytes()", () => {
  it("gives the answer's size so far, the same as the result's", () => {
    const acc = createStreamAccumulator();
    expect(acc.bytes()).toBe(0);
    acc.push(chunk({ content: "héllo", reasoning: "ab" }));
    expect(acc.bytes()).toBe(8);
    expect(acc.result().bytes).toBe(8);
  });
});
