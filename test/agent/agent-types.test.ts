import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AgentFileError,
  DEFAULT_MAX_TURNS,
  MAX_AGENT_FILES_PER_FOLDER,
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
  it("reads every front matter field and takes the trimmed body as the system prompt; tools without an edit tool make it read-only", () => {
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
    expect(parseAgentFile(text, "reviewer.md", "agentwf")).toEqual({
      name: "reviewer",
      description: "Reviews one file.",
      tools: ["read_file", "grep"],
      model: "openai/gpt-4o",
      maxTurns: 12,
      systemPrompt: "You review code.",
      source: "reviewer.md",
      sandbox: "read-only",
      format: "agentwf",
      notes: [],
      disabled: false,
    });
  });

  it(`leaves tools and model unset when omitted and defaults maxTurns to ${DEFAULT_MAX_TURNS}`, () => {
    const agent = parseAgentFile("---\nname: a\ndescription: d\n---\nbody", "a.md", "agentwf");
    expect(agent).toMatchObject({ tools: undefined, model: undefined, maxTurns: DEFAULT_MAX_TURNS });
  });

  it("reads a file with CRLF line endings", () => {
    const agent = parseAgentFile("---\r\nname: a\r\ndescription: d\r\n---\r\nbody\r\n", "a.md", "agentwf");
    expect(agent).toMatchObject({ name: "a", description: "d", systemPrompt: "body" });
  });

  it("rejects an unknown key with the file name in the message", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a\ndescription: d\ncolor: red\n---\nbody", "a.md", "agentwf"))).toBe(
      'a.md: unknown key "color"',
    );
  });

  it("rejects a name with a space, naming the field and the allowed characters", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a b\ndescription: d\n---\nbody", "a.md", "agentwf"))).toBe(
      "a.md: name: use letters, digits, - and _ (at most 64)",
    );
  });

  it("rejects a missing description and a maxTurns of 0 in one message, one field each", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a\nmaxTurns: 0\n---\nbody", "a.md", "agentwf"))).toBe(
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
    expect(parseAgentFile(claudeFile, "code-reviewer.md", "claude").tools).toEqual(["read_file", "grep", "glob"]);
  });

  it("ignores a model that names no provider (`model: sonnet`), so the run's model is used", () => {
    expect(parseAgentFile(claudeFile, "code-reviewer.md", "claude").model).toBeUndefined();
  });

  it("allows keys of its own such as `color`", () => {
    expect(parseAgentFile(claudeFile, "code-reviewer.md", "claude")).toMatchObject({
      name: "code-reviewer",
      description: "Reviews code.",
      systemPrompt: "You are a reviewer.",
    });
  });

  it("lists a tool once when two Claude tools map to the same one (Edit, MultiEdit)", () => {
    const text = "---\nname: e\ndescription: d\ntools: Edit, MultiEdit, Read\n---\nbody";
    expect(parseAgentFile(text, "e.md", "claude").tools).toEqual(["edit_file", "read_file"]);
  });
});

