// What every run has around its work, for `run` and `exec` alike: run_start, the usage meter and
// budget, the sub-agents, the one workflow step, a stop that ends everything, the report saved,
// and run_end — written here and only here, with one precedence for how the run ended.
import { setMaxListeners } from "node:events";
import type { CostEstimate, Emit, RunStatus, Usage } from "../events.js";
import type { AgentFailureKind } from "../agent/agent-loop.js";
import type { SandboxMode } from "../agent/sandbox-mode.js";
import type { WorkflowLimits } from "../workflow/types.js";
import type { ValidateWorkflow } from "../workflow/validate.js";
import type { ApprovalPort } from "./approval.js";
import type { BudgetLimit } from "./budget.js";
import type { ConfirmThreshold } from "./confirm-threshold.js";
import { estimateCost } from "./cost-estimate.js";
import { createRunControl, type PausePrompt, type RunControls } from "./run-control.js";
import type { ModelFactory } from "./model-factory.js";
import type { Replay } from "./journal.js";
import type { RunStore } from "./run-store.js";
import { prepareSubAgents, type RunSandbox, type SubAgentSetup } from "./sub-agents.js";
import type { EnvLike, SecretScrubber } from "../config/secret-env.js";
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
  /** --sandbox, --network, `.env` reading; read-only, no network, no `.env` when not given. */
  readonly sandbox?: RunSandbox;
  /** The person's home, where their own agent files are looked for too. */
  readonly home?: string;
  /** Past this projection a workflow asks before it runs (--confirm-over); absent: no projection. */
  readonly confirmOver?: ConfirmThreshold;
  /** --yes-over: past the threshold it runs without asking. */
  readonly yesOver?: boolean;
  /**
   * When the run first started (ms), the same on every resume: the date in prompts and what a
   * workflow's Date.now() returns, so that a resumed run asks for exactly what the first one did.
   */
  readonly startedAt?: number;
  /**
   * When the shell sandbox is checked and the sandbox child started: at the run's start (exec, and
   * run --yes: a workflow runs as soon as it is valid), or once a workflow has passed validation
   * (run that asks first: the person reading the approval screen hides their start-up, which
   * before it only competed for the CPU with the parent's request, the UI and the type check).
   */
  readonly sandboxesAt?: "start" | "validated";
}

export interface RunPorts {
  readonly emit: Emit;
  readonly models: ModelFactory;
  readonly signal: AbortSignal;
  readonly validate: ValidateWorkflow;
  readonly approval?: ApprovalPort;
  readonly store?: RunStore;
  readonly now?: () => number;
  /** The person's environment, for the tools' processes (allow-listed) and none when not given. */
  readonly env?: EnvLike;
  /** Removes known key values from tool output. */
  readonly scrub?: SecretScrubber;
  /** Asks on a terminal whether to run a workflow past --confirm-over (when no approval screen does). */
  readonly confirmOver?: (question: string, signal: AbortSignal) => Promise<boolean>;
  /** Asks the person at a budget or usage-limit pause; without it such a pause ends the run as paused. */
  readonly pausePrompt?: PausePrompt;
  /** Receives the run's controls once it starts (the live view's p, x, r keys). */
  readonly onControls?: (controls: RunControls) => void;
  /** A resumed run's journal: finished sub-agents, the parent's answers, approved code. */
  readonly replay?: Replay;
  /** Starts the sandbox child for the next workflow, unless one is waiting (with sandboxesAt "validated"). */
  readonly prepareSandbox?: () => void;
}

/** Why a run failed, for the exit code: a model error, or a workflow file that did not validate. */
export type RunErrorKind = AgentFailureKind | "invalid_workflow" | "over_threshold";

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
  /** Each workflow's projection before it ran. */
  readonly estimates?: ReadonlyArray<{ readonly workflowId: string; readonly estimate: CostEstimate }>;
  /** A paused run: what it had spent, so a resume with a higher --budget counts from there. */
  readonly spent?: { readonly usd: number; readonly tokens: number };
}

export type RunEnding = Omit<RunOutcome, "usage" | "agents" | "failedAgents" | "estimates" | "spent">;

export interface OpenRun {
  readonly emit: Emit;
  readonly replay?: Replay;
  readonly store?: RunStore;
  readonly now: () => number;
  readonly subAgents: SubAgentSetup;
  readonly workflows: WorkflowStep;
  /** Aborts when the run is interrupted or stopped; everything the run starts listens here. */
  readonly signal: AbortSignal;
  /** Stops the whole run (the person chose "stop" at approval). */
  stop(reason: string): void;
  /** Ends the run with this ending (a refusal past --confirm-over, a pause); everything running stops. */
  end(ending: RunEnding): void;
}

