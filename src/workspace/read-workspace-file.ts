// One call for "read this file of the workspace": the path is resolved and confined by the guard,
// then opened as a regular file within a size cap (regular-file.ts). AGENTS.md, agent files and
// the project config all come through here, so one hostile file type cannot slip past one reader.
import { realpathSync } from "node:fs";
import path from "node:path";
import { WorkspaceReadError, openRegularFile, readRegularFile, readRegularFileSync } from "./regular-file.js";
import type { ReadCap } from "./regular-file.js";
import { WorkspacePathError, isInside } from "./workspace-guard.js";
import type { WorkspaceGuard } from "./workspace-guard.js";

/** Reads `input` (relative to the workspace root) when it is a regular file inside the workspace within the cap. */
export async function readWorkspaceFile(guard: WorkspaceGuard, input: string, cap: ReadCap): Promise<Buffer> {
  let real: string;
  try {
    real = await guard.resolve(input);
  } catch (error) {
    if (error instanceof WorkspacePathError) throw new WorkspaceReadError("outside", `${input}: ${error.message}`);
    throw error;
  }
  return readRegularFile(real, input, cap);
}

/** The synchronous twin, for start-up code that is synchronous (config files). */
export function readWorkspaceFileSync(root: string, input: string, cap: ReadCap): Buffer {
  const lexical = path.resolve(root, input);
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync.native(root);
    real = realpathSync.native(lexical);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new WorkspaceReadError("missing", `${input}: no such file`);
    if (code === "ELOOP") throw new WorkspaceReadError("outside", `${input}: loops through symbolic links; not read`);
    throw new WorkspaceReadError("unreadable", `${input}: cannot be read (${(error as Error).message})`);
  }
  if (!isInside(realRoot, real)) {
    throw new WorkspaceReadError("outside", `${input}: leads through a symbolic link to ${real}, outside the workspace ${realRoot}; not read`);
  }
  return readRegularFileSync(real, input, cap);
}

/**
 * Reads at most `headBytes` from the start of a workspace file, for files that are cut rather than
 * refused when long (AGENTS.md); the file must still be a regular file inside the workspace within the cap.
 */
export async function readWorkspaceFileHead(
  guard: WorkspaceGuard,
  input: string,
  cap: ReadCap,
  headBytes: number,
): Promise<{ head: Buffer; size: number }> {
  let real: string;
  try {
    real = await guard.resolve(input);
  } catch (error) {
    if (error instanceof WorkspacePathError) throw new WorkspaceReadError("outside", `${input}: ${error.message}`);
    throw error;
  }
  const { handle, size } = await openRegularFile(real, input, cap);
  try {
    const buffer = Buffer.alloc(Math.min(size, headBytes));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { head: buffer.subarray(0, filled), size };
  } finally {
    await handle.close();
  }
}
