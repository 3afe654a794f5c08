// The real OpenAI model (SDK client included) pointed at a fake server, with a sleep that records
// the waits it is asked for and returns at once, so retry tests need no real time.
import { afterEach } from "vitest";
import { DEFAULT_RETRY_POLICY } from "../../src/model/retry-policy.js";
import { createOpenAIClient, createOpenAIModel, type OpenAIModelOptions } from "../../src/model/openai-model.js";
import type { AssistantTurn, ModelDelta, ModelRequest, StreamOptions } from "../../src/model/types.js";
import { startFakeServer, type FakeServer, type FakeServerOptions, type Handler } from "./fake-openai-server.js";

export interface ModelHarness {
  /** The waits the model asked for, in milliseconds, in order. */
  readonly delays: number[];
  /** Every live delta of every call, in order. */
  readonly deltas: ModelDelta[];
  /** One model call; a string is sent as a single user message. */
  call(request?: string | ModelRequest, signal?: AbortSignal): Promise<AssistantTurn>;
  /** One model call with stream options of the test's choosing (onDelta is the harness's). */
  callWith(request: ModelRequest, options: Omit<StreamOptions, "onDelta">): Promise<AssistantTurn>;
  /** The retry deltas seen so far. */
  retries(): Array<Extract<ModelDelta, { type: "retry" }>>;
  /** The text deltas since the last retry delta: what a UI would show once the call is done. */
  liveText(): string;
}

export type HarnessOptions = Partial<Omit<OpenAIModelOptions, "client">> & { readonly apiKey?: string };

/** Resolves at once (or rejects if the signal is already aborted) and records the wait. */
export function recordingSleep(delays: number[]): NonNullable<OpenAIModelOptions["sleep"]> {
  return (ms, signal) => {
    delays.push(ms);
    return signal?.aborted ? Promise.reject(new Error("aborted")) : Promise.resolve();
  };
}

export function modelHarness(server: Pick<FakeServer, "baseUrl">, options: HarnessOptions = {}): ModelHarness {
  const delays: number[] = [];
  const deltas: ModelDelta[] = [];
  const { apiKey = "sk-test", ...rest } = options;
  const model = createOpenAIModel({
    id: "fake/test-model",
    model: "test-model",
    retry: DEFAULT_RETRY_POLICY,
    sleep: recordingSleep(delays),
    random: () => 0.5,
    ...rest,
    client: createOpenAIClient(server.baseUrl, apiKey),
  });
  return {
    delays,
    deltas,
    call(request = "hello", signal) {
      const req: ModelRequest = typeof request === "string" ? { messages: [{ role: "user", content: request }] } : request;
      return model.stream(req, { ...(signal ? { signal } : {}), onDelta: (delta) => deltas.push(delta) });
    },
    callWith(request, streamOptions) {
      return model.stream(request, { ...streamOptions, onDelta: (delta) => deltas.push(delta) });
    },
    retries: () => deltas.filter((d): d is Extract<ModelDelta, { type: "retry" }> => d.type === "retry"),
    liveText() {
      const lastRetry = deltas.map((d) => d.type).lastIndexOf("retry");
      return deltas
        .slice(lastRetry + 1)
        .map((d) => (d.type === "text" ? d.delta : ""))
        .join("");
    },
  };
}

/** A request with tools, for tests about tool-call parameters. */
export function toolRequest(prompt = "list the files"): ModelRequest {
  return {
    messages: [{ role: "user", content: prompt }],
    tools: [
      { name: "read_file", description: "Reads a file.", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } },
      { name: "list_dir", description: "Lists a folder.", parameters: { type: "object", properties: { path: { type: "string" } } } },
    ],
  };
}

/** Starts fake servers that are closed after each test of the calling file. */
export function fakeServerPerTest(): (handler: Handler, options?: FakeServerOptions) => Promise<FakeServer> {
  const open: FakeServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (handler, options) => {
    const server = await startFakeServer(handler, options);
    open.push(server);
    return server;
  };
}
