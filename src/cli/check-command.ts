// `agentwf check FILE`: the validation a generated workflow gets, for a file.
import path from "node:path";
import { escapeForDisplay } from "../text/safe-text.js";
import { DEFAULT_LIMITS } from "../config/limits.js";
import { WorkspaceReadError, readRegularFile } from "../workspace/regular-file.js";
import { typeCheckInWorker } from "../workflow/type-check-worker.js";
import { formatDiagnostic, validateWorkflowAsync } from "../workflow/validate.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import type { CliIO } from "./cli-io.js";

/**
 * Reads a workflow file, refusing what is not a regular file (a FIFO would hang the read) or is far
 * too large to be one. The person named it, so it may lie outside the workspace.
 */
export async function readWorkflowFile(file: string, cwd: string): Promise<string> {
  const resolved = path.resolve(cwd, file);
  try {
    // Validation reports the exact size limit; this cap only keeps a huge file out of memory.
    const bytes = await readRegularFile(resolved, file, { maxBytes: DEFAULT_LIMITS.maxCodeBytes * 10, purpose: "a workflow file" });
    return bytes.toString("utf8");
  } catch (error) {
    if (error instanceof WorkspaceReadError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

export async function checkCommand(file: string, io: CliIO): Promise<ExitCode> {
  const code = await readWorkflowFile(file, io.cwd);
  const result = await validateWorkflowAsync(code, DEFAULT_LIMITS.maxCodeBytes, typeCheckInWorker);
  // A syntax error can quote the very character it is about: shown as an escape, like the code.
  for (const d of result.diagnostics) io.stdout.write(`${escapeForDisplay(`${file}:${formatDiagnostic(d)}`)}\n`);
  if (result.ok) {
    io.stdout.write(`${file}: ok\n`);
    return EXIT.done;
  }
  return EXIT.failed;
}
