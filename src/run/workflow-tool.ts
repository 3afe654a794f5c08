// The parent's `workflow` tool: the run's workflow step (validate → ask the person → run), with
// every outcome put in words for the parent. Every failure the parent can fix (validation
// findings, a rejection and its reason, a runtime error) goes back to it as the tool result.
import { z } from "zod";
import { LIMITS } from "../config/limits.js";
import { stripForTerminal } from "../text/safe-text.js";
import { defineTool, type AgentTool } from "../tools/tool.js";
import type { WorkflowStep } from "./workflow-step.js";
import type { Dialect } from "../workflow/dialect.js";

export interface WorkflowToolOptions {
  readonly workflows: WorkflowStep;
  /** Called when the person stops the run at approval. */
  readonly onStop: (reason: string) => void;
  /** Called when a workflow past --confirm-over had no one to confirm it: the run ends. */
  readonly onRefused: (reason: string) => void;
  /** Proposals in a row that may fail validation before the tool refuses further ones (default 3). */
  readonly maxInvalidAttempts?: number;
  /** The format the parent is taught (`--dialect`); both validate and run either way. */
  readonly dialect?: Dialect;
}

const CODE_HELP: Readonly<Record<Dialect, string>> = {
  main: "JavaScript defining exactly one top-level `async function main(wf)`",
  claude: "a Claude Code–format script: `export const meta = { name, description, phases }`, then a body that awaits agent()/parallel()/pipeline() and returns the result",
};

const workflowParams = (dialect: Dialect) =>
  z.object({
    name: z.string().min(1).max(80).describe("short kebab-case label, e.g. coverage-audit"),
    code: z.string().min(1).describe(CODE_HELP[dialect]),
    maxConcurrency: z.number().int().min(LIMITS.concurrency.min).max(LIMITS.concurrency.max).optional().describe("sub-agents running at once for this workflow"),
  });

/** Creates the parent's workflow tool. */
export function createWorkflowTool(options: WorkflowToolOptions): AgentTool {
  let invalidInARow = 0;
  const maxInvalid = options.maxInvalidAttempts ?? 3;
  // One workflow at a time: two in one turn would ask the person twice at once.
  let queue: Promise<unknown> = Promise.resolve();

  return defineTool({
    name: "workflow",
    description:
      (options.dialect === "claude"
        ? "Runs a Claude Code–format workflow script that coordinates sub-agents through agent()/parallel()/pipeline() (see the system prompt). "
        : "Runs a JavaScript workflow that coordinates sub-agents through `wf` (see the system prompt). ") +
      "A person approves the code first. Returns main's return value (a string as is, else JSON), " +
      "or the validation errors, the person's rejection reason, or the runtime error to fix.",
    parameters: workflowParams(options.dialect ?? "main"),
    summarize: (args) => `${args.name} (${args.code.split("\n").length} lines)`,
    execute(args) {
      const run = queue.then(async () => {
        if (invalidInARow >= maxInvalid) {
          return {
            ok: false as const,
            error: `the workflow tool is closed: ${maxInvalid} workflows in a row failed validation. Do not call it again; answer with what you have found so far.`,
          };
        }
        const step = await options.workflows(args);
        switch (step.kind) {
          case "invalid": {
            invalidInARow += 1;
            const left = maxInvalid - invalidInARow;
            const next = left > 0 ? `Fix them and call workflow again (${left} attempt${left === 1 ? "" : "s"} left).` : "No attempts are left: answer without a workflow.";
            return {
              ok: false as const,
              error: `the workflow was not run: it has ${step.diagnostics.length} problem(s). ${next}\n${step.diagnostics.join("\n")}`,
            };
          }
          case "stopped":
            invalidInARow = 0;
            options.onStop(step.reason);
            return { ok: false as const, error: `the run was stopped: ${step.reason}` };
          case "refused":
            options.onRefused(step.reason);
            return { ok: false as const, error: `the run was stopped: ${step.reason}` };
          case "rejected":
            invalidInARow = 0;
            return {
              ok: false as const,
              error: `the person rejected this workflow and it was not run. Their reason: ${step.reason || "(none given)"}\nRevise the workflow accordingly and call workflow again.`,
            };
          case "ran": {
            invalidInARow = 0;
            const { outcome, code } = step;
            const editNote = step.edited ? `The person edited your workflow before approving it; this is the version that ran:\n\`\`\`js\n${code}\n\`\`\`\n\n` : "";
            // A workflow's result reaches the model, then the report and the person: stripped before either.
            if (outcome.ok) return { ok: true as const, output: stripForTerminal(step.edited ? `${editNote}Its result:\n${outcome.result}` : outcome.result) };
            return { ok: false as const, error: `${editNote}the workflow failed (${outcome.kind}): ${outcome.error}` };
          }
          default: {
            const unreachable: never = step;
            return unreachable;
          }
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
  });
}
