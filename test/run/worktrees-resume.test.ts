// A resumed run replays an isolated agent's finished result (its patch id with it) without running
// the agent again; wf.applyPatches must still find that patch in the run folder, and a patch the
// earlier attempt already applied must not turn into a conflict.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktrees, numstatPaths } from "../../src/run/worktrees.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });

describe("patches across a resume", () => {
  let repo: string;
  let runDir: string;
  beforeEach(async () => {
    repo = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-wtr-repo-")));
    runDir = await mkdtemp(path.join(os.tmpdir(), "agentwf-wtr-run-"));
    git(repo, "init", "-q");
    await writeFile(path.join(repo, "a.txt"), "one\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "init");
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
    await rm(runDir, { recursive: true, force: true });
  });

  /** The first attempt: an isolated agent changes a.txt and adds b.txt, then the process stops. */
  async function firstAttempt(): Promise<void> {
    const first = createWorktrees({ workspace: repo, runDir: async () => runDir });
    const tree = await first.create("w1.1");
    await writeFile(path.join(tree.root, "a.txt"), "two\n");
    await writeFile(path.join(tree.root, "b.txt"), "new\n");
    const patch = await tree.finish();
    expect(patch?.files).toEqual(["a.txt", "b.txt"]);
  }

  it("a resumed run applies the earlier attempt's patch by id, listing its files", async () => {
    await firstAttempt();
    const resumed = createWorktrees({ workspace: repo, runDir: async () => runDir });
    expect(await resumed.apply(["w1.1"])).toEqual({ applied: ["w1.1"], conflicts: [] });
    expect(await readFile(path.join(repo, "a.txt"), "utf8")).toBe("two\n");
    expect(await readFile(path.join(repo, "b.txt"), "utf8")).toBe("new\n");
    // Asked again in the same attempt: already applied, and the workspace is untouched.
    expect(await resumed.apply(["w1.1"])).toEqual({ applied: [], conflicts: [{ id: "w1.1", files: [], error: "already applied", patchFile: "" }] });
  });

  it("a patch the earlier attempt applied before it stopped counts as applied, not as a conflict", async () => {
    await firstAttempt();
    await createWorktrees({ workspace: repo, runDir: async () => runDir }).apply(["w1.1"]);
    const again = createWorktrees({ workspace: repo, runDir: async () => runDir });
    expect(await again.apply(["w1.1"])).toEqual({ applied: ["w1.1"], conflicts: [] });
    expect(await readFile(path.join(repo, "a.txt"), "utf8")).toBe("two\n");
  });

  it("an earlier patch that no longer applies is a conflict naming its files and patch file", async () => {
    await firstAttempt();
    await writeFile(path.join(repo, "a.txt"), "changed by the person\n");
    const resumed = createWorktrees({ workspace: repo, runDir: async () => runDir });
    const report = await resumed.apply(["w1.1"]);
    expect(report.applied).toEqual([]);
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0]).toMatchObject({ id: "w1.1", files: ["a.txt", "b.txt"], patchFile: path.join(runDir, "patches", "w1.1.patch") });
    expect(report.conflicts[0]?.error).toContain("a.txt");
    expect(await readFile(path.join(repo, "a.txt"), "utf8")).toBe("changed by the person\n");
  });

  it("an id with no patch in the run folder, or one shaped like a path, is reported, never read", async () => {
    const resumed = createWorktrees({ workspace: repo, runDir: async () => runDir });
    expect(await resumed.apply(["w9.9", "../../etc/passwd"])).toEqual({
      applied: [],
      conflicts: [
        { id: "w9.9", files: [], error: "no such patch in this run", patchFile: "" },
        { id: "../../etc/passwd", files: [], error: "no such patch in this run", patchFile: "" },
      ],
    });
  });
});

describe("numstatPaths", () => {
  it("reads plain entries, binary ones (- -) and renames (old and new path: the new one)", () => {
    expect(numstatPaths("1\t1\ta.txt\0-\t-\timg.png\0" + "0\t0\t\0old name.txt\0new name.txt\0")).toEqual(["a.txt", "img.png", "new name.txt"]);
    expect(numstatPaths("")).toEqual([]);
  });
});
