import { describe, expect, it } from "vitest";
import type { RunEventInput } from "../../src/events.js";
import { createScheduler, type SchedulerOptions } from "../../src/workflow/scheduler.js";
import type { AgentRequest, SubAgentOutcome, RunAgent, RunAgentContext } from "../../src/workflow/types.js";

const EMPTY = { inputTokens: 0, outputTokens: 0 };
const request = (prompt: string): AgentRequest => ({ agent: "general-purpose", prompt, description: prompt });
const success = (value: unknown): SubAgentOutcome => ({ ok: true, value, usage: { inputTokens: 1, outputTokens: 1 } });

/** Lets every queued promise job run (setImmediate fires only after they have); no clock involved. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

interface PendingCall {
  readonly request: AgentRequest;
  readonly context: RunAgentContext;
  finish(result: SubAgentOutcome): void;
}

/** A runAgent whose calls stay running until the test finishes them by hand; tracks the peak. */
function handRunAgent() {
  const calls: PendingCall[] = [];
  let running = 0;
  let peak = 0;
  const runAgent: RunAgent = (req, context) =>
    new Promise<SubAgentOutcome>((resolve) => {
      running += 1;
      peak = Math.max(peak, running);
      calls.push({
        request: req,
        context,
        finish(result) {
          running -= 1;
          resolve(result);
        },
      });
    });
  return { runAgent, calls, peak: () => peak };
}

function scheduler(overrides: Partial<SchedulerOptions> & Pick<SchedulerOptions, "runAgent">) {
  return createScheduler({
    workflowId: "w1",
    concurrency: 8,
    maxAgents: 100,
    signal: new AbortController().signal,
    emit: () => undefined,
    ...overrides,
  });
}

describe("createScheduler: concurrency", () => {
  it("runs at most `concurrency` sub-agents at once and starts a queued one when a slot frees", async () => {
    const hand = handRunAgent();
    const s = scheduler({ runAgent: hand.runAgent, concurrency: 2 });
    const results = ["a", "b", "c", "d", "e"].map((p) => s.dispatch(request(p)));
    await settle();
    expect(hand.calls.map((c) => c.request.prompt)).toEqual(["a", "b"]);
    expect(s.stats()).toEqual({ started: 5, failed: 0, running: 2, queued: 3 });

    hand.calls[0]?.finish(success("A"));
    await settle();
    expect(hand.calls.map((c) => c.request.prompt)).toEqual(["a", "b", "c"]);
    expect(s.stats()).toMatchObject({ running: 2, queued: 2 });

    // Finish the rest one at a time, letting the scheduler start the next after each.
    for (let i = 1; i < 5; i += 1) {
      hand.calls[i]?.finish(success(hand.calls[i]?.request.prompt.toUpperCase()));
      await settle();
    }
    expect(await Promise.all(results)).toEqual(["A", "B", "C", "D", "E"].map(success));
    expect(hand.peak()).toBe(2);
    expect(s.stats()).toEqual({ started: 5, failed: 0, running: 0, queued: 0 });
  });

  it('gives each sub-agent the id "<workflow>.<n>" in dispatch order, with the workflow id and signal', async () => {
    const hand = handRunAgent();
    const controller = new AbortController();
    const s = scheduler({ runAgent: hand.runAgent, workflowId: "w7", signal: controller.signal });
    void s.dispatch(request("a"));
    void s.dispatch(request("b"));
    await settle();
    expect(hand.calls.map(({ context: { agentId, workflowId, signal } }) => ({ agentId, workflowId, signal }))).toEqual([
      { agentId: "w7.1", workflowId: "w7", signal: controller.signal },
      { agentId: "w7.2", workflowId: "w7", signal: controller.signal },
    ]);
  });
});

