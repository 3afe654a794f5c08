import { describe, expect, it } from "vitest";
import { addUsage, createEventBus, emptyUsage, RunEventSchema, type RunEvent, type RunEventType, type Usage } from "../src/events.js";

describe("addUsage", () => {
  it("adds input, output and cached tokens", () => {
    expect(
      addUsage({ inputTokens: 10, outputTokens: 2, cachedInputTokens: 4 }, { inputTokens: 5, outputTokens: 1, cachedInputTokens: 1 }),
    ).toEqual({ inputTokens: 15, outputTokens: 3, cachedInputTokens: 5 });
  });

  it("leaves cachedInputTokens out when neither side has cached tokens", () => {
    expect(addUsage({ inputTokens: 1, outputTokens: 1 }, { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 })).toEqual({
      inputTokens: 2,
      outputTokens: 2,
    });
  });

  it("adds the costs when both sides know theirs", () => {
    const sum = addUsage({ inputTokens: 1, outputTokens: 1, costUsd: 0.25 }, { inputTokens: 1, outputTokens: 1, costUsd: 0.5 });
    expect(sum.costUsd).toBe(0.75);
  });

  it("keeps the cost unknown when one side used tokens at an unknown cost", () => {
    const priced: Usage = { inputTokens: 100, outputTokens: 10, costUsd: 0.01 };
    const unpriced: Usage = { inputTokens: 100, outputTokens: 10 };
    expect(addUsage(priced, unpriced)).toEqual({ inputTokens: 200, outputTokens: 20 });
    expect(addUsage(unpriced, priced)).toEqual({ inputTokens: 200, outputTokens: 20 });
  });

  it("keeps the cost unknown when neither side knows it", () => {
    expect(addUsage({ inputTokens: 1, outputTokens: 1 }, { inputTokens: 1, outputTokens: 1 })).not.toHaveProperty("costUsd");
  });

  it("treats the empty usage as costing nothing, so a total started from it keeps a known cost", () => {
    const turns: Usage[] = [
      { inputTokens: 100, outputTokens: 10, costUsd: 0.01 },
      { inputTokens: 200, outputTokens: 20, costUsd: 0.02 },
    ];
    const total = turns.reduce(addUsage, emptyUsage());
    expect(total.inputTokens).toBe(300);
    expect(total.outputTokens).toBe(30);
    expect(total.costUsd).toBeCloseTo(0.03, 10);
  });

  it("keeps a known cost when the other side used no tokens (a call that failed before any)", () => {
    expect(addUsage({ inputTokens: 1, outputTokens: 1, costUsd: 0.5 }, { inputTokens: 0, outputTokens: 0 })).toEqual({
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0.5,
    });
  });
});

describe("createEventBus", () => {
  it("stamps each event once with the injected clock and gives every listener the same event", () => {
    let clock = 1000;
    const bus = createEventBus(() => (clock += 1));
    const seen: RunEvent[][] = [[], []];
    bus.subscribe((event) => seen[0]?.push(event));
    bus.subscribe((event) => seen[1]?.push(event));
    bus.emit({ type: "warning", message: "first" });
    bus.emit({ type: "warning", message: "second" });
    const expected = [
      { type: "warning", message: "first", time: 1001 },
      { type: "warning", message: "second", time: 1002 },
    ];
    expect(seen).toEqual([expected, expected]);
  });

  it("still delivers to the other listeners when one throws, and does not throw at the emitter", () => {
    const bus = createEventBus(() => 0);
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error("listener bug");
    });
    bus.subscribe((event) => seen.push(event.type));
    expect(() => bus.emit({ type: "warning", message: "x" })).not.toThrow();
    expect(seen).toEqual(["warning"]);
  });

  it("stops delivering to a listener after it unsubscribes", () => {
    const bus = createEventBus(() => 0);
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((event) => seen.push(event.type === "warning" ? event.message : event.type));
    bus.emit({ type: "warning", message: "before" });
    unsubscribe();
    bus.emit({ type: "warning", message: "after" });
    expect(seen).toEqual(["before"]);
  });
});

