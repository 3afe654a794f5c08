// `agentwf exec FILE [--input JSON]`: runs a workflow file with sub-agents and prints its result.
import { execWorkflow } from "../run/exec-workflow.js";
import { createModelFactory } from "../run/model-factory.js";
import type { RunResult } from "../run/output-format.js";
import { readWorkflowFile } from "./check-command.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { openFrontEnds } from "./front-ends.js";
import { checkOutputPath, deliverReport } from "./report-output.js";
import { checkModels, type CliIO } from "./run-command.js";
import { modelAccess, normalizeRunOptions } from "./run-options.js";

function parseInput(raw: unknown): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch (error) {
    throw new CliError(`--input is not valid JSON (${(error as Error).message}); quote it, e.g. --input '{"dirs": ["src"]}'`, EXIT.usage);
  }
}

export async function execCommand(file: string, rawFlags: unknown, io: CliIO, signal: AbortSignal): Promise<ExitCode> {
  const flags = (rawFlags ?? {}) as Record<string, unknown>;
  const input = parseInput(flags.input);
  const { input: _input, ...rest } = flags;
  const options = normalizeRunOptions(`exec ${file}`, rest, io.env, io.cwd);
  for (const line of options.warnings) io.stderr.write(`${line}\n`);
  checkModels(options, io.env);
  const code = await readWorkflowFile(file, io.cwd);
  const outputFile = options.output !== undefined ? checkOutputPath(options.output, io.cwd) : undefined;

  const models = createModelFactory(modelAccess(options, io.env));
  const ends = openFrontEnds(io, options.outputFormat, signal);
  const started = Date.now();
  const result = await execWorkflow(
    {
      runId: ends.runId,
      file,
      code,
      input,
      cwd: options.cwd,
      model: options.model,
      limits: options.limits,
      ...(options.budget ? { budget: options.budget } : {}),
    },
    {
      emit: ends.emit,
      models: models,
      signal: ends.signal,
      ...(ends.store ? { store: ends.store } : {}),
    },
  );
  await ends.close();
  if (ends.readerGone()) return EXIT.interrupted;
  for (const line of result.diagnostics ?? []) ends.warn(`${file}:${line}\n`);
  const summary: RunResult = {
    type: "result",
    runId: ends.runId,
    status: result.status,
    ...(result.result !== undefined ? { report: result.result } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    usage: result.usage,
    agents: result.agents,
    failedAgents: result.failedAgents,
    durationMs: Date.now() - started,
  };
  const delivered = await deliverReport({
    report: result.result,
    summary,
    outputFormat: options.outputFormat,
    outputFile,
    outputFlag: options.output,
    stdout: io.stdout,
    warn: ends.warn,
  });
  if (result.status === "interrupted") return EXIT.interrupted;
  if (result.status !== "done") {
    ends.warn(`agentwf: ${result.error ?? "the workflow failed"}\n`);
    return result.diagnostics !== undefined ? EXIT.usage : EXIT.failed;
  }
  return delivered ? EXIT.done : EXIT.failed;
}
