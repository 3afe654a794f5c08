// The one place that talks to model servers: streamed chat completions through the openai SDK.
// Retries are ours, not the SDK's (maxRetries: 0), because a stream can also break after it has
// started, the UI must hear about every wait, and the scheduler must see each 429.
import OpenAI, { APIError } from "openai";
import { addUsage, emptyUsage, type Usage } from "../events.js";
import type { AdaptiveLimiter } from "./adaptive-limiter.js";
import { formatDuration } from "../text/duration.js";
import { priceUsage } from "./pricing.js";
import { EmptyStreamError, StreamFinishError, classify, errorText } from "./classify-error.js";
import { DEFAULT_RETRY_POLICY, retryDelayMs, type ClassifiedError, type RetryPolicy } from "./retry-policy.js";
import { readSseBody } from "./sse-body.js";
import { createStreamAccumulator, stopReasonOf, type Accumulated, type StreamAccumulator } from "./stream-accumulator.js";
import { AnswerTooLargeError, CallDeadlineError, DEFAULT_STREAM_LIMITS, HtmlPageError, StreamIdleError, looksLikeHtml } from "./stream-limits.js";
import type { AssistantTurn, Model, ModelDelta, ModelRequest, StreamOptions } from "./types.js";
import { toOpenAIMessages, toOpenAITools } from "./wire-format.js";

export interface OpenAIModelOptions {
  /** Shown in events and reports ("openai/gpt-4o-mini"). */
  readonly id: string;
  /** The model name the server expects. */
  readonly model: string;
  readonly client: OpenAI;
  readonly retry?: RetryPolicy;
  /** Longest wait for the response headers of one request. */
  readonly requestTimeoutMs?: number;
  /** Longest time without answer, reasoning or tool-argument bytes before a stream counts as stalled. */
  readonly idleTimeoutMs?: number;
  /** Longest time for one call, retries and waits included. */
  readonly totalTimeoutMs?: number;
  /** Largest answer in UTF-8 bytes (text, reasoning and tool arguments together). */
  readonly maxAnswerBytes?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Shared by every model on one server, so that its 429s slow all of them down together. */
  readonly limiter?: AdaptiveLimiter;
}

/**
 * The SDK keeps an error body only when it has an `error` key, so vLLM's and Mistral's top-level
 * `{"object":"error","message":…}` and Gemini's `[{"error":{…}}]` reached us as "400 status code
 * (no body)", and a refused parameter could not be recognised. Such bodies get OpenAI's shape.
 */
class TolerantOpenAI extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): APIError {
    const first: unknown = Array.isArray(error) ? error[0] : error;
    const wrapped = typeof first === "object" && first !== null && !("error" in first) && ("message" in first || "detail" in first);
    const body = wrapped ? { error: first } : (first ?? error);
    return super.makeStatusError(status, body, message, headers);
  }
}

