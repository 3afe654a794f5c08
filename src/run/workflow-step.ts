// One workflow from proposal to outcome, the same for `run` (the parent proposes, a person approves)
// and `exec` (the person chose the file, so nothing is asked): validate → approve → save → run.
// Workflow ids come from one counter per run; the sandbox writes the workflow's start and end.
import type { Emit } from "../events.js";
import { runWorkflow } from "../workflow/sandbox.js";
import type { RunAgent, WorkflowLimits, WorkflowOutcome } from "../workflow/types.js";
import { formatDiagnostic, type ValidateWorkflow } from "../workflow/validate.js";
import type { ApprovalPort } from "./approval.js";
import type { RunStore } from "./run-store.js";

export interface WorkflowStepOptions {
  readonly runAgent: RunAgent;
  readonly limits: WorkflowLimits;
  readonly defaultAgent: string;
  readonly emit: Emit;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly validate: ValidateWorkflow;
  /** Asked for each valid workflow; without one (`exec`) a valid workflow runs as it is. */
  readonly approval?: ApprovalPort;
  readonly store?: RunStore;
  readonly input?: unknown;
  /** Asked before each sub-agent starts (`--budget`). */
  readonly canStart?: () => string | undefined;
  /** The run's budget in tokens, for a Claude-format script's `budget.total`. */
  readonly budgetTokens?: number;
}

export interface WorkflowProposalArgs {
  readonly name: string;
  readonly code: string;
  /** A lower concurrency for this workflow only. */
  readonly maxConcurrency?: number;
}

export type WorkflowStepResult =
  | { readonly kind: "invalid"; readonly diagnostics: readonly string[] }
  | { readonly kind: "rejected"; readonly reason: string }
  | { readonly kind: "stopped"; readonly reason: string }
  /** `code` is what ran: the person's edit at approval, if any. */
  | { readonly kind: "ran"; readonly code: string; readonly edited: boolean; readonly outcome: WorkflowOutcome };

export interface WorkflowStep {
  (proposal: WorkflowProposalArgs): Promise<WorkflowStepResult>;
  /** Sub-agents started and failed over every workflow of the run. */
  readonly counts: () => { readonly agents: number; readonly failedAgents: number };
}

export function createWorkflowStep(options: WorkflowStepOptions): WorkflowStep {
  let counter = 0;
  let agents = 0;
  let failedAgents = 0;
  const { emit, limits } = options;

  const step = async (proposal: WorkflowProposalArgs): Promise<WorkflowStepResult> => {
    counter += 1;
    const workflowId = `w${counter}`;
    emit({ type: "workflow_proposed", workflowId, name: proposal.name, code: proposal.code });
    const validation = await options.validate(proposal.code, limits.maxCodeBytes);
    if (!validation.ok) {
      const diagnostics = validation.diagnostics.map(formatDiagnostic);
      emit({ type: "workflow_invalid", workflowId, diagnostics });
      return { kind: "invalid", diagnostics };
    }
    const concurrency = Math.min(limits.concurrency, proposal.maxConcurrency ?? limits.concurrency);
    // The code after forgiving intake (a fence, TypeScript, `export` undone) is what is shown and run.
    let code = validation.code;
    let dialect = validation.dialect;
    if (options.approval !== undefined) {
      const warnings = validation.diagnostics.filter((d) => d.severity === "warning");
      const decision = await options.approval.ask(
        { workflowId, name: proposal.name, code, maxConcurrency: concurrency, warnings, dialect, ...(validation.meta !== undefined ? { meta: validation.meta } : {}) },
        options.signal,
      );
      emit({ type: "workflow_decision", workflowId, decision: decision.type, reason: decision.type === "approve" ? undefined : decision.reason });
      switch (decision.type) {
        case "stop":
          return { kind: "stopped", reason: decision.reason };
        case "reject":
          return { kind: "rejected", reason: decision.reason };
        case "approve":
          // The person may have edited the code at approval: that version is the one that runs
          // (the approval screen validated the edit; its dialect is read again here).
          if (decision.code !== undefined && decision.code !== code) {
            const edited = await options.validate(decision.code, limits.maxCodeBytes);
            code = edited.code;
            dialect = edited.dialect;
          }
          break;
        default: {
          const unreachable: never = decision;
          return unreachable;
        }
      }
    }
    await options.store?.saveWorkflow(workflowId, proposal.name, code).catch(() => undefined);
    const outcome = await runWorkflow({
      code,
      workflowId,
      name: proposal.name,
      defaultAgent: options.defaultAgent,
      runAgent: options.runAgent,
      limits: { ...limits, concurrency },
      emit,
      signal: options.signal,
      input: options.input,
      canStart: options.canStart,
      now: options.now,
      dialect,
      ...(options.budgetTokens !== undefined ? { budgetTokens: options.budgetTokens } : {}),
    });
    agents += outcome.agents;
    failedAgents += outcome.failedAgents;
    return { kind: "ran", code, edited: code !== validation.code, outcome };
  };
  return Object.assign(step, { counts: () => ({ agents, failedAgents }) });
}
