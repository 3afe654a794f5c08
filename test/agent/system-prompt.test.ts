import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentType } from "../../src/agent/agent-types.js";
import { environmentSection, readAgentsMd, subAgentSystemPrompt, type PromptContext } from "../../src/agent/system-prompt.js";

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
  const context: PromptContext = { workspace: "/repo", agentsMd: "  Use pnpm.\n", date: "2025-01-31" };
  const type: AgentType = {
    name: "general-purpose",
    description: "d",
    tools: undefined,
    model: undefined,
    maxTurns: 30,
    systemPrompt: "You are a sub-agent.\n",
    source: "general-purpose.md",
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
    expect(environmentSection({ ...context, agentsMd: undefined })).not.toContain("AGENTS.md");
  });

  it("puts the agent type's prompt first, then the environment with AGENTS.md", () => {
    expect(subAgentSystemPrompt(type, context)).toBe(`You are a sub-agent.\n\n${environmentSection(context)}\n`);
    expect(subAgentSystemPrompt(type, context)).toContain("Use pnpm.");
  });
});
