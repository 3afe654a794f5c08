import { execFileSync } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceReadError } from "../../src/workspace/regular-file.js";
import { readWorkspaceFile, readWorkspaceFileHead, readWorkspaceFileSync } from "../../src/workspace/read-workspace-file.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace } from "../tools/temp-workspace.js";
import type { TempWorkspace } from "../tools/temp-workspace.js";

const CAP = { maxBytes: 1024, purpose: "a test file" } as const;
let ws: TempWorkspace;

beforeEach(async () => {
  ws = await createTempWorkspace();
  await writeFile(path.join(ws.outside, "secret"), "OUTSIDE-SECRET");
});
afterEach(() => ws.remove());

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkspaceReadError) return error.code;
    throw error;
  }
  return "read";
}

describe("readWorkspaceFile", () => {
  it("reads a file inside the workspace, also through a symlink that stays inside", async () => {
    await ws.write("docs/real.md", "inside");
    await symlink("docs/real.md", path.join(ws.root, "link.md"));
    const guard = createWorkspaceGuard(ws.root);
    expect((await readWorkspaceFile(guard, "link.md", CAP)).toString()).toBe("inside");
  });

  it("refuses a symlink that leads out of the workspace and says where it leads", async () => {
    await symlink(path.join(ws.outside, "secret"), path.join(ws.root, "AGENTS.md"));
    const error = await readWorkspaceFile(createWorkspaceGuard(ws.root), "AGENTS.md", CAP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceReadError);
    expect((error as WorkspaceReadError).code).toBe("outside");
    expect((error as WorkspaceReadError).message).toContain(`leads through a symbolic link to ${path.join(ws.outside, "secret")}, outside`);
  });

  it("reads only the head of a long file with readWorkspaceFileHead, and gives the full size", async () => {
    await ws.write("long.md", "abcdefghij");
    const { head, size } = await readWorkspaceFileHead(createWorkspaceGuard(ws.root), "long.md", CAP, 4);
    expect([head.toString(), size]).toEqual(["abcd", 10]);
  });
});

describe("readWorkspaceFileSync", () => {
  it("reads inside, and refuses a symlink out, a directory symlink out, a FIFO and a missing file", async () => {
    await ws.write("ok.json", "{}");
    await symlink(path.join(ws.outside, "secret"), path.join(ws.root, "out.json"));
    await mkdir(path.join(ws.root, ".agentwf"));
    await symlink(ws.outside, path.join(ws.root, "dirlink"));
    execFileSync("mkfifo", [path.join(ws.root, "fifo.json")]);
    expect(readWorkspaceFileSync(ws.root, "ok.json", CAP).toString()).toBe("{}");
    expect([
      codeOf(() => readWorkspaceFileSync(ws.root, "out.json", CAP)),
      codeOf(() => readWorkspaceFileSync(ws.root, "dirlink/secret", CAP)),
      codeOf(() => readWorkspaceFileSync(ws.root, "fifo.json", CAP)),
      codeOf(() => readWorkspaceFileSync(ws.root, ".agentwf/config.json", CAP)),
    ]).toEqual(["outside", "outside", "not-regular", "missing"]);
  });
});
