import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventInput } from "../../src/events.js";
import { initialRunViewState, reduceRunView, TAIL_CHARS, withReport, type RunViewState } from "../../src/ui/run-view-state.js";

let clock = 1000;
const ev = (input: RunEventInput, time?: number): RunEvent => ({ ...input, time: time ?? (clock += 10) }) as RunEvent;
const reduce = (...events: RunEventInput[]): RunViewState => events.map((e) => ev(e)).reduce(reduceRunView, initialRunViewState());
const usage = (input: number, output: number) => ({ inputTokens: input, outputTokens: output });

const start = (id: string, description = `work ${id}`): RunEventInput => ({
  type: "agent_start",
  agentId: id,
  role: "sub",
  agentType: "general-purpose",
  description,
  model: "m",
  workflowId: "w1",
});
const end = (id: string, ok = true, error?: string): RunEventInput => ({
  type: "agent_end",
  agentId: id,
  ok,
  ...(error ? { error } : {}),
  usage: usage(100, 20),
  turns: 1,
  durationMs: 1500,
});

describe("reduceRunView", () => {
  it("records the run from run_start and sums usage events into the header's totals", () => {
    const state = reduce(
      { type: "run_start", runId: "r1", task: "audit", model: "openai/x", cwd: "/w" },
      { type: "usage", agentId: "parent", usage: { ...usage(10, 2), costUsd: 0.5 } },
      { type: "usage", agentId: "parent", usage: { ...usage(5, 1), costUsd: 0.25 } },
    );
    expect(state.run).toMatchObject({ runId: "r1", task: "audit", model: "openai/x" });
    expect(state.usage).toEqual({ inputTokens: 15, outputTokens: 3, costUsd: 0.75 });
  });

  it("keeps running sub-agents in start order with their tool call, tokens and text tail", () => {
    const state = reduce(
      start("w1.1"),
      start("w1.2"),
      { type: "tool_start", agentId: "w1.2", callId: "c1", tool: "grep", summary: "grep foo src" },
      { type: "agent_text", agentId: "w1.2", delta: "found it\n" },
      { type: "agent_text", agentId: "w1.2", delta: "in two files" },
      { type: "usage", agentId: "w1.2", usage: usage(40, 8) },
    );
    expect(state.running).toEqual(["w1.1", "w1.2"]);
    const agent = state.agents["w1.2"];
    expect(agent?.tool).toEqual({ summary: "grep foo src", running: true, ok: true });
    expect(agent?.tail).toBe("found it\nin two files");
    expect(agent?.usage).toEqual(usage(40, 8));
  });

  it("marks a finished tool call as done or failed but keeps showing it", () => {
    const state = reduce(
      start("w1.1"),
      { type: "tool_start", agentId: "w1.1", callId: "c1", tool: "read_file", summary: "read_file a.ts" },
      { type: "tool_end", agentId: "w1.1", callId: "c1", tool: "read_file", ok: false, summary: "no such file" },
    );
    expect(state.agents["w1.1"]?.tool).toEqual({ summary: "read_file a.ts", running: false, ok: false });
  });

  it("folds a finished sub-agent into one scrollback entry with its time, tokens and error, and counts it", () => {
    const state = reduce(
      { type: "workflow_start", workflowId: "w1", name: "audit" },
      start("w1.1", "check alpha"),
      start("w1.2", "check beta"),
      end("w1.1"),
      end("w1.2", false, "model server down"),
    );
    expect(state.running).toEqual([]);
    expect(state.agents).toEqual({});
    const agents = state.feed.filter((item) => item.kind === "agent");
    expect(agents.map((item) => item.kind === "agent" && [item.agent.description, item.agent.ok, item.agent.error])).toEqual([
      ["check alpha", true, undefined],
      ["check beta", false, "model server down"],
    ]);
    expect(state.workflow).toMatchObject({ done: 1, failed: 1 });
  });

  it("strips terminal control sequences and bidi characters from model text, descriptions and errors", () => {
    const state = reduce(
      start("w1.1", "desc \x1b[31mred\x1b[0m"),
      { type: "agent_text", agentId: "w1.1", delta: "a\x1b]0;title\x07b\u202ec\x1b[2J" },
      end("w1.1", false, "bad \x1b[1mthing\x07"),
    );
    const item = state.feed.find((f) => f.kind === "agent");
    expect(item?.kind === "agent" && item.agent.description).toBe("desc red");
    expect(item?.kind === "agent" && item.agent.error).toBe("bad thing");
    const live = reduce(start("w1.1"), { type: "agent_text", agentId: "w1.1", delta: "a\x1b]0;title\x07b\u202ec\x1b[2J" });
    expect(live.agents["w1.1"]?.tail).toBe("abc");
  });

  it("strips a control sequence that arrives split across two deltas", () => {
    const state = reduce(
      start("w1.1"),
      { type: "agent_text", agentId: "w1.1", delta: "red: \x1b[3" },
      { type: "agent_text", agentId: "w1.1", delta: "1mRED\x1b]0;ti" },
      { type: "agent_text", agentId: "w1.1", delta: "tle\x07 done" },
    );
    expect(state.agents["w1.1"]?.tail).toBe("red: RED done");
  });

  it("keeps only the end of a long stream", () => {
    const long = "x".repeat(TAIL_CHARS) + "END";
    const state = reduce(start("w1.1"), { type: "agent_text", agentId: "w1.1", delta: long });
    expect(state.agents["w1.1"]?.tail).toHaveLength(TAIL_CHARS);
    expect(state.agents["w1.1"]?.tail.endsWith("END")).toBe(true);
  });

  it("shows reasoning until the answer starts, then only the answer", () => {
    const thinking = reduce(start("w1.1"), { type: "agent_thinking", agentId: "w1.1", delta: "hmm" });
    expect(thinking.agents["w1.1"]).toMatchObject({ tail: "hmm", thinking: true });
    const answering = [ev({ type: "agent_text", agentId: "w1.1", delta: "Answer" }), ev({ type: "agent_thinking", agentId: "w1.1", delta: "more" })].reduce(
      reduceRunView,
      thinking,
    );
    expect(answering.agents["w1.1"]).toMatchObject({ tail: "Answer", thinking: false });
  });

  it("moves the parent's text into the scrollback when it calls a tool, one line per call", () => {
    const state = reduce(
      { type: "agent_start", agentId: "parent", role: "parent", agentType: "parent", description: "t", model: "m" },
      { type: "agent_text", agentId: "parent", delta: "Looking around first." },
      { type: "tool_start", agentId: "parent", callId: "c1", tool: "list_dir", summary: "list_dir ." },
      { type: "tool_start", agentId: "parent", callId: "c2", tool: "glob", summary: "glob **/*.ts" },
    );
    expect(state.feed.map((f) => f.kind)).toEqual(["parent_text", "parent_tool", "parent_tool"]);
    expect(state.feed[0]).toMatchObject({ text: "Looking around first." });
    expect(state.parent.tail).toBe("");
    expect(state.parent.tool).toBe("glob **/*.ts");
  });

  it("does not keep the parent's final answer in the scrollback: it is the report", () => {
    const state = reduce(
      { type: "agent_start", agentId: "parent", role: "parent", agentType: "parent", description: "t", model: "m" },
      { type: "agent_text", agentId: "parent", delta: "# Report" },
      { type: "agent_end", agentId: "parent", ok: true, usage: usage(1, 1), turns: 1, durationMs: 5 },
    );
    expect(state.feed).toEqual([]);
    expect(state.parent.active).toBe(false);
  });

  it("keeps a failed parent's partial text and says why it stopped", () => {
    const state = reduce(
      { type: "agent_start", agentId: "parent", role: "parent", agentType: "parent", description: "t", model: "m" },
      { type: "agent_text", agentId: "parent", delta: "half a thought" },
      { type: "agent_end", agentId: "parent", ok: false, error: "rate limited", usage: usage(1, 1), turns: 1, durationMs: 5 },
    );
    expect(state.feed).toMatchObject([
      { kind: "parent_text", text: "half a thought" },
      { kind: "note", tone: "error", text: "the parent agent stopped: rate limited" },
    ]);
  });

  it("writes workflow decisions, log lines and the workflow's end to the scrollback, named", () => {
    const state = reduce(
      { type: "workflow_proposed", workflowId: "w1", name: "audit", code: "x" },
      { type: "workflow_decision", workflowId: "w1", decision: "reject", reason: "too many agents" },
      { type: "workflow_proposed", workflowId: "w2", name: "audit", code: "y" },
      { type: "workflow_decision", workflowId: "w2", decision: "approve" },
      { type: "workflow_start", workflowId: "w2", name: "audit" },
      { type: "workflow_log", workflowId: "w2", message: "step \x1b[1mone\x1b[0m" },
      { type: "workflow_end", workflowId: "w2", ok: true, durationMs: 2500 },
    );
    expect(state.feed).toMatchObject([
      { kind: "note", tone: "warn", text: "rejected workflow w1 audit: too many agents" },
      { kind: "note", tone: "ok", text: "approved workflow w2 audit" },
      { kind: "log", message: "step one" },
      { kind: "note", tone: "ok", text: "workflow w2 audit finished in 2.5s · 0 agents" },
    ]);
    expect(state.workflow).toBeUndefined();
  });

  it("ends with a summary of agents, failures, wall time, tokens and cost, then the report", () => {
    const events = [
      ev({ type: "run_start", runId: "r1", task: "t", model: "m", cwd: "/" }, 1000),
      ev({ type: "run_end", runId: "r1", status: "done", usage: { ...usage(900, 100), costUsd: 0.01 }, agents: 4, failedAgents: 1 }, 13_500),
    ];
    const state = withReport(events.reduce(reduceRunView, initialRunViewState()), "# Done");
    expect(state.endedAt).toBe(13_500);
    expect(state.feed).toEqual([
      {
        kind: "summary",
        key: "f0",
        summary: { runId: "r1", status: "done", error: undefined, agents: 4, failedAgents: 1, wallMs: 12_500, usage: { ...usage(900, 100), costUsd: 0.01 } },
      },
      { kind: "report", key: "f1", markdown: "# Done" },
    ]);
  });

  it("folds agents still running at the end of the run before the summary, and ignores their late ends", () => {
    const state = reduce(
      start("w1.1", "slow one"),
      { type: "run_end", runId: "r1", status: "interrupted", error: "interrupted", usage: usage(1, 1), agents: 1, failedAgents: 1 },
      end("w1.1", false, "cancelled"),
    );
    expect(state.feed.map((f) => f.kind)).toEqual(["agent", "summary"]);
    expect(state.feed[0]).toMatchObject({ agent: { description: "slow one", ok: false, error: "stopped with the run" } });
    expect(state.running).toEqual([]);
  });

  it("does not blame the parent for stopping after the person stopped the run", () => {
    const state = reduce(
      { type: "agent_start", agentId: "parent", role: "parent", agentType: "parent", description: "t", model: "m" },
      { type: "workflow_decision", workflowId: "w1", decision: "stop", reason: "stopped at approval" },
      { type: "agent_end", agentId: "parent", ok: false, error: "cancelled", usage: usage(1, 1), turns: 1, durationMs: 5 },
    );
    expect(state.feed).toMatchObject([{ kind: "note", tone: "error", text: "stopped at workflow w1: stopped at approval" }]);
  });

  it("ignores events for agents it does not know", () => {
    const before = reduce(start("w1.1"));
    const after = [ev({ type: "agent_text", agentId: "nobody", delta: "x" }), ev(end("nobody"))].reduce(reduceRunView, before);
    expect(after.agents).toEqual(before.agents);
    expect(after.feed).toEqual(before.feed);
  });
});

