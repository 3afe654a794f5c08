// One workflow from proposal to outcome, the same for `run` (the parent proposes, a person approves)
// and `exec` (the person chose the file, so nothing is asked): validate → approve → save → run.
// Workflow ids come from one counter per run; the sandbox writes the workflow's start and end.
import type { CostEstimate, Emit } from "../events.js";
import { overThreshold, type ConfirmThreshold } from "./confirm-threshold.js";
import { runWorkflow } from "../workflow/sandbox.js";
import type { ApplyPatches, Determinism, RunAgent, WorkflowLimits, WorkflowOutcome } from "../workflow/types.js";
import { formatDiagnostic, type ValidateWorkflow } from "../workflow/validate.js";
import type { ApprovalPort } from "./approval.js";
import { textKey, type Replay } from "./journal.js";
import type { RunStore } from "./run-store.js";

export interface WorkflowStepOptions {
  readonly runAgent: RunAgent;
  /** `wf.applyPatches`; unset, the workflow's call fails with a message. */
  readonly applyPatches?: ApplyPatches;
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
  /** A resumed run's journal: code a person approved before runs again without asking. */
  readonly replay?: Replay;
  /** What Date.now() and Math.random() give inside workflows (runtime-source.ts). */
  readonly determinism?: Determinism;
  /** The run's budget in tokens, for a Claude-format script's `budget.total`. */
  readonly budgetTokens?: number;
  /** The projection shown before a workflow runs, and the threshold past which it must be confirmed. */
  readonly costGate?: CostGate;
}

export interface CostGate {
  readonly estimate: (code: string) => CostEstimate;
  readonly threshold: ConfirmThreshold;
  /** `--yes-over`: past the threshold it runs without asking. */
  readonly yesOver: boolean;
  /** Asks on a terminal when no approval screen does (`exec`, `run --yes`); absent without a terminal. */
  readonly ask?: (question: string, signal: AbortSignal) => Promise<boolean>;
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
  /** Past --confirm-over with no one to ask and no --yes-over: the run ends (exit 2). */
  | { readonly kind: "refused"; readonly reason: string }
  /** `code` is what ran: the person's edit at approval, if any. */
  | { readonly kind: "ran"; readonly code: string; readonly edited: boolean; readonly outcome: WorkflowOutcome };

export interface WorkflowStep {
  (proposal: WorkflowProposalArgs): Promise<WorkflowStepResult>;
  /** Sub-agents started and failed over every workflow of the run. */
  readonly counts: () => { readonly agents: number; readonly failedAgents: number };
  /** Each validated workflow's projection, in order. */
  readonly estimates: () => ReadonlyArray<{ readonly workflowId: string; readonly estimate: CostEstimate }>;
}

export function createWorkflowStep(options: WorkflowStepOptions): WorkflowStep {
  let counter = 0;
  let agents = 0;
  let failedAgents = 0;
  const estimates: Array<{ workflowId: string; estimate: CostEstimate }> = [];
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
    const gate = options.costGate;
    const estimate = gate?.estimate(code);
    const over = estimate !== undefined && gate !== undefined && !gate.yesOver ? overThreshold(estimate, gate.threshold) : undefined;
    if (estimate !== undefined) {
      estimates.push({ workflowId, estimate });
      emit({ type: "workflow_estimate", workflowId, estimate, ...(over !== undefined ? { overThreshold: over } : {}) });
    }
    if (over !== undefined && options.approval?.confirmsOverThreshold !== true) {
      const question = `workflow ${workflowId} (${proposal.name}): ${estimate?.summary ?? ""}; ${over}. Run it anyway?`;
      if (gate?.ask === undefined) {
        return { kind: "refused", reason: `workflow ${workflowId} was not run: ${over}; pass --yes-over to run it anyway, or raise --confirm-over` };
      }
      if (!(await gate.ask(question, options.signal))) return { kind: "stopped", reason: `not run: ${over}` };
    }
    const proposalKey = textKey(proposal.code);
    const approvedBefore = options.replay?.approvedCode(proposalKey);
    if (options.approval !== undefined && approvedBefore !== undefined) {
      // A resumed run: the person approved this very code (or their edit of it) already.
      if (approvedBefore !== code) {
        const approved = await options.validate(approvedBefore, limits.maxCodeBytes);
        code = approved.code;
        dialect = approved.dialect;
      }
      emit({ type: "workflow_decision", workflowId, decision: "approve", reason: "approved before; the run was resumed" });
    } else if (options.approval !== undefined) {
      const warnings = validation.diagnostics.filter((d) => d.severity === "warning");
      const decision = await options.approval.ask(
        {
          workflowId,
          name: proposal.name,
          code,
          maxConcurrency: concurrency,
          warnings,
          dialect,
          ...(validation.meta !== undefined ? { meta: validation.meta } : {}),
          ...(estimate !== undefined ? { estimate } : {}),
          ...(over !== undefined ? { overThreshold: over } : {}),
        },
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
          options.store?.journal({ kind: "approval", time: options.now(), proposal: proposalKey, code });
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
      applyPatches: options.applyPatches,
      limits: { ...limits, concurrency },
      emit,
      signal: options.signal,
      input: options.input,
      now: options.now,
      determinism: options.determinism,
      dialect,
      ...(options.budgetTokens !== undefined ? { budgetTokens: options.budgetTokens } : {}),
    });
    agents += outcome.agents;
    failedAgents += outcome.failedAgents;
    return { kind: "ran", code, edited: code !== validation.code, outcome };
  };
  return Object.assign(step, { counts: () => ({ agents, failedAgents }), estimates: () => [...estimates] });
}
