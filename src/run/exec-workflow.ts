// `agentwf exec FILE`: runs a workflow the person wrote or saved, with no parent agent. The person
// chose the file, so it is not put to approval, but it is validated exactly as generated code is.
import type { Emit, RunStatus, Usage } from "../events.js";
import { runWorkflow } from "../workflow/sandbox.js";
import type { WorkflowLimits } from "../workflow/types.js";
import { formatDiagnostic, validateWorkflow } from "../workflow/validate.js";
import type { BudgetLimit } from "./budget.js";
import { meterUsage } from "./usage-meter.js";
import type { ModelFactory } from "./model-factory.js";
import type { RunStore } from "./run-store.js";
import { DEFAULT_AGENT } from "./session.js";
import { prepareSubAgents } from "./sub-agents.js";

export interface ExecConfig {
  readonly runId: string;
  readonly file: string;
  readonly code: string;
  readonly input: unknown;
  readonly cwd: string;
  readonly model: string;
  readonly limits: WorkflowLimits;
  readonly budget?: BudgetLimit;
}

export interface ExecResult {
  readonly status: RunStatus;
  readonly result?: string;
  readonly error?: string;
  /** Validation findings, when the code did not pass. */
  readonly diagnostics?: readonly string[];
  readonly usage: Usage;
  readonly agents: number;
  readonly failedAgents: number;
}

/** Validates and runs one workflow file. */
export async function execWorkflow(
  config: ExecConfig,
  ports: { emit: Emit; models: ModelFactory; signal: AbortSignal; store?: RunStore },
): Promise<ExecResult> {
  const meter = meterUsage(ports.emit, config.budget);
  const emit = meter.emit;
  emit({ type: "run_start", runId: config.runId, task: `exec ${config.file}`, model: config.model, cwd: config.cwd });
  const finish = (result: ExecResult): ExecResult => {
    emit({
      type: "run_end",
      runId: config.runId,
      status: result.status,
      ...(result.error !== undefined ? { error: result.error } : {}),
      usage: meter.total(),
      agents: result.agents,
      failedAgents: result.failedAgents,
    });
    return result;
  };

  const validation = validateWorkflow(config.code, config.limits.maxCodeBytes);
  if (!validation.ok) {
    const diagnostics = validation.diagnostics.map(formatDiagnostic);
    return finish({ status: "failed", error: `${config.file} did not pass validation`, diagnostics, usage: meter.total(), agents: 0, failedAgents: 0 });
  }
  const { runAgent } = await prepareSubAgents({
    cwd: config.cwd,
    models: ports.models,
    defaultModel: config.model,
    emit,
    ...(ports.store ? { store: ports.store } : {}),
  });
  await ports.store?.saveWorkflow("w1", "exec", config.code).catch(() => undefined);
  const started = Date.now();
  emit({ type: "workflow_start", workflowId: "w1", name: config.file });
  const outcome = await runWorkflow({
    code: config.code,
    workflowId: "w1",
    input: config.input,
    defaultAgent: DEFAULT_AGENT,
    runAgent,
    limits: config.limits,
    emit,
    signal: ports.signal,
    ...(meter.canStart ? { canStart: meter.canStart } : {}),
  });
  emit({ type: "workflow_end", workflowId: "w1", ok: outcome.ok, ...(outcome.ok ? {} : { error: outcome.error }), durationMs: Date.now() - started });
  const counts = { agents: outcome.agents, failedAgents: outcome.failedAgents };
  if (outcome.ok) {
    await ports.store?.saveReport(outcome.result).catch(() => undefined);
    return finish({ status: "done", result: outcome.result, usage: meter.total(), ...counts });
  }
  const status: RunStatus = outcome.kind === "aborted" ? "interrupted" : "failed";
  return finish({ status, error: `the workflow failed (${outcome.kind}): ${outcome.error}`, usage: meter.total(), ...counts });
}
