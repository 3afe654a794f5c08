// Decides when a sub-agent may start: a cap on how many run at once and on how many one workflow
// may start in all. The cap is enforced here, in the host, so neither a huge mapAgents nor a flood
// of un-awaited runAgent calls can reach the model server.
import type { AgentRequest, AgentResult, RunAgent } from "./types.js";
import { emptyUsage } from "../events.js";

export interface SchedulerOptions {
  readonly runAgent: RunAgent;
  readonly workflowId: string;
  readonly concurrency: number;
  readonly maxAgents: number;
  readonly signal: AbortSignal;
  /** Asked just before each sub-agent starts; a reason refuses the start (`--budget` spent). */
  readonly canStart?: () => string | undefined;
  /** Told when a sub-agent has to wait for a slot, so front ends can count the queue. */
  readonly onQueued?: (agentId: string, request: AgentRequest) => void;
}

export interface Scheduler {
  /** Queues one sub-agent; resolves with its result, or a failure naming the limit that stopped it. */
  dispatch(request: AgentRequest): Promise<AgentResult>;
  readonly stats: () => { started: number; failed: number; running: number; queued: number };
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  let started = 0;
  let failed = 0;
  let running = 0;
  const waiting: Array<() => void> = [];

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

  async function dispatch(request: AgentRequest): Promise<AgentResult> {
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
    if (running >= options.concurrency) options.onQueued?.(agentId, request);
    await acquire();
    try {
      if (options.signal.aborted) {
        failed += 1;
        return { ok: false, error: "cancelled", usage: emptyUsage() };
      }
      const refusal = options.canStart?.();
      if (refusal !== undefined) {
        failed += 1;
        return { ok: false, error: refusal, usage: emptyUsage(), halt: true };
      }
      const result = await options.runAgent(request, { agentId, workflowId: options.workflowId, signal: options.signal });
      if (!result.ok) failed += 1;
      return result;
    } catch (error) {
      failed += 1;
      return { ok: false, error: error instanceof Error ? error.message : String(error), usage: emptyUsage() };
    } finally {
      release();
    }
  }

  return {
    dispatch,
    stats: () => ({ started, failed, running, queued: waiting.length }),
  };
}
