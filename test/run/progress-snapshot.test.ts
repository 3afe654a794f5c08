import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventInput } from "../../src/events.js";
import { createProgressTracker, ProgressSnapshotSchema, type ProgressSnapshot } from "../../src/run/progress-snapshot.js";

function feed(inputs: RunEventInput[]): ProgressSnapshot[] {
  const tracker = createProgressTracker();
  const out: ProgressSnapshot[] = [];
  inputs.forEach((input, i) => {
    const snapshot = tracker.update({ ...input, time: i } as RunEvent);
    if (snapshot !== undefined) out.push(ProgressSnapshotSchema.parse(snapshot));
  });
  return out;
}

describe("progress snapshots", () => {
  it("carry the whole picture after each change: counts, the workflow, who runs, usage, a pause", () => {
    const snapshots = feed([
      { type: "run_start", runId: "r1", task: "t", model: "m", cwd: "/w" },
      { type: "workflow_start", workflowId: "w1", name: "audit" },
      { type: "agent_start", agentId: "w1.1", role: "sub", agentType: "explorer", description: "area a", model: "m", workflowId: "w1" },
      { type: "agent_queued", agentId: "w1.2", workflowId: "w1", description: "area b" },
      { type: "agent_text", agentId: "w1.1", delta: "reading" },
      { type: "usage", agentId: "w1.1", usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.01 } },
      { type: "agent_end", agentId: "w1.1", ok: true, usage: { inputTokens: 100, outputTokens: 20 }, turns: 1, durationMs: 5 },
      { type: "run_paused", cause: "budget", reason: "budget spent", spentUsd: 0.01, spentTokens: 120 },
      { type: "agent_end", agentId: "w1.2", ok: false, error: "not started", usage: { inputTokens: 0, outputTokens: 0 }, turns: 0, durationMs: 0 },
    ]);
    // Text deltas and usage alone make no snapshot.
    expect(snapshots).toHaveLength(7);
    expect(snapshots[3]).toEqual({
      type: "progress",
      time: 3,
      runId: "r1",
      status: "running",
      agents: { done: 0, failed: 0, running: 1, queued: 1 },
      workflow: { id: "w1", name: "audit", done: 0, failed: 0, running: 1, queued: 1 },
      running: [{ agentId: "w1.1", description: "area a", agentType: "explorer", startedAt: 2 }],
      usage: { inputTokens: 0, outputTokens: 0 },
    });
    expect(snapshots[6]).toEqual({
      type: "progress",
      time: 8,
      runId: "r1",
      status: "paused",
      paused: { cause: "budget", reason: "budget spent" },
      agents: { done: 1, failed: 1, running: 0, queued: 0 },
      workflow: { id: "w1", name: "audit", done: 1, failed: 1, running: 0, queued: 0 },
      running: [],
      usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.01 },
    });
  });
});
