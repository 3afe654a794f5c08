import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentType } from "../../src/agent/agent-types.js";
import { environmentSection, readProjectInstructions, subAgentSystemPrompt, type PromptContext } from "../../src/agent/system-prompt.js";

/** AGENTS.md's text as read for the prompt, or undefined. */
async function readAgentsMd(workspace: string, warn?: (message: string) => void): Promise<string | undefined> {
  const read = await readProjectInstructions(workspace, warn);
  if (read !== undefined) expect(read.file).toBe("AGENTS.md");
  return read?.text;
}

const LIMIT = 32 * 1024;

describe("readAgentsMd", () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), "agentwf-system-prompt-"));
  });
  afterEach(() => rm(workspace, { recursive: true, force: true }));

  it("returns undefined when the workspace has no AGENTS.md", async () => {
    expect(await readAgentsMd(workspace)).toBeUndefined();
  });

  it("returns AGENTS.md unchanged when it fits in 32 KB", async () => {
    const text = "x".repeat(LIMIT);
    await writeFile(path.join(workspace, "AGENTS.md"), text);
    expect(await readAgentsMd(workspace)).toBe(text);
  });

  it("cuts AGENTS.md past 32 KB at 32768 bytes and says so on the last line", async () => {
    await writeFile(path.join(workspace, "AGENTS.md"), "a".repeat(LIMIT) + "b".repeat(100));
    expect(await readAgentsMd(workspace)).toBe(`${"a".repeat(LIMIT)}\n[AGENTS.md cut at 32768 bytes]`);
  });
});

describe("readProjectInstructions: CLAUDE.md and GEMINI.md when there is no AGENTS.md", () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), "agentwf-instructions-"));
  });
  afterEach(() => rm(workspace, { recursive: true, force: true }));

  it("prefers AGENTS.md to CLAUDE.md and GEMINI.md", async () => {
    await writeFile(path.join(workspace, "AGENTS.md"), "from agents");
    await writeFile(path.join(workspace, "CLAUDE.md"), "from claude");
    await writeFile(path.join(workspace, "GEMINI.md"), "from gemini");
    expect(await readProjectInstructions(workspace)).toEqual({ file: "AGENTS.md", text: "from agents" });
  });

  it("reads CLAUDE.md when there is no AGENTS.md, before GEMINI.md", async () => {
    await writeFile(path.join(workspace, "CLAUDE.md"), "from claude");
    await writeFile(path.join(workspace, "GEMINI.md"), "from gemini");
    expect(await readProjectInstructions(workspace)).toEqual({ file: "CLAUDE.md", text: "from claude" });
  });

  it("reads GEMINI.md when it is the only one, cut at 32 KB with its own name in the marker", async () => {
    await writeFile(path.join(workspace, "GEMINI.md"), "g".repeat(LIMIT + 5));
    expect(await readProjectInstructions(workspace)).toEqual({ file: "GEMINI.md", text: `${"g".repeat(LIMIT)}\n[GEMINI.md cut at 32768 bytes]` });
  });

  it("does not fall back to CLAUDE.md when AGENTS.md is there but refused", async () => {
    execFileSync("mkfifo", [path.join(workspace, "AGENTS.md")]);
    await writeFile(path.join(workspace, "CLAUDE.md"), "from claude");
    const warnings: string[] = [];
    expect(await readProjectInstructions(workspace, (m) => warnings.push(m))).toBeUndefined();
    expect(warnings).toEqual(["AGENTS.md skipped, not part of the prompt: AGENTS.md: is not a regular file (a FIFO, socket or device); only regular files are read"]);
  });

  it("skips a CLAUDE.md symlink out of the workspace and says why once", async () => {
    await symlink("/etc/passwd", path.join(workspace, "CLAUDE.md"));
    const warnings: string[] = [];
    expect(await readProjectInstructions(workspace, (m) => warnings.push(m))).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^CLAUDE\.md skipped, not part of the prompt: CLAUDE\.md: leads through a symbolic link to \/etc\/passwd, outside/);
  });
});

