// What every run has around its work, for `run` and `exec` alike: run_start, the usage meter and
// budget, the sub-agents, the one workflow step, a stop that ends everything, the report saved,
// and run_end — written here and only here, with one precedence for how the run ended.
import { setMaxListeners } from "node:events";
import type { Emit, RunStatus, Usage } from "../events.js";
import type { AgentFailureKind } from "../agent/agent-loop.js";
import type { WorkflowLimits } from "../workflow/types.js";
import type { ValidateWorkflow } from "../workflow/validate.js";
import type { ApprovalPort } from "./approval.js";
import type { BudgetLimit } from "./budget.js";
import type { ModelFactory } from "./model-factory.js";
import type { RunStore } from "./run-store.js";
import { prepareSubAgents, type SubAgentSetup } from "./sub-agents.js";
import { meterUsage } from "./usage-meter.js";
import { createWorkflowStep, type WorkflowStep } from "./workflow-step.js";

export const DEFAULT_AGENT = "general-purpose";

export interface RunConfig {
  readonly runId: string;
  /** What the run is for: the task, or `exec FILE`. */
  readonly task: string;
  readonly cwd: string;
  readonly model: string;
  /** Sub-agents' model when it differs from `model` (`--agent-model`). */
  readonly agentModel?: string;
  readonly limits: WorkflowLimits;
  readonly budget?: BudgetLimit;
  /** `wf.input` for every workflow of the run. */
  readonly input?: unknown;
}

export interface RunPorts {
  readonly emit: Emit;
  readonly models: ModelFactory;
  readonly signal: AbortSignal;
  readonly validate: ValidateWorkflow;
  readonly approval?: ApprovalPort;
  readonly store?: RunStore;
  readonly now?: () => number;
}

/** Why a run failed, for the exit code: a model error, or a workflow file that did not validate. */
export type RunErrorKind = AgentFailureKind | "invalid_workflow";

/** How one `run` or `exec` ended: what the CLI turns into output and an exit code. */
export interface RunOutcome {
  readonly status: RunStatus;
  readonly report?: string;
  readonly error?: string;
  readonly errorKind?: RunErrorKind;
  /** Validation findings, one line each, when the workflow file did not pass. */
  readonly diagnostics?: readonly string[];
  readonly usage: Usage;
  readonly agents: number;
  readonly failedAgents: number;
}

export type RunEnding = Omit<RunOutcome, "usage" | "agents" | "failedAgents">;

export interface OpenRun {
  readonly emit: Emit;
  readonly now: () => number;
  readonly subAgents: SubAgentSetup;
  readonly workflows: WorkflowStep;
  /** Aborts when the run is interrupted or stopped; everything the run starts listens here. */
  readonly signal: AbortSignal;
  /** Stops the whole run (the person chose "stop" at approval). */
  stop(reason: string): void;
}

/** Runs `work` between run_start and run_end; the run's status follows a stop, then an interrupt. */
export async function withRun(config: RunConfig, ports: RunPorts, work: (run: OpenRun) => Promise<RunEnding>): Promise<RunOutcome> {
  const now = ports.now ?? Date.now;
  const meter = meterUsage(ports.emit, config.budget);
  const emit = meter.emit;
  emit({ type: "run_start", runId: config.runId, task: config.task, model: config.model, cwd: config.cwd });

  // Stopping at approval ends the parent too: its pending model call and tools see this signal.
  const stop = new AbortController();
  // The parent's concurrent tool calls and model call all listen here.
  setMaxListeners(0, stop.signal);
  const onAbort = () => stop.abort();
  ports.signal.addEventListener("abort", onAbort, { once: true });
  if (ports.signal.aborted) stop.abort();
  let stopReason: string | undefined;

  let ending: RunEnding;
  let workflows: WorkflowStep | undefined;
  try {
    const subAgents = await prepareSubAgents({ cwd: config.cwd, models: ports.models, defaultModel: config.agentModel ?? config.model, emit, store: ports.store, now });
    workflows = createWorkflowStep({
      runAgent: subAgents.runAgent,
      limits: config.limits,
      defaultAgent: DEFAULT_AGENT,
      emit,
      signal: stop.signal,
      now,
      validate: ports.validate,
      approval: ports.approval,
      store: ports.store,
      input: config.input,
      canStart: meter.canStart,
      ...(config.budget?.kind === "tokens" ? { budgetTokens: config.budget.amount } : {}),
    });
    ending = await work({
      emit,
      now,
      subAgents,
      workflows,
      signal: stop.signal,
      stop(reason) {
        stopReason ??= reason;
        stop.abort();
      },
    });
  } catch (error) {
    ending = { status: "failed", error: error instanceof Error ? error.message : String(error) };
  } finally {
    ports.signal.removeEventListener("abort", onAbort);
  }

  if (stopReason !== undefined) ending = { status: "rejected", error: stopReason };
  else if (ports.signal.aborted) ending = { status: "interrupted", error: "interrupted" };
  const counts = workflows?.counts() ?? { agents: 0, failedAgents: 0 };
  const outcome: RunOutcome = { ...ending, usage: meter.total(), ...counts };
  if (outcome.report !== undefined) await ports.store?.saveReport(outcome.report).catch(() => undefined);
  emit({ type: "run_end", runId: config.runId, status: outcome.status, error: outcome.error, usage: outcome.usage, ...counts });
  return outcome;
}
