import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSavedWorkflows, MAX_SAVED_BYTES, sha256 } from "../../src/run/saved-workflows.js";

async function dir(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "agentwf-saved-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

const META = (name: string, description: string) => `export const meta = { name: '${name}', description: '${description}' }\nreturn 1\n`;

describe("loadSavedWorkflows", () => {
  it("reads the three project folders in order, names each by meta.name, and hashes its bytes", async () => {
    const cwd = await dir({
      ".qwen/workflows/q.js": META("from-qwen", "Q"),
      ".claude/workflows/c.js": META("from-claude", "C"),
      ".agentwf/workflows/a.js": META("from-agentwf", "A"),
      ".claude/workflows/notes.md": "not a workflow",
    });
    const { workflows, problems } = await loadSavedWorkflows(cwd, { HOME: await dir({}) });
    expect(workflows.map((w) => [w.name, w.description, w.file, w.scope])).toEqual([
      ["from-agentwf", "A", ".agentwf/workflows/a.js", "project"],
      ["from-claude", "C", ".claude/workflows/c.js", "project"],
      ["from-qwen", "Q", ".qwen/workflows/q.js", "project"],
    ]);
    expect(workflows[0]!.sha256).toBe(sha256(META("from-agentwf", "A")));
    expect(problems).toEqual([]);
  });

  it("never runs meta to learn a name: a meta that is not a plain literal lists the file by its name", async () => {
    const cwd = await dir({ ".claude/workflows/tricky.js": "export const meta = { name: (() => { for (;;) {} })(), description: 'x' }\nreturn 1\n" });
    const { workflows } = await loadSavedWorkflows(cwd, { HOME: await dir({}) });
    expect(workflows.map((w) => w.name)).toEqual(["tricky"]);
  });

  it("refuses a file over the size cap, naming it, passes over a FIFO without opening it, and lists the rest", async () => {
    const cwd = await dir({ ".claude/workflows/ok.js": META("ok", "fine"), ".claude/workflows/huge.js": "x".repeat(MAX_SAVED_BYTES + 1) });
    const { execa } = await import("execa");
    await execa("mkfifo", [path.join(cwd, ".claude/workflows/pipe.js")]);
    const { workflows, problems } = await loadSavedWorkflows(cwd, { HOME: await dir({}) });
    expect(workflows.map((w) => w.name)).toEqual(["ok"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\.claude\/workflows\/huge\.js: /);
  });

  it("does not follow a workflows folder that links out of the workspace", async () => {
    const outside = await dir({ "evil.js": META("evil", "outside") });
    const cwd = await dir({});
    await mkdir(path.join(cwd, ".agentwf"));
    await symlink(outside, path.join(cwd, ".agentwf", "workflows"));
    const { workflows } = await loadSavedWorkflows(cwd, { HOME: await dir({}) });
    expect(workflows).toEqual([]);
  });

  it("reads personal folders after the project, with $CLAUDE_CONFIG_DIR for Claude's", async () => {
    const home = await dir({ ".agentwf/workflows/mine.js": META("mine", "personal") });
    const claudeDir = await dir({ "workflows/cc.js": META("cc", "from CLAUDE_CONFIG_DIR") });
    const cwd = await dir({ ".claude/workflows/p.js": META("proj", "project") });
    const { workflows } = await loadSavedWorkflows(cwd, { HOME: home, CLAUDE_CONFIG_DIR: claudeDir });
    expect(workflows.map((w) => [w.name, w.folder, w.scope])).toEqual([
      ["proj", ".claude/workflows", "project"],
      ["mine", "~/.agentwf/workflows", "personal"],
      ["cc", "$CLAUDE_CONFIG_DIR/workflows", "personal"],
    ]);
  });
});
