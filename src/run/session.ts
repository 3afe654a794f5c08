// One `agentwf run` from task to report: the parent agent with its tools and the workflow tool,
// inside the run frame (run-frame.ts) that `exec` shares. It renders nothing; front ends subscribe
// to its events.
import { runAgentLoop, type AgentOutcome } from "../agent/agent-loop.js";
import { emptyUsage } from "../events.js";
import { agentLifecycle } from "../workflow/agent-lifecycle.js";
import { journaledModel } from "./journaled-model.js";
import { parentSystemPrompt } from "./parent-prompt.js";
import { withRun, type RunConfig, type RunOutcome, type RunPorts } from "./run-frame.js";
import { createWorkflowTool } from "./workflow-tool.js";
import type { Dialect } from "../workflow/dialect.js";

export interface SessionConfig extends RunConfig {
  readonly parentMaxTurns: number;
  /** The workflow format the parent is taught to write; default "main". */
  readonly dialect?: Dialect;
}

export interface SessionPorts extends RunPorts {
  readonly approval: NonNullable<RunPorts["approval"]>;
}

/** Runs the parent agent on the task until it writes its report, or until it stops. */
export async function runSession(config: SessionConfig, ports: SessionPorts): Promise<RunOutcome> {
  return withRun(config, ports, async (run) => {
    const { agentTypes, tools, promptContext } = run.subAgents;
    const dialect = config.dialect ?? "main";
    const workflowTool = createWorkflowTool({
      workflows: run.workflows,
      onStop: run.stop,
      dialect,
      onRefused: (reason) => run.end({ status: "failed", error: reason, errorKind: "over_threshold" }),
    });
    // Journaled, so that `--resume` restores the parent's conversation without model calls.
    const parentModel = journaledModel(ports.models(config.model), { agentId: "parent", store: run.store, replay: run.replay, now: run.now });
    const parent = agentLifecycle(run.emit, run.now, "parent");
    parent.started({ role: "parent", agentType: "parent", description: config.task.split("\n")[0]?.slice(0, 80) ?? "", model: parentModel.id });
    let outcome: AgentOutcome | undefined;
    try {
      outcome = await runAgentLoop({
        agentId: "parent",
        model: parentModel,
        systemPrompt: await parentSystemPrompt(agentTypes, promptContext, dialect),
        prompt: config.task,
        tools: [...tools, workflowTool],
        maxTurns: config.parentMaxTurns,
        emit: run.emit,
        signal: run.signal,
        // --timeout bounds the parent's own model calls too, not only its workflows.
        modelTimeoutMs: config.limits.wallTimeMs,
      });
    } finally {
      parent.ended(outcome ?? { ok: false, error: "the parent agent failed", usage: emptyUsage() });
    }
    return outcome.ok ? { status: "done", report: outcome.text } : { status: "failed", error: outcome.error, errorKind: outcome.kind };
  });
}
