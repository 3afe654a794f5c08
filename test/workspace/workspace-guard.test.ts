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

  it("renders paths that need normalizing as path.relative does: dot segments, doubled and trailing slashes, paths outside", () => {
    const root = ws.root;
    const shown = [`${root}/`, `${root}/a/../b.ts`, `${root}/./c.ts`, `${root}/a//b.ts`, `${root}//a.ts`, `${root}/dir/`, `${root}/.git/config`, path.join(ws.outside, "x.ts")].map((p) => guard.relative(p));
    expect(shown).toEqual([".", "b.ts", "c.ts", "a/b.ts", "a.ts", "dir", ".git/config", "../outside/x.ts"]);
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

describe("createWorkspaceGuard at the edges of the file system", () => {
  it("refuses a path with a NUL byte, showing it as \\0", async () => {
    await expect(guard.resolve("a\0b")).rejects.toThrow('path "a\\0b" contains a NUL byte; send a plain path');
  });

  it("resolves a path below a regular file to where it would be (ENOTDIR), inside the workspace", async () => {
    await ws.write("a.txt", "x");
    await expect(guard.resolve("a.txt/sub/c")).resolves.toBe(path.join(ws.root, "a.txt", "sub", "c"));
  });

  it("passes on a file system error other than a missing path or a loop", async () => {
    await expect(guard.resolve("x".repeat(300))).rejects.toMatchObject({ code: "ENAMETOOLONG" });
  });

  it("follows a dangling symlink relative to its own directory, to where a write would land", async () => {
    await mkdir(path.join(ws.root, "sub"));
    await symlink("later.txt", path.join(ws.root, "sub", "d"));
    await expect(guard.resolve("sub/d")).resolves.toBe(path.join(ws.root, "sub", "later.txt"));
  });

  it("follows a chain of dangling symlinks inside the workspace to its end", async () => {
    await symlink("b", path.join(ws.root, "a"));
    await symlink("c/new.txt", path.join(ws.root, "b"));
    await expect(guard.resolve("a")).resolves.toBe(path.join(ws.root, "c", "new.txt"));
  });

  it("refuses a dangling symlink whose target climbs out with ..", async () => {
    await symlink("../outside/new.txt", path.join(ws.root, "d"));
    await expect(guard.resolve("d")).rejects.toThrow(`path "d" leads through a symbolic link to ${path.join(ws.outside, "new.txt")}, outside the workspace ${ws.root}; use a path inside it`);
  });

  it("works from a root reached through a symlink: the real root is kept, paths under either name resolve", async () => {
    const alias = path.join(ws.outside, "alias");
    await symlink(ws.root, alias);
    const file = await ws.write("a.txt", "x");
    const aliased = createWorkspaceGuard(alias);
    expect(aliased.root).toBe(ws.root);
    await expect(aliased.resolve("a.txt")).resolves.toBe(file);
    await expect(aliased.resolve(path.join(alias, "a.txt"))).resolves.toBe(file);
    await expect(aliased.resolve(file)).resolves.toBe(file);
    await expect(aliased.resolve(path.join(ws.outside, "secret"))).rejects.toThrow(`is outside the workspace ${ws.root}`);
  });

  it("names the missing root and why it cannot be opened", () => {
    const missing = path.join(ws.root, "missing");
    expect(() => createWorkspaceGuard(missing)).toThrow(`workspace ${missing} cannot be opened (ENOENT: no such file or directory`);
    expect(() => createWorkspaceGuard(missing)).toThrow(WorkspacePathError);
  });

  it("renders a nested path with / separators", () => {
    expect(guard.relative(path.join(ws.root, "a", "b", "c.ts"))).toBe("a/b/c.ts");
  });

  it("raises a WorkspacePathError named so", async () => {
    const error = await guard.resolve("../x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspacePathError);
    expect((error as Error).name).toBe("WorkspacePathError");
  });
});

describe("isInside at the edges", () => {
  it("counts the parent directory and a sibling that starts with '..' correctly", () => {
    expect(isInside("/w/a", "/w")).toBe(false);
    expect(isInside("/w/a", "/w/b")).toBe(false);
    expect(isInside("/w", "/w/a/b")).toBe(true);
    expect(isInside("/w", "/w/..a/b")).toBe(true);
    expect(isInside("/w", "/w/../x")).toBe(false);
  });
});

describe("symbolic links that realpath cannot see as a loop", () => {
  // Each link's target passes through a directory that does not exist, so realpath stops with
  // ENOENT instead of ELOOP, and only the guard's own count of hops ends the walk.
  it("refuses dangling links that lead to each other through a missing directory, with the loop message", async () => {
    await symlink("missing/../b", path.join(ws.root, "a"));
    await symlink("missing/../a", path.join(ws.root, "b"));
    const error = await guard.resolve("a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspacePathError);
    expect((error as Error).message).toBe(`path "a" loops through symbolic links; use the file's real path`);
  });

  it("refuses a loop realpath does see, with the same message as an Error", async () => {
    await symlink("b", path.join(ws.root, "a"));
    await symlink("a", path.join(ws.root, "b"));
    const error = await guard.resolve("a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspacePathError);
    expect((error as Error).message).toBe(`path "a" loops through symbolic links; use the file's real path`);
  });
});
