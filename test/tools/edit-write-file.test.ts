// edit_file and write_file through the guarded writer: one exact match or a helpful refusal,
// traversal, symlink escapes (also dangling ones), FIFOs and devices, .git/, binary and non-UTF-8
// files; and the file's mode kept when it is replaced.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, readFile, stat, symlink } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEditFileTool } from "../../src/tools/edit-file.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWriteFileTool } from "../../src/tools/write-file.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext, type TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
let edit: AgentTool;
let write: AgentTool;

beforeEach(async () => {
  ws = await createTempWorkspace();
  const guard = createWorkspaceGuard(ws.root);
  edit = createEditFileTool(guard);
  write = createWriteFileTool(guard);
});
afterEach(async () => {
  await ws.remove();
});

const call = (tool: AgentTool, args: unknown) => tool.run(JSON.stringify(args), idleContext());
const text = (relative: string) => readFile(path.join(ws.root, relative), "utf8");

describe("edit_file", () => {
  it("replaces text that occurs once and keeps the file's mode", async () => {
    const file = await ws.write("src/a.js", "const a = 1;\nconst b = 2;\n");
    await chmod(file, 0o755);
    expect(await call(edit, { path: "src/a.js", old_string: "const b = 2;", new_string: "const b = 3;\nconst c = 4;" })).toEqual({
      ok: true,
      output: "edited src/a.js at line 2: 1 line(s) replaced by 2",
    });
    expect(await text("src/a.js")).toBe("const a = 1;\nconst b = 3;\nconst c = 4;\n");
    expect((await stat(file)).mode & 0o777).toBe(0o755);
  });

  it("refuses text that occurs more than once, naming the lines", async () => {
    await ws.write("a.txt", "x = 1\ny\nx = 1\n");
    expect(await call(edit, { path: "a.txt", old_string: "x = 1", new_string: "x = 2" })).toEqual({
      ok: false,
      error: "old_string occurs 2 times in a.txt (starting on lines 1, 3); include more surrounding text so it occurs once",
    });
    expect(await text("a.txt")).toBe("x = 1\ny\nx = 1\n");
  });

  it("shows the nearest lines when the text does not occur", async () => {
    await ws.write("a.js", "function add(a, b) {\n  return a + b;\n}\n");
    expect(await call(edit, { path: "a.js", old_string: "function add(a,b) {", new_string: "function sum(a, b) {" })).toEqual({
      ok: false,
      error: "old_string does not occur in a.js; the nearest lines are:\n1: function add(a, b) {",
    });
    expect(await call(edit, { path: "a.js", old_string: "zzzz qqqq", new_string: "y" })).toEqual({
      ok: false,
      error: "old_string does not occur in a.js; read the file again with read_file and copy the text exactly",
    });
  });

  it("refuses a missing file, a binary file and a file that is not UTF-8", async () => {
    expect(await call(edit, { path: "nope.txt", old_string: "a", new_string: "b" })).toEqual({ ok: false, error: "nope.txt: no such file; use write_file to create it" });
    await ws.write("bin.dat", Buffer.from([0x61, 0x00, 0x62]));
    expect(await call(edit, { path: "bin.dat", old_string: "a", new_string: "b" })).toEqual({ ok: false, error: "bin.dat is a binary file; edit_file changes text files only" });
    await ws.write("latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(await call(edit, { path: "latin1.txt", old_string: "caf", new_string: "tea" })).toEqual({
      ok: false,
      error: "latin1.txt is not valid UTF-8; edit_file would change bytes it did not mean to, so it leaves the file alone",
    });
    expect(await readFile(path.join(ws.root, "latin1.txt"))).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  });
});

describe("write_file", () => {
  it("creates a file with its folders and replaces one", async () => {
    expect(await call(write, { path: "new/deep/f.txt", content: "hi\n" })).toEqual({ ok: true, output: "created new/deep/f.txt (3 bytes)" });
    expect(await call(write, { path: "new/deep/f.txt", content: "bye\n" })).toEqual({ ok: true, output: "replaced new/deep/f.txt (4 bytes)" });
    expect(await text("new/deep/f.txt")).toBe("bye\n");
  });

  it("refuses traversal, absolute paths outside and symlinks that lead outside, dangling ones too", async () => {
    await symlink(ws.outside, path.join(ws.root, "out-dir"));
    await symlink(path.join(ws.outside, "created-by-link.txt"), path.join(ws.root, "dangling.txt"));
    for (const target of ["../outside/x.txt", path.join(ws.outside, "x.txt"), "out-dir/x.txt", "dangling.txt"]) {
      const outcome = await call(write, { path: target, content: "pwned" });
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? "" : outcome.error).toMatch(/^path ".*" (is outside|leads through a symbolic link to .*, outside) the workspace /);
    }
    expect(existsSync(path.join(ws.outside, "x.txt"))).toBe(false);
    expect(existsSync(path.join(ws.outside, "created-by-link.txt"))).toBe(false);
  });

  it("writes through a symlink that stays inside by replacing its target, not the link's outside", async () => {
    await ws.write("real.txt", "old\n");
    await symlink("real.txt", path.join(ws.root, "alias.txt"));
    expect(await call(write, { path: "alias.txt", content: "new\n" })).toEqual({ ok: true, output: "replaced real.txt (4 bytes)" });
    expect(await text("real.txt")).toBe("new\n");
  });

  it("refuses .git/, a directory, a FIFO and a device", async () => {
    await ws.write(".git/config", "[core]\n");
    expect(await call(write, { path: ".git/hooks/pre-commit", content: "rm -rf ~" })).toEqual({
      ok: false,
      error: `path ".git/hooks/pre-commit" is inside .git/; git's own files are not written (a hook or config there would run on the person's next git command)`,
    });
    expect(await call(edit, { path: "sub/.GIT/config", old_string: "a", new_string: "b" })).toMatchObject({ ok: false });
    await ws.write("dir/keep", "");
    expect(await call(write, { path: "dir", content: "x" })).toEqual({ ok: false, error: 'path "dir" is a directory; only regular files are written' });
    execFileSync("mkfifo", [path.join(ws.root, "fifo")]);
    expect(await call(write, { path: "fifo", content: "x" })).toEqual({ ok: false, error: 'path "fifo" is not a regular file (a FIFO, socket or device); only regular files are written' });
    await symlink("/dev/null", path.join(ws.root, "null-link"));
    expect((await call(write, { path: "null-link", content: "x" })).ok).toBe(false);
    expect((await stat(path.join(ws.root, "fifo"))).isFIFO()).toBe(true);
  });
});
