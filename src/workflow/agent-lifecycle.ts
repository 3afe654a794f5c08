// The one place an agent's lifecycle events are written (agent_queued, agent_start, agent_end), for
// the parent and for every sub-agent. Whatever ends an agent — its answer, a failure, a refused
// budget, cancellation — the end goes through `ended`, which writes agent_end exactly once for an
// agent that anything announced, so front ends never keep counting a queued or running agent.
import type { AgentRole, Emit, Usage } from "../events.js";

export interface AgentStartInfo {
  readonly role: AgentRole;
  readonly agentType: string;
  readonly description: string;
  readonly model: string;
  readonly phase?: string;
}

export interface AgentEnding {
  readonly ok: boolean;
  readonly error?: string;
  readonly usage: Usage;
  readonly turns?: number;
}

export interface AgentLifecycle {
  /** The agent waits for a free slot (sub-agents of a workflow only). */
  queued(description: string, phase?: string): void;
  /** The agent begins work; written once. */
  started(info: AgentStartInfo): void;
  /** Writes agent_end once if the agent was queued or started; later calls change nothing. */
  ended(ending: AgentEnding): void;
}

export function agentLifecycle(emit: Emit, now: () => number, agentId: string, workflowId?: string): AgentLifecycle {
  let phase: "new" | "queued" | "running" | "ended" = "new";
  let startedAt: number | undefined;
  return {
    queued(description, group) {
      if (phase !== "new" || workflowId === undefined) return;
      phase = "queued";
      emit({ type: "agent_queued", agentId, workflowId, description, ...(group !== undefined ? { phase: group } : {}) });
    },
    started(info) {
      if (phase === "running" || phase === "ended") return;
      phase = "running";
      startedAt = now();
      emit({ type: "agent_start", agentId, ...info, workflowId });
    },
    ended(ending) {
      if (phase === "new" || phase === "ended") return;
      phase = "ended";
      emit({
        type: "agent_end",
        agentId,
        ok: ending.ok,
        error: ending.ok ? undefined : ending.error,
        usage: ending.usage,
        turns: ending.turns ?? 0,
        durationMs: startedAt === undefined ? 0 : Math.max(0, now() - startedAt),
      });
    },
  };
}