describe("readAgentsMd from a hostile repository", () => {
  let parent: string;
  let workspace: string;
  let warnings: string[];
  const warn = (message: string) => warnings.push(message);
  beforeEach(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), "agentwf-hostile-agents-md-"));
    workspace = path.join(parent, "ws");
    await mkdir(workspace);
    await writeFile(path.join(parent, "id_rsa"), "PRIVATE KEY");
    warnings = [];
  });
  afterEach(() => rm(parent, { recursive: true, force: true }));

  it("skips an AGENTS.md symlink that leads out of the workspace and says why once", async () => {
    await symlink("../id_rsa", path.join(workspace, "AGENTS.md"));
    expect(await readAgentsMd(workspace, warn)).toBeUndefined();
    expect(warnings).toEqual([
      `AGENTS.md skipped, not part of the prompt: AGENTS.md: leads through a symbolic link to ${path.join(parent, "id_rsa")}, ` +
        `outside the workspace ${workspace}; use a path inside it`,
    ]);
  });

  it("skips a FIFO named AGENTS.md at once instead of hanging, and says why", async () => {
    execFileSync("mkfifo", [path.join(workspace, "AGENTS.md")]);
    expect(await readAgentsMd(workspace, warn)).toBeUndefined();
    expect(warnings).toEqual([
      "AGENTS.md skipped, not part of the prompt: AGENTS.md: is not a regular file (a FIFO, socket or device); only regular files are read",
    ]);
  });

  it("skips an AGENTS.md symlink to a device", async () => {
    await symlink("/dev/zero", path.join(workspace, "AGENTS.md"));
    expect(await readAgentsMd(workspace, warn)).toBeUndefined();
    expect(warnings[0]).toMatch(/^AGENTS\.md skipped, not part of the prompt: .*leads through a symbolic link to \/dev\/zero, outside/);
  });

  it("reads an AGENTS.md that links to a file inside the workspace", async () => {
    await writeFile(path.join(workspace, "RULES.md"), "Use pnpm.");
    await symlink("RULES.md", path.join(workspace, "AGENTS.md"));
    expect(await readAgentsMd(workspace, warn)).toBe("Use pnpm.");
    expect(warnings).toEqual([]);
  });
});

describe("system prompts", () => {
  const context: PromptContext = { workspace: "/repo", instructions: { file: "AGENTS.md", text: "  Use pnpm.\n" }, date: "2025-01-31" };
  const type: AgentType = {
    name: "general-purpose",
    description: "d",
    tools: undefined,
    sandbox: undefined,
    model: undefined,
    maxTurns: 30,
    systemPrompt: "You are a sub-agent.\n",
    source: "general-purpose.md",
    format: "agentwf",
    notes: [],
  };

  it("includes the workspace root, the date and the trimmed AGENTS.md under its own heading", () => {
    expect(environmentSection(context)).toBe(
      [
        "## Environment",
        "- Workspace root: /repo (tool paths are relative to it)",
        "- Date: 2025-01-31",
        "",
        "## Project instructions (AGENTS.md)",
        "Use pnpm.",
      ].join("\n"),
    );
  });

  it("leaves the AGENTS.md heading out when there is no AGENTS.md", () => {
    expect(environmentSection({ ...context, instructions: undefined })).toBe(
      ["## Environment", "- Workspace root: /repo (tool paths are relative to it)", "- Date: 2025-01-31"].join("\n"),
    );
  });

  it("names CLAUDE.md in the heading when that is the file read, and states the sandbox", () => {
    const section = environmentSection({ ...context, instructions: { file: "CLAUDE.md", text: "Run make." }, sandbox: "read-only" });
    expect(section).toBe(
      [
        "## Environment",
        "- Workspace root: /repo (tool paths are relative to it)",
        "- Date: 2025-01-31",
        "- Sandbox: read-only (nothing you do changes the workspace; what commands write is thrown away)",
        "",
        "## Project instructions (CLAUDE.md)",
        "Run make.",
      ].join("\n"),
    );
  });

  it("puts the agent type's prompt first, then the environment with AGENTS.md", () => {
    expect(subAgentSystemPrompt(type, context)).toBe(`You are a sub-agent.\n\n${environmentSection(context)}\n`);
    expect(subAgentSystemPrompt(type, context)).toContain("Use pnpm.");
  });
});
