// The parent's prompt lists every agent type on one line with its tools and sandbox, and carries
// the project's instruction file like every sub-agent's prompt.
import { describe, expect, it } from "vitest";
import type { AgentType } from "../../src/agent/agent-types.js";
import { parentSystemPrompt } from "../../src/run/parent-prompt.js";

const type = (name: string, description: string, tools: string[] | undefined, sandbox: AgentType["sandbox"]): AgentType => ({
  name,
  description,
  tools,
  sandbox,
  model: undefined,
  maxTurns: 30,
  systemPrompt: "p",
  source: `${name}.md`,
  format: "claude",
  notes: [],
});

describe("parentSystemPrompt", () => {
  it("lists agent types by name, each on one line with its tools and the widest sandbox it may use", async () => {
    const types = new Map([
      ["reviewer", type("reviewer", "Reviews code.\n  <example>review this</example>", ["read_file", "grep", "bash"], "read-only")],
      ["general-purpose", type("general-purpose", "Does anything.", undefined, undefined)],
      ["idle", type("idle", "No tools.", [], "read-only")],
    ]);
    const prompt = await parentSystemPrompt(types, { workspace: "/ws", instructions: { file: "GEMINI.md", text: "Use bazel." }, date: "2026-01-01", sandbox: "read-only" });
    expect(prompt).toContain(
      [
        "- `general-purpose`: Does anything. (tools: every tool the run offers)",
        "- `idle`: No tools. (tools: no tools; sandbox: read-only at most)",
        "- `reviewer`: Reviews code. <example>review this</example> (tools: read_file, grep, bash; sandbox: read-only at most)",
      ].join("\n"),
    );
    expect(prompt).toContain("- Sandbox: read-only");
    expect(prompt).toContain("## Project instructions (GEMINI.md)\nUse bazel.");
  });
});
