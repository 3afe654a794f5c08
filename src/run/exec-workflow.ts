// `agentwf exec FILE`: runs a workflow the person wrote or saved, with no parent agent, inside the
// same run frame and workflow step as `run`. The person chose the file, so it is not put to
// approval, but it is validated exactly as generated code is.
import type { RunStatus } from "../events.js";
import { withRun, type RunConfig, type RunOutcome, type RunPorts } from "./run-frame.js";

export interface ExecConfig extends RunConfig {
  readonly file: string;
  readonly code: string;
}

/** Validates and runs one workflow file; its result is the run's report. */
export async function execWorkflow(config: ExecConfig, ports: Omit<RunPorts, "approval">): Promise<RunOutcome> {
  return withRun(config, ports, async (run) => {
    const step = await run.workflows({ name: config.file, code: config.code });
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
        // No approval port is given, so nothing can refuse the file; kept for the exhaustive switch.
        return { status: "rejected", error: step.reason };
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
