// The parent's `workflow` tool: validate → ask the person → run in the sandbox → result. Every
// failure the parent can fix (validation findings, a rejection and its reason, a runtime error)
// goes back to it as the tool result.
import { LIMITS } from "../config/limits.js";
import { z } from "zod";
import type { Emit } from "../events.js";
import { stripForTerminal } from "../text/safe-text.js";
import { defineTool, type AgentTool } from "../tools/tool.js";
import { runWorkflow } from "../workflow/sandbox.js";
import type { RunAgent, WorkflowLimits } from "../workflow/types.js";
import { formatDiagnostic, validateWorkflow } from "../workflow/validate.js";
import type { ApprovalPort } from "./approval.js";
import type { RunStore } from "./run-store.js";

export interface WorkflowToolOptions {
  readonly approval: ApprovalPort;
  readonly runAgent: RunAgent;
  readonly limits: WorkflowLimits;
  readonly defaultAgent: string;
  readonly emit: Emit;
  readonly signal: AbortSignal;
  readonly store?: RunStore;
  readonly input?: unknown;
  /** Called when the person stops the run at approval. */
  readonly onStop: (reason: string) => void;
  readonly onOutcome?: (outcome: { agents: number; failedAgents: number }) => void;
  /** Asked before each sub-agent starts (`--budget`). */
  readonly canStart?: () => string | undefined;
  /** Proposals in a row that may fail validation before the tool refuses further ones (default 3). */
  readonly maxInvalidAttempts?: number;
}

const WorkflowParams = z.object({
  name: z.string().min(1).max(80).describe("short kebab-case label, e.g. coverage-audit"),
  code: z.string().min(1).describe("JavaScript defining exactly one top-level `async function main(wf)`"),
  maxConcurrency: z.number().int().min(LIMITS.concurrency.min).max(LIMITS.concurrency.max).optional().describe("sub-agents running at once for this workflow"),
});

/** Creates the parent's workflow tool. */
export function createWorkflowTool(options: WorkflowToolOptions): AgentTool {
  let counter = 0;
  let invalidInARow = 0;
  const maxInvalid = options.maxInvalidAttempts ?? 3;
  // One workflow at a time: two in one turn would ask the person twice at once.
  let queue: Promise<unknown> = Promise.resolve();

  return defineTool({
    name: "workflow",
    description:
      "Runs a JavaScript workflow that coordinates sub-agents through `wf` (see the system prompt). " +
      "A person approves the code first. Returns main's return value (a string as is, else JSON), " +
      "or the validation errors, the person's rejection reason, or the runtime error to fix.",
    parameters: WorkflowParams,
    summarize: (args) => `${args.name} (${args.code.split("\n").length} lines)`,
    execute(args) {
      const run = queue.then(async () => {
        counter += 1;
        const workflowId = `w${counter}`;
        const { emit, limits } = options;
        if (invalidInARow >= maxInvalid) {
          return {
            ok: false as const,
            error: `the workflow tool is closed: ${maxInvalid} workflows in a row failed validation. Do not call it again; answer with what you have found so far.`,
          };
        }
        emit({ type: "workflow_proposed", workflowId, name: args.name, code: args.code });
        const validation = validateWorkflow(args.code, limits.maxCodeBytes);
        if (!validation.ok) {
          invalidInARow += 1;
          const diagnostics = validation.diagnostics.map(formatDiagnostic);
          emit({ type: "workflow_invalid", workflowId, diagnostics });
          const left = maxInvalid - invalidInARow;
          const next = left > 0 ? `Fix them and call workflow again (${left} attempt${left === 1 ? "" : "s"} left).` : "No attempts are left: answer without a workflow.";
          return {
            ok: false as const,
            error: `the workflow was not run: it has ${diagnostics.length} problem(s). ${next}\n${diagnostics.join("\n")}`,
          };
        }
        invalidInARow = 0;
        const concurrency = Math.min(limits.concurrency, args.maxConcurrency ?? limits.concurrency);
        const decision = await options.approval.ask(
          {
            workflowId,
            name: args.name,
            code: args.code,
            maxConcurrency: concurrency,
            warnings: validation.diagnostics.filter((d) => d.severity === "warning"),
          },
          options.signal,
        );
        emit({
          type: "workflow_decision",
          workflowId,
          decision: decision.type,
          ...(decision.type === "approve" ? {} : { reason: decision.reason }),
        });
        switch (decision.type) {
          case "stop":
            options.onStop(decision.reason);
            return { ok: false as const, error: `the run was stopped: ${decision.reason}` };
          case "reject":
            return {
              ok: false as const,
              error: `the person rejected this workflow and it was not run. Their reason: ${decision.reason || "(none given)"}\nRevise the workflow accordingly and call workflow again.`,
            };
          case "approve":
            break;
          default: {
            const unreachable: never = decision;
            return unreachable;
          }
        }
        // The person may have edited the code at approval: that version is the one that runs.
        const code = decision.code ?? args.code;
        const edited = code !== args.code;
        await options.store?.saveWorkflow(workflowId, args.name, code).catch(() => undefined);
        const started = Date.now();
        emit({ type: "workflow_start", workflowId, name: args.name });
        const outcome = await runWorkflow({
          code,
          workflowId,
          defaultAgent: options.defaultAgent,
          runAgent: options.runAgent,
          limits: { ...limits, concurrency },
          emit,
          signal: options.signal,
          ...(options.input !== undefined ? { input: options.input } : {}),
          ...(options.canStart ? { canStart: options.canStart } : {}),
        });
        options.onOutcome?.({ agents: outcome.agents, failedAgents: outcome.failedAgents });
        emit({
          type: "workflow_end",
          workflowId,
          ok: outcome.ok,
          ...(outcome.ok ? {} : { error: outcome.error }),
          durationMs: Date.now() - started,
        });
        const editNote = edited ? `The person edited your workflow before approving it; this is the version that ran:\n\`\`\`js\n${code}\n\`\`\`\n\n` : "";
        // A workflow's result reaches the model, then the report and the person: stripped before either.
        if (outcome.ok) return { ok: true as const, output: stripForTerminal(edited ? `${editNote}Its result:\n${outcome.result}` : outcome.result) };
        return { ok: false as const, error: `${editNote}the workflow failed (${outcome.kind}): ${outcome.error}` };
      });
      queue = run.catch(() => undefined);
      return run;
    },
  });
}
