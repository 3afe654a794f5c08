// Agent files as each ecosystem's documentation writes them (test/fixtures/agent-ecosystems, each
// file names the page it follows), read into agentwf's agent types: tool names mapped to ours, the
// sandbox narrowed where the file narrows it, and what agentwf does not use reported once as a note.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AgentFileError, parseAgentFile, type AgentFormat } from "../../src/agent/agent-types.js";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "fixtures", "agent-ecosystems");

function fixture(rel: string, format: AgentFormat) {
  const file = path.join(FIXTURES, rel);
  const agent = parseAgentFile(readFileSync(file, "utf8"), file, format);
  return { name: agent.name, tools: agent.tools, sandbox: agent.sandbox, model: agent.model, maxTurns: agent.maxTurns, notes: agent.notes };
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentFileError);
    return (error as Error).message;
  }
  throw new Error("expected an AgentFileError");
}

const READ_TOOLS = ["read_file", "list_dir", "glob", "grep"];

describe("Claude Code's format (.claude/agents)", () => {
  it("reads the docs' code-reviewer: Read, Grep, Glob, Bash mapped, `model: inherit` left to the run, read-only since it has no edit tool", () => {
    expect(fixture(".claude/agents/code-reviewer.md", "claude")).toEqual({
      name: "code-reviewer",
      tools: ["read_file", "grep", "glob", "bash"],
      sandbox: "read-only",
      model: undefined,
      maxTurns: 30,
      notes: [],
    });
  });

  it("reads the docs' debugger with Edit, so its sandbox is the run's", () => {
    expect(fixture(".claude/agents/debugger.md", "claude")).toMatchObject({
      tools: ["read_file", "edit_file", "bash", "grep", "glob"],
      sandbox: undefined,
    });
  });

  it("reads the docs' data-scientist: Write maps to write_file and `model: sonnet` names no provider", () => {
    expect(fixture(".claude/agents/data-scientist.md", "claude")).toMatchObject({ tools: ["bash", "read_file", "write_file"], sandbox: undefined, model: undefined });
  });

  it("leaves out a tool held to a command pattern and tools agentwf lacks, one note each", () => {
    const agent = parseAgentFile("---\nname: g\ndescription: d\ntools: Read, Bash(git diff:*), WebFetch, Task(explorer)\n---\nbody", "g.md", "claude");
    expect(agent.tools).toEqual(["read_file"]);
    expect(agent.notes).toEqual(["tool patterns are not supported, left out: Bash(git diff:*), Task(explorer)", "tools agentwf does not have, left out: WebFetch"]);
  });

  it("takes disallowedTools away from every tool when tools is omitted, which leaves it read-only", () => {
    const agent = parseAgentFile("---\nname: g\ndescription: d\ndisallowedTools: Write, Edit\n---\nbody", "g.md", "claude");
    expect(agent).toMatchObject({ tools: [...READ_TOOLS, "bash"], sandbox: "read-only" });
  });

  it("denies a tool whole when disallowedTools names it with a pattern", () => {
    const agent = parseAgentFile("---\nname: g\ndescription: d\ntools: Read, Bash\ndisallowedTools: Bash(rm *)\n---\nbody", "g.md", "claude");
    expect(agent.tools).toEqual(["read_file"]);
  });

  it("reads `permissionMode: plan` as read-only even with edit tools", () => {
    const agent = parseAgentFile("---\nname: g\ndescription: d\ntools: Read, Edit\npermissionMode: plan\n---\nbody", "g.md", "claude");
    expect(agent).toMatchObject({ tools: ["read_file", "edit_file"], sandbox: "read-only" });
  });

  it("reports keys it does not use in one note, and stays quiet about display keys such as color", () => {
    const agent = parseAgentFile("---\nname: g\ndescription: d\ncolor: blue\nhooks: {}\nskills: [a]\n---\nbody", "g.md", "claude");
    expect(agent.notes).toEqual(["keys agentwf does not use, ignored: hooks, skills"]);
    expect(agent.tools).toBeUndefined();
  });
});