describe("createScheduler: limits and failures", () => {
  it("refuses sub-agents past --max-agents with a message naming the flag and the number, without calling runAgent", async () => {
    const hand = handRunAgent();
    const s = scheduler({ runAgent: hand.runAgent, maxAgents: 2 });
    void s.dispatch(request("a"));
    void s.dispatch(request("b"));
    const refused = await s.dispatch(request("c"));
    expect(refused).toEqual({
      ok: false,
      error: "not started: this workflow reached its limit of 2 sub-agents (--max-agents 2); raise it or give fewer items",
      usage: EMPTY,
      halt: true,
    });
    await settle();
    expect(hand.calls.map((c) => c.request.prompt)).toEqual(["a", "b"]);
    expect(s.stats()).toEqual({ started: 2, failed: 1, running: 2, queued: 0 });
  });

  it("turns a runAgent that throws into a failure result with the error's message", async () => {
    const s = scheduler({
      runAgent: async () => {
        throw new Error("model factory exploded");
      },
    });
    expect(await s.dispatch(request("a"))).toEqual({ ok: false, error: "model factory exploded", usage: EMPTY });
  });

  it("turns a thrown non-Error value into a failure result with its text", async () => {
    const s = scheduler({ runAgent: () => Promise.reject("plain string") });
    expect(await s.dispatch(request("a"))).toEqual({ ok: false, error: "plain string", usage: EMPTY });
  });

  it("frees the slot of a sub-agent that threw, so the queued one starts", async () => {
    let calls = 0;
    const s = scheduler({
      concurrency: 1,
      runAgent: async (req) => {
        calls += 1;
        if (req.prompt === "a") throw new Error("boom");
        return success("ok");
      },
    });
    const results = await Promise.all([s.dispatch(request("a")), s.dispatch(request("b"))]);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(calls).toBe(2);
  });

  it("counts started, failed (failure results, throws and refusals), running and queued", async () => {
    const s = scheduler({
      maxAgents: 3,
      runAgent: async (req) => {
        if (req.prompt === "throws") throw new Error("boom");
        if (req.prompt === "fails") return { ok: false, error: "no answer", usage: EMPTY };
        return success("ok");
      },
    });
    await Promise.all(["ok", "fails", "throws", "refused"].map((p) => s.dispatch(request(p))));
    expect(s.stats()).toEqual({ started: 3, failed: 3, running: 0, queued: 0 });
  });

  it('returns "cancelled" without calling runAgent when the signal has already fired', async () => {
    const hand = handRunAgent();
    const controller = new AbortController();
    controller.abort();
    const s = scheduler({ runAgent: hand.runAgent, signal: controller.signal });
    expect(await s.dispatch(request("a"))).toEqual({ ok: false, error: "cancelled", usage: EMPTY });
    expect(hand.calls).toHaveLength(0);
    expect(s.stats()).toEqual({ started: 1, failed: 1, running: 0, queued: 0 });
  });

  it('returns "cancelled" for a queued sub-agent whose turn comes after the signal fired', async () => {
    const hand = handRunAgent();
    const controller = new AbortController();
    const s = scheduler({ runAgent: hand.runAgent, concurrency: 1, signal: controller.signal });
    const first = s.dispatch(request("a"));
    const queued = s.dispatch(request("b"));
    await settle();
    controller.abort();
    hand.calls[0]?.finish({ ok: false, error: "cancelled", usage: EMPTY });
    expect(await first).toMatchObject({ ok: false, error: "cancelled" });
    expect(await queued).toEqual({ ok: false, error: "cancelled", usage: EMPTY });
    expect(hand.calls).toHaveLength(1);
  });
});

/** A scheduler whose lifecycle events are recorded as "type agentId" lines, with a clock at 0. */
function recorded(overrides: Partial<SchedulerOptions> & Pick<SchedulerOptions, "runAgent">) {
  const events: RunEventInput[] = [];
  const s = scheduler({ emit: (event) => events.push(event), now: () => 0, ...overrides });
  const lines = () => events.map((e) => `${e.type} ${"agentId" in e ? e.agentId : ""}${e.type === "agent_end" ? ` ${e.ok ? "ok" : e.error}` : ""}`);
  return { s, events, lines };
}

/** A runAgent that announces its start (as the real runner does) and stays running until finished. */
function startingRunAgent() {
  const hand = handRunAgent();
  const runAgent: RunAgent = (req, context) => {
    context.started({ agentType: req.agent, model: "fake/model" });
    return hand.runAgent(req, context);
  };
  return { ...hand, runAgent };
}

