// A real HTTP server on 127.0.0.1 that speaks OpenAI's chat-completions protocol, scripted per
// test. The client under test goes through its whole stack (the SDK, fetch, SSE parsing), so a
// test sees what a user would see against a real server, and `deviation` makes it one of the
// servers that bend the format (see fake-openai-deviations.ts).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { DONE_FRAME, completionBody, frameText, standardTranscript, usageOf, type Answer, type ChunkMeta } from "./fake-openai-chunks.js";
import { deviationNames, interceptRequest, reshapeTranscript, type Deviation } from "./fake-openai-deviations.js";
import { ChatRequestBodySchema, contentText, wantsUsage, type RecordedRequest } from "./fake-openai-request.js";

export type { Deviation, DeviationName } from "./fake-openai-deviations.js";
export { DEVIATION_NAMES } from "./fake-openai-deviations.js";
export type { ChatRequestBody, RecordedRequest, WireMessage } from "./fake-openai-request.js";
export { contentText, lastUserText, systemText, toolResults } from "./fake-openai-request.js";

export interface ToolCallScript {
  readonly name: string;
  /** An object is sent JSON-stringified; a string is sent as is (also broken JSON). */
  readonly arguments?: unknown;
  readonly id?: string;
}

interface Scripted {
  /** Reasoning; sent only under a reasoning deviation, because OpenAI never streams it. */
  readonly thinking?: string;
  readonly usage?: { readonly prompt: number; readonly completion: number };
  /** Deviations for this reply only, on top of the server's. */
  readonly deviation?: Deviation;
  /** Pause between two SSE events of this reply, instead of the server's chunkDelayMs. */
  readonly chunkDelayMs?: number;
}