describe("parseAgentFile: malformed files", () => {
  it("rejects a file with no front matter, naming the file and what to add", () => {
    expect(agentFileErrorOf(() => parseAgentFile("You are an agent.\n", "plain.md", "agentwf"))).toBe(
      "plain.md: no front matter; start the file with a --- block holding name and description",
    );
  });

  it("rejects front matter that is not valid YAML, with the parser's first line", () => {
    const message = agentFileErrorOf(() => parseAgentFile("---\nname: a\ndescription: [unclosed\n---\nbody", "bad.md", "agentwf"));
    expect(message).toMatch(/^bad\.md: front matter is not valid YAML: /);
    expect(message).not.toContain("\n");
  });

  it("rejects an empty body, naming the file", () => {
    expect(agentFileErrorOf(() => parseAgentFile("---\nname: a\ndescription: d\n---\n  \n", "empty.md", "agentwf"))).toBe(
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
    const loaded = await loadAgentTypes([{ dir, format: "agentwf", label: "x" }]);
    expect([...loaded.agents.keys()]).toEqual(["alpha", "gamma"]);
    expect(loaded.errors).toEqual([
      `${path.join(dir, "b.md")}: no front matter; start the file with a --- block holding name and description`,
    ]);
  });

  it("loads nothing and reports nothing for a directory that does not exist", async () => {
    const loaded = await loadAgentTypes([{ dir: path.join(root, "missing"), format: "agentwf", label: "x" }]);
    expect(loaded.agents.size).toBe(0);
    expect(loaded.errors).toEqual([]);
  });

  it("reports a FIFO agent file in a workspace without hanging, and loads the rest", async () => {
    const workspace = path.join(root, "ws");
    const dir = await writeAgents("ws/.agentwf/agents", { "a.md": agentFile("alpha", "first") });
    execFileSync("mkfifo", [path.join(dir, "fifo.md")]);
    const loaded = await loadAgentTypes([{ dir, format: "agentwf", label: "x", workspace }]);
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
    const loaded = await loadAgentTypes([{ dir, format: "claude", label: "x", workspace }]);
    expect(loaded.agents.size).toBe(0);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toContain(`leads through a symbolic link to ${path.join(root, "outside", "evil.md")}, outside the workspace`);
  });

  it("refuses an agent directory that is a symlink out of the workspace", async () => {
    const workspace = path.join(root, "ws");
    await mkdir(path.join(workspace, ".agents"), { recursive: true });
    await writeAgents("outside", { "evil.md": agentFile("evil", "from outside") });
    await symlink(path.join(root, "outside"), path.join(workspace, ".agents", "agents"));
    const loaded = await loadAgentTypes([{ dir: path.join(workspace, ".agents", "agents"), format: "claude", label: "x", workspace }]);
    expect(loaded.agents.size).toBe(0);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toContain(`leads through a symbolic link to ${path.join(root, "outside")}, outside`);
  });

  it("lets the first directory that defines a name win, and keeps the other names of later ones", async () => {
    const first = await writeAgents("first", { "x.md": agentFile("shared", "from first"), "y.md": agentFile("only-first", "kept") });
    const second = await writeAgents("second", { "z.md": agentFile("shared", "from second"), "w.md": agentFile("only-second", "kept too") });
    const loaded = await loadAgentTypes([
      { dir: first, format: "agentwf", label: "first" },
      { dir: second, format: "claude", label: "second" },
    ]);
    expect(loaded.agents.get("shared")).toMatchObject({ description: "from first", source: path.join(first, "x.md"), folder: "first" });
    expect(loaded.agents.get("only-second")).toMatchObject({ description: "kept too", folder: "second", format: "claude" });
    expect([...loaded.agents.keys()]).toEqual(["shared", "only-first", "only-second"]);
  });

  it("skips README.md, leaves out a disabled opencode agent, and reports a loaded file's notes with its path", async () => {
    const dir = await writeAgents("oc", {
      "README.md": "# My agents\n",
      "off.md": "---\ndescription: d\ndisable: true\n---\nbody",
      "on.md": "---\ndescription: d\ntools:\n  webfetch: true\n---\nbody",
    });
    const loaded = await loadAgentTypes([{ dir, format: "opencode", label: ".opencode/agents" }]);
    expect([...loaded.agents.keys()]).toEqual(["on"]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.notes).toEqual([`${path.join(dir, "on.md")}: tools agentwf does not have, left out: webfetch`]);
  });

  it(`reads at most ${MAX_AGENT_FILES_PER_FOLDER} files of one folder, by name, and says so`, async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i <= MAX_AGENT_FILES_PER_FOLDER; i += 1) files[`a${String(i).padStart(3, "0")}.md`] = agentFile(`a${String(i).padStart(3, "0")}`, "d");
    const dir = await writeAgents("many", files);
    const loaded = await loadAgentTypes([{ dir, format: "agentwf", label: "many" }]);
    expect(loaded.agents.size).toBe(MAX_AGENT_FILES_PER_FOLDER);
    expect(loaded.agents.has(`a${MAX_AGENT_FILES_PER_FOLDER}`)).toBe(false);
    expect(loaded.errors).toEqual([`${dir}: ${MAX_AGENT_FILES_PER_FOLDER + 1} agent files; only the first ${MAX_AGENT_FILES_PER_FOLDER} by name are read`]);
  });
});

