// `--model demo`: an offline, deterministic stand-in for a model server. It drives the real
// machinery (tool calls through the agent loop, a workflow through the sandbox, sub-agents through
// the scheduler) with a fixed plan: whatever the task, it audits test coverage.
//   parent      lists the workspace, finds its packages from their manifests, proposes a workflow
//               (demo/workflow.ts), and writes the report from its result (demo/report.ts);
//   sub-agents  ("[demo:audit]", "[demo:imports]") walk one package with glob, list_dir and grep,
//               paging through every cut result, and answer with JSON (demo/scan-turns.ts).
// The rule that decides what counts as tested lives in demo/ and is stated in every report.
import type { Usage } from "../events.js";
import { parentTurn } from "./demo/parent-turns.js";
import { scanTurn } from "./demo/scan-turns.js";
import { DEMO_AUDIT_MARKER, DEMO_IMPORTS_MARKER } from "./demo/workflow.js";
import type { AssistantTurn, Model, ModelRequest, StreamOptions, ToolCall } from "./types.js";

export { DEMO_AUDIT_MARKER, DEMO_IMPORTS_MARKER, demoWorkflow } from "./demo/workflow.js";

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function usageOf(request: ModelRequest, output: string): Usage {
  const input = request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
  return { inputTokens: input, outputTokens: estimateTokens(output), costUsd: 0 };
}

let callCounter = 0;
function toolCall(name: string, args: Readonly<Record<string, unknown>>): ToolCall {
  callCounter += 1;
  return { id: `demo${String(callCounter).padStart(5, "0")}`, name, arguments: JSON.stringify(args) };
}

function decide(request: ModelRequest): { text: string; toolCalls: ToolCall[] } {
  const prompt = request.messages.find((m) => m.role === "user")?.content ?? "";
  const step = request.tools?.some((t) => t.name === "workflow")
    ? parentTurn(request)
    : prompt.startsWith(DEMO_AUDIT_MARKER)
      ? scanTurn(request, prompt, "audit")
      : prompt.startsWith(DEMO_IMPORTS_MARKER)
        ? scanTurn(request, prompt, "imports")
        : { text: "The demo model only runs its built-in test-coverage audit; use -m provider/model for other tasks.", calls: [] };
  return { text: step.text, toolCalls: step.calls.map((call) => toolCall(call.name, call.args)) };
}

/** The offline demo model. */
export function createDemoModel(): Model {
  return {
    id: "demo",
    async stream(request: ModelRequest, options: StreamOptions = {}): Promise<AssistantTurn> {
      if (options.signal?.aborted) return { text: "", thinking: "", toolCalls: [], stopReason: "aborted", usage: { inputTokens: 0, outputTokens: 0 } };
      const { text, toolCalls } = decide(request);
      // Stream in pieces, as a server would, so that live views have something to show: a few words
      // at a time (a report naming 60k files went out as 200k one-word events).
      for (const piece of text.match(/[\s\S]{1,80}(?:\S*\s*)/g) ?? []) options.onDelta?.({ type: "text", delta: piece });
      const usage = usageOf(request, text + toolCalls.map((c) => c.arguments).join(""));
      return { text, thinking: "", toolCalls, stopReason: toolCalls.length > 0 ? "tool_calls" : "stop", usage };
    },
  };
}
