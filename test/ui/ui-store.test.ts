import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/events.js";
import { coalesceDeltas, createUiStore } from "../../src/ui/ui-store.js";

const text = (delta: string): RunEvent => ({ type: "agent_text", agentId: "parent", delta, time: 1 });

function manualTimer() {
  const pending: Array<() => void> = [];
  return {
    setTimer: (run: () => void) => {
      pending.push(run);
      return pending.length;
    },
    clearTimer: () => {
      pending.length = 0;
    },
    fire: () => pending.splice(0).forEach((run) => run()),
    count: () => pending.length,
  };
}

describe("createUiStore", () => {
  it("reduces streamed deltas in batches, notifying once per batch", () => {
    const timer = manualTimer();
    const store = createUiStore(timer);
    let notified = 0;
    store.subscribe(() => (notified += 1));
    store.push({ type: "agent_start", agentId: "parent", role: "parent", agentType: "parent", description: "", model: "m", time: 1 });
    for (let i = 0; i < 100; i += 1) store.push(text("x"));
    expect(timer.count()).toBe(1);
    expect(store.getSnapshot().view.parent.tail).toBe("");
    timer.fire();
    expect(notified).toBe(1);
    expect(store.getSnapshot().view.parent.tail).toBe("x".repeat(100));
  });

  it("asks for each batch's delay from the view as it stands when the batch starts", () => {
    const delays: number[] = [];
    const pending: Array<() => void> = [];
    const store = createUiStore({
      batchMs: (view) => 100 + view.running.length,
      setTimer: (run, ms) => {
        delays.push(ms);
        pending.push(run);
        return pending.length;
      },
      clearTimer: () => undefined,
    });
    const start = (agentId: string): RunEvent => ({ type: "agent_start", agentId, role: "sub", agentType: "general-purpose", description: agentId, model: "m", workflowId: "w1", time: 1 });
    store.push(start("a"));
    store.push(start("b"));
    pending.splice(0).forEach((run) => run());
    store.push({ type: "agent_text", agentId: "a", delta: "x", time: 2 });
    pending.splice(0).forEach((run) => run());
    expect(delays).toEqual([100, 102]);
    expect(store.getSnapshot().view.running).toEqual(["a", "b"]);
  });

  it("holds events while an editor owns the terminal and applies them when it closes", () => {
    const timer = manualTimer();
    const store = createUiStore(timer);
    store.setSuspended(true);
    store.push({ type: "warning", message: "late", time: 1 });
    expect(timer.count()).toBe(0);
    expect(store.getSnapshot().view.feed).toEqual([]);
    store.setSuspended(false);
    expect(store.getSnapshot().view.feed).toHaveLength(1);
  });

  it("applies queued events before it shows an approval, so the screen is current", () => {
    const store = createUiStore(manualTimer());
    store.push({ type: "workflow_proposed", workflowId: "w1", name: "audit", code: "x", time: 1 });
    store.setApproval(undefined);
    expect(store.getSnapshot().view.workflowNames).toEqual({ w1: "audit" });
  });
});

describe("coalesceDeltas", () => {
  const delta = (agentId: string, d: string, type: "agent_text" | "agent_thinking" = "agent_text"): RunEvent => ({ type, agentId, delta: d, time: 1 });

  it("joins each agent's deltas across interleaved streams", () => {
    expect(coalesceDeltas([delta("a", "1"), delta("b", "x"), delta("a", "2"), delta("b", "y")])).toEqual([delta("a", "12"), delta("b", "xy")]);
  });

  it("keeps an agent's order around its other events and across text and reasoning", () => {
    const tool: RunEvent = { type: "tool_start", agentId: "a", callId: "c", tool: "grep", summary: "grep x", time: 1 };
    expect(coalesceDeltas([delta("a", "1"), tool, delta("a", "2"), delta("a", "t", "agent_thinking"), delta("a", "3")])).toEqual([
      delta("a", "1"),
      tool,
      delta("a", "2"),
      delta("a", "t", "agent_thinking"),
      delta("a", "3"),
    ]);
  });

  it("does not move text across events that belong to no agent", () => {
    const log: RunEvent = { type: "workflow_log", workflowId: "w1", message: "m", time: 1 };
    expect(coalesceDeltas([delta("a", "1"), log, delta("a", "2")])).toEqual([delta("a", "1"), log, delta("a", "2")]);
  });
});
