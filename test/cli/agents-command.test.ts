// `agentwf agents` in process: a workspace with agent files in every ecosystem's format (the
// fixture written after each tool's docs) and a home with the person's own, listed side by side
// with the built-ins; what a file asked for and did not get goes to stderr, once per file.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentsCommand, formatAgentTable } from "../../src/cli/agents-command.js";
import { AgentsListSchema } from "../../src/cli/agents-json.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { EXIT } from "../../src/cli/exit-codes.js";

const FIXTURE = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "fixtures", "agent-ecosystems");

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

async function listAgents(cwd: string, home: string) {
  const stdout = collector();
  const stderr = collector();
  const io: CliIO = { stdin: new PassThrough(), stdout: stdout.stream, stderr: stderr.stream, env: { HOME: home }, cwd, colorLevel: 0 };
  const code = await agentsCommand({}, io);
  const [heading, ...rows] = stdout.text().trimEnd().split("\n");
  return { code, heading, rows: rows.map((r) => r.split(/ {2,}/)), stdout: stdout.text(), stderr: stderr.text() };
}

describe("agentwf agents", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "agentwf-agents-home-"));
    await mkdir(path.join(home, ".claude", "agents"), { recursive: true });
    await mkdir(path.join(home, ".config", "opencode", "agents"), { recursive: true });
    await writeFile(
      path.join(home, ".claude", "agents", "home-helper.md"),
      '---\nname: home-helper\ndescription: "helps \\e[31mred\\e[0m and \\u202ereversed\\e]0;title\\a"\ntools: Read\n---\nYou help.\n',
    );
    // The project's debugger wins over the person's: the first folder that defines a name wins.
    await writeFile(path.join(home, ".claude", "agents", "debugger.md"), "---\nname: debugger\ndescription: the home one\n---\nYou debug.\n");
    await writeFile(path.join(home, ".config", "opencode", "agents", "planner.md"), "---\ndescription: Plans work\nmode: subagent\ntools:\n  edit: false\n  write: false\n---\nYou plan.\n");
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it("lists built-in, project, Claude Code, Gemini CLI, opencode and OpenHands agents side by side, and the person's own", async () => {
    const { code, heading, rows } = await listAgents(FIXTURE, home);
    expect(code).toBe(EXIT.done);
    expect(heading?.split(/ {2,}/)).toEqual(["NAME", "FROM", "TOOLS", "SANDBOX", "DESCRIPTION"]);
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ["code-review-no-edits", ".opencode/agents", "read_file, list_dir, glob, grep", "read-only"],
      ["code-reviewer", ".claude/agents", "read_file, grep, glob, bash", "read-only"],
      ["coverage-auditor", "built-in", "bash, read_file, list_dir, glob, grep", "read-only"],
      ["data-scientist", ".claude/agents", "bash, read_file, write_file", "run's"],
      ["debugger", ".claude/agents", "read_file, edit_file, bash, grep, glob", "run's"],
      ["docs-writer", ".opencode/agent", "read_file, list_dir, glob, grep, edit_file, write_file", "run's"],
      ["explore", ".agents/agents", "bash", "read-only"],
      ["explorer", "built-in", "read_file, list_dir, glob, grep", "read-only"],
      ["fixer", "built-in", "all", "workspace-write"],
      ["general-purpose", "built-in", "all", "run's"],
      ["home-helper", "~/.claude/agents", "read_file", "read-only"],
      ["my-isolated-agent", ".gemini/agents", "grep, read_file", "read-only"],
      ["planner", "~/.config/opencode/agents", "read_file, list_dir, glob, grep, bash", "read-only"],
      ["review", ".opencode/agents", "read_file, list_dir, glob, grep", "read-only"],
      ["reviewer", ".opencode/agents", "read_file, list_dir, glob, grep", "read-only"],
      ["security-auditor", ".gemini/agents", "read_file, grep", "read-only"],
      ["test-writer", ".agentwf/agents", "read_file, glob, grep, write_file, bash", "workspace-write"],
    ]);
    expect(rows.find((r) => r[0] === "security-auditor")?.[4]).toBe("Specialized in finding security vulnerabilities in code.");
    expect(rows.find((r) => r[0] === "debugger")?.[4]).toMatch(/^Debugging specialist for errors/);
  });

  it("strips escape sequences and bidi controls from what an agent file says", async () => {
    const { stdout, rows } = await listAgents(FIXTURE, home);
    expect(rows.find((r) => r[0] === "home-helper")?.[4]).toBe("helps red and reversed");
    expect(stdout).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it("reports each loaded file's ignored keys and left-out tools on stderr, and none for a file another one shadows", async () => {
    const { stderr } = await listAgents(FIXTURE, home);
    expect(stderr.split("\n").filter((l) => l !== "")).toEqual([
      `agentwf: agent file: ${path.join(FIXTURE, ".gemini/agents/my-isolated-agent.md")}: keys agentwf does not use, ignored: mcpServers`,
      `agentwf: agent file: ${path.join(FIXTURE, ".opencode/agents/code-review-no-edits.md")}: permission.bash: allowed only for some patterns, which agentwf cannot enforce; left out`,
      `agentwf: agent file: ${path.join(FIXTURE, ".opencode/agents/code-review-no-edits.md")}: permission ask counts as deny: a run never stops to ask`,
    ]);
  });

  it("lists a broken file on stderr in one line and fails, still listing the rest", async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), "agentwf-agents-ws-"));
    try {
      await mkdir(path.join(ws, ".gemini", "agents"), { recursive: true });
      await writeFile(path.join(ws, ".gemini", "agents", "broken.md"), "---\nname: broken\n---\nbody\n");
      const { code, rows, stderr } = await listAgents(ws, home);
      expect(code).toBe(EXIT.failed);
      expect(rows.map((r) => r[0])).toContain("general-purpose");
      expect(stderr).toContain(
        `agentwf: agent file skipped: ${path.join(ws, ".gemini", "agents", "broken.md")}: description: Invalid input: expected string, received undefined\n`,
      );
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});

