// The bounds on one model call, and the errors that say which one fired. A server that sends
// headers and then nothing, only keep-alive comments, or empty deltas forever once kept a request
// alive for 12-18 minutes or without end; an unbounded answer grew to 720 MB before failing.
import { formatDuration } from "../text/duration.js";

export interface StreamLimits {
  /** Longest wait for the response headers of one request. */
  readonly requestTimeoutMs: number;
  /**
   * Longest time without progress: answer text, reasoning or tool-call argument bytes. Comments,
   * keep-alives and empty deltas are not progress, so they do not keep a stream alive.
   */
  readonly idleTimeoutMs: number;
  /** Longest time for one model call, every retry and wait included. */
  readonly totalTimeoutMs: number;
  /** Largest answer: UTF-8 bytes of text, reasoning and tool-call arguments together. */
  readonly maxAnswerBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  requestTimeoutMs: 120_000,
  idleTimeoutMs: 180_000,
  totalTimeoutMs: 30 * 60_000,
  maxAnswerBytes: 8 * 1024 * 1024,
};

/** No progress for the idle limit; retried, since a stalled server often answers the next request. */
export class StreamIdleError extends Error {
  constructor(readonly ms: number) {
    super(`the stream stalled: no answer text for ${formatDuration(ms, "limit")}`);
  }
}

/** The whole call passed its time limit; not retried, since the time is spent. */
export class CallDeadlineError extends Error {
  constructor(ms: number, byCaller: boolean) {
    super(
      byCaller
        ? `the model did not finish answering within ${formatDuration(ms, "limit")} (--timeout); raise --timeout or give the agent a smaller task`
        : `the model did not finish answering within ${formatDuration(ms, "limit")}, the limit for one model request; ask for a shorter answer or use a faster model`,
    );
  }
}

export class AnswerTooLargeError extends Error {
  constructor(limit: number) {
    super(`the answer passed ${formatBytes(limit)}, the limit on one answer's text, reasoning and tool arguments; ask the agent for a shorter answer or split the task`);
  }
}

/** A 200 whose body is a web page: a captive portal or a proxy's login page, not a model server. */
export class HtmlPageError extends Error {
  constructor(host: string) {
    super(`the server at ${host} answered with an HTML page, not an OpenAI-compatible response: check --base-url`);
  }
}


function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** Whether a body's first bytes are an HTML document rather than SSE or JSON. */
export function looksLikeHtml(head: string): boolean {
  return /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<html)/i.test(head);
}
