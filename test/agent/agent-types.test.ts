import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AgentFileError,
  DEFAULT_MAX_TURNS,
  agentDirectories,
  loadAgentTypes,
  parseAgentFile,
} from "../../src/agent/agent-types.js";
import { BUILTIN_AGENTS_DIR } from "../../src/agent/prompt-files.js";

// The thrown AgentFileError's message, or a failure if nothing (or something else) was thrown.
function agentFileErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentFileError);
    return (error as AgentFileError).message;
  }
  throw new Error("expected an AgentFileError");
}

describe("parseAgentFile: agentwf's own format", () => {
  it("reads every front matter field and takes the trimmed body as the system prompt", () => {
    const text = [
      "---",
      "name: reviewer",
      "description: Reviews one file.",
      "tools: [read_file, grep]",
      "model: openai/gpt-4o",
      "maxTurns: 12",
      "---",
      "",
      "You review code.",
      "",
    ].join("\n");
    expect(parseAgentFile(text, "reviewer.md", "own")).toEqual({
      name: "reviewer",
      description: "Reviews one file.",
      tools: ["read_file", "grep"],
      model: "openai/gpt-4o",
      maxTurns: 12,
      systemPrompt: "You review code.",
      source: "reviewer.md",
    });
  });

  it(`leaves tools and model unset when omitted and defaults maxTurns to ${DEFAULT_MAX_TURNS}`, () => {
    const agent = parseAgentFile("---\nname: a\ndescription: d\n---\nbody", "a.md", "own");
    expect(agent).toMatchObject({ tools: undefined, model: undefined, maxTurns: DEFAULT_MAX_TURNS });
  });

  it("reads a file with CRLF line endings", () => {
    const agent = parseAgentFile("---\r\nname: a\r\ndescription: d\r\n---\r\nbody\r\n", "a.md", "own");
    expect(agent).toMatchObject({ name: "a", description: "d", systemPrompt: "body" });
  });

  it("rejects an unknown key with the file name in the message", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a\ndescription: d\ncolor: red\n---\nbody", "a.md", "own"))).toBe(
      'a.md: unknown key "color"',
    );
  });

  it("rejects a name with a space, naming the field and the allowed characters", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a b\ndescription: d\n---\nbody", "a.md", "own"))).toBe(
      "a.md: name: use letters, digits, - and _ (at most 64)",
    );
  });

  it("rejects a missing description and a maxTurns of 0 in one message, one field each", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a\nmaxTurns: 0\n---\nbody", "a.md", "own"))).toBe(
      "a.md: description: Invalid input: expected string, received undefined; maxTurns: Too small: expected number to be >=1",
    );
  });
});

describe("parseAgentFile: Claude Code's format", () => {
  const claudeFile = [
    "---",
    "name: code-reviewer",
    "description: Reviews code.",
    "tools: Read, Grep, Glob",
    "model: sonnet",
    "color: blue",
    "---",
    "You are a reviewer.",
  ].join("\n");

  it("maps `tools: Read, Grep, Glob` to read_file, grep and glob", () => {
    expect(parseAgentFile(claudeFile, "code-reviewer.md", "foreign").tools).toEqual(["read_file", "grep", "glob"]);
  });

  it("ignores a model that names no provider (`model: sonnet`), so the run's model is used", () => {
    expect(parseAgentFile(claudeFile, "code-reviewer.md", "foreign").model).toBeUndefined();
  });

  it("allows keys of its own such as `color`", () => {
    expect(parseAgentFile(claudeFile, "code-reviewer.md", "foreign")).toMatchObject({
      name: "code-reviewer",
      description: "Reviews code.",
      systemPrompt: "You are a reviewer.",
    });
  });

  it("lists a tool once when two Claude tools map to the same one (Edit, MultiEdit)", () => {
    const text = "---\nname: e\ndescription: d\ntools: Edit, MultiEdit, Read\n---\nbody";
    expect(parseAgentFile(text, "e.md", "foreign").tools).toEqual(["edit_file", "read_file"]);
  });
});

describe("parseAgentFile: malformed files", () => {
  it("rejects a file with no front matter, naming the file and what to add", () => {
    expect(agentFileErrorOf(() => parseAgentFile("You are an agent.\n", "plain.md", "own"))).toBe(
      "plain.md: no front matter; start the file with a --- block holding name and description",
    );
  });

  it("rejects front matter that is not valid YAML, with the parser's first line", () => {
    const message = agentFileErrorOf(() => parseAgentFile("---\nname: a\ndescription: [unclosed\n---\nbody", "bad.md", "own"));
    expect(message).toMatch(/^bad\.md: front matter is not valid YAML: /);
    expect(message).not.toContain("\n");
  });

  it("rejects an empty body, naming the file", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a\ndescription: d\n---\n  \n", "empty.md", "own"))).toBe(
      "empty.md: the system prompt (the text after the front matter) is empty",
    );
  });
});