describe("createScheduler: every start has an end", () => {
  it("writes queued, start and end for a sub-agent that waited for a slot and then ran", async () => {
    const hand = startingRunAgent();
    const { s, lines, events } = recorded({ runAgent: hand.runAgent, concurrency: 1 });
    const a = s.dispatch(request("a"));
    const b = s.dispatch(request("b"));
    await settle();
    hand.calls[0]?.finish({ ...success("A"), turns: 2 });
    await a;
    await settle();
    hand.calls[1]?.finish(success("B"));
    await b;
    expect(lines()).toEqual(["agent_queued w1.2", "agent_start w1.1", "agent_end w1.1 ok", "agent_start w1.2", "agent_end w1.2 ok"]);
    expect(events[1]).toMatchObject({ type: "agent_start", role: "sub", agentType: "general-purpose", model: "fake/model", description: "a", workflowId: "w1" });
    expect(events[2]).toMatchObject({ type: "agent_end", turns: 2, usage: { inputTokens: 1, outputTokens: 1 } });
  });

  it("ends a queued sub-agent that --budget refuses when its slot comes", async () => {
    const hand = startingRunAgent();
    let spent = false;
    const { s, lines } = recorded({ runAgent: hand.runAgent, concurrency: 1, canStart: () => (spent ? "budget spent" : undefined) });
    const a = s.dispatch(request("a"));
    const b = s.dispatch(request("b"));
    await settle();
    spent = true;
    hand.calls[0]?.finish(success("A"));
    await a;
    expect(await b).toEqual({ ok: false, error: "budget spent", usage: EMPTY, halt: true });
    expect(lines()).toEqual(["agent_queued w1.2", "agent_start w1.1", "agent_end w1.1 ok", "agent_end w1.2 budget spent"]);
  });

  it("ends a queued sub-agent whose runAgent fails before it starts (an unknown agent type)", async () => {
    const hand = startingRunAgent();
    const { s, lines } = recorded({
      concurrency: 1,
      runAgent: (req, context) => (req.prompt === "b" ? Promise.resolve({ ok: false, error: "unknown agent type", usage: EMPTY }) : hand.runAgent(req, context)),
    });
    const a = s.dispatch(request("a"));
    const b = s.dispatch(request("b"));
    await settle();
    hand.calls[0]?.finish(success("A"));
    await Promise.all([a, b]);
    expect(lines()).toEqual(["agent_queued w1.2", "agent_start w1.1", "agent_end w1.1 ok", "agent_end w1.2 unknown agent type"]);
  });

  it("ends every running and queued sub-agent at once when cancelled, and never twice", async () => {
    const hand = startingRunAgent();
    const controller = new AbortController();
    const { s, lines } = recorded({ runAgent: hand.runAgent, concurrency: 1, signal: controller.signal });
    const all = [s.dispatch(request("a")), s.dispatch(request("b")), s.dispatch(request("c"))];
    await settle();
    controller.abort();
    expect(lines()).toEqual(["agent_queued w1.2", "agent_queued w1.3", "agent_start w1.1", "agent_end w1.1 cancelled", "agent_end w1.2 cancelled", "agent_end w1.3 cancelled"]);
    // The running agent's own (late) result changes nothing in the events.
    hand.calls[0]?.finish(success("late"));
    await Promise.all(all);
    expect(lines()).toHaveLength(6);
    expect(hand.calls).toHaveLength(1);
  });

  it("writes nothing for a sub-agent refused by --max-agents, which never got a place", async () => {
    const hand = startingRunAgent();
    const { s, lines } = recorded({ runAgent: hand.runAgent, maxAgents: 1 });
    const a = s.dispatch(request("a"));
    expect(await s.dispatch(request("b"))).toMatchObject({ ok: false, halt: true });
    hand.calls[0]?.finish(success("A"));
    await a;
    expect(lines()).toEqual(["agent_start w1.1", "agent_end w1.1 ok"]);
  });
});

describe("createScheduler: the queue", () => {
  it("reports each sub-agent that has to wait for a slot, and only those", async () => {
    const queued: string[] = [];
    const gates: Array<() => void> = [];
    const s = createScheduler({
      runAgent: () => new Promise((resolve) => gates.push(() => resolve({ ok: true, value: "x", usage: { inputTokens: 0, outputTokens: 0 } }))),
      workflowId: "w1",
      concurrency: 1,
      maxAgents: 10,
      signal: new AbortController().signal,
      emit: (event) => {
        if (event.type === "agent_queued") queued.push(event.agentId);
      },
    });
    const first = s.dispatch({ agent: "a", prompt: "1", description: "1" });
    const second = s.dispatch({ agent: "a", prompt: "2", description: "2" });
    await new Promise((r) => setImmediate(r));
    expect(queued).toEqual(["w1.2"]);
    gates.shift()?.();
    await first;
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
    await second;
    expect(queued).toEqual(["w1.2"]);
  });
});

describe("createScheduler: the start event", () => {
  it("carries the sub-agent's phase when it has one, and no phase key when it has none", async () => {
    const events: RunEventInput[] = [];
    const runAgent: RunAgent = (_req, context) => {
      context.started({ agentType: "explorer", model: "demo" });
      return Promise.resolve(success("done"));
    };
    const s = scheduler({ runAgent, emit: (event) => events.push(event), now: () => 0 });
    await s.dispatch({ ...request("look"), phase: "survey" });
    await s.dispatch(request("plain"));
    const starts = events.filter((event) => event.type === "agent_start");
    expect(starts).toStrictEqual([
      { type: "agent_start", agentId: "w1.1", role: "sub", description: "look", agentType: "explorer", model: "demo", phase: "survey", workflowId: "w1" },
      { type: "agent_start", agentId: "w1.2", role: "sub", description: "plain", agentType: "explorer", model: "demo", workflowId: "w1" },
    ]);
  });
});
