// The workflow room's contract with the rest of agentwf. Sub-agents are reached only through an
// injected `RunAgent`, whose request and result are plain serializable data, so that a job queue
// on other machines could stand behind it with the sandbox unchanged.
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
  /**
   * `worktree`: the agent works in its own git worktree; its result is `{ value, patch }`, where
   * `patch` carries its changes (or is null when it changed nothing).
   */
  readonly isolation?: "worktree";
  /** The progress group the agent belongs to (a Claude Code–format script's phase). */
  readonly phase?: string;
}

/** One isolated agent's changes, as the workflow sees them (`wf.applyPatches` takes them back by id). */
export interface PatchInfo {
  readonly id: string;
  /** Changed paths, relative to the repository root. */
  readonly files: readonly string[];
  /** The unified diff, cut with a visible marker past a size budget (the whole patch is in the run folder). */
  readonly diff: string;
}

/** What `wf.applyPatches` reports: every patch is either applied or kept with why it was not. */
export interface ApplyReport {
  readonly applied: readonly string[];
  readonly conflicts: ReadonlyArray<{ readonly id: string; readonly files: readonly string[]; readonly error: string; readonly patchFile: string; readonly worktree?: string }>;
}

/** Applies isolated agents' patches to the workspace, by id, in order. Never throws for a patch that does not apply. */
export type ApplyPatches = (ids: readonly string[]) => Promise<ApplyReport>;

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
      /** The model server's usage limit outlasted the retries (a 429 with a long Retry-After). */
      readonly usageLimit?: boolean;
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

/**
 * What a workflow's clock and random numbers are (runtime-source.ts): fixed per run, so that a
 * resumed run, which replays the workflow, makes the same requests as the first.
 */
export interface Determinism {
  /** What Date.now() and new Date() give: the run's first start, ms. */
  readonly clockMs: number;
  /** Seeds Math.random(): the run id. */
  readonly seed: string;
}

/**
 * Every limit, always passed in: this room imports `events` only, so it holds no defaults. They
 * come from the one table of limits (config/limits.ts), whose `Limits` type callers pass here, so
 * the table and this interface fail to compile when they drift apart.
 */
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