describe("Gemini CLI's format (.gemini/agents)", () => {
  it("reads the docs' security-auditor: grep_search maps to grep, max_turns to maxTurns, a model without provider to the run's", () => {
    expect(fixture(".gemini/agents/security-auditor.md", "gemini")).toEqual({
      name: "security-auditor",
      tools: ["read_file", "grep"],
      sandbox: "read-only",
      model: undefined,
      maxTurns: 10,
      notes: [],
    });
  });

  it("reads the docs' agent with inline MCP servers and reports mcpServers as ignored", () => {
    expect(fixture(".gemini/agents/my-isolated-agent.md", "gemini")).toMatchObject({
      tools: ["grep", "read_file"],
      notes: ["keys agentwf does not use, ignored: mcpServers"],
    });
  });

  it("reads `tools: ['*']` as every tool and reports an MCP wildcard as a tool it lacks", () => {
    expect(parseAgentFile("---\nname: g\ndescription: d\ntools: ['*']\n---\nbody", "g.md", "gemini").tools).toBeUndefined();
    const mcp = parseAgentFile("---\nname: g\ndescription: d\ntools: [run_shell_command, mcp_*]\n---\nbody", "g.md", "gemini");
    expect(mcp).toMatchObject({ tools: ["bash"], notes: ["tools agentwf does not have, left out: mcp_*"] });
  });

  it("refuses a remote agent in one line", () => {
    expect(errorOf(() => parseAgentFile("---\nname: r\ndescription: d\nkind: remote\nagent_card_url: http://x\n---\nbody", "r.md", "gemini"))).toBe(
      "r.md: kind: remote (an Agent-to-Agent service) is not supported; agentwf runs local agents only",
    );
  });
});

describe("opencode's format (.opencode/agents, .opencode/agent)", () => {
  it("reads the docs' review agent: named by its file, every tool but write, edit and bash, provider/model kept", () => {
    expect(fixture(".opencode/agents/review.md", "opencode")).toEqual({
      name: "review",
      tools: READ_TOOLS,
      sandbox: "read-only",
      model: "anthropic/claude-sonnet-4-20250514",
      maxTurns: 30,
      notes: [],
    });
  });

  it("reads the docs' docs-writer (bash off) from .opencode/agent", () => {
    expect(fixture(".opencode/agent/docs-writer.md", "opencode")).toMatchObject({
      name: "docs-writer",
      tools: [...READ_TOOLS, "edit_file", "write_file"],
      sandbox: undefined,
    });
  });

  it("reads a permission map: edit denied, bash allowed only for some commands is left out, ask counts as deny", () => {
    expect(fixture(".opencode/agents/code-review-no-edits.md", "opencode")).toMatchObject({
      tools: READ_TOOLS,
      sandbox: "read-only",
      notes: [
        "permission.bash: allowed only for some patterns, which agentwf cannot enforce; left out",
        "permission ask counts as deny: a run never stops to ask",
      ],
    });
  });

  it("reads opencode 2's permission rules: edit and shell denied", () => {
    expect(fixture(".opencode/agents/reviewer.md", "opencode")).toMatchObject({
      name: "reviewer",
      tools: READ_TOOLS,
      model: "anthropic/claude-sonnet-5-5#high",
      notes: [],
    });
  });

  it("applies `*: false` before the tools it turns back on", () => {
    expect(parseAgentFile("---\ndescription: d\ntools:\n  '*': false\n  read: true\n---\nbody", "x.md", "opencode").tools).toEqual(["read_file"]);
  });

  it("marks `disable: true` so the loader leaves it out", () => {
    expect(parseAgentFile("---\ndescription: d\ndisable: true\n---\nbody", "x.md", "opencode").disabled).toBe(true);
  });

  it("refuses a file name that is not an agent name, and a {file:} prompt, one line each", () => {
    expect(errorOf(() => parseAgentFile("---\ndescription: d\n---\nbody", "/a/my.agent.md", "opencode"))).toBe(
      '/a/my.agent.md: name "my.agent" (from the file name): use letters, digits, - and _ (at most 64)',
    );
    expect(errorOf(() => parseAgentFile("---\ndescription: d\nprompt: '{file:./p.txt}'\n---\n", "/a/p.md", "opencode"))).toBe(
      "/a/p.md: prompt: {file:…} references are not supported; put the system prompt in the file's body",
    );
  });

  it("uses a plain `prompt` when the body is empty", () => {
    expect(parseAgentFile("---\ndescription: d\nprompt: You review.\n---\n", "x.md", "opencode").systemPrompt).toBe("You review.");
  });
});

