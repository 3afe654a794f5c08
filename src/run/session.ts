// One `agentwf run` from task to report: wires the parent agent, its tools, the workflow tool,
// approval and the run store. It renders nothing; front ends subscribe to its events.
import { setMaxListeners } from "node:events";
import { runAgentLoop, type AgentFailureKind } from "../agent/agent-loop.js";
import type { Emit, RunStatus, Usage } from "../events.js";
import type { WorkflowLimits } from "../workflow/types.js";
import type { ApprovalPort } from "./approval.js";
import type { BudgetLimit } from "./budget.js";
import type { ModelFactory } from "./model-factory.js";
import { parentSystemPrompt } from "./parent-prompt.js";
import type { RunStore } from "./run-store.js";
import { prepareSubAgents } from "./sub-agents.js";
import { meterUsage } from "./usage-meter.js";
import { createWorkflowTool } from "./workflow-tool.js";

export interface SessionConfig {
  readonly runId: string;
  readonly task: string;
  readonly cwd: string;
  readonly model: string;
  readonly agentModel: string | undefined;
  readonly limits: WorkflowLimits;
  readonly parentMaxTurns: number;
  readonly budget?: BudgetLimit;
}

export interface SessionPorts {
  readonly approval: ApprovalPort;
  readonly emit: Emit;
  readonly models: ModelFactory;
  readonly signal: AbortSignal;
  readonly store?: RunStore;
  readonly now?: () => number;
}

export interface SessionResult {
  readonly status: RunStatus;
  readonly report?: string;
  readonly error?: string;
  readonly errorKind?: AgentFailureKind;
  readonly usage: Usage;
  readonly agents: number;
  readonly failedAgents: number;
}

export const DEFAULT_AGENT = "general-purpose";

/** Runs the parent agent on the task until it writes its report, or until it stops. */
export async function runSession(config: SessionConfig, ports: SessionPorts): Promise<SessionResult> {
  const now = ports.now ?? Date.now;
  let agents = 0;
  let failedAgents = 0;
  const meter = meterUsage(ports.emit, config.budget);
  const emit = meter.emit;
  emit({ type: "run_start", runId: config.runId, task: config.task, model: config.model, cwd: config.cwd });

  const { agentTypes, tools, promptContext, runAgent } = await prepareSubAgents({
    cwd: config.cwd,
    models: ports.models,
    defaultModel: config.agentModel ?? config.model,
    emit,
    ...(ports.store ? { store: ports.store } : {}),
    now,
  });

  // Stopping at approval ends the parent too: its pending model call and tools see this signal.
  const stop = new AbortController();
  // The parent's concurrent tool calls and model call all listen here.
  setMaxListeners(0, stop.signal);
  const onAbort = () => stop.abort();
  ports.signal.addEventListener("abort", onAbort, { once: true });
  // A Ctrl-C during the setup above has already fired: a listener added now would never hear it.
  if (ports.signal.aborted) stop.abort();
  let stopReason: string | undefined;

  const workflowTool = createWorkflowTool({
    approval: ports.approval,
    runAgent,
    limits: config.limits,
    defaultAgent: DEFAULT_AGENT,
    emit,
    signal: stop.signal,
    ...(ports.store ? { store: ports.store } : {}),
    onStop(reason) {
      stopReason = reason;
      stop.abort();
    },
    ...(meter.canStart ? { canStart: meter.canStart } : {}),
    onOutcome(outcome) {
      agents += outcome.agents;
      failedAgents += outcome.failedAgents;
    },
  });

  const started = now();
  const parentModel = ports.models(config.model);
  emit({ type: "agent_start", agentId: "parent", role: "parent", agentType: "parent", description: config.task.split("\n")[0]?.slice(0, 80) ?? "", model: parentModel.id });
  const outcome = await runAgentLoop({
    agentId: "parent",
    model: parentModel,
    systemPrompt: await parentSystemPrompt(agentTypes, promptContext),
    prompt: config.task,
    tools: [...tools, workflowTool],
    maxTurns: config.parentMaxTurns,
    emit,
    signal: stop.signal,
    // --timeout bounds the parent's own model calls too, not only its workflows.
    modelTimeoutMs: config.limits.wallTimeMs,
  });
  ports.signal.removeEventListener("abort", onAbort);
  emit({
    type: "agent_end",
    agentId: "parent",
    ok: outcome.ok,
    ...(outcome.ok ? {} : { error: outcome.error }),
    usage: outcome.usage,
    turns: outcome.turns,
    durationMs: now() - started,
  });

  const usage = meter.total();
  let result: SessionResult;
  if (stopReason !== undefined) result = { status: "rejected", error: stopReason, usage, agents, failedAgents };
  else if (ports.signal.aborted) result = { status: "interrupted", error: "interrupted", usage, agents, failedAgents };
  else if (!outcome.ok) result = { status: "failed", error: outcome.error, errorKind: outcome.kind, usage, agents, failedAgents };
  else result = { status: "done", report: outcome.text, usage, agents, failedAgents };

  if (result.report !== undefined) await ports.store?.saveReport(result.report).catch(() => undefined);
  emit({
    type: "run_end",
    runId: config.runId,
    status: result.status,
    ...(result.error !== undefined ? { error: result.error } : {}),
    usage,
    agents,
    failedAgents,
  });
  return result;
}
