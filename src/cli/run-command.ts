// `agentwf run`: the parent agent on a task. What it adds to the pipeline `exec` shares
// (run-pipeline.ts): the task (from stdin with -), the approval port, and --dry-run.
import type { Readable } from "node:stream";
import { autoApprove, dryRunApproval, type ApprovalPort, type WorkflowProposal } from "../run/approval.js";
import { runSession } from "../run/session.js";
import { createTerminalApproval } from "../ui/terminal-approval.js";
import type { CliIO } from "./cli-io.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { openLiveUi } from "./front-ends.js";
import { runPipeline } from "./run-pipeline.js";
import { describeSandbox } from "../config/sandbox-mode.js";
import { parseArgsJson, runSavedWorkflow } from "./saved-workflow-command.js";
import { normalizeRunOptions, type RunOptions } from "./run-options.js";
import { withResumedDefaults } from "./run-record.js";

const MAX_TASK_BYTES = 1024 * 1024;
const PARENT_MAX_TURNS = 40;

/** Reads the whole task from stdin (`agentwf run -`). */
export async function readTaskFromStdin(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_TASK_BYTES) throw new CliError(`the task on stdin is over ${MAX_TASK_BYTES} bytes; put the detail in a file and refer to it`, EXIT.usage);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function chooseApproval(options: RunOptions, io: CliIO, onDryRun: (p: WorkflowProposal) => void): ApprovalPort {
  if (options.dryRun) return dryRunApproval(onDryRun);
  if (options.yes) return autoApprove;
  if (io.stdin.isTTY === true && io.stderr.isTTY === true) {
    return createTerminalApproval({ input: io.stdin, output: io.stderr, colorLevel: io.colorLevel, sandboxMode: describeSandbox(options.sandbox, options.network) });
  }
  throw new CliError(
    "no terminal to approve the workflow on: pass --yes to run the workflows the agent writes without asking, or --dry-run to see the workflow without running it",
    EXIT.usage,
  );
}

/** Runs `agentwf run` and returns the exit code. */
export async function runCommand(taskArg: string | undefined, rawFlags: unknown, io: CliIO, signal: AbortSignal): Promise<ExitCode> {
  const { workflow, args, ...given } = (rawFlags ?? {}) as Record<string, unknown>;
  if (typeof workflow === "string") {
    if (taskArg !== undefined) throw new CliError("--workflow runs a saved workflow without a parent agent: give either a task or --workflow NAME, not both", EXIT.usage);
    return runSavedWorkflow(workflow, parseArgsJson(args, "--args"), given, io, signal);
  }
  if (args !== undefined) throw new CliError("--args goes with --workflow NAME (a saved workflow's input)", EXIT.usage);
  const { flags, resumed } = withResumedDefaults(given, io, "run");
  if (resumed !== undefined && taskArg !== undefined) {
    throw new CliError(`--resume continues run ${resumed.runId} with its own task; drop the task argument`, EXIT.usage);
  }
  if (taskArg === undefined && resumed === undefined) throw new CliError('no task given: agentwf run "what to do" (or - to read it from stdin)', EXIT.usage);
  const task = resumed !== undefined ? resumed.task : taskArg === "-" ? await readTaskFromStdin(io.stdin) : (taskArg ?? "");
  const options = normalizeRunOptions(task, flags, io.env, io.cwd);
  let dryRunProposal: WorkflowProposal | undefined;
  const live = await openLiveUi(io, options);
  const approval =
    live !== undefined && !options.dryRun && !options.yes
      ? live.approval
      : chooseApproval(options, io, (p) => {
          dryRunProposal = p;
        });
  return runPipeline(options, io, signal, {
    record: { command: "run" },
    live,
    proposesMore: true,
    execute: (config, ports) => runSession({ ...config, parentMaxTurns: PARENT_MAX_TURNS, dialect: options.dialect }, { ...ports, approval }),
    // --dry-run: the report is the workflow's code, and stopping there is what was asked for.
    present: (outcome) => (dryRunProposal === undefined ? outcome : { ...outcome, status: "done", report: `${dryRunProposal.code.trimEnd()}\n`, error: undefined }),
  });
}
