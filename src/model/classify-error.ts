// How a failed model call is described and whether it is worth another try. Callers branch on the
// kind (exit codes, AIMD, hints), the person reads the message.
import OpenAI, { type APIError } from "openai";
import { classifyStatus, retryAfterMs, type ClassifiedError } from "./retry-policy.js";
import { AnswerTooLargeError, HtmlPageError, StreamIdleError } from "./stream-limits.js";

/** A 200 stream with no chunk at all (vLLM before its first token); the call is asked again without streaming. */
export class EmptyStreamError extends Error {
  constructor() {
    super("the server answered a streaming request with no stream data");
  }
}

/** A 200 stream ended by the server's own failure (vLLM "abort", OpenRouter "error"); retried. */
export class StreamFinishError extends Error {
  constructor(reason: string) {
    super(`the server ended the answer with finish_reason "${reason}"`);
  }
}

/** The server's own message from an error body, in whichever shape the server wrapped it. */
export function errorText(error: APIError): string {
  // Gemini wraps its error body in an array: [{"error":{...}}].
  const raw: unknown = error.error;
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  const body: unknown = typeof first === "object" && first !== null && "error" in first ? first.error : first;
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
    return body.message;
  }
  return error.message;
}

export function classify(error: unknown): ClassifiedError {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return { kind: "timeout", retryable: true, message: "the request timed out" };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    // Undici's own message is "fetch failed"; the reason ("connect ECONNREFUSED 127.0.0.1:8000",
    // "getaddrinfo ENOTFOUND …") is at the end of the cause chain.
    const cause = rootCause(error.cause);
    return { kind: "network", retryable: true, message: `could not reach the server${cause ? `: ${cause.message}` : ""}` };
  }
  if (error instanceof OpenAI.APIError) {
    // An error inside a 200 stream has no status; OpenRouter and vLLM put one in the body's code,
    // Groq in `status_code`.
    const body: Record<string, unknown> = typeof error.error === "object" && error.error !== null ? (error.error as Record<string, unknown>) : {};
    const bodyCode = typeof body.code === "number" ? body.code : body.status_code;
    const status = error.status ?? (typeof bodyCode === "number" && bodyCode >= 400 && bodyCode < 600 ? bodyCode : undefined);
    const byStatus = classifyStatus(status);
    // Groq's "tool_use_failed" (400): the model wrote a malformed tool call; the next try may not.
    const { kind, retryable } = body.code === "tool_use_failed" ? { kind: "server" as const, retryable: true } : byStatus;
    const text = errorText(error).replace(/\s+/g, " ").slice(0, 300);
    const where = error.status === undefined ? "error in the stream" : `HTTP ${error.status}`;
    // OpenAI answers 429 for an empty balance too; waiting does not refill it.
    const quota = error.code === "insufficient_quota" || /insufficient.?quota|billing/i.test(text);
    const wait = retryAfterMs(error.headers);
    return {
      kind: quota && kind === "rate_limit" ? "usage_limit" : kind,
      retryable: retryable && !quota,
      message: `${where}: ${text}`,
      ...(status !== undefined ? { status } : {}),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    };
  }
  if (error instanceof AnswerTooLargeError) return { kind: "too_large", retryable: false, message: error.message };
  if (error instanceof HtmlPageError) return { kind: "bad_response", retryable: false, message: error.message };
  if (error instanceof StreamIdleError || error instanceof EmptyStreamError) {
    return { kind: "network", retryable: true, message: error.message };
  }
  if (error instanceof StreamFinishError) {
    return { kind: "server", retryable: true, message: error.message };
  }
  if (error instanceof SyntaxError) {
    return { kind: "server", retryable: true, message: `the server sent a chunk that is not JSON: ${error.message}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Undici reports a connection cut mid-stream as "terminated" or with a socket error.
  return { kind: "network", retryable: true, message: `the connection failed: ${message}` };
}

function rootCause(error: unknown): Error | undefined {
  let deepest: Error | undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) deepest = e;
  return deepest;
}

