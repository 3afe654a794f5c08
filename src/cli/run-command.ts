// `agentwf run`: checks everything a person could have got wrong before the first model call,
// then wires the session to its front ends (progress on stderr, the report on stdout).
import type { Readable, Writable } from "node:stream";
import { resolveWorkspaceModel } from "../config/model-access.js";
import type { Env } from "../config/resolve-model.js";
import { ConfigError } from "../config/config-error.js";
import { hasKnownPrice } from "../model/pricing.js";
import { autoApprove, dryRunApproval, type ApprovalPort, type WorkflowProposal } from "../run/approval.js";
import { createModelFactory } from "../run/model-factory.js";
import type { RunResult } from "../run/output-format.js";
import { runSession } from "../run/session.js";
import { createTerminalApproval } from "../ui/terminal-approval.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { checkOutputPath, deliverReport } from "./report-output.js";
import { openFrontEnds, openLiveUi } from "./front-ends.js";
import { modelAccess, normalizeRunOptions, type RunOptions } from "./run-options.js";

export interface TtyStream {
  readonly isTTY?: boolean;
}

export interface CliIO {
  readonly stdin: Readable & TtyStream;
  readonly stdout: Writable & TtyStream;
  readonly stderr: Writable & TtyStream;
  readonly env: Env;
  readonly cwd: string;
  /** Color level for stderr (chalk's detection, which honours NO_COLOR and FORCE_COLOR). */
  readonly colorLevel: 0 | 1 | 2 | 3;
}

const MAX_TASK_BYTES = 1024 * 1024;

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

/** Resolves every model the run names, and checks that a budget in USD can be kept for them. */
export function checkModels(options: Pick<RunOptions, "model" | "agentModel" | "baseUrl" | "personModels" | "budget">, env: Env): void {
  for (const spec of [options.model, options.agentModel]) {
    if (spec === undefined) continue;
    try {
      resolveWorkspaceModel(spec, modelAccess(options, env));
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message, EXIT.usage);
      throw error;
    }
    if (options.budget?.kind === "usd" && !hasKnownPrice(spec)) {
      throw new CliError(
        `agentwf does not know the price of ${spec}, so a budget in USD cannot be kept: give it in tokens, e.g. --budget 2M-tokens`,
        EXIT.usage,
      );
    }
  }
}

function chooseApproval(options: RunOptions, io: CliIO, onDryRun: (p: WorkflowProposal) => void): ApprovalPort {
  if (options.dryRun) return dryRunApproval(onDryRun);
  if (options.yes) return autoApprove;
  if (io.stdin.isTTY === true && io.stderr.isTTY === true) {
    return createTerminalApproval({ input: io.stdin, output: io.stderr, colorLevel: io.colorLevel, sandboxMode: "read-only" });
  }
  throw new CliError(
    "no terminal to approve the workflow on: pass --yes to run the workflows the agent writes without asking, or --dry-run to see the workflow without running it",
    EXIT.usage,
  );
}

function serverHint(options: RunOptions, env: Env): string {
  try {
    const target = resolveWorkspaceModel(options.model, modelAccess(options, env));
    return target.kind === "remote" ? ` (server: ${target.baseUrl}; check that it is running, or pass --base-url)` : "";
  } catch {
    return "";
  }
}

/** Runs `agentwf run` and returns the exit code. */
export async function runCommand(taskArg: string | undefined, rawFlags: unknown, io: CliIO, signal: AbortSignal): Promise<ExitCode> {
  if (taskArg === undefined) throw new CliError('no task given: agentwf run "what to do" (or - to read it from stdin)', EXIT.usage);
  const task = taskArg === "-" ? await readTaskFromStdin(io.stdin) : taskArg;
  const options = normalizeRunOptions(task, rawFlags, io.env, io.cwd);
  for (const line of options.warnings) io.stderr.write(`${line}\n`);
  checkModels(options, io.env);
  const outputFile = options.output !== undefined ? checkOutputPath(options.output, io.cwd) : undefined;
  let dryRunProposal: WorkflowProposal | undefined;
  const live = await openLiveUi(io, options);
  const approval = live !== undefined && !options.dryRun && !options.yes ? live.approval : chooseApproval(options, io, (p) => {
    dryRunProposal = p;
  });

  const models = createModelFactory(modelAccess(options, io.env));
  const ends = openFrontEnds(io, options.outputFormat, signal, live);
  const stderrLine = ends.warn;

  const started = Date.now();
  const result = await runSession(
    {
      runId: ends.runId,
      task: options.task,
      cwd: options.cwd,
      model: options.model,
      agentModel: options.agentModel,
      limits: options.limits,
      parentMaxTurns: 40,
      ...(options.budget ? { budget: options.budget } : {}),
    },
    {
      approval,
      emit: ends.emit,
      models: models,
      signal: ends.signal,
      ...(ends.store ? { store: ends.store } : {}),
    },
  );
  await ends.close();

  const report = options.dryRun && dryRunProposal !== undefined ? `${dryRunProposal.code.trimEnd()}\n` : result.report;
  const summary: RunResult = {
    type: "result",
    runId: ends.runId,
    status: options.dryRun && dryRunProposal !== undefined ? "done" : result.status,
    ...(report !== undefined ? { report } : {}),
    ...(result.error !== undefined && !options.dryRun ? { error: result.error } : {}),
    usage: result.usage,
    agents: result.agents,
    failedAgents: result.failedAgents,
    durationMs: Date.now() - started,
  };

  await live?.finish(result.report);
  if (ends.readerGone()) return EXIT.interrupted;
  const delivered = await deliverReport({
    report,
    summary,
    outputFormat: options.outputFormat,
    outputFile,
    outputFlag: options.output,
    stdout: io.stdout,
    warn: stderrLine,
  });
  if (!delivered) return EXIT.failed;

  if (options.dryRun && dryRunProposal !== undefined) return EXIT.done;
  switch (result.status) {
    case "done":
      return EXIT.done;
    case "rejected":
      stderrLine(`agentwf: ${result.error ?? "stopped at approval"}\n`);
      return EXIT.stoppedAtApproval;
    case "interrupted":
      stderrLine("agentwf: interrupted\n");
      return EXIT.interrupted;
    case "failed": {
      const configProblem = result.errorKind === "auth" || result.errorKind === "not_found";
      const hint = result.errorKind === "network" || result.errorKind === "timeout" ? serverHint(options, io.env) : "";
      const advice =
        result.errorKind === "auth"
          ? "; check the API key (AGENTWF_API_KEY or the provider's key variable)"
          : result.errorKind === "not_found"
            ? "; check the model name (-m provider/model) and --base-url"
            : "";
      stderrLine(`agentwf: the run failed: ${result.error ?? "unknown error"}${hint}${advice}\n`);
      return configProblem ? EXIT.usage : EXIT.failed;
    }
    default: {
      const unreachable: never = result.status;
      return unreachable;
    }
  }
}
