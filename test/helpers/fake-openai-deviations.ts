// Named ways in which real "OpenAI-compatible" servers bend OpenAI's format. A test says
// `deviation: "tool-calls-without-index"` and the fake server reshapes its standard answer the way
// that server does; several names compose. Each entry cites the server, and the issue where one
// is known (GitHub issue and pull-request numbers redirect to each other, so /issues/N works).
import type { Answer, ChunkMeta, Transcript, WireChunk, WireToolCallFragment, WireUsage } from "./fake-openai-chunks.js";
import type { ChatRequestBody } from "./fake-openai-request.js";

/** An answer that replaces the scripted one: a refusal, or a body in the wrong shape. */
export interface Substitute {
  readonly status: number;
  readonly body: unknown;
}

interface Behaviour {
  /** Answers in place of the scripted reply when the request carries what this server refuses. */
  readonly intercept?: (body: ChatRequestBody, json: () => unknown) => Substitute | undefined;
  /** Reshapes the standard stream in place. */
  readonly reshape?: (transcript: Transcript, answer: Answer, meta: ChunkMeta) => void;
}

const chunksOf = (t: Transcript): WireChunk[] => t.frames.flatMap((f) => ("chunk" in f ? [f.chunk] : []));
const fragmentsOf = (t: Transcript): WireToolCallFragment[] =>
  chunksOf(t).flatMap((c) => c.choices.flatMap((choice) => choice.delta?.tool_calls ?? []));
const finishIndex = (t: Transcript): number =>
  t.frames.findIndex((f) => "chunk" in f && f.chunk.choices.some((c) => c.finish_reason !== null));
const isToolCallsOnly = (c: WireChunk): boolean =>
  c.choices.length === 1 && c.choices[0]?.delta?.tool_calls !== undefined && c.choices[0].delta.role === undefined;
const template = (meta: ChunkMeta, delta: WireChunk["choices"][number]["delta"]): WireChunk => ({
  id: meta.id,
  object: "chat.completion.chunk",
  created: meta.created,
  model: meta.model,
  choices: [{ index: 0, delta, finish_reason: null }],
});

/** Every call in one fragment with its whole arguments, one chunk per call, before the finish chunk. */
function wholeCalls(t: Transcript, answer: Answer, meta: ChunkMeta): void {
  if (answer.calls.length === 0) return;
  t.frames = t.frames.filter((f) => !("chunk" in f) || !isToolCallsOnly(f.chunk));
  for (const c of chunksOf(t)) for (const choice of c.choices) if (choice.delta !== undefined) delete choice.delta.tool_calls;
  const whole = answer.calls.map((call, index) => ({
    chunk: template(meta, {
      tool_calls: [{ index, id: call.id, type: "function" as const, function: { name: call.name, arguments: call.arguments } }],
    }),
  }));
  t.frames.splice(finishIndex(t), 0, ...whole);
}

function setFinish(t: Transcript, from: string | null, to: string | null): void {
  for (const c of chunksOf(t)) for (const choice of c.choices) if (choice.finish_reason === from) choice.finish_reason = to;
}

/** Removes usage from the stream: the separate `choices: []` chunk and the `usage: null` fields. */
function takeUsageChunk(t: Transcript): void {
  t.frames = t.frames.filter((f) => !("chunk" in f) || f.chunk.choices.length > 0 || f.chunk.usage == null);
  for (const c of chunksOf(t)) delete c.usage;
}

function lastChoiceChunk(t: Transcript): WireChunk | undefined {
  return chunksOf(t).filter((c) => c.choices.length > 0).pop();
}

function refusal(status: number, message: string, extra: Record<string, unknown> = {}): Substitute {
  return { status, body: { error: { message, type: "invalid_request_error", param: null, code: null, ...extra } } };
}

