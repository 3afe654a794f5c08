// The model room's contract with the agent loop. A model call never throws at its consumer: it
// resolves to an AssistantTurn whose stopReason says how it ended (pi-mono's stream contract), so
// the loop has one path for success, server failure and cancellation alike.
import type { Usage } from "../events.js";

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The raw JSON text the model produced; the tool's zod schema parses it. */
  readonly arguments: string;
  /**
   * Fields of the server's tool call that we do not read (Gemini's
   * `extra_content.google.thought_signature`), sent back unchanged with the call: Gemini answers
   * 400 when the next request's assistant tool call lacks its signature.
   */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Likewise for unknown fields inside the call's `function` object. */
  readonly functionExtra?: Readonly<Record<string, unknown>>;
}

export type ChatMessage =
  | { readonly role: "system"; readonly content: string }
  | { readonly role: "user"; readonly content: string }
  | { readonly role: "assistant"; readonly content: string; readonly toolCalls: readonly ToolCall[] }
  | { readonly role: "tool"; readonly toolCallId: string; readonly name: string; readonly content: string };

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: Record<string, unknown>;
}

export interface ModelRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  /** Asks for JSON matching this schema (structured output). */
  readonly responseFormat?: { readonly name: string; readonly schema: Record<string, unknown> };
}

/**
 * `length`: the server cut the answer at its output limit; the text is incomplete.
 * `refused`: the model declined (OpenAI's `delta.refusal`); the turn's `refusal` holds its words.
 */
export type StopReason = "stop" | "tool_calls" | "length" | "refused" | "error" | "aborted";

/** Why a model call failed, for callers that branch on it (exit codes, AIMD) instead of on text. */
export type ModelErrorKind =
  | "auth"
  | "not_found"
  | "bad_request"
  | "rate_limit"
  /**
   * A 429 that waiting within the retry policy cannot fix: an empty balance, or a Retry-After longer
   * than the longest wait agentwf takes. The run pauses (resumable) instead of failing the agent.
   */
  | "usage_limit"
  | "server"
  | "network"
  | "timeout"
  | "content_filter"
  /** The answer passed the size cap on text, reasoning and tool arguments. */
  | "too_large"
  /** The server answered with something that is not an OpenAI-compatible response (an HTML page). */
  | "bad_response";

export interface AssistantTurn {
  readonly text: string;
  readonly thinking: string;
  readonly toolCalls: readonly ToolCall[];
  readonly stopReason: StopReason;
  /** Every attempt's usage, failed ones included: a server bills what it generated. */
  readonly usage: Usage;
  /** The model's refusal text when stopReason is `refused`. */
  readonly refusal?: string;
  readonly error?: { readonly kind: ModelErrorKind; readonly message: string };
}

/** Live progress of one model call. `retry` means the partial text so far is void. */
export type ModelDelta =
  | { readonly type: "text"; readonly delta: string }
  | { readonly type: "thinking"; readonly delta: string }
  | { readonly type: "retry"; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly type: "usage"; readonly usage: Usage };

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /**
   * The caller's bound on this whole call, retries included (the parent's `--timeout`); the
   * model's own total limit applies too, and the smaller wins.
   */
  readonly timeoutMs?: number;
  readonly onDelta?: (delta: ModelDelta) => void;
}

/** One streamed model call. Never rejects. */
export type StreamModel = (request: ModelRequest, options?: StreamOptions) => Promise<AssistantTurn>;

/** A model a run can use: what to call, and the name to show. */
export interface Model {
  readonly id: string;
  readonly stream: StreamModel;
}
