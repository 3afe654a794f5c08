// Issue 10's "done when" for edits, through the built CLI: a fixer workflow in
// `--sandbox workspace-write` with worktree isolation. Two `fixer` sub-agents edit two files with
// the real edit_file, each in its own git worktree, at the same time (the fake server holds each
// agent's first answer until both have asked); their results carry the diffs, wf.applyPatches
// brings both into the workspace, and a third agent editing a file another already changed comes
// back as a reported conflict with its patch kept, never a lost edit.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, realpath, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeServer, text, toolCalls, type FakeServer } from "../helpers/fake-openai-server.js";
import { lastUserText, toolResults, type RecordedRequest } from "../helpers/fake-openai-request.js";
import { runCli, tempHome } from "../helpers/run-cli.js";
import { HAS_BWRAP } from "../tools/shell/sandbox-harness.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });

let server: FakeServer | undefined;
let home: string;
let ws: string;

beforeEach(async () => {
  home = await tempHome();
  ws = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-fixer-")));
  await mkdir(path.join(ws, "src"));
  await writeFile(path.join(ws, "src", "a.js"), "export const a = () => 1 + 1; // BUG: should be 3\n");
  await writeFile(path.join(ws, "src", "b.js"), "export const b = () => 'helo';\n");
  git(ws, "init", "-q");
  git(ws, "add", "-A");
  git(ws, "commit", "-q", "-m", "init");
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// What each task's agent replaces in which file.
const EDITS: Record<string, { path: string; old_string: string; new_string: string }> = {
  "fix a": { path: "src/a.js", old_string: "1 + 1; // BUG: should be 3", new_string: "1 + 2;" },
  "fix b": { path: "src/b.js", old_string: "'helo'", new_string: "'hello'" },
  "also fix a": { path: "src/a.js", old_string: "1 + 1; // BUG: should be 3", new_string: "3;" },
};

const taskOf = (request: RecordedRequest) => Object.keys(EDITS).find((task) => lastUserText(request).startsWith(`${task}:`));

describe.runIf(HAS_BWRAP)("a fixer workflow with worktree isolation, end to end", () => {
  it("edits in parallel worktrees, returns each diff, applies both, and reports the third agent's overlapping edit as a conflict", async () => {
    // Each of the first two agents' first request waits until the other has arrived too: they run at once.
    let arrived = 0;
    let release: () => void = () => {};
    const bothAsked = new Promise<void>((resolve) => (release = resolve));
    let concurrent = false;
    server = await startFakeServer(async (request) => {
      const task = taskOf(request);
      if (task === undefined) return text("no task");
      if (toolResults(request).length > 0) return text(`${task}: done`);
      if (task !== "also fix a") {
        arrived += 1;
        if (arrived === 2) {
          concurrent = true;
          release();
        }
        await Promise.race([bothAsked, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      }
      return toolCalls({ name: "edit_file", arguments: EDITS[task]!, id: "e1" });
    });
    const wf = path.join(home, "fix.js");
    await writeFile(
      wf,
      `async function main(wf) {
  const fixes = await wf.mapAgents(["fix a", "fix b"], "{item}: make the change", { agent: "fixer", isolation: "worktree" });
  const first = await wf.applyPatches(fixes);
  const late = await wf.runAgent("also fix a: make the change", { agent: "fixer", isolation: "worktree" });
  const second = await wf.applyPatches([late]);
  return { diffs: fixes.map((f) => f.patch.diff), files: fixes.map((f) => f.patch.files), first, second };
}
`,
    );
    const run = await runCli(["exec", wf, "-m", "openai/t", "--cwd", ws, "--sandbox", "workspace-write", "-c", "2", "--output-format", "json"], {
      env: { AGENTWF_HOME: home, AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: "k" },
      timeoutMs: 120_000,
    });
    expect(run.stderr).not.toContain("Error");
    expect(run.exitCode).toBe(0);
    expect(concurrent).toBe(true);
    const output = JSON.parse(run.stdout) as { status: string; report: string };
    expect(output.status).toBe("done");
    type Applied = { applied: string[]; conflicts: Array<{ files: string[]; patchFile: string; error: string }> };
    const { diffs, files, first, second } = JSON.parse(output.report) as { diffs: string[]; files: string[][]; first: Applied; second: Applied };
    expect(files).toEqual([["src/a.js"], ["src/b.js"]]);
    expect(diffs[0]).toContain("-export const a = () => 1 + 1; // BUG: should be 3\n+export const a = () => 1 + 2;\n");
    expect(diffs[1]).toContain("-export const b = () => 'helo';\n+export const b = () => 'hello';\n");
    expect(first.applied).toHaveLength(2);
    expect(first.conflicts).toEqual([]);
    // Both edits are in the person's files; the third agent's edit of the same line is not, and is kept.
    expect(await readFile(path.join(ws, "src", "a.js"), "utf8")).toBe("export const a = () => 1 + 2;\n");
    expect(await readFile(path.join(ws, "src", "b.js"), "utf8")).toBe("export const b = () => 'hello';\n");
    expect(second.applied).toEqual([]);
    expect(second.conflicts).toHaveLength(1);
    expect(second.conflicts[0]?.files).toEqual(["src/a.js"]);
    expect(second.conflicts[0]?.error).toContain("src/a.js");
    expect(existsSync(second.conflicts[0]!.patchFile)).toBe(true);
    expect(await readFile(second.conflicts[0]!.patchFile, "utf8")).toContain("+export const a = () => 3;");
    // The agents' edits never touched the workspace directly: only applyPatches did.
    expect(git(ws, "status", "--porcelain")).toBe(" M src/a.js\n M src/b.js\n");
  });
});
