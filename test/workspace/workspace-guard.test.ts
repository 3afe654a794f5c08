import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspacePathError, createWorkspaceGuard, isInside } from "../../src/workspace/workspace-guard.js";
import type { WorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace } from "../tools/temp-workspace.js";
import type { TempWorkspace } from "../tools/temp-workspace.js";

let ws: TempWorkspace;
let guard: WorkspaceGuard;

beforeEach(async () => {
  ws = await createTempWorkspace();
  guard = createWorkspaceGuard(ws.root);
});
afterEach(() => ws.remove());

describe("createWorkspaceGuard", () => {
  it("resolves a relative path to its absolute path inside the workspace", async () => {
    await ws.write("src/a.ts", "x");
    await expect(guard.resolve("src/a.ts")).resolves.toBe(path.join(ws.root, "src/a.ts"));
  });

  it("resolves an absolute path inside the workspace", async () => {
    const file = await ws.write("a.txt", "x");
    await expect(guard.resolve(file)).resolves.toBe(file);
  });

  it("resolves an empty path and '.' to the root", async () => {
    await expect(guard.resolve(".")).resolves.toBe(ws.root);
    await expect(guard.resolve("")).resolves.toBe(ws.root);
  });

  it("refuses a .. escape with a message naming the path and the workspace", async () => {
    await expect(guard.resolve("../outside/secret")).rejects.toThrow(
      `path "../outside/secret" is outside the workspace ${ws.root}; use a path inside it`,
    );
  });

  it("refuses .. that climbs out and back in through a sibling", async () => {
    await expect(guard.resolve("src/../../outside")).rejects.toBeInstanceOf(WorkspacePathError);
  });

  it("allows .. that stays inside the workspace", async () => {
    await ws.write("b.txt", "x");
    await expect(guard.resolve("src/../b.txt")).resolves.toBe(path.join(ws.root, "b.txt"));
  });

  it("refuses an absolute path outside the workspace", async () => {
    await expect(guard.resolve("/etc/passwd")).rejects.toThrow(
      `path "/etc/passwd" is outside the workspace ${ws.root}; use a path inside it`,
    );
  });

  it("refuses a symlink inside the workspace that points outside", async () => {
    await writeFile(path.join(ws.outside, "secret.txt"), "s");
    await symlink(path.join(ws.outside, "secret.txt"), path.join(ws.root, "link.txt"));
    await expect(guard.resolve("link.txt")).rejects.toThrow(
      `path "link.txt" leads through a symbolic link to ${path.join(ws.outside, "secret.txt")}, outside the workspace ${ws.root}; use a path inside it`,
    );
  });

  it("refuses a not-yet-existing path below a symlinked directory that points outside", async () => {
    await symlink(ws.outside, path.join(ws.root, "out"));
    await expect(guard.resolve("out/new/file.txt")).rejects.toThrow(/leads through a symbolic link/);
  });

  it("refuses a dangling symlink whose target would be created outside", async () => {
    await symlink(path.join(ws.outside, "not-yet.txt"), path.join(ws.root, "dangling.txt"));
    await expect(guard.resolve("dangling.txt")).rejects.toThrow(/leads through a symbolic link/);
  });

  it("allows a symlink inside the workspace that points inside, resolving to its target", async () => {
    const target = await ws.write("real/file.txt", "x");
    await symlink(path.join(ws.root, "real"), path.join(ws.root, "alias"));
    await expect(guard.resolve("alias/file.txt")).resolves.toBe(target);
  });

  it("resolves a path that does not exist yet through its nearest existing parent", async () => {
    await mkdir(path.join(ws.root, "src"));
    await expect(guard.resolve("src/new/deep.ts")).resolves.toBe(path.join(ws.root, "src/new/deep.ts"));
  });

  it("refuses a symlink loop with a message instead of hanging", async () => {
    await symlink(path.join(ws.root, "b"), path.join(ws.root, "a"));
    await symlink(path.join(ws.root, "a"), path.join(ws.root, "b"));
    await expect(guard.resolve("a")).rejects.toThrow(`path "a" loops through symbolic links; use the file's real path`);
  });

  it("renders paths relative to the root with '.' for the root itself", () => {
    expect(guard.relative(path.join(ws.root, "src", "a.ts"))).toBe("src/a.ts");
    expect(guard.relative(ws.root)).toBe(".");
  });

  it("throws when the workspace root does not exist", () => {
    expect(() => createWorkspaceGuard(path.join(ws.root, "missing"))).toThrow(/cannot be opened/);
  });
});

describe("isInside", () => {
  it("treats a name starting with '..' as inside, and the parent as outside", () => {
    expect(isInside("/w", "/w/..foo")).toBe(true);
    expect(isInside("/w", "/w")).toBe(true);
    expect(isInside("/w", "/")).toBe(false);
    expect(isInside("/w", "/wx")).toBe(false);
  });
});
