// In-process ports for a whole run: scripted models (no network), an approval port that answers
// from a list, a clock that ticks by one per reading, and a run store in a temporary folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { createEventBus, type RunEvent } from "../../src/events.js";
import type { AssistantTurn, Model, ModelRequest, StreamOptions } from "../../src/model/types.js";
import type { ApprovalDecision, ApprovalPort, WorkflowProposal } from "../../src/run/approval.js";
import type { ModelFactory } from "../../src/run/model-factory.js";
import type { RunConfig, RunPorts } from "../../src/run/run-frame.js";
import { createRunStore, type RunStore } from "../../src/run/run-store.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import { validateWorkflow } from "../../src/workflow/validate.js";

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `agentwf-${prefix}-`));
  folders.push(dir);
  return dir;
}

const NO_USAGE = { inputTokens: 0, outputTokens: 0 };

export const answer = (text: string, usage = NO_USAGE): AssistantTurn => ({ text, thinking: "", toolCalls: [], stopReason: "stop", usage });

let callCount = 0;
/** The parent calling the workflow tool. */
export const callWorkflow = (args: { name: string; code: string; maxConcurrency?: number }): AssistantTurn => ({
  text: "",
  thinking: "",
  toolCalls: [{ id: `call-${(callCount += 1)}`, name: "workflow", arguments: JSON.stringify(args) }],
  stopReason: "tool_calls",
  usage: NO_USAGE,
});

export type Script = ReadonlyArray<AssistantTurn | ((request: ModelRequest) => AssistantTurn)>;

/** A model that plays `script` in order and keeps a copy of every request. */
export function scriptedModel(id: string, script: Script): { model: Model; requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    model: {
      id,
      async stream(request) {
        requests.push(structuredClone(request));
        const step = script[requests.length - 1];
        if (step === undefined) throw new Error(`${id}: the script has ${script.length} steps; the loop asked for another`);
        return typeof step === "function" ? step(request) : step;
      },
    },
  };
}

export type SubAgentModel = (request: ModelRequest, options: StreamOptions) => Promise<AssistantTurn>;

/** The user prompt a sub-agent was given. */
export const promptOf = (request: ModelRequest): string => request.messages.find((m) => m.role === "user")?.content ?? "";

/** Sub-agents answer "found: PROMPT" at 10 input and 5 output tokens. */
export const echoSubAgent: SubAgentModel = async (request) => answer(`found: ${promptOf(request)}`, { inputTokens: 10, outputTokens: 5 });

/** `fake/parent` plays the script; every other spec is the sub-agent model. */
export function fakeModels(parent: Model, sub: SubAgentModel): ModelFactory {
  const subModel: Model = { id: "fake/sub", stream: (request, options = {}) => sub(request, options) };
  return (spec) => (spec === "fake/parent" ? parent : subModel);
}

/** Answers each proposal with the next decision, and keeps the proposals. */
export function scriptedApproval(decisions: readonly ApprovalDecision[]): ApprovalPort & { proposals: WorkflowProposal[] } {
  const proposals: WorkflowProposal[] = [];
  return {
    proposals,
    async ask(proposal) {
      proposals.push(proposal);
      return decisions[proposals.length - 1] ?? { type: "stop", reason: "no more decisions in the test's script" };
    },
  };
}

export interface RunHarness {
  readonly events: RunEvent[];
  readonly store: RunStore;
  readonly config: RunConfig;
  readonly ports: Omit<RunPorts, "approval">;
  readonly controller: AbortController;
  /** Called with each event as it is written (to act at a moment of the run). */
  onEvent?: (event: RunEvent) => void;
}

/** A run in a fresh workspace and state folder, with a clock that ticks by one per reading. */
export function runHarness(models: ModelFactory, overrides: Partial<RunConfig> = {}): RunHarness {
  let tick = 0;
  const now = () => (tick += 1);
  const bus = createEventBus(now);
  const events: RunEvent[] = [];
  const cwd = tempDir("workspace");
  const store = createRunStore(tempDir("home"), "run-1");
  const controller = new AbortController();
  const harness: RunHarness = {
    events,
    store,
    controller,
    config: { runId: "run-1", task: "audit the tests", cwd, model: "fake/parent", agentModel: "fake/sub", limits: { ...DEFAULT_LIMITS, concurrency: 4 }, ...overrides },
    ports: {
      emit: bus.emit,
      models,
      signal: controller.signal,
      store,
      now,
      // Types are checked on this thread here; the worker thread has its own tests.
      validate: async (code, maxBytes) => validateWorkflow(code, maxBytes),
    },
  };
  bus.subscribe((event) => {
    events.push(event);
    store.record(event);
    harness.onEvent?.(event);
  });
  return harness;
}

/** Checks the lifecycle rule: every agent queued or started ends exactly once, after it began. */
export function unmatchedLifecycles(events: readonly RunEvent[]): string[] {
  const problems: string[] = [];
  const open = new Set<string>();
  const ended = new Set<string>();
  for (const event of events) {
    if (event.type === "agent_queued" || event.type === "agent_start") {
      if (ended.has(event.agentId)) problems.push(`${event.type} after the end of ${event.agentId}`);
      open.add(event.agentId);
    } else if (event.type === "agent_end") {
      if (!open.has(event.agentId)) problems.push(`agent_end of ${event.agentId}, which never began or already ended`);
      open.delete(event.agentId);
      ended.add(event.agentId);
    }
  }
  for (const id of open) problems.push(`${id} never ended`);
  const starts = events.filter((e) => e.type === "workflow_start").map((e) => (e.type === "workflow_start" ? e.workflowId : ""));
  const ends = events.filter((e) => e.type === "workflow_end").map((e) => (e.type === "workflow_end" ? e.workflowId : ""));
  if (starts.join() !== ends.join()) problems.push(`workflows started ${starts.join()} but ended ${ends.join()}`);
  return problems;
}
