import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createListDirTool } from "../../src/tools/list-dir.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
let tool: AgentTool;

beforeEach(async () => {
  ws = await createTempWorkspace();
  tool = createListDirTool(createWorkspaceGuard(ws.root));
});
afterEach(() => ws.remove());

const run = (args: unknown, target: AgentTool = tool) => target.run(JSON.stringify(args), idleContext());

describe("list_dir", () => {
  it("lists the root by default, sorted, hidden entries included, directories with a trailing slash", async () => {
    await ws.write("b.txt", "");
    await ws.write("a.txt", "");
    await ws.write(".env.example", "");
    await ws.write("src/deep/x.ts", "");
    await ws.write("node_modules/p/index.js", "");
    await expect(run({})).resolves.toEqual({ ok: true, output: ".env.example\na.txt\nb.txt\nnode_modules/\nsrc/" });
  });

  it("lists one directory without recursing into subdirectories", async () => {
    await ws.write("src/a.ts", "");
    await ws.write("src/deep/x.ts", "");
    await expect(run({ path: "src" })).resolves.toEqual({ ok: true, output: "a.ts\ndeep/" });
  });

  it("shows symbolic links with their targets, directories marked", async () => {
    await mkdir(path.join(ws.root, "real"));
    await symlink("real", path.join(ws.root, "alias"));
    await symlink("missing.txt", path.join(ws.root, "broken"));
    await expect(run({})).resolves.toEqual({ ok: true, output: "alias/ -> real\nbroken -> missing.txt\nreal/" });
  });

  it("caps the entries and gives the exact total", async () => {
    for (const name of ["e", "d", "c", "b", "a"]) await ws.write(`dir/${name}`, "");
    const small = createListDirTool(createWorkspaceGuard(ws.root), { maxEntries: 3 });
    await expect(run({ path: "dir" }, small)).resolves.toEqual({
      ok: true,
      output: "a\nb\nc\n\n[truncated: showing 1-3 of 5; call again with offset 3 to continue]",
      page: { offset: 0, shown: 3, total: 5, nextOffset: 3 },
    });
  });

  it("reports an empty directory as empty", async () => {
    await mkdir(path.join(ws.root, "empty"));
    await expect(run({ path: "empty" })).resolves.toEqual({ ok: true, output: '[the directory "empty" is empty]' });
  });

  it("refuses a file and points to read_file", async () => {
    await ws.write("a.txt", "");
    await expect(run({ path: "a.txt" })).resolves.toEqual({ ok: false, error: '"a.txt" is a file, not a directory; use read_file to read it' });
  });

  it("refuses a directory outside the workspace, by .. and by symlink", async () => {
    await expect(run({ path: ".." })).resolves.toEqual({ ok: false, error: `path ".." is outside the workspace ${ws.root}; use a path inside it` });
    await symlink(ws.outside, path.join(ws.root, "out"));
    const viaLink = await run({ path: "out" });
    expect(!viaLink.ok && viaLink.error).toMatch(/^path "out" leads through a symbolic link/);
  });

  it("returns a readable error for arguments that are not JSON", async () => {
    const result = await tool.run("{not json", idleContext());
    expect(!result.ok && result.error).toMatch(/^arguments are not valid JSON/);
  });

  it("returns the zod problem for a path that is not a string", async () => {
    const result = await run({ path: 3 });
    expect(!result.ok && result.error).toMatch(/^invalid arguments: path: /);
  });

  it("leaves out .git and what .gitignore ignores, and says how many entries it left out", async () => {
    await ws.write(".gitignore", "build/\n*.tmp\n");
    await ws.write("build/x.js", "");
    await ws.write("a.tmp", "");
    await ws.write(".git/HEAD", "");
    await ws.write("keep.txt", "");
    await expect(run({})).resolves.toEqual({ ok: true, output: ".gitignore\nkeep.txt\n\n[2 entries ignored by .gitignore not shown]" });
  });

  it("pages with offset and ends a cut page with the truncation line", async () => {
    for (const name of ["e", "d", "c", "b", "a"]) await ws.write(`dir/${name}`, "");
    const small = createListDirTool(createWorkspaceGuard(ws.root), { maxEntries: 2 });
    await expect(run({ path: "dir", offset: 2 }, small)).resolves.toEqual({
      ok: true,
      output: "c\nd\n\n[truncated: showing 3-4 of 5; call again with offset 4 to continue]",
      page: { offset: 2, shown: 2, total: 5, nextOffset: 4 },
    });
    await expect(run({ path: "dir", offset: 4 }, small)).resolves.toEqual({ ok: true, output: "e" });
  });

  it("says nothing about what a symlink out of the workspace points at beyond its text", async () => {
    await symlink(ws.outside, path.join(ws.root, "sec"));
    await expect(run({})).resolves.toEqual({ ok: true, output: `sec -> ${ws.outside} (outside the workspace; not readable)` });
  });
});