describe("loadAgentTypes", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "agentwf-agent-types-"));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const agentFile = (name: string, description: string) => `---\nname: ${name}\ndescription: ${description}\n---\nPrompt of ${name}.\n`;
  async function writeAgents(dir: string, files: Record<string, string>): Promise<string> {
    const full = path.join(root, dir);
    await mkdir(full, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(full, name), text);
    return full;
  }

  it("loads the good files of a directory and reports the bad one by file name", async () => {
    const dir = await writeAgents("agents", {
      "a.md": agentFile("alpha", "first"),
      "b.md": "no front matter",
      "c.md": agentFile("gamma", "third"),
      "notes.txt": "not an agent file",
    });
    const loaded = await loadAgentTypes([{ dir, format: "own" }]);
    expect([...loaded.agents.keys()]).toEqual(["alpha", "gamma"]);
    expect(loaded.errors).toEqual([
      `${path.join(dir, "b.md")}: no front matter; start the file with a --- block holding name and description`,
    ]);
  });

  it("loads nothing and reports nothing for a directory that does not exist", async () => {
    const loaded = await loadAgentTypes([{ dir: path.join(root, "missing"), format: "own" }]);
    expect(loaded.agents.size).toBe(0);
    expect(loaded.errors).toEqual([]);
  });

  it("reports a FIFO agent file in a workspace without hanging, and loads the rest", async () => {
    const workspace = path.join(root, "ws");
    const dir = await writeAgents("ws/.agentwf/agents", { "a.md": agentFile("alpha", "first") });
    execFileSync("mkfifo", [path.join(dir, "fifo.md")]);
    const loaded = await loadAgentTypes([{ dir, format: "own", workspace }]);
    expect([...loaded.agents.keys()]).toEqual(["alpha"]);
    expect(loaded.errors).toEqual([
      `${path.join(dir, "fifo.md")}: is not a regular file (a FIFO, socket or device); only regular files are read`,
    ]);
  });

  it("refuses an agent file that is a symlink out of the workspace", async () => {
    const workspace = path.join(root, "ws");
    const dir = await writeAgents("ws/.claude/agents", {});
    await writeAgents("outside", { "evil.md": agentFile("evil", "from outside") });
    await symlink(path.join(root, "outside", "evil.md"), path.join(dir, "evil.md"));
    const loaded = await loadAgentTypes([{ dir, format: "foreign", workspace }]);
    expect(loaded.agents.size).toBe(0);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toContain(`leads through a symbolic link to ${path.join(root, "outside", "evil.md")}, outside the workspace`);
  });

  it("refuses an agent directory that is a symlink out of the workspace", async () => {
    const workspace = path.join(root, "ws");
    await mkdir(path.join(workspace, ".agents"), { recursive: true });
    await writeAgents("outside", { "evil.md": agentFile("evil", "from outside") });
    await symlink(path.join(root, "outside"), path.join(workspace, ".agents", "agents"));
    const loaded = await loadAgentTypes([{ dir: path.join(workspace, ".agents", "agents"), format: "foreign", workspace }]);
    expect(loaded.agents.size).toBe(0);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toContain(`leads through a symbolic link to ${path.join(root, "outside")}, outside`);
  });

  it("lets a later directory override an agent type of the same name", async () => {
    const first = await writeAgents("first", { "x.md": agentFile("shared", "from first"), "y.md": agentFile("only-first", "kept") });
    const second = await writeAgents("second", { "z.md": agentFile("shared", "from second") });
    const loaded = await loadAgentTypes([
      { dir: first, format: "own" },
      { dir: second, format: "foreign" },
    ]);
    expect(loaded.agents.get("shared")).toMatchObject({ description: "from second", source: path.join(second, "z.md") });
    expect(loaded.agents.get("only-first")?.description).toBe("kept");
  });

  it("looks in built-ins, .claude/agents, .agents/agents and .agentwf/agents, lowest precedence first", () => {
    expect(agentDirectories("/builtin", "/ws")).toEqual([
      { dir: "/builtin", format: "own" },
      { dir: path.join("/ws", ".claude", "agents"), format: "foreign", workspace: "/ws" },
      { dir: path.join("/ws", ".agents", "agents"), format: "foreign", workspace: "/ws" },
      { dir: path.join("/ws", ".agentwf", "agents"), format: "own", workspace: "/ws" },
    ]);
  });

  it("loads the built-in general-purpose agent from prompts/agents without errors", async () => {
    const loaded = await loadAgentTypes([{ dir: BUILTIN_AGENTS_DIR, format: "own" }]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.agents.get("general-purpose")).toMatchObject({
      name: "general-purpose",
      tools: ["read_file", "list_dir", "glob", "grep"],
      source: path.join(BUILTIN_AGENTS_DIR, "general-purpose.md"),
    });
    expect(loaded.agents.get("general-purpose")?.systemPrompt).not.toBe("");
  });
});
