// OpenAI's own wire format for one scripted answer: the stream of `chat.completion.chunk`s that
// api.openai.com sends, and the `chat.completion` body for a request without streaming. The
// standard pieces are typed with the SDK's types so that the baseline cannot drift from OpenAI;
// the wider `Wire*` types leave room for what deviating servers do to them.
import type OpenAI from "openai";

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface WireToolCallFragment {
  index?: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string | Record<string, unknown> };
}

export interface WireDelta {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string;
  reasoning?: string;
  tool_calls?: WireToolCallFragment[];
}

export interface WireChoice {
  index: number;
  delta?: WireDelta;
  finish_reason: string | null;
  logprobs?: unknown;
  content_filter_results?: Record<string, unknown>;
}

export interface WireChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  system_fingerprint?: string;
  choices: WireChoice[];
  usage?: WireUsage | null;
  x_groq?: { id: string; usage?: WireUsage };
  prompt_filter_results?: unknown[];
  provider?: string;
  error?: unknown;
}

/** One SSE event: a chunk written as `data: {json}`, or raw text written verbatim. */
export type Frame = { readonly chunk: WireChunk } | { readonly raw: string };

export interface Transcript {
  frames: Frame[];
  /** Ends with `data: [DONE]`. */
  done: boolean;
}

/** What one scripted answer says, with every default filled in. */
export interface Answer {
  readonly text: string;
  readonly thinking: string;
  readonly calls: ReadonlyArray<{ readonly id: string; readonly name: string; readonly arguments: string }>;
  readonly usage: WireUsage;
}

export interface ChunkMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly includeUsage: boolean;
}

// Small pieces, so that every test crosses many chunk boundaries (OpenAI sends a token or so).
const TEXT_PIECE = 4;
const ARGS_PIECE = 3;

/** Splits by code point, so a piece never ends inside a surrogate pair. */
export function pieces(text: string, size: number): string[] {
  const points = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(""));
  return out;
}

export function usageOf(prompt: number, completion: number): WireUsage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function finishReasonOf(answer: Answer): "stop" | "tool_calls" {
  return answer.calls.length > 0 ? "tool_calls" : "stop";
}

/** The stream OpenAI sends for this answer; reasoning is sent as `reasoning_content` (see deviations). */
export function standardTranscript(answer: Answer, meta: ChunkMeta): Transcript {
  const chunks: WireChunk[] = [];
  const chunk = (delta: OpenAI.ChatCompletionChunk.Choice.Delta, finish: OpenAI.ChatCompletionChunk.Choice["finish_reason"] = null): OpenAI.ChatCompletionChunk => ({
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    // With include_usage, OpenAI puts `usage: null` on every chunk but the last.
    ...(meta.includeUsage ? { usage: null } : {}),
  });
  const first = answer.calls[0];
  if (answer.text === "" && answer.thinking === "" && first !== undefined) {
    // OpenAI opens a tool-call-only answer with the role and the first call's head together.
    chunks.push(chunk({ role: "assistant", content: null, refusal: null, tool_calls: [callHead(0, first)] }));
  } else {
    chunks.push(chunk({ role: "assistant", content: "", refusal: null }));
  }
  for (const piece of pieces(answer.thinking, TEXT_PIECE)) {
    const c: WireChunk = chunk({});
    c.choices[0] = { index: 0, delta: { reasoning_content: piece }, logprobs: null, finish_reason: null };
    chunks.push(c);
  }
  for (const piece of pieces(answer.text, TEXT_PIECE)) chunks.push(chunk({ content: piece }));
  answer.calls.forEach((call, index) => {
    if (index > 0 || chunks.length > 1) chunks.push(chunk({ tool_calls: [callHead(index, call)] }));
    for (const piece of pieces(call.arguments, ARGS_PIECE)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, finishReasonOf(answer)));
  if (meta.includeUsage) {
    const last: OpenAI.ChatCompletionChunk = { ...chunk({}), choices: [], usage: answer.usage };
    chunks.push(last);
  }
  return { frames: chunks.map((c) => ({ chunk: c })), done: true };
}

function callHead(index: number, call: Answer["calls"][number]): OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall {
  return { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
}

/** The body OpenAI sends for the same answer when the request has `stream: false`. */
export function completionBody(answer: Answer, meta: Omit<ChunkMeta, "includeUsage">): OpenAI.ChatCompletion {
  const message: OpenAI.ChatCompletionMessage = {
    role: "assistant",
    content: answer.text === "" && answer.calls.length > 0 ? null : answer.text,
    refusal: null,
  };
  if (answer.calls.length > 0) {
    message.tool_calls = answer.calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(answer) }],
    usage: answer.usage,
  };
}

/** The text of one SSE event as it goes on the wire. */
export function frameText(frame: Frame): string {
  return "raw" in frame ? frame.raw : `data: ${JSON.stringify(frame.chunk)}\n\n`;
}

export const DONE_FRAME = "data: [DONE]\n\n";
