// `agentwf exec FILE [--input JSON]`: runs a workflow file with sub-agents and prints its result,
// through the pipeline `run` shares (run-pipeline.ts).
import { existsSync } from "node:fs";
import path from "node:path";
import { execWorkflow } from "../run/exec-workflow.js";
import { readWorkflowFile } from "./check-command.js";
import { isWorkflowName, runSavedWorkflow } from "./saved-workflow-command.js";
import type { CliIO } from "./cli-io.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { runPipeline } from "./run-pipeline.js";
import { normalizeRunOptions } from "./run-options.js";
import { withResumedDefaults } from "./run-record.js";

function parseInput(raw: unknown): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch (error) {
    throw new CliError(`--input is not valid JSON (${(error as Error).message}); quote it, e.g. --input '{"dirs": ["src"]}'`, EXIT.usage);
  }
}

export async function execCommand(file: string, rawFlags: unknown, io: CliIO, signal: AbortSignal): Promise<ExitCode> {
  const { input: rawInput, ...given } = (rawFlags ?? {}) as Record<string, unknown>;
  const { flags, resumed } = withResumedDefaults(given, io, "exec");
  // A resumed run keeps its input unless a new one is given.
  const input = rawInput === undefined && resumed !== undefined ? resumed.input : parseInput(rawInput);
  // A name that is not a file here is a saved workflow (.agentwf/workflows, .claude/workflows, …).
  if (isWorkflowName(file) && !existsSync(path.resolve(io.cwd, file))) return runSavedWorkflow(file, input, given, io, signal);
  const options = normalizeRunOptions(`exec ${file}`, flags, io.env, io.cwd);
  const code = await readWorkflowFile(file, io.cwd);
  return runPipeline(options, io, signal, {
    record: { command: "exec", file, input },
    execute: (config, ports) => execWorkflow({ ...config, file, code, input }, ports),
  });
}
