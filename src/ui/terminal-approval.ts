// A plain question on the terminal for each workflow: the code with line numbers (control and
// invisible characters shown visibly), then approve, reject with a reason, or quit.
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { Chalk } from "chalk";
import type { ApprovalDecision, ApprovalPort, WorkflowProposal } from "../run/approval.js";
import { escapeForDisplay } from "../text/safe-text.js";
import { workflowSummary } from "./workflow-summary.js";

export interface TerminalApprovalOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly colorLevel: 0 | 1 | 2 | 3;
  readonly sandboxMode: string;
}

/** Renders a proposal for the terminal. */
export function renderProposal(proposal: WorkflowProposal, colorLevel: 0 | 1 | 2 | 3, sandboxMode: string): string {
  const c = new Chalk({ level: colorLevel });
  const lines = proposal.code.split("\n");
  const width = String(lines.length).length;
  const body = lines.map((text, i) => `${c.dim(String(i + 1).padStart(width))}  ${escapeForDisplay(text)}`).join("\n");
  const summary = workflowSummary(proposal, sandboxMode);
  const estimate = proposal.estimate !== undefined ? `${(proposal.overThreshold !== undefined ? c.yellow : c.cyan)(escapeForDisplay(proposal.estimate.summary))}\n` : "";
  return `\n${c.bold(`Workflow ${proposal.workflowId}: ${escapeForDisplay(proposal.name)}`)}\n${body}\n${c.dim(summary)}\n${estimate}`;
}

/** Creates the approval port that asks on the terminal. */
export function createTerminalApproval(options: TerminalApprovalOptions): ApprovalPort {
  return {
    confirmsOverThreshold: true,
    async ask(proposal, signal): Promise<ApprovalDecision> {
      options.output.write(renderProposal(proposal, options.colorLevel, options.sandboxMode));
      const rl = createInterface({ input: options.input, output: options.output, terminal: true });
      try {
        for (;;) {
          const answer = (await rl.question("Run this workflow? [y]es / [n]o, with a reason / [q]uit: ", { signal })).trim().toLowerCase();
          if (answer === "y" || answer === "yes") {
            if (proposal.overThreshold === undefined) return { type: "approve" };
            // Past --confirm-over: a second, explicit answer that names the size.
            const sure = (await rl.question(`${escapeForDisplay(proposal.overThreshold)}. Type "run" to run it anyway: `, { signal })).trim().toLowerCase();
            if (sure === "run") return { type: "approve" };
            continue;
          }
          if (answer === "q" || answer === "quit") return { type: "stop", reason: "stopped at approval" };
          if (answer === "n" || answer === "no" || answer === "r") {
            const reason = (await rl.question("Reason (sent to the agent so it can revise): ", { signal })).trim();
            return { type: "reject", reason: reason || "the person rejected it without a reason" };
          }
        }
      } catch {
        // Ctrl-C or a closed terminal while asking: nothing runs.
        return { type: "stop", reason: "stopped at approval" };
      } finally {
        rl.close();
      }
    },
  };
}