describe("OpenHands' format (.agents/agents, .openhands/agents)", () => {
  it("reads its built-in explore agent: terminal maps to bash, and it is read-only", () => {
    const file = path.join(FIXTURES, ".agents/agents/explore.md");
    const agent = parseAgentFile(readFileSync(file, "utf8"), file, "openhands");
    expect(agent).toMatchObject({ name: "explore", tools: ["bash"], sandbox: "read-only", notes: [] });
    expect(agent.description).toMatch(/^Fast codebase exploration agent \(read-only\)\. <example>Find files/);
  });

  it("reads the SDK's minimal example and reports its extra key", () => {
    expect(fixture(".openhands/agents/code-reviewer.md", "openhands")).toMatchObject({
      name: "code-reviewer",
      tools: ["bash"],
      model: undefined,
      notes: ["keys agentwf does not use, ignored: audience"],
    });
  });

  it("gives an agent without a tools list no tools, as OpenHands does, and names it by its file", () => {
    expect(parseAgentFile("---\ndescription: d\n---\nbody", "/a/helper.md", "openhands")).toMatchObject({ name: "helper", tools: [], sandbox: "read-only" });
  });

  it("reads file_editor as the three file tools", () => {
    expect(parseAgentFile("---\ntools: [file_editor]\n---\nbody", "/a/e.md", "openhands").tools).toEqual(["read_file", "edit_file", "write_file"]);
  });
});

describe("agentwf's own format (.agentwf/agents)", () => {
  it("reads the fixture's test-writer with its sandbox", () => {
    expect(fixture(".agentwf/agents/test-writer.md", "agentwf")).toEqual({
      name: "test-writer",
      tools: ["read_file", "glob", "grep", "write_file", "bash"],
      sandbox: "workspace-write",
      model: undefined,
      maxTurns: 25,
      notes: [],
    });
  });

  it("refuses a misspelt sandbox key rather than run with the run's wider mode", () => {
    expect(errorOf(() => parseAgentFile("---\nname: a\ndescription: d\nsandox: read-only\n---\nbody", "a.md", "agentwf"))).toBe('a.md: unknown key "sandox"');
  });

  it("refuses a sandbox mode that does not exist, naming the three", () => {
    expect(errorOf(() => parseAgentFile("---\nname: a\ndescription: d\nsandbox: full\n---\nbody", "a.md", "agentwf"))).toBe(
      'a.md: sandbox: Invalid option: expected one of "read-only"|"workspace-write"|"danger-full-access"',
    );
  });

  it("leaves out an unknown tool with a note instead of failing", () => {
    expect(parseAgentFile("---\nname: a\ndescription: d\ntools: [read_file, bsh]\n---\nbody", "a.md", "agentwf")).toMatchObject({
      tools: ["read_file"],
      notes: ["tools agentwf does not have, left out: bsh"],
    });
  });

  it("shows every tool as undefined (all) when a file lists all seven", () => {
    const text = "---\nname: a\ndescription: d\ntools: [read_file, list_dir, glob, grep, bash, edit_file, write_file]\n---\nbody";
    expect(parseAgentFile(text, "a.md", "agentwf")).toMatchObject({ tools: undefined, sandbox: undefined });
  });
});

describe("front matter every format shares", () => {
  it("refuses front matter that is a list, not a mapping", () => {
    expect(errorOf(() => parseAgentFile("---\n- a\n- b\n---\nbody", "l.md", "claude"))).toBe("l.md: front matter must be a YAML mapping of keys to values");
  });

  it("refuses a YAML alias bomb in one line instead of expanding it", () => {
    const bomb = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`), "name: n", "description: d", "---", "body"].join("\n");
    const message = errorOf(() => parseAgentFile(bomb, "bomb.md", "claude"));
    expect(message).toMatch(/^bomb\.md: front matter is not valid YAML: /);
    expect(message).not.toContain("\n");
  });

  it("reads a file with a byte-order mark and CRLF line endings", () => {
    expect(parseAgentFile("\uFEFF---\r\nname: a\r\ndescription: d\r\n---\r\nbody\r\n", "a.md", "claude")).toMatchObject({ name: "a", systemPrompt: "body" });
  });
});