const BEHAVIOURS = {
  // Ollama, Mistral, LM Studio: each call arrives whole in one chunk.
  "whole-tool-call-per-chunk": { reshape: wholeCalls },
  // llama.cpp (https://github.com/ggml-org/llama.cpp/issues/20198), TGI
  // (https://github.com/huggingface/text-generation-inference/issues/2136), older Ollama builds:
  // `arguments` is a JSON object, not a string, and so always whole.
  "arguments-as-object": {
    reshape(t, answer, meta) {
      if (fragmentsOf(t).some((f) => f.function?.name === undefined)) wholeCalls(t, answer, meta);
      for (const f of fragmentsOf(t)) {
        const args = f.function?.arguments;
        if (f.function !== undefined && typeof args === "string") f.function.arguments = JSON.parse(args === "" ? "{}" : args) as Record<string, unknown>;
      }
    },
  },
  // llama.cpp and forks (https://github.com/openclaw/openclaw/issues/89070): every argument
  // fragment repeats the text so far instead of adding to it.
  "cumulative-arguments": {
    reshape(t) {
      const sofar = new Map<number, string>();
      for (const f of fragmentsOf(t)) {
        const args = f.function?.arguments;
        if (f.function === undefined || typeof args !== "string" || args === "") continue;
        const text = (sofar.get(f.index ?? 0) ?? "") + args;
        sofar.set(f.index ?? 0, text);
        f.function.arguments = text;
      }
    },
  },
  // vLLM, LM Studio, llama.cpp (https://github.com/ggml-org/llama.cpp/pull/12379, where appending
  // the repeated name gave "add_two_numbersadd_two_numbers"): id, type and name on every fragment.
  "name-and-id-on-every-fragment": {
    reshape(t, answer) {
      for (const f of fragmentsOf(t)) {
        const call = answer.calls[f.index ?? 0];
        if (call === undefined) continue;
        f.id = call.id;
        f.type = "function";
        f.function = { name: call.name, ...(f.function?.arguments !== undefined ? { arguments: f.function.arguments } : {}) };
      }
    },
  },
  // Some proxies number tool calls from 1.
  "tool-call-index-from-one": {
    reshape(t) {
      for (const f of fragmentsOf(t)) if (f.index !== undefined) f.index += 1;
    },
  },
  // Ollama (https://github.com/ollama/ollama/issues/15457): parallel calls, with different ids,
  // all at index 0.
  "same-index-for-parallel-calls": {
    reshape(t) {
      for (const f of fragmentsOf(t)) if (f.index !== undefined) f.index = 0;
    },
  },
  // Gemini's OpenAI endpoint, Ollama before 0.4.7, SGLang: no `index` on tool-call fragments.
  "tool-calls-without-index": {
    reshape(t) {
      for (const f of fragmentsOf(t)) delete f.index;
    },
  },
  // Some llama.cpp builds and Gemini proxies: no `id` at all.
  "missing-tool-call-ids": {
    reshape(t) {
      for (const f of fragmentsOf(t)) delete f.id;
    },
  },
  // Gemini proxies (https://github.com/AstrBotDevs/AstrBot/issues/6661): `id: ""`.
  "empty-tool-call-ids": {
    reshape(t) {
      for (const f of fragmentsOf(t)) if (f.id !== undefined) f.id = "";
    },
  },
  // Gemini adapters (https://github.com/TanStack/ai/pull/199): one id shared by parallel calls.
  "same-id-for-parallel-calls": {
    reshape(t) {
      for (const f of fragmentsOf(t)) if (f.id !== undefined) f.id = "call_shared";
    },
  },
  // Ollama (https://github.com/ollama/ollama/pull/7963), Gemini
  // (https://github.com/googleapis/python-genai/issues/2868), SGLang: "stop" although it called tools.
  "finish-reason-stop-with-tool-calls": {
    reshape(t) {
      setFinish(t, "tool_calls", "stop");
    },
  },
  // Ollama (https://github.com/ollama/ollama/issues/4357): `finish_reason: ""` instead of null.
  "empty-finish-reason-on-every-chunk": {
    reshape(t) {
      setFinish(t, null, "");
    },
  },
  // Together: "eos" for a finished answer.
  "finish-reason-eos": {
    reshape(t) {
      setFinish(t, "stop", "eos");
    },
  },
  // vLLM (https://github.com/vllm-project/vllm/issues/57082): a request aborted inside the engine
  // ends with HTTP 200, `finish_reason: "abort"` and [DONE], after a partial answer.
  "finish-reason-abort": {
    reshape(t) {
      const end = finishIndex(t);
      const cut = Math.max(1, Math.floor(end / 2));
      const finish = t.frames[end];
      if (finish === undefined || !("chunk" in finish)) return;
      for (const choice of finish.chunk.choices) choice.finish_reason = "abort";
      t.frames.splice(cut, end - cut);
    },
  },
  // SGLang (https://github.com/sgl-project/sglang/pull/8417): the finish chunk twice.
  "duplicate-finish-chunk": {
    reshape(t) {
      const end = finishIndex(t);
      const finish = t.frames[end];
      if (finish !== undefined) t.frames.splice(end, 0, structuredClone(finish));
    },
  },
  // LM Studio on context overflow: no finish_reason at all.
  "no-finish-reason": {
    reshape(t) {
      for (const c of chunksOf(t)) for (const choice of c.choices) choice.finish_reason = null;
    },
  },
  // DeepSeek, vLLM, OpenRouter: usage on the last chunk that has choices, whether or not
  // `stream_options.include_usage` was sent.
  "usage-on-last-content-chunk": {
    reshape(t, answer) {
      takeUsageChunk(t);
      const last = lastChoiceChunk(t);
      if (last !== undefined) last.usage = answer.usage;
    },
  },
  // Groq: usage under `x_groq.usage` on the last chunk, always.
  "usage-under-x-groq": {
    reshape(t, answer, meta) {
      takeUsageChunk(t);
      const last = lastChoiceChunk(t);
      if (last !== undefined) last.x_groq = { id: `req_${meta.id}`, usage: answer.usage };
    },
  },
  // vLLM and SGLang with `continuous_usage_stats`: a running usage on every chunk.
  "usage-on-every-chunk": {
    reshape(t, answer) {
      takeUsageChunk(t);
      const chunks = chunksOf(t);
      chunks.forEach((c, i) => {
        const completion = Math.round((answer.usage.completion_tokens * (i + 1)) / chunks.length);
        c.usage = runningUsage(answer.usage, completion);
      });
    },
  },
  // Ollama before 0.5.2: no usage, whatever was asked.
  "no-usage": { reshape: takeUsageChunk },
  // DeepSeek, vLLM, SGLang, llama.cpp: reasoning as `reasoning_content` deltas before the content.
  // (The standard stream already sends it that way; without a reasoning deviation it is removed,
  // because OpenAI never streams reasoning.)
  "reasoning-content-deltas": {},
  // Ollama, OpenRouter: reasoning as `reasoning` deltas.
  "reasoning-deltas": {
    reshape(t) {
      for (const c of chunksOf(t)) {
        const delta = c.choices[0]?.delta;
        if (delta?.reasoning_content === undefined) continue;
        delta.reasoning = delta.reasoning_content;
        delete delta.reasoning_content;
      }
    },
  },
  // llama.cpp (https://github.com/ggml-org/llama.cpp/issues/13867), Ollama with qwen3: reasoning
  // inside the content as `<think>…</think>`, the tags in chunks of their own.
  "think-tags-in-content": {
    reshape(t, _answer, meta) {
      const at = t.frames.findIndex((f) => "chunk" in f && f.chunk.choices[0]?.delta?.reasoning_content !== undefined);
      if (at < 0) return;
      let last = at;
      for (const [i, f] of t.frames.entries()) {
        const delta = "chunk" in f ? f.chunk.choices[0]?.delta : undefined;
        if (delta?.reasoning_content === undefined) continue;
        delta.content = delta.reasoning_content;
        delete delta.reasoning_content;
        last = i;
      }
      t.frames.splice(last + 1, 0, { chunk: template(meta, { content: "</think>" }) }, { chunk: template(meta, { content: "\n\n" }) });
      t.frames.splice(at, 0, { chunk: template(meta, { content: "<think>" }) });
    },
  },
  // Azure OpenAI: a first chunk with no choices and `prompt_filter_results`, filter results on
  // every choice, and a last choice without `delta`.
  "azure-content-filter-chunks": {
    reshape(t) {
      const safe = { hate: { filtered: false, severity: "safe" }, violence: { filtered: false, severity: "safe" } };
      for (const c of chunksOf(t)) for (const choice of c.choices) choice.content_filter_results = safe;
      t.frames.unshift({
        chunk: { id: "", object: "", created: 0, model: "", choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: safe }] },
      });
      const finish = t.frames[finishIndex(t)];
      if (finish !== undefined && "chunk" in finish) {
        const choice = finish.chunk.choices[0];
        if (choice !== undefined) delete choice.delta;
      }
    },
  },
  // OpenRouter (`: OPENROUTER PROCESSING`) and DeepSeek (`: keep-alive`): SSE comment lines.
  "sse-comment-lines": {
    reshape(t) {
      t.frames.unshift({ raw: ": OPENROUTER PROCESSING\n\n" }, { raw: ": keep-alive\n\n" });
      t.frames.splice(Math.ceil(t.frames.length / 2), 0, { raw: ": OPENROUTER PROCESSING\n\n" });
    },
  },
  // vLLM and SGLang (https://github.com/block/goose/pull/8027), llama.cpp
  // (https://github.com/ggml-org/llama.cpp/issues/14566): after HTTP 200, an error event halfway
  // through, then the connection ends without [DONE].
  "error-mid-stream": {
    reshape(t) {
      const cut = Math.max(1, Math.floor(finishIndex(t) / 2));
      const error = { object: "error", message: "EngineCore encountered an issue.", type: "InternalServerError", param: null, code: 500 };
      t.frames.splice(cut, t.frames.length - cut, { raw: `data: ${JSON.stringify({ error })}\n\n` });
      t.done = false;
    },
  },
  // OpenRouter (https://openrouter.ai/docs/api-reference/errors): a chunk with a top-level
  // `error` and `finish_reason: "error"` halfway through.
  "error-chunk-mid-stream": {
    reshape(t, _answer, meta) {
      const cut = Math.max(1, Math.floor(finishIndex(t) / 2));
      const chunk: WireChunk = {
        ...template(meta, { content: "" }),
        provider: "openai",
        error: { code: "server_error", message: "Provider disconnected unexpectedly" },
      };
      const choice = chunk.choices[0];
      if (choice !== undefined) choice.finish_reason = "error";
      t.frames.splice(cut, t.frames.length - cut, { chunk });
      t.done = false;
    },
  },
  // vLLM (https://github.com/vllm-project/vllm/pull/40986): an error before the first token
  // leaves a stream of nothing but `data: [DONE]`.
  "only-done-marker": {
    reshape(t) {
      t.frames = [];
      t.done = true;
    },
  },
  // ik_llama.cpp (https://github.com/ikawrakow/ik_llama.cpp/issues/467), MiniMax: no [DONE].
  "no-done-marker": {
    reshape(t) {
      t.done = false;
    },
  },
  // Azure OpenAI before api-version 2024-09-01-preview.
  "refuse-stream-options": {
    intercept: (body) =>
      body.stream_options !== undefined ? refusal(400, "Unrecognized request argument supplied: stream_options") : undefined,
  },
  // Mistral: 422 with pydantic's `extra_forbidden`, top-level (no `error` wrapper).
  "refuse-stream-options-422": {
    intercept: (body) =>
      body.stream_options === undefined
        ? undefined
        : {
            status: 422,
            body: {
              object: "error",
              message: { detail: [{ type: "extra_forbidden", loc: ["body", "stream_options", "include_usage"], msg: "Extra inputs are not permitted", input: true }] },
              type: "invalid_request_message_error",
              param: null,
              code: null,
            },
          },
  },
  // vLLM without tool parsing (https://github.com/vllm-project/vllm/issues/9986); its error body
  // is top-level, without OpenAI's `error` wrapper.
  "refuse-auto-tool-choice": {
    intercept: (body) =>
      body.tool_choice === "auto"
        ? {
            status: 400,
            body: {
              object: "error",
              message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
              type: "BadRequestError",
              param: null,
              code: 400,
            },
          }
        : undefined,
  },
  // Gemini's OpenAI endpoint: error bodies are JSON arrays.
  "refuse-parallel-tool-calls": {
    intercept: (body) =>
      body.parallel_tool_calls === undefined
        ? undefined
        : {
            status: 400,
            body: [
              {
                error: {
                  code: 400,
                  message: 'Invalid JSON payload received. Unknown name "parallel_tool_calls": Cannot find field.',
                  status: "INVALID_ARGUMENT",
                },
              },
            ],
          },
  },
  // DeepSeek: no `json_schema` response format.
  "refuse-json-schema-response-format": {
    intercept: (body) =>
      body.response_format === undefined ? undefined : refusal(400, "This response_format type is unavailable now"),
  },
  // LM Studio (https://github.com/lmstudio-ai/lmstudio-bug-tracker/issues/261): `content: null`
  // beside tool calls is refused.
  "refuse-null-content": {
    intercept: (body) =>
      body.messages.some((m) => m.content === null)
        ? refusal(400, "Invalid 'content': 'content' field must be a string or an array of objects.")
        : undefined,
  },
  // Some proxies: a stream request answered with one `chat.completion` JSON body.
  "json-body-for-stream-request": {
    intercept: (body, json) => (body.stream === true ? { status: 200, body: json() } : undefined),
  },
} as const satisfies Record<string, Behaviour>;

