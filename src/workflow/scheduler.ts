// Decides when a sub-agent may start: a cap on how many run at once and on how many one workflow
// may start in all. The cap is enforced here, in the host, so neither a huge mapAgents nor a flood
// of un-awaited runAgent calls can reach the model server. It also owns each sub-agent's
// lifecycle events, so that every agent it announces gets its end whatever stops it.
import { emptyUsage, type Emit } from "../events.js";
import { agentLifecycle, type AgentLifecycle } from "./agent-lifecycle.js";
import type { AgentRequest, SubAgentOutcome, RunAgent } from "./types.js";

export interface SchedulerOptions {
  readonly runAgent: RunAgent;
  readonly workflowId: string;
  readonly concurrency: number;
  readonly maxAgents: number;
  readonly signal: AbortSignal;
  /** Where agent_queued, agent_start and agent_end go. */
  readonly emit: Emit;
  readonly now?: () => number;
  /** Asked just before each sub-agent starts; a reason refuses the start (`--budget` spent). */
  readonly canStart?: () => string | undefined;
}

export interface Scheduler {
  /** Queues one sub-agent; resolves with its result, or a failure naming the limit that stopped it. */
  dispatch(request: AgentRequest): Promise<SubAgentOutcome>;
  readonly stats: () => { started: number; failed: number; running: number; queued: number };
}

const CANCELLED = "cancelled";

export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  let started = 0;
  let failed = 0;
  let running = 0;
  const waiting: Array<() => void> = [];
  const open = new Set<AgentLifecycle>();

  // Cancellation ends every announced agent at once, so no end waits on a sub-agent that is slow to
  // notice the signal, and the queue is woken so that each waiter returns "cancelled".
  options.signal.addEventListener(
    "abort",
    () => {
      for (const life of open) life.ended({ ok: false, error: CANCELLED, usage: emptyUsage() });
      open.clear();
      for (const wake of waiting.splice(0)) {
        running += 1;
        wake();
      }
    },
    { once: true },
  );

  const acquire = (): Promise<void> => {
    if (running < options.concurrency) {
      running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next waiter, so `running` stays counted.
    if (next !== undefined) next();
    else running -= 1;
  };

  /** Runs the sub-agent once a slot is free; the caller releases the slot after its end is written. */
  async function runInSlot(request: AgentRequest, agentId: string, life: AgentLifecycle): Promise<SubAgentOutcome> {
    try {
      if (options.signal.aborted) return { ok: false, error: CANCELLED, usage: emptyUsage() };
      const refusal = options.canStart?.();
      if (refusal !== undefined) return { ok: false, error: refusal, usage: emptyUsage(), halt: true };
      return await options.runAgent(request, {
        agentId,
        workflowId: options.workflowId,
        signal: options.signal,
        started: (info) => life.started({ role: "sub", description: request.description, ...info, ...(request.phase !== undefined ? { phase: request.phase } : {}) }),
      });
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error), usage: emptyUsage() };
    }
  }

  async function dispatch(request: AgentRequest): Promise<SubAgentOutcome> {
    if (started >= options.maxAgents) {
      failed += 1;
      return {
        ok: false,
        error: `not started: this workflow reached its limit of ${options.maxAgents} sub-agents (--max-agents ${options.maxAgents}); raise it or give fewer items`,
        usage: emptyUsage(),
        halt: true,
      };
    }
    started += 1;
    const agentId = `${options.workflowId}.${started}`;
    const life = agentLifecycle(options.emit, now, agentId, options.workflowId);
    open.add(life);
    if (running >= options.concurrency) life.queued(request.description, request.phase);
    await acquire();
    const result = await runInSlot(request, agentId, life);
    open.delete(life);
    if (!result.ok) failed += 1;
    life.ended(result.ok ? { ok: true, usage: result.usage, turns: result.turns } : { ok: false, error: result.error, usage: result.usage, turns: result.turns });
    // The end is written before the next agent in the queue starts.
    release();
    return result;
  }

  return {
    dispatch,
    stats: () => ({ started, failed, running, queued: waiting.length }),
  };
}
