// The one pipeline `run` and `exec` share around their run: models checked before any call, -o
// checked early, the front ends, the validation port (types checked in a worker thread), then the
// report delivered and the run's outcome turned into an exit code.
import { resolveWorkspaceModel } from "../config/model-access.js";
import type { Env } from "../config/resolve-model.js";
import { ConfigError } from "../config/config-error.js";
import { hasKnownPrice } from "../model/pricing.js";
import { createModelFactory } from "../run/model-factory.js";
import type { RunResult } from "../run/output-format.js";
import type { RunConfig, RunOutcome, RunPorts } from "../run/run-frame.js";
import { DEFAULT_LIMITS } from "../config/limits.js";
import { startTypeChecker, stopTypeChecker, typeCheckInWorker } from "../workflow/type-check-worker.js";
import type { Emit } from "../events.js";
import { validateWorkflowAsync } from "../workflow/validate.js";
import { prepareSandbox } from "../workflow/sandbox-process.js";
import type { CliIO } from "./cli-io.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { openFrontEnds } from "./front-ends.js";
import { setInterruptGuard, setInterruptNotice } from "./interrupt-control.js";
import { interruptConfirmation } from "./interrupt-question.js";
import { openRunRecord, resumeCommand, type RecordRequest } from "./run-record.js";
import { checkOutputPath, deliverReport } from "./report-output.js";
import { modelAccess, type RunOptions } from "./run-options.js";
import type { InkFrontEnd } from "../ui/ink-front-end.js";
import { createSecretScrubber, secretValues } from "../config/secret-env.js";
import { createTerminalQuestions } from "../ui/terminal-questions.js";

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

function serverHint(options: RunOptions, env: Env): string {
  try {
    const target = resolveWorkspaceModel(options.model, modelAccess(options, env));
    return target.kind === "remote" ? ` (server: ${target.baseUrl}; check that it is running, or pass --base-url)` : "";
  } catch {
    return "";
  }
}

/** The run's settings from the command's options, the same for `run` and `exec`. */
export function runConfig(options: RunOptions, runId: string, env: Env = {}, startedAt?: number, command: "run" | "exec" = "exec"): RunConfig {
  // With `run --model demo` the offline demo writes the workflow and answers every sub-agent
  // itself: nothing is spent, so the spending gate (--confirm-over) has nothing to guard, and a
  // newcomer's first run on a large repository is not refused. `exec` runs a person's code, which
  // may name paid models per agent, so it keeps the gate.
  const free = command === "run" && options.model === "demo" && (options.agentModel === undefined || options.agentModel === "demo");
  return {
    runId,
    startedAt,
    task: options.task,
    cwd: options.cwd,
    model: options.model,
    agentModel: options.agentModel,
    limits: { ...DEFAULT_LIMITS, ...options.limits, concurrency: options.concurrency, maxAgents: options.maxAgents, wallTimeMs: options.timeoutMs },
    budget: options.budget,
    sandbox: { mode: options.sandbox, network: options.network, allowDotEnv: options.allowDotEnv },
    home: env.HOME,
    confirmOver: free ? undefined : options.confirmOver,
    yesOver: options.yesOver,
    sandboxesAt: sandboxesAt(options, command),
  };
}

/**
 * `run` that asks before a workflow runs starts its sandboxes once a workflow is valid (main.ts
 * starts no child at its launch); exec and run --yes at launch, as a workflow runs at once.
 */
export function sandboxesAt(options: Pick<RunOptions, "yes">, command: "run" | "exec"): "start" | "validated" {
  return command === "run" && !options.yes ? "validated" : "start";
}

export interface PipelineSteps {
  /** What the run store keeps about this command, so that `--resume` can run it again. */
  readonly record: Pick<RecordRequest, "command" | "file" | "input">;
  /** The live terminal UI, when `run` opened one; it gets the events and the report. */
  readonly live?: InkFrontEnd;
  /** Runs the command's work with the ports every run gets. */
  execute(config: RunConfig, ports: Omit<RunPorts, "approval">): Promise<RunOutcome>;
  /** What the person sees instead of the outcome, if the command has its own say (`--dry-run`). */
  present?(outcome: RunOutcome): RunOutcome;
  /** A parent may propose another workflow after one ends (`run`), so the type checker warms again. */
  readonly proposesMore?: boolean;
}

/**
 * The type-check thread (about 90 MB with the compiler loaded) is not needed while a workflow runs:
 * it ends when one starts and, when a parent may propose another, starts again when it ends.
 */
function releaseCheckerWhileRunning(emit: Emit, proposesMore: boolean): Emit {
  return (event) => {
    if (event.type === "workflow_start") stopTypeChecker();
    if (event.type === "workflow_end" && proposesMore) startTypeChecker();
    emit(event);
  };
}