describe("agentDirectories", () => {
  const project = (rel: string, format: string) => ({ dir: path.join("/ws", rel), format, label: rel, workspace: "/ws" });
  const home = (rel: string, format: string) => ({ dir: path.join("/home/p", rel), format, label: `~/${rel}` });
  const PROJECT: Array<[string, string]> = [
    [".agentwf/agents", "agentwf"],
    [".claude/agents", "claude"],
    [".gemini/agents", "gemini"],
    [".opencode/agents", "opencode"],
    [".opencode/agent", "opencode"],
    [".agents/agents", "openhands"],
    [".openhands/agents", "openhands"],
  ];

  it("looks in the workspace's folders, then the same under the home and opencode's and agentwf's ~/.config ones, then the built-ins", () => {
    expect(agentDirectories({ builtinDir: "/builtin", workspace: "/ws", home: "/home/p" })).toEqual([
      ...PROJECT.map(([rel, format]) => project(rel, format)),
      ...PROJECT.map(([rel, format]) => home(rel, format)),
      home(".config/agentwf/agents", "agentwf"),
      home(".config/opencode/agents", "opencode"),
      home(".config/opencode/agent", "opencode"),
      { dir: "/builtin", format: "agentwf", label: "built-in" },
    ]);
  });

  it("looks in no home folder without a home, and lists a folder once when the workspace is the home", () => {
    expect(agentDirectories({ builtinDir: "/builtin", workspace: "/ws" }).map((d) => d.label)).toEqual([...PROJECT.map(([rel]) => rel), "built-in"]);
    const same = agentDirectories({ builtinDir: "/builtin", workspace: "/home/p", home: "/home/p" });
    expect(same.filter((d) => d.dir === path.join("/home/p", ".claude/agents"))).toEqual([
      { dir: path.join("/home/p", ".claude/agents"), format: "claude", label: ".claude/agents", workspace: "/home/p" },
    ]);
  });
});

describe("the built-in agent types", () => {
  it("load from prompts/agents without errors or notes, each with its tools and sandbox", async () => {
    const loaded = await loadAgentTypes([{ dir: BUILTIN_AGENTS_DIR, format: "agentwf", label: "built-in" }]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.notes).toEqual([]);
    const summary = [...loaded.agents.values()].map((a) => [a.name, a.tools?.join(",") ?? "all", a.sandbox ?? "run's"]);
    expect(summary.sort()).toEqual([
      ["code-reviewer", "read_file,list_dir,glob,grep,bash", "read-only"],
      ["coverage-auditor", "bash,read_file,list_dir,glob,grep", "read-only"],
      ["explorer", "read_file,list_dir,glob,grep", "read-only"],
      ["fixer", "all", "workspace-write"],
      ["general-purpose", "all", "run's"],
      ["security-auditor", "read_file,list_dir,glob,grep,bash", "read-only"],
    ]);
    for (const agent of loaded.agents.values()) expect(agent.systemPrompt.length).toBeGreaterThan(300);
  });

  it("tell the coverage auditor to say whether it measured or read", async () => {
    const loaded = await loadAgentTypes([{ dir: BUILTIN_AGENTS_DIR, format: "agentwf", label: "built-in" }]);
    const prompt = loaded.agents.get("coverage-auditor")?.systemPrompt ?? "";
    expect(prompt).toContain('"measured" (with the exact command you ran)');
    expect(prompt).toContain('"estimated from reading the tests"');
  });
});
