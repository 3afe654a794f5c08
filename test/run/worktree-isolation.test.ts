// Worktree isolation end to end, below the CLI: a real git repository, the real sub-agent setup
// (agent types, worktrees under the run folder) and the real workflow sandbox, with a scripted
// model whose agents call `write_file`. The write tool is a minimal one injected through the
// `toolsFor` port (the real `write_file` belongs to the bash-sandbox work), confined to the root the
// runner gives it: the agent's worktree.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SandboxMode } from "../../src/agent/sandbox-mode.js";
import { emptyUsage, type RunEvent } from "../../src/events.js";
import type { Model } from "../../src/model/types.js";
import { prepareSubAgents } from "../../src/run/sub-agents.js";
import type { ToolsFor } from "../../src/run/sub-agent-runner.js";
import { createReadOnlyTools } from "../../src/tools/read-only-tools.js";
import { defineTool } from "../../src/tools/tool.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { runWorkflow } from "../../src/workflow/sandbox.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });

// A minimal write_file for the test, confined to the root it is made for.
const toolsFor: ToolsFor = ({ root }) => {
  const guard = createWorkspaceGuard(root);
  const writeFileTool = defineTool({
    name: "write_file",
    description: "writes a file",
    parameters: z.object({ path: z.string(), content: z.string() }),
    async execute({ path: file, content }) {
      const real = await guard.resolve(file);
      await writeFile(real, content);
      return { ok: true, output: `wrote ${file}` };
    },
  });
  return [...createReadOnlyTools(root), writeFileTool];
};

// Each agent's prompt is `write <file> <text>`, or `look`: it writes once, then answers.
const model: Model = {
  id: "fake/scripted",
  async stream(request) {
    const prompt = request.messages.find((m) => m.role === "user")?.content ?? "";
    const wrote = request.messages.some((m) => m.role === "tool");
    const match = /^write (\S+) (.+)$/.exec(prompt.split("\n")[0] ?? "");
    if (match === null || wrote) return { text: `done: ${prompt.split("\n")[0]}`, thinking: "", toolCalls: [], stopReason: "stop", usage: emptyUsage() };
    const args = JSON.stringify({ path: match[1], content: `${match[2]}\n` });
    return { text: "", thinking: "", toolCalls: [{ id: "c1", name: "write_file", arguments: args }], stopReason: "tool_calls", usage: emptyUsage() };
  },
};

