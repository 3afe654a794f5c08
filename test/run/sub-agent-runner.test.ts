// The runner gives each sub-agent the tools its type names among those the run offers in the
// agent's sandbox: the narrower of the run's `--sandbox` and the type's own. A scripted model
// records what it was offered; a tool provider records the scopes it was asked for.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AgentType } from "../../src/agent/agent-types.js";
import type { SandboxMode } from "../../src/agent/sandbox-mode.js";
import { emptyUsage } from "../../src/events.js";
import type { Model, ModelRequest } from "../../src/model/types.js";
import { createSubAgentRunner, type ToolScope } from "../../src/run/sub-agent-runner.js";
import { defineTool, type AgentTool } from "../../src/tools/tool.js";

const ALL = ["read_file", "list_dir", "glob", "grep", "bash", "edit_file", "write_file"];

function fakeTool(name: string): AgentTool {
  return defineTool({ name, description: name, parameters: z.object({}), execute: async () => ({ ok: true, output: "" }) });
}

function agentType(name: string, tools: string[] | undefined, sandbox: SandboxMode | undefined): AgentType {
  return { name, description: name, tools, sandbox, model: undefined, maxTurns: 3, systemPrompt: `You are ${name}.`, source: `${name}.md`, format: "agentwf", notes: [] };
}

type Answer = Awaited<ReturnType<Model["stream"]>>;
const DONE: Answer = { text: "done", thinking: "", toolCalls: [], stopReason: "stop", usage: emptyUsage() };

async function runAs(type: AgentType, runSandbox: SandboxMode, answer: Answer = DONE) {
  const requests: ModelRequest[] = [];
  const scopes: ToolScope[] = [];
  const model: Model = {
    id: "fake/model",
    async stream(request) {
      requests.push(request);
      return answer;
    },
  };
  const runAgent = createSubAgentRunner({
    agentTypes: new Map([[type.name, type]]),
    // A provider that (wrongly) offers every tool in every mode: the runner still holds read-only agents to read tools.
    toolsFor: (scope) => {
      scopes.push(scope);
      return ALL.map(fakeTool);
    },
    sandbox: runSandbox,
    models: () => model,
    defaultModel: "fake/model",
    promptContext: { workspace: "/ws", instructions: { file: "CLAUDE.md", text: "Use make." }, date: "2026-01-01", sandbox: runSandbox },
    emit: () => {},
  });
  const outcome = await runAgent(
    { agent: type.name, prompt: "go", description: "d" },
    { agentId: "w1.1", workflowId: "w1", signal: new AbortController().signal, started: () => {} },
  );
  const system = requests[0]?.messages[0];
  return {
    outcome,
    scopes,
    offered: requests[0]?.tools?.map((t) => t.name),
    system: system?.role === "system" ? system.content : "",
  };
}

describe("sub-agent tools and sandbox", () => {
  it("narrows a workspace-write run to read-only for an agent type that asks for it, and offers no write tool", async () => {
    const run = await runAs(agentType("reviewer", undefined, "read-only"), "workspace-write");
    expect(run.outcome.ok).toBe(true);
    expect(run.scopes).toEqual([{ sandbox: "read-only", root: "/ws", tools: undefined }]);
    expect(run.offered).toEqual(["read_file", "list_dir", "glob", "grep", "bash"]);
    expect(run.system).toContain("- Sandbox: read-only (nothing you do changes the workspace; what commands write is thrown away)");
  });

  it("never widens a read-only run for an agent type that asks for workspace-write", async () => {
    const run = await runAs(agentType("fixer", ALL, "workspace-write"), "read-only");
    expect(run.scopes).toEqual([{ sandbox: "read-only", root: "/ws", tools: ALL }]);
    expect(run.offered).toEqual(["read_file", "list_dir", "glob", "grep", "bash"]);
  });

  it("gives an agent type with no sandbox of its own the run's mode and the tools it names, in the provider's order", async () => {
    const run = await runAs(agentType("writer", ["write_file", "read_file"], undefined), "workspace-write");
    expect(run.scopes).toEqual([{ sandbox: "workspace-write", root: "/ws", tools: ["write_file", "read_file"] }]);
    expect(run.offered).toEqual(["read_file", "write_file"]);
    expect(run.system).toContain("- Sandbox: workspace-write");
  });

  it("puts the project's CLAUDE.md into the sub-agent's prompt under its own name", async () => {
    const run = await runAs(agentType("reader", ["read_file"], "read-only"), "read-only");
    expect(run.system).toContain("## Project instructions (CLAUDE.md)\nUse make.");
  });
});

describe("which model failures pause the run", () => {
  const failing = (kind: "usage_limit" | "rate_limit", message: string): Answer => ({ ...DONE, text: "", stopReason: "error", error: { kind, message } });

  it("a usage limit (an empty balance, or a wait longer than agentwf takes) marks the result usageLimit, so the run pauses", async () => {
    const run = await runAs(agentType("reader", ["read_file"], "read-only"), "read-only", failing("usage_limit", "HTTP 429: quota"));
    expect(run.outcome).toMatchObject({ ok: false, usageLimit: true });
  });

  it("a rate limit that outlasted the retries fails only this agent: no usageLimit mark", async () => {
    const run = await runAs(agentType("reader", ["read_file"], "read-only"), "read-only", failing("rate_limit", "HTTP 429: slow down (after 6 attempts)"));
    expect(run.outcome.ok).toBe(false);
    expect(run.outcome).not.toHaveProperty("usageLimit");
  });
});
