// The one guarded writer for workspace files (edit_file, write_file). The path goes through the
// guard (no `..`, no symlink leading outside, dangling links followed to where they would create a
// file); git's own files are refused (a hook or config written there runs on the person's next
// git command); only a regular file is replaced, never a FIFO or device; and the new content is
// written to a fresh file beside the target and renamed over it, so a symlink swapped in after
// the check is replaced, not written through.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, lstat, mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { WorkspacePathError, type WorkspaceGuard } from "./workspace-guard.js";

/** Where a written file would land, resolved and checked; `existed` tells a new file from a replaced one. */
export interface WriteTarget {
  readonly real: string;
  readonly shown: string;
  readonly mode: number | undefined;
}

export class WorkspaceWriteError extends Error {
  override readonly name = "WorkspaceWriteError";
}

function isGitPath(relative: string): boolean {
  return relative.split("/").some((part) => part.toLowerCase() === ".git");
}

/** Resolves and checks `input` for writing; throws a WorkspaceWriteError the model can act on. */
export async function resolveWriteTarget(guard: WorkspaceGuard, input: string): Promise<WriteTarget> {
  let real: string;
  try {
    real = await guard.resolve(input);
  } catch (error) {
    if (error instanceof WorkspacePathError) throw new WorkspaceWriteError(error.message);
    throw error;
  }
  const shown = guard.relative(real);
  if (shown === ".") throw new WorkspaceWriteError(`path "${input}" is the workspace itself; name a file`);
  if (isGitPath(shown)) throw new WorkspaceWriteError(`path "${input}" is inside .git/; git's own files are not written (a hook or config there would run on the person's next git command)`);
  const info = await lstat(real).catch(() => undefined);
  if (info !== undefined && !info.isFile()) {
    const what = info.isDirectory() ? "a directory" : "not a regular file (a FIFO, socket or device)";
    throw new WorkspaceWriteError(`path "${input}" is ${what}; only regular files are written`);
  }
  return { real, shown, mode: info?.mode };
}

/** Writes `content` to the checked target: a new file beside it, then an atomic rename. */
export async function writeWorkspaceFile(guard: WorkspaceGuard, target: WriteTarget, content: string | Buffer): Promise<void> {
  const dir = path.dirname(target.real);
  await mkdir(dir, { recursive: true });
  // The directories just made could, in a race, have been swapped for links: check again.
  const again = await resolveWriteTarget(guard, target.real);
  if (again.real !== target.real) throw new WorkspaceWriteError(`path "${target.shown}" changed while being written; try again`);
  const temporary = path.join(dir, `.${path.basename(target.real)}.agentwf-${randomBytes(6).toString("hex")}`);
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  try {
    if (target.mode !== undefined) await chmod(temporary, target.mode & 0o7777);
    await rename(temporary, target.real);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