export type Reply =
  | ({ readonly kind: "text"; readonly text: string } & Scripted)
  | ({ readonly kind: "tool_calls"; readonly calls: readonly ToolCallScript[]; readonly text?: string } & Scripted)
  /** An HTTP error; a string body is sent verbatim as text/html (a proxy's error page). */
  | { readonly kind: "error"; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  /**
   * Raw SSE written verbatim after a 200 with text/event-stream, e.g. 'data: {...}\n\n'; bytes
   * are written as they are (a recorded body, byte for byte).
   */
  | { readonly kind: "sse"; readonly events: ReadonlyArray<string | Uint8Array> }
  /** A JSON answer, not SSE. */
  | { readonly kind: "json"; readonly status?: number; readonly body: unknown }
  /** Streams `text` for `afterChunks` content chunks (default 2), then destroys the socket. */
  | { readonly kind: "drop"; readonly afterChunks?: number; readonly text?: string }
  /** Sends the 200 and `afterChunks` content chunks (default 1) of `text`, then goes silent. */
  | { readonly kind: "stall"; readonly afterChunks?: number; readonly text?: string }
  /** Reads the request and never answers, until the server closes. */
  | { readonly kind: "hang" }
  /** Sends the 200 and SSE headers, then nothing at all, until the server closes. */
  | { readonly kind: "headers-only" }
  /**
   * Sends the 200 and `afterChunks` content chunks (default 0) of `text`, then `filler` every
   * `everyMs` (default 20) until the client hangs up or the server closes: the streams that once
   * kept a request alive for 12-18 minutes. `comment`: SSE keep-alive comments (OpenRouter's
   * ": OPENROUTER PROCESSING"); `empty-delta`: chunks whose delta carries no text; `blank`: bare
   * newlines.
   */
  | { readonly kind: "trickle"; readonly filler: "comment" | "empty-delta" | "blank"; readonly afterChunks?: number; readonly text?: string; readonly everyMs?: number }
  /** Streams `piece` as content chunks without end, `everyMs` apart (default 0: as fast as the client reads). */
  | { readonly kind: "endless"; readonly piece?: string; readonly everyMs?: number }
  /**
   * A web page instead of an API answer: a captive portal or a proxy's sign-in page, sent with
   * `status` (default 200) and `contentType` (default text/html; a mislabelled page is another case).
   */
  | { readonly kind: "html"; readonly status?: number; readonly contentType?: string; readonly body?: string };

/** A captive portal's page, as a hotel or airport network sends it for any URL. */
export const PORTAL_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Welcome to GuestNet</title></head>
<body><form method="post" action="/login"><p>Accept the terms to get online.</p><button>Connect</button></form></body></html>
`;

export interface FakeServerOptions {
  /** Pause between two SSE events; 0 (the default) writes them back to back. */
  readonly chunkDelayMs?: number;
  /** Bends every scripted text and tool-call reply the way a real server does. */
  readonly deviation?: Deviation;
  /** Time before each answer starts (a model's time to first token), per request if a function. */
  readonly latencyMs?: number | ((request: RecordedRequest) => number);
  /**
   * Paces every streamed reply at this many chunks a second (a chunk carries about a token: four
   * characters of text); overrides chunkDelayMs.
   */
  readonly tokensPerSecond?: number;
  /** Requests answered at once; one more gets a 429 (a provider's concurrency limit). */
  readonly maxConcurrent?: number;
  /** Called as each request arrives, before any latency (a benchmark notes the time). */
  readonly onRequest?: (request: RecordedRequest) => void;
}

export interface FakeServerStats {
  /** Requests refused with a 429 because maxConcurrent were in progress. */
  readonly rejected: number;
  /** The most requests in progress at once. */
  readonly peakInFlight: number;
}

export interface FakeServer {
  /** "http://127.0.0.1:PORT/v1" */
  readonly baseUrl: string;
  /** Every chat-completions request, in arrival order (those refused by maxConcurrent too). */
  readonly requests: RecordedRequest[];
  readonly stats: () => FakeServerStats;
  /** Ends every open connection (hung ones too) and stops listening; safe to call twice. */
  close(): Promise<void>;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

/** A text answer. */
export function text(t: string, extra: Scripted = {}): Extract<Reply, { kind: "text" }> {
  return { kind: "text", text: t, ...extra };
}

/** One assistant message with these tool calls (several make parallel calls). */
export function toolCalls(...calls: ToolCallScript[]): Extract<Reply, { kind: "tool_calls" }> {
  return { kind: "tool_calls", calls };
}

/** An HTTP error with OpenAI's error body. */
export function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  const type = status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
  const code = status === 429 ? "rate_limit_exceeded" : status === 401 ? "invalid_api_key" : status === 404 ? "model_not_found" : null;
  return { kind: "error", status, body: { error: { message, type, param: null, code } }, ...(headers ? { headers } : {}) };
}

/** Answers each request with the next reply of the list; past its end, with the last one. */
export function sequence(...replies: Reply[]): Handler {
  return (request) => {
    const reply = replies[Math.min(request.index, replies.length - 1)];
    if (reply === undefined) throw new Error("sequence() needs at least one reply");
    return reply;
  };
}

export async function startFakeServer(handler: Handler, options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const chunkDelayMs = options.tokensPerSecond !== undefined && options.tokensPerSecond > 0 ? 1000 / options.tokensPerSecond : (options.chunkDelayMs ?? 0);
  let inFlight = 0;
  let peakInFlight = 0;
  let rejected = 0;
  const created = Math.floor(Date.now() / 1000);

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake server failed: ${messageOf(error)}` } });
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
      return sendJson(res, 404, { error: { message: `fake server: no route for ${req.method ?? "?"} ${path}`, type: "invalid_request_error", code: null } });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, { error: { message: "fake server: the request body is not JSON", type: "invalid_request_error" } });
    }
    const parsed = ChatRequestBodySchema.safeParse(json);
    if (!parsed.success) {
      const message = `fake server: not a chat-completions request: ${z.prettifyError(parsed.error)}`;
      return sendJson(res, 400, { error: { message, type: "invalid_request_error" } });
    }
    const request: RecordedRequest = { index: requests.length, path, body: parsed.data, headers: req.headers };
    requests.push(request);
    options.onRequest?.(request);
    if (options.maxConcurrent !== undefined && inFlight >= options.maxConcurrent) {
      rejected += 1;
      return sendJson(res, 429, { error: { message: `fake server: more than ${options.maxConcurrent} requests at once`, type: "requests", param: null, code: "rate_limit_exceeded" } });
    }
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    try {
      await answerAfterLatency(request, res);
    } finally {
      inFlight -= 1;
    }
  }

  async function answerAfterLatency(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const latency = typeof options.latencyMs === "function" ? options.latencyMs(request) : (options.latencyMs ?? 0);
    if (latency > 0) await delay(latency);
    let reply: Reply;
    try {
      reply = await handler(request);
    } catch (error) {
      return sendJson(res, 500, { error: { message: `fake server: the test's handler threw: ${messageOf(error)}` } });
    }
    await answer(request, reply, res);
  }

  async function answer(request: RecordedRequest, reply: Reply, res: ServerResponse): Promise<void> {
    const meta: ChunkMeta = { id: `chatcmpl-fake${request.index}`, created, model: request.body.model, includeUsage: wantsUsage(request.body) };
    switch (reply.kind) {
      case "text":
      case "tool_calls": {
        const scripted = answerOf(request, reply);
        const names = deviationNames(options.deviation, reply.deviation);
        const substitute = interceptRequest(names, request.body, () => completionBody(scripted, meta));
        if (substitute !== undefined) return sendJson(res, substitute.status, substitute.body);
        if (request.body.stream !== true) return sendJson(res, 200, completionBody(scripted, meta));
        const transcript = reshapeTranscript(names, standardTranscript(scripted, meta), scripted, meta);
        const events = transcript.frames.map(frameText);
        if (transcript.done) events.push(DONE_FRAME);
        return writeSse(res, events, { everyMs: reply.chunkDelayMs });
      }
      case "error":
        if (typeof reply.body === "string") {
          // A proxy's HTML or plain-text error page, sent verbatim.
          res.writeHead(reply.status, { ...reply.headers, "content-type": "text/html" });
          return void res.end(reply.body);
        }
        return sendJson(res, reply.status, reply.body ?? errorBody(reply.status), reply.headers);
      case "sse":
        return writeSse(res, reply.events);
      case "json":
        return sendJson(res, reply.status ?? 200, reply.body);
      case "drop":
      case "stall": {
        const partial = answerOf(request, { kind: "text", text: reply.text ?? "a partial answer that never ends" });
        const frames = standardTranscript(partial, meta).frames.slice(0, 1 + (reply.afterChunks ?? (reply.kind === "drop" ? 2 : 1)));
        await writeSse(res, frames.map(frameText), { end: false });
        // A destroyed socket, not an ended response: the client sees the connection cut mid-body.
        if (reply.kind === "drop") res.destroy();
        return;
      }
      case "hang":
        return;
      case "headers-only":
        return writeSse(res, [], { end: false });
      case "trickle": {
        const partial = answerOf(request, { kind: "text", text: reply.text ?? "a partial answer" });
        const frames = standardTranscript(partial, meta).frames.slice(0, 1 + (reply.afterChunks ?? 0));
        await writeSse(res, frames.map(frameText), { end: false });
        const empty = { id: meta.id, object: "chat.completion.chunk", created, model: meta.model, choices: [{ index: 0, delta: { content: "" }, finish_reason: null }] };
        const filler = reply.filler === "comment" ? ": OPENROUTER PROCESSING\n\n" : reply.filler === "blank" ? "\n" : `data: ${JSON.stringify(empty)}\n\n`;
        while (await write(res, filler)) await delay(reply.everyMs ?? 20);
        return;
      }
      case "endless": {
        const chunk = { id: meta.id, object: "chat.completion.chunk", created, model: meta.model, choices: [{ index: 0, delta: { content: reply.piece ?? "lorem ipsum " }, finish_reason: null }] };
        const frame = frameText({ chunk });
        res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
        res.flushHeaders();
        // Batches of frames per write keep a fast stream from costing one syscall per chunk.
        const batch = (reply.everyMs ?? 0) > 0 ? frame : frame.repeat(64);
        while (await write(res, batch)) if ((reply.everyMs ?? 0) > 0) await delay(reply.everyMs ?? 0);
        return;
      }
      case "html":
        res.writeHead(reply.status ?? 200, { "content-type": reply.contentType ?? "text/html; charset=utf-8" });
        return void res.end(reply.body ?? PORTAL_PAGE);
    }
  }

  async function writeSse(res: ServerResponse, events: ReadonlyArray<string | Uint8Array>, { end = true, everyMs = chunkDelayMs }: { end?: boolean; everyMs?: number } = {}): Promise<void> {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    res.flushHeaders();
    for (const [i, event] of events.entries()) {
      if (i > 0 && everyMs > 0) await delay(everyMs);
      if (!(await write(res, event))) return;
    }
    if (end) res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    stats: () => ({ rejected, peakInFlight }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function answerOf(request: RecordedRequest, reply: Extract<Reply, { kind: "text" | "tool_calls" }>): Answer {
  const calls = reply.kind === "tool_calls" ? reply.calls : [];
  const scripted = {
    text: reply.text ?? "",
    thinking: reply.thinking ?? "",
    calls: calls.map((call, i) => ({
      id: call.id ?? `call_${request.index}_${i}`,
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
    })),
  };
  // Rough but deterministic: a token per four characters, at least one.
  const promptChars = request.body.messages.reduce((sum, m) => sum + contentText(m).length, 0);
  const completionChars = scripted.text.length + scripted.thinking.length + scripted.calls.reduce((sum, c) => sum + c.arguments.length, 0);
  const usage = reply.usage ?? { prompt: Math.max(1, Math.ceil(promptChars / 4)), completion: Math.max(1, Math.ceil(completionChars / 4)) };
  return { ...scripted, usage: usageOf(usage.prompt, usage.completion) };
}

function errorBody(status: number): unknown {
  return { error: { message: `the fake server answered ${status}`, type: status >= 500 ? "server_error" : "invalid_request_error", param: null, code: null } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { ...headers, "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Writes and waits until the data is handed to the socket; false when the client has gone. */
function write(res: ServerResponse, data: string | Uint8Array): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    res.once("close", onClose);
    res.write(data, (error) => {
      res.off("close", onClose);
      resolve(error == null);
    });
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