/** Runs `work` between run_start and run_end; the run's status follows a stop, then an interrupt. */
export async function withRun(config: RunConfig, ports: RunPorts, work: (run: OpenRun) => Promise<RunEnding>): Promise<RunOutcome> {
  const now = ports.now ?? Date.now;
  // The budget is kept by the run's control, which pauses instead of refusing (issue 11).
  const meter = meterUsage(ports.emit);
  let forced: RunEnding | undefined;

  // Stopping at approval ends the parent too: its pending model call and tools see this signal.
  const stop = new AbortController();
  // The parent's concurrent tool calls and model call all listen here.
  setMaxListeners(0, stop.signal);
  const onAbort = () => stop.abort();
  ports.signal.addEventListener("abort", onAbort, { once: true });
  if (ports.signal.aborted) stop.abort();
  let stopReason: string | undefined;
  const end = (ending: RunEnding) => {
    forced ??= ending;
    stop.abort();
  };
  const control = createRunControl({
    emit: meter.emit,
    budget: config.budget,
    ...(ports.replay?.spent !== undefined ? { spentBefore: ports.replay.spent } : {}),
    signal: stop.signal,
    ...(ports.pausePrompt !== undefined ? { prompt: ports.pausePrompt } : {}),
    endPaused: (reason) => end({ status: "paused", error: reason }),
  });
  const emit: Emit = (event) => {
    if (event.type === "usage") control.record(event.usage);
    meter.emit(event);
  };
  ports.onControls?.(control);
  emit({ type: "run_start", runId: config.runId, task: config.task, model: config.model, cwd: config.cwd });

  let ending: RunEnding;
  let workflows: WorkflowStep | undefined;
  let subAgents: SubAgentSetup | undefined;
  try {
    const startedAt = config.startedAt ?? now();
    subAgents = await prepareSubAgents({
      cwd: config.cwd,
      home: config.home,
      models: ports.models,
      defaultModel: config.agentModel ?? config.model,
      emit,
      store: ports.store,
      now,
      ...(config.sandbox !== undefined ? { sandbox: config.sandbox } : {}),
      ...(ports.env !== undefined ? { env: ports.env } : {}),
      ...(ports.scrub !== undefined ? { scrub: ports.scrub } : {}),
      today: startedAt,
      replay: ports.replay,
      checkShellNow: config.sandboxesAt !== "validated",
    });
    const prepared = subAgents;
    const validate: ValidateWorkflow =
      config.sandboxesAt === "validated"
        ? async (code, maxBytes) => {
            const result = await ports.validate(code, maxBytes);
            if (result.ok) {
              prepared.checkShell();
              ports.prepareSandbox?.();
            }
            return result;
          }
        : ports.validate;
    workflows = createWorkflowStep({
      runAgent: control.wrap(subAgents.runAgent),
      applyPatches: subAgents.applyPatches,
      limits: config.limits,
      defaultAgent: DEFAULT_AGENT,
      emit,
      signal: stop.signal,
      now,
      validate,
      approval: ports.approval,
      store: ports.store,
      input: config.input,
      ...(config.confirmOver !== undefined
        ? {
            costGate: {
              estimate: (code: string) =>
                estimateCost(code, { model: config.agentModel ?? config.model, maxAgents: config.limits.maxAgents, reduceInputChars: config.limits.reduceInputChars, input: config.input }),
              threshold: config.confirmOver,
              yesOver: config.yesOver === true,
              ...(ports.confirmOver !== undefined ? { ask: ports.confirmOver } : {}),
            },
          }
        : {}),
      replay: ports.replay,
      determinism: { clockMs: startedAt, seed: config.runId },
      ...(config.budget?.kind === "tokens" ? { budgetTokens: config.budget.amount } : {}),
    });
    ending = await work({
      emit,
      replay: ports.replay,
      store: ports.store,
      now,
      subAgents,
      workflows,
      signal: stop.signal,
      stop(reason) {
        stopReason ??= reason;
        stop.abort();
      },
      end,
    });
  } catch (error) {
    ending = { status: "failed", error: error instanceof Error ? error.message : String(error) };
  } finally {
    ports.signal.removeEventListener("abort", onAbort);
    // Run end: no command outlives the run, and the copy-on-write layers go.
    subAgents?.dispose();
  }

  if (forced !== undefined) ending = forced;
  else if (stopReason !== undefined) ending = { status: "rejected", error: stopReason };
  else if (ports.signal.aborted) ending = { status: "interrupted", error: "interrupted" };
  const counts = workflows?.counts() ?? { agents: 0, failedAgents: 0 };
  const estimates = workflows?.estimates() ?? [];
  const outcome: RunOutcome = {
    ...ending,
    usage: meter.total(),
    ...counts,
    ...(estimates.length > 0 ? { estimates } : {}),
    ...(ending.status === "paused" ? { spent: control.spent() } : {}),
  };
  if (outcome.report !== undefined) await ports.store?.saveReport(ports.scrub?.(outcome.report) ?? outcome.report).catch(() => undefined);
  emit({ type: "run_end", runId: config.runId, status: outcome.status, error: outcome.error, usage: outcome.usage, ...counts });
  return outcome;
}
