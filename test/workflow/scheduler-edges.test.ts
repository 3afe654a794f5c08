// The scheduler where mutation testing found it unguarded: the clock it is given, and its counts
// after a cancellation that woke queued sub-agents.
import { describe, expect, it } from "vitest";
import type { RunEventInput } from "../../src/events.js";
import { createScheduler } from "../../src/workflow/scheduler.js";
import type { RunAgent, SubAgentOutcome } from "../../src/workflow/types.js";

const EMPTY = { inputTokens: 0, outputTokens: 0 };
const request = (prompt: string) => ({ agent: "general-purpose", prompt, description: prompt });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A runAgent that announces its start and stays running until the test finishes it. */
function heldRunAgent() {
  const finishers: Array<(result: SubAgentOutcome) => void> = [];
  const runAgent: RunAgent = (req, context) =>
    new Promise<SubAgentOutcome>((resolve) => {
      context.started({ agentType: req.agent, model: "fake/model" });
      finishers.push(resolve);
    });
  return { runAgent, finishers };
}

describe("createScheduler edges", () => {
  it("measures each sub-agent with the clock it is given", async () => {
    const times = [1_000, 1_500];
    const events: RunEventInput[] = [];
    const held = heldRunAgent();
    const s = createScheduler({
      runAgent: held.runAgent,
      workflowId: "w",
      concurrency: 1,
      maxAgents: 10,
      signal: new AbortController().signal,
      emit: (e) => events.push(e),
      now: () => times.shift() ?? 9_999,
    });
    const done = s.dispatch(request("a"));
    await settle();
    held.finishers[0]?.({ ok: true, value: 1, usage: EMPTY });
    await done;
    expect(events.find((e) => e.type === "agent_end")).toMatchObject({ durationMs: 500 });
  });

  it("counts nothing running or queued once a cancellation has ended every queued sub-agent", async () => {
    const held = heldRunAgent();
    const controller = new AbortController();
    const s = createScheduler({ runAgent: held.runAgent, workflowId: "w", concurrency: 1, maxAgents: 10, signal: controller.signal, emit: () => undefined });
    const first = s.dispatch(request("a"));
    const queued = [s.dispatch(request("b")), s.dispatch(request("c"))];
    await settle();
    expect(s.stats()).toEqual({ started: 3, failed: 0, running: 1, queued: 2 });
    controller.abort();
    held.finishers[0]?.({ ok: false, error: "cancelled", usage: EMPTY });
    await Promise.all([first, ...queued]);
    expect(s.stats()).toEqual({ started: 3, failed: 3, running: 0, queued: 0 });
  });
});
