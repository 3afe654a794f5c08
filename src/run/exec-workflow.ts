// `agentwf exec FILE`: runs a workflow the person wrote or saved, with no parent agent, inside the
// same run frame and workflow step as `run`. A file the person named is not put to approval; a
// saved workflow found by name (`exec NAME`, `run --workflow NAME`) is, through `ports.approval`.
// Either is validated exactly as generated code is.
import type { RunStatus } from "../events.js";
import { withRun, type RunConfig, type RunOutcome, type RunPorts } from "./run-frame.js";

export interface ExecConfig extends RunConfig {
  readonly file: string;
  readonly code: string;
  /** Shown with the workflow's progress; default: the file. */
  readonly name?: string;
}

/** Validates and runs one workflow file; its result is the run's report. */
export async function execWorkflow(config: ExecConfig, ports: RunPorts): Promise<RunOutcome> {
  return withRun(config, ports, async (run) => {
    const step = await run.workflows({ name: config.name ?? config.file, code: config.code });
    switch (step.kind) {
      case "invalid":
        return {
          status: "failed",
          error: `${config.file} did not pass validation`,
          errorKind: "invalid_workflow",
          diagnostics: step.diagnostics.map((line) => `${config.file}:${line}`),
        };
      case "refused":
        return { status: "failed", error: step.reason, errorKind: "over_threshold" };
      case "rejected":
      case "stopped":
        // Only a saved workflow found by name is put to approval; there is no parent to revise it.
        return { status: "rejected", error: step.kind === "rejected" ? `the workflow was rejected: ${step.reason}` : step.reason };
      case "ran": {
        const { outcome } = step;
        if (outcome.ok) return { status: "done", report: outcome.result };
        const status: RunStatus = outcome.kind === "aborted" ? "interrupted" : "failed";
        return { status, error: `the workflow failed (${outcome.kind}): ${outcome.error}` };
      }
      default: {
        const unreachable: never = step;
        return unreachable;
      }
    }
  });
}
