// One call for "read this file of the workspace": the path is resolved and confined, then opened
// as a regular file within a size cap (regular-file.ts), and the opened descriptor is checked to
// lie inside the workspace, so a folder swapped for a symlink after the check is caught too.
// AGENTS.md, agent files, .gitignore files and the project config all come through here, so one
// hostile file type cannot slip past one reader. Reading needs no guard.resolve (that one also
// follows dangling links, for paths about to be written): realpath of what exists is enough, so
// one synchronous piece serves async callers and the synchronous start-up code alike.
import { realpathSync } from "node:fs";
import path from "node:path";
import { WorkspaceReadError, openRegularFile, readRegularFileSync } from "./regular-file.js";
import type { ReadCap } from "./regular-file.js";
import { isInside } from "./workspace-guard.js";
import type { WorkspaceGuard } from "./workspace-guard.js";

function realRootOf(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return path.resolve(root);
  }
}

/** The real path of `input` (relative to `root`, or absolute) and the real root, refused unless inside. */
function resolveForRead(root: string, input: string): { real: string; realRoot: string } {
  if (input.includes("\0")) throw new WorkspaceReadError("unreadable", `${input.replaceAll("\0", "\\0")}: contains a NUL byte; not read`);
  // A path that leaves the root by its own text ("../x", "/etc/passwd") is refused as such, before
  // the file system is asked anything about it (not even whether it exists).
  const lexical = path.resolve(root, input);
  if (!isInside(path.resolve(root), lexical) && !isInside(realRootOf(root), lexical)) {
    throw new WorkspaceReadError("outside", `${input}: path "${input}" is outside the workspace ${root}; use a path inside it`);
  }
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
    throw new WorkspaceReadError("outside", `${input}: leads through a symbolic link to ${real}, outside the workspace ${realRoot}; use a path inside it`);
  }
  return { real, realRoot };
}

/** Reads `input` (relative to the workspace root) when it is a regular file inside the workspace within the cap. */
export function readWorkspaceFileSync(root: string, input: string, cap: ReadCap): Buffer {
  const { real, realRoot } = resolveForRead(root, input);
  return readRegularFileSync(real, input, cap, realRoot);
}

/** readWorkspaceFileSync for async callers holding a guard: the same read. */
export async function readWorkspaceFile(guard: WorkspaceGuard, input: string, cap: ReadCap): Promise<Buffer> {
  return readWorkspaceFileSync(guard.root, input, cap);
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
  const { real, realRoot } = resolveForRead(guard.root, input);
  const { handle, size } = await openRegularFile(real, input, cap, realRoot);
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
