// Approval is a port: the loop does not know whether a terminal, a flag or a test answers
// (codex's getCommandConfirmation). The answer is data the UI renders and tests compare.
import type { CostEstimate } from "../events.js";
import type { Dialect } from "../workflow/dialect.js";
import type { Diagnostic } from "../workflow/validate.js";
import type { WorkflowMeta } from "../workflow/workflow-meta.js";

export interface WorkflowProposal {
  readonly workflowId: string;
  readonly name: string;
  readonly code: string;
  readonly maxConcurrency: number;
  readonly warnings: readonly Diagnostic[];
  /** What it is projected to start and cost. */
  readonly estimate?: CostEstimate;
  /** Set when the projection is past --confirm-over: approving must be explicit about it. */
  readonly overThreshold?: string;
  /** Which dialect validation found; the code is what runs (after forgiving intake). */
  readonly dialect?: Dialect;
  /** The `meta` header: its phases group the summary. */
  readonly meta?: WorkflowMeta;
}

export type ApprovalDecision =
  /** Run it; `code` is the person's edit of it, which runs instead (and the parent is told). */
  | { readonly type: "approve"; readonly code?: string }
  /** Do not run it; the reason goes back to the parent as the tool result. */
  | { readonly type: "reject"; readonly reason: string }
  /** Stop the whole run (exit 3). */
  | { readonly type: "stop"; readonly reason: string };

export interface ApprovalPort {
  /** True when `ask` itself makes the person confirm a workflow past --confirm-over. */
  readonly confirmsOverThreshold?: boolean;
  ask(proposal: WorkflowProposal, signal: AbortSignal): Promise<ApprovalDecision>;
}

/** `--yes`: every workflow that passed validation runs. */
export const autoApprove: ApprovalPort = {
  ask: async () => ({ type: "approve" }),
};

/** `--dry-run`: the first valid workflow is kept and the run stops before running it. */
export function dryRunApproval(onProposal: (proposal: WorkflowProposal) => void): ApprovalPort {
  return {
    // Nothing runs, so there is nothing to confirm; the projection is shown with the code.
    confirmsOverThreshold: true,
    ask: async (proposal) => {
      onProposal(proposal);
      return { type: "stop", reason: "dry run: the workflow was not run" };
    },
  };
}
