// The one guarded writer, called directly: what it resolves a path to, what it refuses with which
// message, that a replaced file keeps its mode, that nothing is left beside it, and that a folder
// swapped for a link between the check and the write stops the write.
import { readdirSync, readlinkSync } from "node:fs";
import { readFile, readdir, rm, stat, symlink, chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspacePathError, createWorkspaceGuard, type WorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { WorkspaceWriteError, resolveWriteTarget, writeWorkspaceFile } from "../../src/workspace/write-workspace-file.js";
import { createTempWorkspace, type TempWorkspace } from "../tools/temp-workspace.js";

let ws: TempWorkspace;
let guard: WorkspaceGuard;
beforeEach(async () => {
  ws = await createTempWorkspace();
  guard = createWorkspaceGuard(ws.root);
});
afterEach(() => ws.remove());

async function refusal(input: string): Promise<string> {
  try {
    await resolveWriteTarget(guard, input);
  } catch (error) {
    return `${error instanceof WorkspaceWriteError ? "WorkspaceWriteError" : "other"}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return "accepted";
}

describe("resolveWriteTarget", () => {
  it("gives a new file's real path, its path as shown, and no mode", async () => {
    expect(await resolveWriteTarget(guard, "src/new.ts")).toEqual({ real: path.join(ws.root, "src/new.ts"), shown: "src/new.ts", mode: undefined });
  });

  it("gives an existing file's mode", async () => {
    const file = await ws.write("run.sh", "#!/bin/sh\n");
    await chmod(file, 0o750);
    expect(await resolveWriteTarget(guard, "./run.sh")).toEqual({ real: file, shown: "run.sh", mode: (await stat(file)).mode });
    expect(((await resolveWriteTarget(guard, "run.sh")).mode ?? 0) & 0o777).toBe(0o750);
  });

  it("refuses the workspace itself", async () => {
    expect(await refusal(".")).toBe('WorkspaceWriteError: path "." is the workspace itself; name a file');
    expect(await refusal(ws.root)).toBe(`WorkspaceWriteError: path "${ws.root}" is the workspace itself; name a file`);
  });

  it("refuses any .git folder at any depth and in any case, but not names that only contain .git", async () => {
    const inside = (p: string) => `WorkspaceWriteError: path "${p}" is inside .git/; git's own files are not written (a hook or config there would run on the person's next git command)`;
    expect(await refusal(".git/config")).toBe(inside(".git/config"));
    expect(await refusal("vendor/lib/.Git/hooks/post-checkout")).toBe(inside("vendor/lib/.Git/hooks/post-checkout"));
    expect(await refusal(".gitignore")).toBe("accepted");
    expect(await refusal("a.git/x")).toBe("accepted");
    expect(await refusal("docs/.github/workflow.yml")).toBe("accepted");
  });

  it("turns the guard's refusal into a write error with the same message", async () => {
    const message = await refusal("../escape.txt");
    let guardMessage = "";
    await guard.resolve("../escape.txt").catch((error: unknown) => {
      guardMessage = error instanceof WorkspacePathError ? error.message : "not a WorkspacePathError";
    });
    expect(message).toBe(`WorkspaceWriteError: ${guardMessage}`);
    expect(guardMessage).toMatch(/^path "\.\.\/escape\.txt" is outside the workspace/);
  });

  it("refuses a directory and a link to one", async () => {
    await mkdir(path.join(ws.root, "dir"));
    await symlink("dir", path.join(ws.root, "dir-link"));
    expect(await refusal("dir")).toBe('WorkspaceWriteError: path "dir" is a directory; only regular files are written');
    expect(await refusal("dir-link")).toBe('WorkspaceWriteError: path "dir-link" is a directory; only regular files are written');
  });
});

describe("resolveWriteTarget's other errors", () => {
  it("are WorkspaceWriteErrors by name, and a file-system error other than a refusal is passed on as it is", async () => {
    const error = await resolveWriteTarget(guard, "..").catch((e: unknown) => e);
    expect([error instanceof WorkspaceWriteError, error instanceof Error ? error.name : ""]).toEqual([true, "WorkspaceWriteError"]);
    const tooLong = await resolveWriteTarget(guard, `${"x".repeat(300)}/f.txt`).catch((e: unknown) => e);
    expect([tooLong instanceof WorkspaceWriteError, (tooLong as NodeJS.ErrnoException).code]).toEqual([false, "ENAMETOOLONG"]);
  });
});

/** The files under the workspace this process still holds open (Linux names them in /proc/self/fd). */
function openUnder(root: string): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(root) ? [target] : [];
    } catch {
      return [];
    }
  });
}

describe("writeWorkspaceFile", () => {
  it("closes the file it wrote", async () => {
    await writeWorkspaceFile(guard, await resolveWriteTarget(guard, "closed.txt"), "x");
    expect(openUnder(ws.root)).toEqual([]);
    expect(await readFile(path.join(ws.root, "closed.txt"), "utf8")).toBe("x");
  });

  it("creates the folders and the file, and leaves nothing else beside it", async () => {
    const target = await resolveWriteTarget(guard, "a/b/c.txt");
    await writeWorkspaceFile(guard, target, "content\n");
    expect(await readFile(path.join(ws.root, "a/b/c.txt"), "utf8")).toBe("content\n");
    expect(await readdir(path.join(ws.root, "a/b"))).toEqual(["c.txt"]);
    expect((await stat(path.join(ws.root, "a/b/c.txt"))).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it("replaces a file keeping its mode, setuid bits included, and writes bytes as given", async () => {
    const file = await ws.write("tool", "old");
    await chmod(file, 0o4711);
    const target = await resolveWriteTarget(guard, "tool");
    await writeWorkspaceFile(guard, target, Buffer.from([0, 1, 2, 255]));
    expect([...(await readFile(file))]).toEqual([0, 1, 2, 255]);
    expect((await stat(file)).mode & 0o7777).toBe(0o4711);
    expect(await readdir(ws.root)).toEqual(["tool"]);
  });

  it("stops when a folder on the way was swapped for a link after the check", async () => {
    await mkdir(path.join(ws.root, "a"));
    await mkdir(path.join(ws.root, "elsewhere"));
    const target = await resolveWriteTarget(guard, "a/f.txt");
    await rm(path.join(ws.root, "a"), { recursive: true });
    await symlink("elsewhere", path.join(ws.root, "a"));
    let message = "";
    await writeWorkspaceFile(guard, target, "x").catch((error: unknown) => {
      message = `${error instanceof WorkspaceWriteError ? "WorkspaceWriteError" : "other"}: ${error instanceof Error ? error.message : ""}`;
    });
    expect(message).toBe('WorkspaceWriteError: path "a/f.txt" changed while being written; try again');
    expect(await readdir(path.join(ws.root, "elsewhere"))).toEqual([]);
  });

  it("stops when the target became a directory after the check", async () => {
    const target = await resolveWriteTarget(guard, "f.txt");
    await mkdir(path.join(ws.root, "f.txt"));
    let message = "";
    await writeWorkspaceFile(guard, target, "x").catch((error: unknown) => {
      message = error instanceof Error ? error.message : "";
    });
    // The check runs again on the resolved path, so the message quotes that.
    expect(message).toBe(`path "${path.join(ws.root, "f.txt")}" is a directory; only regular files are written`);
    expect(await readdir(ws.root)).toEqual(["f.txt"]);
  });
});