describe("RunEventSchema", () => {
  const usage: Usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 2, costUsd: 0.001 };
  // A Record over every event type, so adding a variant without a sample fails to compile.
  const samples: Record<RunEventType, RunEvent> = {
    run_start: { type: "run_start", time: 1, runId: "r1", task: "audit", model: "demo", cwd: "/repo" },
    run_end: { type: "run_end", time: 2, runId: "r1", status: "done", usage, agents: 3, failedAgents: 1 },
    run_paused: { type: "run_paused", time: 2, cause: "budget", reason: "the budget of $1.00 is spent", spentUsd: 1.02, spentTokens: 4000 },
    run_resumed: { type: "run_resumed", time: 2, cause: "budget", reason: "the budget is now $2.00" },
    workflow_estimate: {
      type: "workflow_estimate",
      time: 2,
      workflowId: "w1",
      estimate: { agents: { min: 3, max: null }, unknowns: ["line 4: mapAgents over `files`"], agentCap: 100, tokens: { min: 100, max: 9000 }, usd: null, model: "demo", summary: "projected: at least 3 sub-agents" },
      overThreshold: "it may start 30 sub-agents",
    },
    agent_start: {
      type: "agent_start",
      time: 3,
      agentId: "w1.1",
      role: "sub",
      agentType: "general-purpose",
      description: "audit src",
      model: "demo",
      workflowId: "w1",
    },
    agent_queued: { type: "agent_queued", time: 3, agentId: "w1.9", workflowId: "w1", description: "audit docs", phase: "Scan" },
    workflow_phase: { type: "workflow_phase", time: 3, workflowId: "w1", title: "Scan" },
    agent_text: { type: "agent_text", time: 4, agentId: "parent", delta: "Hello" },
    agent_thinking: { type: "agent_thinking", time: 5, agentId: "parent", delta: "hmm" },
    agent_end: { type: "agent_end", time: 6, agentId: "w1.1", ok: false, error: "boom", usage, turns: 2, durationMs: 1500 },
    tool_start: { type: "tool_start", time: 7, agentId: "w1.1", callId: "c1", tool: "read_file", summary: "read_file a.ts" },
    tool_end: { type: "tool_end", time: 8, agentId: "w1.1", callId: "c1", tool: "read_file", ok: true, summary: "1\tline" },
    model_retry: { type: "model_retry", time: 9, agentId: "parent", attempt: 1, delayMs: 500, reason: "HTTP 503" },
    usage: { type: "usage", time: 10, agentId: "parent", usage },
    workflow_proposed: { type: "workflow_proposed", time: 11, workflowId: "w1", name: "audit", code: "async function main(wf) {}" },
    workflow_invalid: { type: "workflow_invalid", time: 12, workflowId: "w1", diagnostics: ["1:1 error: no main"] },
    workflow_decision: { type: "workflow_decision", time: 13, workflowId: "w1", decision: "reject", reason: "too broad" },
    workflow_start: { type: "workflow_start", time: 14, workflowId: "w1", name: "audit" },
    workflow_log: { type: "workflow_log", time: 15, workflowId: "w1", message: "audited 3 areas" },
    workflow_end: { type: "workflow_end", time: 16, workflowId: "w1", ok: true, durationMs: 20 },
    warning: { type: "warning", time: 17, message: "careful" },
  };

  it.each(Object.entries(samples))("parses a %s event back to the same value after a JSON round trip", (_type, event) => {
    expect(RunEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it("rejects an event of an unknown type", () => {
    expect(RunEventSchema.safeParse({ type: "agent_teleport", time: 1 }).success).toBe(false);
  });

  it("rejects an event with a missing field", () => {
    expect(RunEventSchema.safeParse({ type: "tool_start", time: 1, agentId: "a", callId: "c", tool: "t" }).success).toBe(false);
  });

  it("rejects negative token counts in usage", () => {
    expect(RunEventSchema.safeParse({ ...samples.usage, usage: { inputTokens: -1, outputTokens: 0 } }).success).toBe(false);
  });
});
