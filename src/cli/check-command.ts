// `agentwf check FILE`: the validation a generated workflow gets, for a file.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_LIMITS } from "../workflow/types.js";
import { typeCheckInWorker } from "../workflow/type-check-worker.js";
import { formatDiagnostic, validateWorkflowAsync } from "../workflow/validate.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import type { CliIO } from "./cli-io.js";

/** Reads a workflow file, refusing what is not a file or is far too large to be one. */
export async function readWorkflowFile(file: string, cwd: string): Promise<string> {
  const resolved = path.resolve(cwd, file);
  let size: number;
  try {
    const info = await stat(resolved);
    if (!info.isFile()) throw new CliError(`${file}: not a file`, EXIT.usage);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: no such file`, EXIT.usage);
  }
  // Validation reports the exact size limit; this only keeps a huge file out of memory.
  if (size > DEFAULT_LIMITS.maxCodeBytes * 10) {
    throw new CliError(`${file}: ${size} bytes is far over the ${DEFAULT_LIMITS.maxCodeBytes}-byte workflow limit`, EXIT.usage);
  }
  return readFile(resolved, "utf8");
}

export async function checkCommand(file: string, io: CliIO): Promise<ExitCode> {
  const code = await readWorkflowFile(file, io.cwd);
  const result = await validateWorkflowAsync(code, DEFAULT_LIMITS.maxCodeBytes, typeCheckInWorker);
  for (const d of result.diagnostics) io.stdout.write(`${file}:${formatDiagnostic(d)}\n`);
  if (result.ok) {
    io.stdout.write(`${file}: ok\n`);
    return EXIT.done;
  }
  return EXIT.failed;
}
