import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ignoreStackFor, isIgnored } from "../../src/tools/ignore-rules.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await createTempWorkspace();
});
afterEach(() => ws.remove());

describe("ignore rules", () => {
  it("lets a deeper .gitignore override a shallower one, and matches case-sensitively as git on Linux does", async () => {
    await ws.write(".gitignore", "*.log\nBuild/\n");
    await ws.write("sub/.gitignore", "!keep.log\n");
    const guard = createWorkspaceGuard(ws.root);
    const stack = await ignoreStackFor(guard, path.join(ws.root, "sub"));
    const at = (relative: string, dir = false) => isIgnored(stack, path.join(ws.root, relative), dir);
    expect([at("sub/a.log"), at("sub/keep.log"), at("sub/Build", true), at("sub/build", true)]).toEqual([true, false, true, false]);
  });

  it("decides files by the file rules alone when there are folder-only rules, and by all rules when one negates", async () => {
    await ws.write(".gitignore", "dist/\n*.log\nout/\n");
    await ws.write("neg/.gitignore", "tmp\n!tmp/\n");
    const guard = createWorkspaceGuard(ws.root);
    const root = await ignoreStackFor(guard, ws.root);
    const at = (stack: Awaited<ReturnType<typeof ignoreStackFor>>, relative: string, dir = false) => isIgnored(stack, path.join(ws.root, relative), dir);
    expect([at(root, "a.log"), at(root, "a.ts"), at(root, "dist", true), at(root, "dist"), at(root, "src/out", true)]).toEqual([true, false, true, false, true]);
    // "tmp" names a file and a folder, "!tmp/" takes the folder back: the folder and a file in it are seen, a file named tmp is not.
    const neg = await ignoreStackFor(guard, path.join(ws.root, "neg"));
    expect([at(neg, "neg/tmp", true), at(neg, "neg/tmp/a.ts"), at(neg, "neg/x/tmp")]).toEqual([false, false, true]);
  });

  it("does not use a .gitignore that is a symlink out of the workspace", async () => {
    await writeFile(path.join(ws.outside, "rules"), "*.ts\n");
    await symlink(path.join(ws.outside, "rules"), path.join(ws.root, ".gitignore"));
    const guard = createWorkspaceGuard(ws.root);
    const stack = await ignoreStackFor(guard, ws.root);
    expect(isIgnored(stack, path.join(ws.root, "a.ts"), false)).toBe(false);
    expect(stack).toEqual([]);
  });
});