/** Builds the SDK client; the only place its options are set. */
export function createOpenAIClient(baseURL: string, apiKey: string, fetchImpl?: typeof fetch): OpenAI {
  return new TolerantOpenAI({
    baseURL,
    apiKey,
    maxRetries: 0,
    // The SDK logs unparsable SSE lines with console.error; our stdout/stderr belong to the user.
    logLevel: "off",
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/**
 * Optional request parameters some servers refuse with a 400. When the error names one, it is
 * dropped for the rest of the session and the request is sent again at once.
 */
const DROPPABLE = ["stream_options", "parallel_tool_calls", "tool_choice", "response_format"] as const;
/** `null_content`: LM Studio refuses `content: null` beside tool calls, so "" is sent instead. */
type Droppable = (typeof DROPPABLE)[number] | "null_content";

export function createOpenAIModel(options: OpenAIModelOptions): Model {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_STREAM_LIMITS.requestTimeoutMs;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_STREAM_LIMITS.idleTimeoutMs;
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_STREAM_LIMITS.totalTimeoutMs;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_STREAM_LIMITS.maxAnswerBytes;
  const host = hostOf(options.client.baseURL);
  const dropped = new Set<Droppable>();
  // Servers that answer a stream request with one JSON body (some proxies) are asked without
  // streaming from then on.
  let streaming = true;

  function body(request: ModelRequest): Record<string, unknown> {
    const messages = toOpenAIMessages(request.messages);
    const params: Record<string, unknown> = {
      model: options.model,
      messages: dropped.has("null_content")
        ? messages.map((m) => (m.role === "assistant" && m.content === null ? { ...m, content: "" } : m))
        : messages,
    };
    if (streaming) {
      params.stream = true;
      if (!dropped.has("stream_options")) params.stream_options = { include_usage: true };
    }
    if (request.tools !== undefined && request.tools.length > 0) {
      params.tools = toOpenAITools(request.tools);
      if (!dropped.has("tool_choice")) params.tool_choice = "auto";
      if (!dropped.has("parallel_tool_calls")) params.parallel_tool_calls = true;
    }
    if (request.responseFormat !== undefined && !dropped.has("response_format")) {
      params.response_format = {
        type: "json_schema",
        json_schema: { name: request.responseFormat.name, schema: request.responseFormat.schema },
      };
    }
    return params;
  }

  /** Feeds one parsed chunk, then checks the size cap and the error a chunk may carry. */
  function take(acc: StreamAccumulator, chunk: unknown, onDelta: ((delta: ModelDelta) => void) | undefined, headers: Headers): void {
    for (const delta of acc.push(chunk)) onDelta?.(delta);
    if (acc.bytes() > maxAnswerBytes) throw new AnswerTooLargeError(maxAnswerBytes);
    // The usage on an error chunk (OpenRouter) is already counted: the chunk was read first.
    if (typeof chunk === "object" && chunk !== null && "error" in chunk && chunk.error) {
      throw new APIError(undefined, chunk.error as object, undefined, headers);
    }
  }

  async function attempt(request: ModelRequest, acc: StreamAccumulator, streamOptions: StreamOptions, signal: AbortSignal): Promise<AssistantTurn> {
    const params = body(request);
    // Aborted when no answer bytes arrive for idleTimeoutMs; the reason says so.
    const idle = new AbortController();
    const response = await options.client.chat.completions
      .create(params as unknown as OpenAI.ChatCompletionCreateParamsStreaming, { signal: AbortSignal.any([signal, idle.signal]), timeout: requestTimeoutMs })
      .asResponse();
    const contentType = response.headers.get("content-type") ?? "";
    if (/text\/html|application\/xhtml/i.test(contentType)) {
      await response.body?.cancel().catch(() => undefined);
      throw new HtmlPageError(host);
    }
    const streamed = params.stream === true && !/application\/json/i.test(contentType);
    if (!streamed || response.body === null) {
      const text = await readCapped(response, maxAnswerBytes * 2);
      if (looksLikeHtml(text)) throw new HtmlPageError(host);
      if (params.stream === true) streaming = false;
      take(acc, JSON.parse(text), streamOptions.onDelta, response.headers);
    } else {
      let progress = 0;
      let chunks = 0;
      const timer = setTimeout(() => idle.abort(), idleTimeoutMs);
      let read;
      try {
        read = await readSseBody(response.body, {
          maxBufferChars: maxAnswerBytes * 2,
          onEvent(event) {
            if (event.data.startsWith("[DONE]")) return "stop";
            chunks += 1;
            take(acc, JSON.parse(event.data), streamOptions.onDelta, response.headers);
            // Only answer bytes count as life: comments, keep-alives and empty deltas do not.
            if (acc.bytes() > progress) {
              progress = acc.bytes();
              // Restarted in place: one timer per stream, not one per chunk.
              timer.refresh();
            }
          },
        });
      } catch (error) {
        if (idle.signal.aborted && !signal.aborted) throw new StreamIdleError(idleTimeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (idle.signal.aborted && !signal.aborted) throw new StreamIdleError(idleTimeoutMs);
      if (chunks === 0) {
        if (looksLikeHtml(read.head)) throw new HtmlPageError(host);
        throw new EmptyStreamError();
      }
    }
    for (const delta of acc.end()) streamOptions.onDelta?.(delta);
    const result = acc.result();
    if (stopReasonOf(result.finishReason, false) === "server_error") throw new StreamFinishError(result.finishReason ?? "");
    return finish(result, options.id);
  }

  async function stream(request: ModelRequest, streamOptions: StreamOptions = {}): Promise<AssistantTurn> {
    const outer = streamOptions.signal ?? new AbortController().signal;
    const byCaller = streamOptions.timeoutMs !== undefined && streamOptions.timeoutMs < totalTimeoutMs;
    const limitMs = byCaller ? (streamOptions.timeoutMs ?? totalTimeoutMs) : totalTimeoutMs;
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(), limitMs);
    const signal = AbortSignal.any([outer, deadline.signal]);
    // What failed attempts cost: a server bills the tokens it generated before an error.
    let spent = emptyUsage();
    const fail = (stopReason: "error" | "aborted", message: string, kind?: ClassifiedError["kind"]): AssistantTurn => {
      if (stopReason === "aborted" && !outer.aborted && deadline.signal.aborted) {
        return { ...failed("error", new CallDeadlineError(limitMs, byCaller).message, "timeout"), usage: spent };
      }
      return { ...failed(stopReason, message, kind), usage: spent };
    };
    let retries = 0;
    try {
      for (;;) {
        if (signal.aborted) return fail("aborted", "cancelled");
        let ticket: number | undefined;
        try {
          ticket = await options.limiter?.acquire(signal);
        } catch {
          return fail("aborted", "cancelled");
        }
        const acc = createStreamAccumulator();
        try {
          const turn = await attempt(request, acc, streamOptions, signal);
          if (ticket !== undefined) options.limiter?.release(ticket, "ok");
          ticket = undefined;
          return { ...turn, usage: addUsage(spent, turn.usage) };
        } catch (error) {
          spent = addUsage(spent, priceUsage(options.id, acc.result().usage ?? emptyUsage()));
          if (ticket !== undefined) {
            const limited = error instanceof APIError && error.status === 429;
            options.limiter?.release(ticket, limited ? "rate_limited" : "other");
          }
          if (signal.aborted || error instanceof OpenAI.APIUserAbortError) return fail("aborted", "cancelled");
          if (error instanceof EmptyStreamError && streaming) {
            streaming = false;
            continue;
          }
          const refused = refusedParameter(error);
          if (refused !== undefined && !dropped.has(refused)) {
            dropped.add(refused);
            continue;
          }
          const classified = classify(error);
          // A server that asks for a longer wait than agentwf ever takes is at its usage limit:
          // trying early only spends requests, so the call ends here and the run can pause.
          if (classified.kind === "rate_limit" && classified.retryAfterMs !== undefined && classified.retryAfterMs > policy.maxDelayMs) {
            const wait = formatDuration(classified.retryAfterMs, "measured");
            return fail("error", `${classified.message} (the server asks to wait ${wait}, longer than the ${formatDuration(policy.maxDelayMs, "measured")} agentwf waits)`, "usage_limit");
          }
          if (!classified.retryable || retries >= policy.maxRetries) {
            const suffix = retries > 0 ? ` (after ${retries + 1} attempts)` : "";
            return fail("error", classified.message + suffix, classified.kind);
          }
          retries += 1;
          const delayMs = retryDelayMs(policy, retries, classified, random);
          streamOptions.onDelta?.({ type: "retry", attempt: retries, delayMs, reason: classified.message });
          try {
            await sleep(delayMs, signal);
          } catch {
            return fail("aborted", "cancelled");
          }
        }
      }
    } finally {
      clearTimeout(deadlineTimer);
    }
  }

  return { id: options.id, stream };
}

function finish(acc: Accumulated, modelId: string): AssistantTurn {
  const usage: Usage = priceUsage(modelId, acc.usage ?? emptyUsage());
  const reason = stopReasonOf(acc.finishReason, acc.toolCalls.length > 0);
  const { text, thinking } = acc;
  if (reason === "server_error") throw new StreamFinishError(acc.finishReason ?? "");
  if (reason === "content_filter") {
    return {
      text,
      thinking,
      toolCalls: [],
      stopReason: "error",
      usage,
      error: { kind: "content_filter", message: "the server's content filter stopped the answer" },
    };
  }
  // A refusal ends the answer; text beside it, if any, is kept for the person to read.
  if (acc.refusal.trim() !== "" && reason !== "tool_calls") {
    return { text, thinking, toolCalls: [], stopReason: "refused", refusal: acc.refusal.trim(), usage };
  }
  return { text, thinking, toolCalls: acc.toolCalls, stopReason: reason, usage };
}

/** The host a person typed in --base-url, without any user:password in it. */
function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return "the base URL";
  }
}

/** Reads a whole (non-streamed) body, refusing one past `cap` bytes. */
async function readCapped(response: Response, cap: number): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += value;
      if (text.length > cap) throw new AnswerTooLargeError(cap / 2);
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function failed(stopReason: "error" | "aborted", message: string, kind: ClassifiedError["kind"] = "network"): AssistantTurn {
  const turn: AssistantTurn = {
    text: "",
    thinking: "",
    toolCalls: [],
    stopReason,
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  return stopReason === "aborted" ? turn : { ...turn, error: { kind, message } };
}

function refusedParameter(error: unknown): Droppable | undefined {
  if (!(error instanceof OpenAI.APIError) || (error.status !== 400 && error.status !== 422)) return undefined;
  const text = `${error.param ?? ""} ${errorText(error)} ${JSON.stringify(error.error ?? "")}`;
  // vLLM: '"auto" tool choice requires --enable-auto-tool-choice'.
  if (/enable-auto-tool-choice/.test(text)) return "tool_choice";
  // LM Studio: "Invalid 'content': 'content' field must be a string or an array of objects."
  if (/'content' field must be a string/.test(text)) return "null_content";
  return DROPPABLE.find((name) => text.includes(name));
}

/** Resolves after `ms`, or rejects as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