describe('isolation: "worktree"', () => {
  let repo: string;
  let runDir: string;
  let events: RunEvent[];
  beforeEach(async () => {
    repo = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-wt-repo-")));
    runDir = await mkdtemp(path.join(os.tmpdir(), "agentwf-wt-run-"));
    events = [];
    git(repo, "init", "-q");
    await writeFile(path.join(repo, "greeting.txt"), "hello\n");
    await writeFile(path.join(repo, "notes.txt"), "committed notes\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "init");
    // The person's uncommitted work: agents start from it, and applying patches keeps it.
    await writeFile(path.join(repo, "notes.txt"), "uncommitted notes\n");
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
    await rm(runDir, { recursive: true, force: true });
  });

  async function run(code: string, sandbox: SandboxMode) {
    const emit = (e: Omit<RunEvent, "time">) => events.push({ ...e, time: 0 } as RunEvent);
    const setup = await prepareSubAgents({
      cwd: repo,
      models: () => model,
      defaultModel: "fake/scripted",
      emit,
      sandbox: { mode: sandbox, network: false, allowDotEnv: false },
      toolsFor,
      // Only the folder and the journal of a run store are used here.
      store: { dir: runDir, journal: () => {} } as never,
    });
    const outcome = await runWorkflow({
      code,
      workflowId: "w1",
      defaultAgent: "general-purpose",
      runAgent: setup.runAgent,
      applyPatches: setup.applyPatches,
      limits: DEFAULT_LIMITS,
      emit,
      signal: new AbortController().signal,
    });
    if (!outcome.ok) throw new Error(`workflow failed: ${outcome.error}`);
    return JSON.parse(outcome.result) as Record<string, unknown>;
  }

  const TWO_EDITORS = `async function main(wf) {
  const results = await wf.mapAgents(["write greeting.txt from one", "write greeting.txt from two", "look"], "{item}", { agent: "fixer", isolation: "worktree" });
  const report = await wf.applyPatches(results);
  return {
    answers: results.map((r) => r.value),
    patches: results.map((r) => r.patch && { id: r.patch.id, files: r.patch.files, diff: r.patch.diff }),
    applied: report.applied,
    conflicts: report.conflicts.map((c) => ({ id: c.id, files: c.files, patchFile: c.patchFile, worktree: c.worktree })),
  };
}`;

  it("two agents editing the same file: the first patch is applied, the second is a reported conflict with its patch and worktree kept", async () => {
    const result = await run(TWO_EDITORS, "workspace-write");
    const patches = result.patches as Array<{ id: string; files: string[]; diff: string } | null>;
    expect(result.answers).toEqual(["done: write greeting.txt from one", "done: write greeting.txt from two", "done: look"]);
    expect(patches.map((p) => p?.files ?? null)).toEqual([["greeting.txt"], ["greeting.txt"], null]);
    expect(patches[0]?.diff).toContain("-hello\n+from one\n");
    expect(patches[1]?.diff).toContain("-hello\n+from two\n");
    const [first, second] = patches.map((p) => p?.id ?? "");
    expect(result.applied).toEqual([first]);
    const conflicts = result.conflicts as Array<{ id: string; files: string[]; patchFile: string; worktree: string }>;
    expect(conflicts.map((c) => [c.id, c.files])).toEqual([[second, ["greeting.txt"]]]);

    // The first edit is in the workspace, the person's uncommitted notes are untouched, and the
    // second edit is not lost: its patch is in the run folder and its worktree still holds it.
    expect(await readFile(path.join(repo, "greeting.txt"), "utf8")).toBe("from one\n");
    expect(await readFile(path.join(repo, "notes.txt"), "utf8")).toBe("uncommitted notes\n");
    expect(conflicts[0]?.patchFile).toBe(path.join(runDir, "patches", `${second}.patch`));
    expect(readFileSync(conflicts[0]?.patchFile ?? "", "utf8")).toContain("+from two\n");
    expect(readFileSync(path.join(conflicts[0]?.worktree ?? "", "greeting.txt"), "utf8")).toBe("from two\n");
    // Only the conflicting worktree is left: the applied one and the unchanged one were removed.
    const worktrees = git(repo, "worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree ")).map((l) => l.slice(9));
    expect(worktrees).toEqual([repo, path.join(runDir, "worktrees", second ?? "")]);
  });

  it("agents see the person's uncommitted changes in their worktree", async () => {
    const result = await run(
      `async function main(wf) {
  const r = await wf.runAgent("write copy.txt seen", { agent: "fixer", isolation: "worktree" });
  return { files: r.patch.files, diff: r.patch.diff };
}`,
      "workspace-write",
    );
    expect(result.files).toEqual(["copy.txt"]);
    // The snapshot held notes.txt as the person left it, so the agent's patch does not touch it.
    expect(result.diff).not.toContain("notes.txt");
  });

  it("agents start from the person's untracked and staged files too, not ignored ones, and the person's repository is left as it was", async () => {
    await writeFile(path.join(repo, ".gitignore"), "build/\n");
    await mkdir(path.join(repo, "build"));
    await writeFile(path.join(repo, "build", "out.txt"), "ignored output\n");
    await writeFile(path.join(repo, "draft.txt"), "draft\n");
    await writeFile(path.join(repo, "staged.txt"), "staged\n");
    git(repo, "add", "staged.txt");
    const state = () => [git(repo, "status", "--porcelain", "--untracked-files=all"), git(repo, "diff", "--cached", "--name-status"), git(repo, "rev-parse", "HEAD"), git(repo, "stash", "list"), git(repo, "branch", "--list")];
    const before = state();

    const result = await run(
      `async function main(wf) {
  const r = await wf.runAgent("write draft.txt edited", { agent: "fixer", isolation: "worktree" });
  return { id: r.patch.id, files: r.patch.files, diff: r.patch.diff };
}`,
      "workspace-write",
    );
    // The diff is against the person's draft, not a new file: the snapshot held the untracked file.
    expect(result.files).toEqual(["draft.txt"]);
    expect(result.diff).toContain("-draft\n+edited\n");
    expect(result.diff).not.toContain("new file");
    const worktree = path.join(runDir, "worktrees", String(result.id));
    expect(await readFile(path.join(worktree, "staged.txt"), "utf8")).toBe("staged\n");
    expect(await readFile(path.join(worktree, "notes.txt"), "utf8")).toBe("uncommitted notes\n");
    expect(await readFile(path.join(worktree, ".gitignore"), "utf8")).toBe("build/\n");
    expect(existsSync(path.join(worktree, "build"))).toBe(false);
    // Nothing of the person's moved: status, index, HEAD, stash and branches are as they were.
    expect(state()).toEqual(before);
  });

  it("a patch to an untracked file applies to the person's file, which stays untracked", async () => {
    await writeFile(path.join(repo, "draft.txt"), "draft\n");
    const result = await run(
      `async function main(wf) {
  const r = await wf.runAgent("write draft.txt edited", { agent: "fixer", isolation: "worktree" });
  return await wf.applyPatches([r]);
}`,
      "workspace-write",
    );
    expect(result.conflicts).toEqual([]);
    expect(await readFile(path.join(repo, "draft.txt"), "utf8")).toBe("edited\n");
    expect(git(repo, "status", "--porcelain")).toBe(" M notes.txt\n?? draft.txt\n");
  });

  it("in a read-only run, isolated agents change nothing (patch null, no worktree) and applyPatches refuses", async () => {
    const result = await run(
      `async function main(wf) {
  const r = await wf.runAgent("look", { agent: "fixer", isolation: "worktree" });
  try { await wf.applyPatches([r]); return { patch: r.patch, applied: true }; } catch (e) { return { patch: r.patch, error: e.message }; }
}`,
      "read-only",
    );
    expect(result).toEqual({
      patch: null,
      error: "wf.applyPatches changes the workspace, and this run is read-only; run with --sandbox workspace-write to apply patches",
    });
    expect(existsSync(path.join(runDir, "worktrees"))).toBe(false);
  });

  it("fails the isolated agent with one line outside a git repository", async () => {
    const plain = await mkdtemp(path.join(os.tmpdir(), "agentwf-wt-plain-"));
    try {
      await mkdir(path.join(plain, "src"));
      repo = plain;
      const result = await run(
        `async function main(wf) {
  try { await wf.runAgent("write a.txt x", { agent: "fixer", isolation: "worktree" }); return "ran"; } catch (e) { return { error: e.message }; }
}`,
        "workspace-write",
      );
      expect(result.error).toBe(
        `isolation "worktree" needs a git repository, and ${plain} is not in one; run \`git init && git add -A && git commit\` first, or drop the isolation option`,
      );
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });

  it("runs none of the repository's hooks when it makes, reads and removes worktrees", async () => {
    const marker = path.join(runDir, "hook-ran");
    for (const hook of ["post-checkout", "pre-commit", "post-index-change"]) {
      await writeFile(path.join(repo, ".git", "hooks", hook), `#!/bin/sh\necho ${hook} >> ${marker}\n`, { mode: 0o755 });
    }
    const result = await run(
      `async function main(wf) {
  const r = await wf.runAgent("write greeting.txt hooked", { agent: "fixer", isolation: "worktree" });
  return await wf.applyPatches([r]);
}`,
      "workspace-write",
    );
    expect(result.conflicts).toEqual([]);
    expect(await readFile(path.join(repo, "greeting.txt"), "utf8")).toBe("hooked\n");
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses to make worktrees in a repository whose own config defines a filter program", async () => {
    const marker = path.join(runDir, "filter-ran");
    git(repo, "config", "filter.evil.smudge", `sh -c 'touch ${marker}; cat'`);
    await writeFile(path.join(repo, ".gitattributes"), "*.txt filter=evil\n");
    const result = await run(
      `async function main(wf) {
  try { await wf.runAgent("write a.txt x", { agent: "fixer", isolation: "worktree" }); return { ran: true }; } catch (e) { return { error: e.message }; }
}`,
      "workspace-write",
    );
    expect(result.error).toBe(
      "the repository's .git/config defines programs that checkout or diff would run (filter.evil.smudge); agentwf makes no worktrees here; remove them or drop the isolation option",
    );
    expect(existsSync(marker)).toBe(false);
  });
});
