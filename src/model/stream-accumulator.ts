// Folds streamed chat-completion chunks into one assistant turn. Chunks are read as `unknown`
// because real servers bend the format; each tolerance below names the servers that need it.
import type { Usage } from "../events.js";
import { createContentSplitter, type SplitPiece } from "./content-splitter.js";
import { createJsonTracker, type JsonTracker } from "./json-tracker.js";
import type { ModelDelta, StopReason, ToolCall } from "./types.js";

interface PartialCall {
  id: string;
  name: string;
  args: string;
  /** Whether `args` is already one complete JSON value, kept up to date fragment by fragment. */
  readonly json: JsonTracker;
  /** Unknown fields of the call and of its `function`, merged over its fragments. */
  extra: Record<string, unknown> | undefined;
  functionExtra: Record<string, unknown> | undefined;
}

/** The tool-call fields we read; every other field is kept and sent back as the server sent it. */
const KNOWN_CALL_FIELDS = new Set(["index", "id", "type", "function"]);
const KNOWN_FUNCTION_FIELDS = new Set(["name", "arguments"]);

export interface Accumulated {
  readonly text: string;
  readonly thinking: string;
  readonly toolCalls: ToolCall[];
  /** OpenAI's `delta.refusal`: the model declined, in these words. */
  readonly refusal: string;
  readonly finishReason: string | null;
  readonly usage: Usage | undefined;
  readonly chunks: number;
  /** UTF-8 bytes of text, reasoning, refusal and tool-call arguments received: the answer's size. */
  readonly bytes: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function isCompleteJson(text: string): boolean {
  if (text.trim() === "") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads a usage object in OpenAI's shape, with the cost some routers add (OpenRouter `cost`). */
export function parseUsage(raw: unknown): Usage | undefined {
  if (!isRecord(raw)) return undefined;
  const input = num(raw.prompt_tokens) ?? num(raw.input_tokens);
  const output = num(raw.completion_tokens) ?? num(raw.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: Math.max(0, Math.round(input ?? 0)), outputTokens: Math.max(0, Math.round(output ?? 0)) };
  const details = isRecord(raw.prompt_tokens_details) ? raw.prompt_tokens_details : undefined;
  const cached = num(details?.cached_tokens) ?? num(raw.prompt_cache_hit_tokens);
  if (cached !== undefined && cached > 0) usage.cachedInputTokens = Math.round(cached);
  const cost = num(raw.cost);
  if (cost !== undefined && cost >= 0) usage.costUsd = cost;
  return usage;
}

export interface StreamAccumulator {
  /** Feeds one parsed chunk; returns the live deltas it carried. */
  push(chunk: unknown): ModelDelta[];
  /** Ends the stream: releases text held back while a `<think>` tag could still be starting. */
  end(): ModelDelta[];
  /** The answer's size so far (see Accumulated.bytes), without building the result. */
  bytes(): number;
  result(): Accumulated;
}

export function createStreamAccumulator(): StreamAccumulator {
  let text = "";
  let thinking = "";
  let refusal = "";
  let bytes = 0;
  const splitter = createContentSplitter();
  let finishReason: string | null = null;
  let usage: Usage | undefined;
  let chunks = 0;
  // Keyed by the delta's `index` when the server sends one, else by id, else by position.
  const calls = new Map<string, PartialCall>();
  // When a new call takes over an index or id already used, later fragments under that index or
  // id belong to the newest call.
  const newest = new Map<string, string>();
  let lastKey: string | undefined;

  function callFor(delta: Record<string, unknown>): PartialCall {
    const index = num(delta.index);
    const id = nonEmpty(str(delta.id));
    const fn = isRecord(delta.function) ? delta.function : undefined;
    const name = nonEmpty(str(fn?.name));
    let base: string;
    if (index !== undefined) base = `i${index}`;
    // Gemini and some Ollama versions omit `index`: a repeated id continues the same call, and a
    // fragment with neither id nor name continues the call before it.
    else if (id !== undefined) base = `id:${id}`;
    else if (name === undefined && lastKey !== undefined) base = lastKey;
    else base = `p${calls.size}`;
    let key = newest.get(base) ?? base;
    const existing = calls.get(key);
    if (existing !== undefined && startsAnotherCall(existing, id, name, fn?.arguments, index !== undefined)) {
      key = `${base}#${calls.size}`;
      newest.set(base, key);
    }
    let call = calls.get(key);
    if (call === undefined) {
      call = { id: "", name: "", args: "", json: createJsonTracker(), extra: undefined, functionExtra: undefined };
      calls.set(key, call);
    }
    lastKey = key;
    return call;
  }

  return {
    push(chunk) {
      chunks += 1;
      const deltas: ModelDelta[] = [];
      if (!isRecord(chunk)) return deltas;
      // Usage may arrive on its own chunk with `choices: []` (OpenAI with include_usage), on the
      // last content chunk (DeepSeek, vLLM), on every chunk (some llama.cpp builds), or under
      // `x_groq.usage` (Groq). The last one seen is the total.
      const chunkUsage =
        parseUsage(chunk.usage) ?? (isRecord(chunk.x_groq) ? parseUsage(chunk.x_groq.usage) : undefined);
      if (chunkUsage !== undefined) {
        usage = chunkUsage;
        deltas.push({ type: "usage", usage: chunkUsage });
      }
      // Azure opens with a chunk of `prompt_filter_results` and no choices; usage chunks have none.
      const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
      for (const choice of choices) {
        if (!isRecord(choice)) continue;
        if ((num(choice.index) ?? 0) !== 0) continue; // we always ask for n=1
        // A few proxies send a whole `message` instead of a `delta`.
        const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : undefined;
        if (delta !== undefined) {
          addContent(delta.content, deltas);
          // DeepSeek and vLLM: `reasoning_content`; OpenRouter and Ollama: `reasoning`.
          const reasoning = str(delta.reasoning_content) ?? str(delta.reasoning);
          if (reasoning !== undefined && reasoning !== "") addThinking(reasoning, deltas);
          const refused = str(delta.refusal);
          if (refused !== undefined && refused !== "") {
            refusal += refused;
            bytes += byteLength(refused);
          }
          const toolCalls = Array.isArray(delta.tool_calls) ? delta.tool_calls : [];
          toolCalls.forEach((raw) => {
            if (!isRecord(raw)) return;
            const call = callFor(raw);
            const id = str(raw.id);
            if (id !== undefined && id !== "") call.id = id;
            const fn = isRecord(raw.function) ? raw.function : undefined;
            const name = str(fn?.name);
            // Some servers repeat the full name on every fragment (vLLM, LM Studio); appending it
            // would produce "read_fileread_file". OpenAI sends the name once, whole.
            if (name !== undefined && name !== "" && name !== call.name) {
              call.name = call.name === "" || !name.startsWith(call.name) ? call.name + name : name;
            }
            const args = fn?.arguments;
            if (typeof args === "string") {
              // Some servers resend the whole arguments object on every fragment, and llama.cpp
              // builds resend the text so far: a complete JSON text after a complete one, or a
              // fragment that starts with everything received, replaces instead of continuing.
              // (A real continuation cannot start with the text so far: that text opens with `{"`,
              // and a continuation inside a string would have the quote escaped.) The fragment
              // alone is parsed only when the text so far is complete, so a long argument in
              // small deltas costs linear time.
              if (call.json.complete() && isCompleteJson(args)) replaceArgs(call, args);
              else if (call.args !== "" && args.length >= call.args.length && args.startsWith(call.args)) replaceArgs(call, args);
              else {
                call.args += args;
                call.json.feed(args);
                bytes += byteLength(args);
              }
            } else if (isRecord(args)) {
              // Arguments as an object rather than a JSON string (older Ollama builds).
              replaceArgs(call, JSON.stringify(args));
            }
            call.extra = mergeUnknown(call.extra, raw, KNOWN_CALL_FIELDS);
            if (fn !== undefined) call.functionExtra = mergeUnknown(call.functionExtra, fn, KNOWN_FUNCTION_FIELDS);
          });
        }
        const reason = str(choice.finish_reason);
        if (reason !== undefined && reason !== "") finishReason = reason;
        const choiceUsage = parseUsage(choice.usage);
        if (choiceUsage !== undefined) usage = choiceUsage;
      }
      return deltas;
    },
    bytes: () => bytes,
    end() {
      const deltas: ModelDelta[] = [];
      for (const piece of splitter.flush()) addPiece(piece, deltas);
      return deltas;
    },
    result() {
      const toolCalls: ToolCall[] = [];
      const seen = new Set<string>();
      for (const call of calls.values()) {
        if (call.name === "") continue;
        let id = call.id;
        // Missing ids (Gemini, some llama.cpp builds) and ids reused for parallel calls would make
        // the tool results ambiguous; Mistral accepts only 9-character alphanumeric ids.
        if (id === "" || seen.has(id)) id = makeCallId(seen);
        seen.add(id);
        toolCalls.push({
          id,
          name: call.name,
          arguments: call.args.trim() === "" ? "{}" : call.args,
          ...(call.extra !== undefined ? { extra: call.extra } : {}),
          ...(call.functionExtra !== undefined ? { functionExtra: call.functionExtra } : {}),
        });
      }
      return { text, thinking, toolCalls, refusal, finishReason, usage, chunks, bytes };
    },
  };

  function replaceArgs(call: PartialCall, args: string): void {
    bytes += byteLength(args) - byteLength(call.args);
    call.args = args;
    call.json.reset(args);
  }

  function addThinking(delta: string, deltas: ModelDelta[]): void {
    bytes += byteLength(delta);
    thinking += delta;
    deltas.push({ type: "thinking", delta });
  }

  /** A piece of string content, already counted in `bytes`. */
  function addPiece(piece: SplitPiece, deltas: ModelDelta[]): void {
    if (piece.kind === "thinking") thinking += piece.text;
    else text += piece.text;
    deltas.push({ type: piece.kind, delta: piece.text });
  }

  /**
   * `content` is a string, or a list of parts (Mistral's Magistral and mistral-small:
   * `{"type":"thinking","thinking":[{"type":"text","text":…}]}` and `{"type":"text","text":…}`).
   * Thinking parts are reasoning, never answer text.
   */
  function addContent(content: unknown, deltas: ModelDelta[]): void {
    if (typeof content === "string") {
      if (content === "") return;
      bytes += byteLength(content);
      for (const piece of splitter.push(content)) addPiece(piece, deltas);
      return;
    }
    if (!Array.isArray(content)) return;
    for (const part of content) {
      if (!isRecord(part)) continue;
      if (part.type === "text") addContent(part.text, deltas);
      else if (part.type === "thinking" || part.type === "reasoning") {
        const inner = partText(part.thinking ?? part.reasoning ?? part.text);
        if (inner !== "") addThinking(inner, deltas);
      }
    }
  }
}

/** The text of a thinking part: a string, or a list of `{type:"text", text}` parts. */
function partText(value: unknown): string {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) return "";
  return value.map((p) => (isRecord(p) && typeof p.text === "string" ? p.text : "")).join("");
}

const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/** Adds the fields of `source` that we do not read to `into`; later fragments win. */
function mergeUnknown(into: Record<string, unknown> | undefined, source: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  let merged = into;
  // for…in rather than Object.entries: this runs on every fragment and must not allocate.
  for (const key in source) {
    if (known.has(key)) continue;
    const value = source[key];
    if (value === undefined) continue;
    merged ??= {};
    merged[key] = value;
  }
  return merged;
}

const nonEmpty = (v: string | undefined): string | undefined => (v === "" ? undefined : v);

/**
 * Whether a fragment that maps onto an existing call is in fact the next call: Ollama has sent
 * parallel calls with different ids all at index 0 (ollama/ollama#15457), and Gemini adapters
 * send whole parallel calls without index under one shared id (TanStack/ai#199). A fragment that
 * repeats a finished call word for word is a resend, not a new call.
 */
function startsAnotherCall(call: PartialCall, id: string | undefined, name: string | undefined, args: unknown, indexed: boolean): boolean {
  if (id !== undefined && call.id !== "" && id !== call.id) return true;
  if (indexed || name === undefined || call.name === "" || !call.json.complete()) return false;
  if (name !== call.name) return true;
  const text = typeof args === "string" ? args : isRecord(args) ? JSON.stringify(args) : "";
  return isCompleteJson(text) && text !== call.args;
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function makeCallId(taken: ReadonlySet<string>): string {
  for (;;) {
    let id = "";
    for (let i = 0; i < 9; i += 1) id += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
    if (!taken.has(id)) return id;
  }
}

/** Maps a server's finish reason onto ours; tool calls decide, since Ollama and Gemini say "stop". */
export function stopReasonOf(finishReason: string | null, hasToolCalls: boolean): StopReason | "content_filter" | "server_error" {
  switch (finishReason) {
    // vLLM ends an aborted generation with "abort" under HTTP 200, OpenRouter with "error".
    case "abort":
    case "error":
    case "insufficient_system_resource":
      return "server_error";
  }
  if (hasToolCalls) return "tool_calls";
  switch (finishReason) {
    case "length":
    case "max_tokens":
      return "length";
    case "content_filter":
    case "safety":
      return "content_filter";
    default:
      // "stop", "eos" (Together), "eos_token" (TGI), null (LM Studio, no [DONE]): complete.
      return "stop";
  }
}