export type DeviationName = keyof typeof BEHAVIOURS;
export type Deviation = DeviationName | readonly DeviationName[];

export const DEVIATION_NAMES = Object.keys(BEHAVIOURS) as DeviationName[];

const REASONING: readonly DeviationName[] = ["reasoning-content-deltas", "reasoning-deltas", "think-tags-in-content"];

export function deviationNames(...deviations: Array<Deviation | undefined>): Set<DeviationName> {
  const names = new Set<DeviationName>();
  for (const d of deviations) {
    if (d === undefined) continue;
    for (const name of typeof d === "string" ? [d] : d) names.add(name);
  }
  return names;
}

/** The first refusal or substitute body that the active deviations produce for this request. */
export function interceptRequest(names: ReadonlySet<DeviationName>, body: ChatRequestBody, json: () => unknown): Substitute | undefined {
  for (const name of DEVIATION_NAMES) {
    const behaviour: Behaviour = BEHAVIOURS[name];
    if (!names.has(name) || behaviour.intercept === undefined) continue;
    const substitute = behaviour.intercept(body, json);
    if (substitute !== undefined) return substitute;
  }
  return undefined;
}

/** Applies the active deviations in the table's order, whatever order the test named them in. */
export function reshapeTranscript(names: ReadonlySet<DeviationName>, t: Transcript, answer: Answer, meta: ChunkMeta): Transcript {
  if (!REASONING.some((name) => names.has(name))) {
    t.frames = t.frames.filter((f) => !("chunk" in f) || f.chunk.choices[0]?.delta?.reasoning_content === undefined);
  }
  for (const name of DEVIATION_NAMES) {
    const behaviour: Behaviour = BEHAVIOURS[name];
    if (names.has(name)) behaviour.reshape?.(t, answer, meta);
  }
  return t;
}

function runningUsage(total: WireUsage, completion: number): WireUsage {
  return { prompt_tokens: total.prompt_tokens, completion_tokens: completion, total_tokens: total.prompt_tokens + completion };
}