describe("reduceRunView: the queue", () => {
  it("counts sub-agents that wait for a slot until each of them starts", () => {
    const queued = reduce(
      { type: "workflow_start", workflowId: "w1", name: "audit" },
      start("w1.1"),
      { type: "agent_queued", agentId: "w1.2", workflowId: "w1", description: "b" },
      { type: "agent_queued", agentId: "w1.3", workflowId: "w1", description: "c" },
    );
    expect(queued.workflow?.queued).toEqual(["w1.2", "w1.3"]);
    const next = [ev(end("w1.1")), ev(start("w1.2"))].reduce(reduceRunView, queued);
    expect(next.workflow?.queued).toEqual(["w1.3"]);
    expect(next.running).toEqual(["w1.2"]);
  });
});

describe("pauses and projections", () => {
  it("keeps why the run is paused until it resumes, with a note for each", () => {
    const paused = reduce({ type: "run_paused", cause: "budget", reason: "the run's budget of $1.00 (--budget) is spent ($1.02 used)", spentUsd: 1.02, spentTokens: 900 });
    expect(paused.paused).toEqual({ cause: "budget", reason: "the run's budget of $1.00 (--budget) is spent ($1.02 used)" });
    const resumed = [ev({ type: "run_resumed", cause: "budget", reason: "the budget is now $2.00" })].reduce(reduceRunView, paused);
    expect(resumed.paused).toBeUndefined();
    expect(resumed.feed.map((f) => (f.kind === "note" ? `${f.tone} ${f.text}` : f.kind))).toEqual([
      "warn paused: the run's budget of $1.00 (--budget) is spent ($1.02 used)",
      "ok resumed: the budget is now $2.00",
    ]);
  });

  it("notes a workflow's projection, as a warning when it is past --confirm-over", () => {
    const estimate = { agents: { min: 30, max: 30 }, unknowns: [], agentCap: 100, tokens: { min: 1, max: 2 }, usd: null, model: "m", summary: "projected: 30 sub-agents · 1–2 tokens · price of m unknown" };
    const state = reduce(
      { type: "workflow_proposed", workflowId: "w1", name: "audit", code: "" },
      { type: "workflow_estimate", workflowId: "w1", estimate, overThreshold: "it may start 30 sub-agents, over 25" },
    );
    expect(state.feed.at(-1)).toMatchObject({ kind: "note", tone: "warn", text: "workflow w1 audit: projected: 30 sub-agents · 1–2 tokens · price of m unknown" });
  });
});
