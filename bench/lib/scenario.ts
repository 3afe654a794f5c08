// The fake model server's scripts for the benchmarks: a parent that proposes one workflow and then
// answers, and sub-agents that make one tool call and then answer, after a fixed latency.
import { contentText, startFakeServer, text, toolCalls, type FakeServer, type FakeServerOptions, type RecordedRequest, type Reply } from "../../test/helpers/fake-openai-server.js";

export interface ScenarioOptions {
  /** Time before each sub-agent answer starts. */
  readonly latencyMs: number;
  /** Each sub-agent first calls list_dir, then answers (two requests per sub-agent). */
  readonly toolCall: boolean;
  /** The sub-agent's answer. */
  readonly answer?: string | ((request: RecordedRequest) => string);
  /** Pause between the answer's chunks (4 characters each). */
  readonly chunkDelayMs?: number;
  /** The workflow the parent proposes (for `run`); a function gives new code each time. */
  readonly parentCode?: string | (() => string);
  readonly maxConcurrent?: number;
}

export interface Scenario {
  readonly server: FakeServer;
  /** performance.now() when the first sub-agent request arrived, for this run. */
  firstSubAgentAt(): number | undefined;
  /** Sub-agent and parent requests so far. */
  counts(): { readonly subAgent: number; readonly parent: number };
  /** Forget the first-request time and counts, before the next run. */
  reset(): void;
  close(): Promise<void>;
}

/** The parent is the one agent offered the `workflow` tool. */
export function isParent(request: RecordedRequest): boolean {
  return request.body.tools?.some((tool) => tool.function.name === "workflow") === true;
}

const hasToolResult = (request: RecordedRequest) => request.body.messages.some((m) => m.role === "tool");

export function parentReply(request: RecordedRequest, code: string): Reply {
  if (!hasToolResult(request)) return toolCalls({ name: "workflow", arguments: { name: "bench", code } });
  const result = request.body.messages.filter((m) => m.role === "tool").map(contentText).join("\n");
  return text(`The workflow finished. ${result.slice(0, 200)}`);
}

export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  let first: number | undefined;
  let subAgent = 0;
  let parent = 0;
  const serverOptions: FakeServerOptions = {
    latencyMs: (request) => (isParent(request) ? 0 : options.latencyMs),
    ...(options.maxConcurrent !== undefined ? { maxConcurrent: options.maxConcurrent } : {}),
    // Start-up ends when the first sub-agent request arrives, before its latency.
    onRequest: (request) => {
      if (first === undefined && !isParent(request)) first = performance.now();
    },
  };
  const server = await startFakeServer((request) => {
    if (isParent(request)) {
      parent += 1;
      const code = typeof options.parentCode === "function" ? options.parentCode() : options.parentCode;
      return parentReply(request, code ?? "async function main(wf) { return wf.runAgent('x'); }");
    }
    subAgent += 1;
    if (options.toolCall && !hasToolResult(request)) return toolCalls({ name: "list_dir", arguments: { path: "." } });
    const answer = typeof options.answer === "function" ? options.answer(request) : (options.answer ?? "done");
    return text(answer, options.chunkDelayMs !== undefined ? { chunkDelayMs: options.chunkDelayMs } : {});
  }, serverOptions);
  return {
    server,
    firstSubAgentAt: () => first,
    counts: () => ({ subAgent, parent }),
    reset() {
      first = undefined;
      subAgent = 0;
      parent = 0;
      server.requests.length = 0;
    },
    close: () => server.close(),
  };
}

/** A workflow of `n` sub-agents in one mapAgents call. */
export function fanOutCode(n: number): string {
  return `async function main(wf) {\n  const out = await wf.mapAgents(Array.from({ length: ${n} }, (_, i) => i), "item {item}: list the workspace and say done");\n  return "finished " + out.length;\n}\n`;
}
