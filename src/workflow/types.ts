// The workflow room's contract with the rest of agentwf. Sub-agents are reached only through an
// injected `RunAgent`, whose request and result are plain serializable data, so that a job queue
// on other machines could stand behind it with the sandbox unchanged.
import { DEFAULT_LIMITS as TABLE_DEFAULTS } from "../config/limits.js";
import type { Usage } from "../events.js";

export interface AgentRequest {
  /** Agent type name ("general-purpose"). */
  readonly agent: string;
  readonly prompt: string;
  readonly description: string;
  /** provider/model override. */
  readonly model?: string;
  /** JSON Schema the answer must match; the result is then the parsed value. */
  readonly schema?: Record<string, unknown>;
  /** The progress group the agent belongs to (a Claude Code–format script's phase). */
  readonly phase?: string;
}

/** How one sub-agent ended, as the workflow sees it (the agent loop's AgentOutcome, its answer parsed). */
export type SubAgentOutcome =
  | { readonly ok: true; readonly value: unknown; readonly usage: Usage; readonly turns?: number }
  | {
      readonly ok: false;
      readonly error: string;
      readonly usage: Usage;
      readonly turns?: number;
      /** A run-wide refusal (--max-agents, --budget): no later sub-agent can start either. */
      readonly halt?: boolean;
    };

export interface RunAgentContext {
  /** Unique within the run ("w1.3"); the UI keys panes on it. */
  readonly agentId: string;
  readonly workflowId: string;
  readonly signal: AbortSignal;
  /**
   * Called once the agent type and model are known and the agent begins work; the scheduler then
   * announces it (agent_start). A request refused before this (an unknown agent type) never ran.
   */
  readonly started: (info: { readonly agentType: string; readonly model: string }) => void;
}

export type RunAgent = (request: AgentRequest, context: RunAgentContext) => Promise<SubAgentOutcome>;

export interface WorkflowLimits {
  /** Isolate heap, MiB. */
  readonly memoryMb: number;
  /** CPU time the workflow's own JavaScript may use, ms (waiting on sub-agents is free). */
  readonly cpuTimeMs: number;
  /** Wall clock for the whole workflow, ms (`--timeout`). */
  readonly wallTimeMs: number;
  /** Sub-agents one workflow may start (`--max-agents`). */
  readonly maxAgents: number;
  /** Sub-agents running at once. */
  readonly concurrency: number;
  readonly maxCodeBytes: number;
  /** Size of the value `main` returns, serialized. */
  readonly maxResultBytes: number;
  /** Total size of `wf.log` and console output. */
  readonly maxLogBytes: number;
  /** Items one parallel()/pipeline() call of a Claude Code–format script may take. */
  readonly maxItemsPerCall: number;
  /** Characters of serialized input `reduceAgent` passes on before it truncates. */
  readonly reduceInputChars: number;
}

/**
 * The defaults come from the one table of limits (config/limits.ts: default, bounds, flag, config
 * key, help). That file is data with no imports, the one thing this room reads outside `events`;
 * the type annotation makes the table and this interface fail to compile when they drift apart.
 */
export const DEFAULT_LIMITS: WorkflowLimits = TABLE_DEFAULTS;

/** Why a workflow stopped without a result; the first limit to fire wins. */
export type WorkflowFailureKind =
  | "error"
  | "memory"
  | "cpu_time"
  | "wall_time"
  | "aborted"
  | "result_too_large"
  | "invalid_result"
  /** main awaits something nothing can settle: no sub-agent is running and the isolate is idle. */
  | "deadlock";

export type WorkflowOutcome =
  | { readonly ok: true; readonly result: string; readonly agents: number; readonly failedAgents: number }
  | {
      readonly ok: false;
      readonly kind: WorkflowFailureKind;
      readonly error: string;
      readonly agents: number;
      readonly failedAgents: number;
    };