/** Runs one command's work and returns its exit code. */
export async function runPipeline(options: RunOptions, io: CliIO, signal: AbortSignal, steps: PipelineSteps, now: () => number = Date.now): Promise<ExitCode> {
  for (const line of options.warnings) io.stderr.write(`${line}\n`);
  checkModels(options, io.env);
  const outputFile = options.output !== undefined ? checkOutputPath(options.output, io.cwd, options.cwd) : undefined;
  const models = createModelFactory(modelAccess(options, io.env));
  // Keys in the person's environment: never in what the tools' processes see, and their values
  // scrubbed from tool output, events (the store, stream-json, the UI) and the report.
  const scrub = createSecretScrubber(secretValues(io.env));
  const record = openRunRecord(
    { ...steps.record, task: options.task, model: options.model, agentModel: options.agentModel, cwd: options.cwd, resume: options.resume },
    io.env,
    now,
  );
  const resumeLine = resumeCommand({ runId: record.runId, command: steps.record.command, file: steps.record.file });
  if (record.store !== undefined) setInterruptNotice(`agentwf: interrupted; what finished is kept. Resume with: ${resumeLine}\n`);
  const ends = openFrontEnds(io, options.outputFormat, signal, record, steps.live, scrub);
  setInterruptGuard(interruptConfirmation(io, steps.live, () => ends.tally().running));
  const started = now();
  // Who answers a workflow past --confirm-over (under --yes or exec) and a budget pause: the live
  // view, else plain questions on a terminal, else no one (the run refuses, or ends paused).
  const terminal = io.stdin.isTTY === true && io.stderr.isTTY === true && options.outputFormat !== "stream-json";
  const prompts = steps.live ?? (terminal ? createTerminalQuestions({ input: io.stdin, output: io.stderr }) : undefined);
  const ran = await steps.execute(runConfig(options, ends.runId, io.env, record.startedAt, steps.record.command), {
    ...(prompts !== undefined ? { confirmOver: prompts.confirm, pausePrompt: prompts.pausePrompt } : {}),
    ...(steps.live !== undefined ? { onControls: steps.live.attachControls } : {}),
    emit: releaseCheckerWhileRunning(ends.emit, steps.proposesMore === true),
    models,
    signal: ends.signal,
    store: ends.store,
    now,
    replay: record.replay,
    validate: (code, maxBytes) => validateWorkflowAsync(code, maxBytes, typeCheckInWorker),
    prepareSandbox,
    env: io.env,
    scrub,
  });
  // The record first: whatever happens to the output below, run.json says how the run ended.
  ends.store?.setStatus(ran.status, ran.error);
  await ends.close();
  setInterruptNotice(undefined);
  setInterruptGuard(undefined);
  const { finished } = ends.tally();
  const kept = finished === 0 ? "" : `${finished} sub-agent${finished === 1 ? "" : "s"} finished and ${finished === 1 ? "is" : "are"} kept; `;
  const resumeWithBudget = `${resumeLine}${options.budget !== undefined ? " --budget <more>" : ""}`;
  const resumeHint = ends.store === undefined ? "" : `agentwf: ${kept}resume with: ${resumeWithBudget}\n`;
  const presented = steps.present?.(ran) ?? ran;
  const outcome = { ...presented, ...(presented.report !== undefined ? { report: scrub(presented.report) } : {}), ...(presented.error !== undefined ? { error: scrub(presented.error) } : {}) };
  const result: RunResult = {
    type: "result",
    runId: ends.runId,
    status: outcome.status,
    report: outcome.report,
    error: outcome.error,
    usage: outcome.usage,
    agents: outcome.agents,
    failedAgents: outcome.failedAgents,
    durationMs: Math.max(0, now() - started),
    ...(outcome.estimates !== undefined && outcome.estimates.length > 0 ? { estimates: [...outcome.estimates] } : {}),
    ...(outcome.spent !== undefined ? { spent: outcome.spent } : {}),
    ...(outcome.status === "paused" ? { resume: resumeWithBudget } : {}),
  };
  await steps.live?.finish(ran.report === undefined ? undefined : scrub(ran.report));
  if (ends.readerGone()) return EXIT.interrupted;
  for (const line of outcome.diagnostics ?? []) ends.warn(`${line}\n`);
  const delivered = await deliverReport({
    report: outcome.report,
    summary: result,
    outputFormat: options.outputFormat,
    outputFile,
    outputFlag: options.output,
    stdout: io.stdout,
    warn: ends.warn,
  });
  if (!delivered) return EXIT.failed;
  const code = reportEnding(outcome, options, io.env, ends.warn);
  // Every way a run can end short of done (interrupted, failed, paused) can be resumed, except a
  // stop at approval and a mistake in the command itself, which a resume would only repeat.
  if (outcome.status !== "done" && outcome.status !== "rejected" && code !== EXIT.usage) ends.warn(resumeHint);
  return code;
}

/** Says how the run ended, on stderr, and gives its exit code. */
function reportEnding(outcome: RunOutcome, options: RunOptions, env: Env, warn: (text: string) => void): ExitCode {
  switch (outcome.status) {
    case "done":
      return EXIT.done;
    case "rejected":
      warn(`agentwf: ${outcome.error ?? "stopped at approval"}\n`);
      return EXIT.stoppedAtApproval;
    case "interrupted":
      warn("agentwf: interrupted\n");
      return EXIT.interrupted;
    case "paused":
      warn(`agentwf: paused: ${outcome.error ?? "no new sub-agent may start"}\n`);
      return EXIT.paused;
    case "failed": {
      const kind = outcome.errorKind;
      if (kind === "over_threshold") {
        warn(`agentwf: ${outcome.error ?? "the workflow is past --confirm-over"}\n`);
        return EXIT.usage;
      }
      const hint = kind === "network" || kind === "timeout" ? serverHint(options, env) : "";
      const advice =
        kind === "auth"
          ? "; check the API key (AGENTWF_API_KEY or the provider's key variable)"
          : kind === "not_found"
            ? "; check the model name (-m provider/model) and --base-url"
            : "";
      warn(`agentwf: the run failed: ${outcome.error ?? "unknown error"}${hint}${advice}\n`);
      return kind === "auth" || kind === "not_found" || kind === "invalid_workflow" ? EXIT.usage : EXIT.failed;
    }
    default: {
      const unreachable: never = outcome.status;
      return unreachable;
    }
  }
}