describe("formatAgentTable", () => {
  it("pads every column but the last and cuts long fields with an ellipsis", () => {
    const agent = {
      name: "a",
      description: `${"long ".repeat(40)}end`,
      tools: ["read_file"],
      sandbox: undefined,
      model: undefined,
      maxTurns: 30,
      systemPrompt: "p",
      source: "a.md",
      format: "agentwf" as const,
      notes: [],
      folder: "built-in",
    };
    const lines = formatAgentTable([agent]).split("\n");
    expect(lines[0]).toBe("NAME  FROM      TOOLS      SANDBOX  DESCRIPTION");
    expect(lines[1]).toBe(`a     built-in  read_file  run's    ${"long ".repeat(20).slice(0, 99)}…`);
  });
});

describe("agentwf agents --json", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "agentwf-agents-json-"));
    await mkdir(path.join(home, ".claude", "agents"), { recursive: true });
    await writeFile(path.join(home, ".claude", "agents", "home-helper.md"), '---\nname: home-helper\ndescription: "helps \\e[31mred\\e[0m \\u202ereversed"\ntools: Read\n---\nYou help.\n');
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  async function listJson(cwd: string) {
    const stdout = collector();
    const stderr = collector();
    const io: CliIO = { stdin: new PassThrough(), stdout: stdout.stream, stderr: stderr.stream, env: { HOME: home }, cwd, colorLevel: 0 };
    const code = await agentsCommand({ json: true }, io);
    return { code, text: stdout.text(), list: AgentsListSchema.parse(JSON.parse(stdout.text())) };
  }

  it("lists built-in, project, Claude Code, Gemini CLI, opencode and the person's agents with origin, folder, format and ecosystem", async () => {
    const { code, list } = await listJson(FIXTURE);
    expect(code).toBe(EXIT.done);
    const by = (name: string) => list.agents.find((a) => a.name === name);
    expect(list.agents.map((a) => [a.name, a.origin, a.folder, a.format, a.ecosystem])).toEqual([
      ["code-review-no-edits", "project", ".opencode/agents", "opencode", "opencode"],
      ["code-reviewer", "project", ".claude/agents", "claude", "Claude Code"],
      ["coverage-auditor", "built-in", "built-in", "agentwf", "agentwf"],
      ["data-scientist", "project", ".claude/agents", "claude", "Claude Code"],
      ["debugger", "project", ".claude/agents", "claude", "Claude Code"],
      ["docs-writer", "project", ".opencode/agent", "opencode", "opencode"],
      ["explore", "project", ".agents/agents", "openhands", "OpenHands"],
      ["explorer", "built-in", "built-in", "agentwf", "agentwf"],
      ["fixer", "built-in", "built-in", "agentwf", "agentwf"],
      ["general-purpose", "built-in", "built-in", "agentwf", "agentwf"],
      ["home-helper", "home", "~/.claude/agents", "claude", "Claude Code"],
      ["my-isolated-agent", "project", ".gemini/agents", "gemini", "Gemini CLI"],
      ["review", "project", ".opencode/agents", "opencode", "opencode"],
      ["reviewer", "project", ".opencode/agents", "opencode", "opencode"],
      ["security-auditor", "project", ".gemini/agents", "gemini", "Gemini CLI"],
      ["test-writer", "project", ".agentwf/agents", "agentwf", "agentwf"],
    ]);
    expect(by("coverage-auditor")).toMatchObject({ tools: ["bash", "read_file", "list_dir", "glob", "grep"], sandbox: "read-only", model: null, maxTurns: 40, notes: [] });
    expect(by("general-purpose")).toMatchObject({ tools: null, sandbox: null });
    expect(by("security-auditor")?.source).toBe(path.join(FIXTURE, ".gemini", "agents", "security-auditor.md"));
    expect(by("my-isolated-agent")?.notes).toEqual(["keys agentwf does not use, ignored: mcpServers"]);
    expect(list.errors).toEqual([]);
  });

  it("keeps a description exact for the program and writes what a terminal obeys as \\u escapes", async () => {
    const { text, list } = await listJson(FIXTURE);
    expect(list.agents.find((a) => a.name === "home-helper")?.description).toBe("helps \u001b[31mred\u001b[0m \u202ereversed");
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain("helps \\u001b[31mred\\u001b[0m \\u202ereversed");
  });

  it("puts a broken file in errors and fails, still listing the rest", async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), "agentwf-agents-ws-"));
    try {
      await mkdir(path.join(ws, ".gemini", "agents"), { recursive: true });
      await writeFile(path.join(ws, ".gemini", "agents", "broken.md"), "---\nname: broken\n---\nbody\n");
      const { code, list } = await listJson(ws);
      expect(code).toBe(EXIT.failed);
      expect(list.agents.map((a) => a.name)).toContain("general-purpose");
      expect(list.errors).toEqual([`${path.join(ws, ".gemini", "agents", "broken.md")}: description: Invalid input: expected string, received undefined`]);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
