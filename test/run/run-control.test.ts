// The run's control as the scheduler and the live view reach it: a spent budget pauses new
// sub-agents while running ones finish, then ends the run as paused (no terminal) or continues
// with a raised budget (a person said so); p pauses, x stops one agent, r runs it again.
import { describe, expect, it } from "vitest";
import { emptyUsage, type RunEventInput, type Usage } from "../../src/events.js";
import { createRunControl, STOPPED_BY_PERSON, type PauseDecision, type PauseInfo } from "../../src/run/run-control.js";
import type { AgentRequest, RunAgentContext, SubAgentOutcome } from "../../src/workflow/types.js";

const request = (prompt: string): AgentRequest => ({ agent: "general-purpose", prompt, description: prompt });

function harness(options: { budget?: { kind: "usd"; amount: number }; prompt?: (p: PauseInfo) => Promise<PauseDecision> } = {}) {
  const events: RunEventInput[] = [];
  const ended: string[] = [];
  const stop = new AbortController();
  const control = createRunControl({
    emit: (e) => events.push(e),
    budget: options.budget,
    signal: stop.signal,
    ...(options.prompt ? { prompt: (p: PauseInfo) => options.prompt!(p) } : {}),
    endPaused: (reason) => {
      ended.push(reason);
      stop.abort();
    },
  });
  // Each call waits until the test finishes it by id, and the spending is recorded as usage events are.
  const pending = new Map<string, { finish: (result: SubAgentOutcome) => void; signal: AbortSignal }>();
  const started: string[] = [];
  const runAgent = control.wrap(
    (req, ctx) =>
      new Promise<SubAgentOutcome>((resolve) => {
        started.push(req.prompt);
        pending.set(req.prompt, { finish: resolve, signal: ctx.signal });
        ctx.signal.addEventListener("abort", () => resolve({ ok: false, error: "cancelled", usage: emptyUsage() }), { once: true });
      }),
  );
  const context = (id: string): RunAgentContext => ({ agentId: id, workflowId: "w1", signal: stop.signal, started: () => undefined });
  const finish = (prompt: string, usage: Usage) => {
    control.record(usage);
    pending.get(prompt)?.finish({ ok: true, value: `done ${prompt}`, usage });
  };
  return { control, events, ended, runAgent, context, finish, started, pending, stop };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const cost = (usd: number): Usage => ({ inputTokens: 100, outputTokens: 10, costUsd: usd });

describe("budget pause", () => {
  it("without a terminal: lets running sub-agents finish, starts no new one, then ends the run as paused with what it spent", async () => {
    const h = harness({ budget: { kind: "usd", amount: 1 } });
    const a = h.runAgent(request("a"), h.context("w1.1"));
    const b = h.runAgent(request("b"), h.context("w1.2"));
    await flush();
    h.finish("a", cost(1.2));
    expect(await a).toEqual({ ok: true, value: "done a", usage: cost(1.2) });
    const c = h.runAgent(request("c"), h.context("w1.3"));
    await flush();
    // c waits at the gate; b is still running, so the run has not ended yet.
    expect(h.started).toEqual(["a", "b"]);
    expect(h.ended).toEqual([]);
    expect(h.events).toEqual([{ type: "run_paused", cause: "budget", reason: "the run's budget of $1.00 (--budget) is spent ($1.20 used)", spentUsd: 1.2, spentTokens: 110 }]);
    h.finish("b", cost(0.1));
    expect((await b).ok).toBe(true);
    expect(await c).toEqual({ ok: false, error: "not started: the run paused: the run's budget of $1.00 (--budget) is spent ($1.20 used)", usage: emptyUsage(), halt: true });
    await flush();
    expect(h.ended).toEqual(["the run's budget of $1.00 (--budget) is spent ($1.20 used)"]);
    expect(h.control.spent()).toEqual({ usd: 1.3, tokens: 220 });
  });

  it("on a terminal: asks, and a raised budget lets the waiting sub-agent start", async () => {
    const asked: PauseInfo[] = [];
    const h = harness({
      budget: { kind: "usd", amount: 1 },
      prompt: async (p) => {
        asked.push(p);
        return { type: "continue", budget: { kind: "usd", amount: 3 } };
      },
    });
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    h.finish("a", cost(1.5));
    await a;
    const b = h.runAgent(request("b"), h.context("w1.2"));
    await flush();
    await flush();
    expect(asked).toEqual([{ cause: "budget", reason: "the run's budget of $1.00 (--budget) is spent ($1.50 used)", budget: { kind: "usd", amount: 1 }, spentUsd: 1.5, spentTokens: 110 }]);
    expect(h.started).toEqual(["a", "b"]);
    expect(h.events.map((e) => e.type)).toEqual(["run_paused", "run_resumed"]);
    h.finish("b", cost(0.2));
    expect((await b).ok).toBe(true);
    expect(h.ended).toEqual([]);
  });

  it("on a terminal: stop ends the run as paused once nothing runs", async () => {
    const h = harness({ budget: { kind: "usd", amount: 1 }, prompt: async () => ({ type: "stop" }) });
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    h.finish("a", cost(2));
    await a;
    void h.runAgent(request("b"), h.context("w1.2"));
    await flush();
    await flush();
    await flush();
    expect(h.started).toEqual(["a"]);
    expect(h.ended).toEqual(["the run's budget of $1.00 (--budget) is spent ($2.00 used)"]);
  });
});

describe("usage limit", () => {
  it("pauses on a sub-agent whose server limit outlasted the retries, and without a terminal ends the run as paused", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    h.pending.get("a")?.finish({ ok: false, error: "429: usage limit reached, retry after 3600s", usage: emptyUsage(), usageLimit: true });
    const result = await a;
    await flush();
    expect(h.events[0]).toEqual({ type: "run_paused", cause: "usage_limit", reason: "the model server's usage limit was reached: 429: usage limit reached, retry after 3600s", spentTokens: 0 });
    expect(h.ended).toEqual(["the model server's usage limit was reached: 429: usage limit reached, retry after 3600s"]);
    expect(result.ok).toBe(false);
  });
});

describe("the live view's controls", () => {
  it("p holds new sub-agents until pressed again; running ones carry on", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    expect(h.control.togglePause()).toBe(true);
    const b = h.runAgent(request("b"), h.context("w1.2"));
    await flush();
    expect(h.started).toEqual(["a"]);
    h.finish("a", cost(0));
    expect((await a).ok).toBe(true);
    expect(h.control.togglePause()).toBe(false);
    await flush();
    expect(h.started).toEqual(["a", "b"]);
    h.finish("b", cost(0));
    expect((await b).ok).toBe(true);
    expect(h.events.map((e) => (e.type === "run_paused" || e.type === "run_resumed" ? `${e.type} ${e.cause}` : e.type))).toEqual(["run_paused person", "run_resumed person"]);
    expect(h.ended).toEqual([]);
  });

  it("x stops one sub-agent: the workflow sees an error naming the person, the others carry on", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    const b = h.runAgent(request("b"), h.context("w1.2"));
    await flush();
    expect(h.control.stopAgent("w1.1")).toBe(true);
    expect(await a).toEqual({ ok: false, error: STOPPED_BY_PERSON, usage: emptyUsage(), turns: undefined });
    expect(h.control.stopAgent("w1.1")).toBe(false);
    h.finish("b", cost(0));
    expect((await b).ok).toBe(true);
  });

  it("r runs a sub-agent's request again from the start, and its result is the new run's", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    expect(h.control.restartAgent("w1.1")).toBe(true);
    await flush();
    expect(h.started).toEqual(["a", "a"]);
    h.finish("a", cost(0.01));
    expect(await a).toEqual({ ok: true, value: "done a", usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.01 } });
  });

  it("stopping the run ends it as paused once the running sub-agents finish", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    h.control.stopRun();
    expect(h.ended).toEqual([]);
    h.finish("a", cost(0));
    await a;
    await flush();
    expect(h.ended).toEqual(["stopped by the person; finished sub-agents are kept"]);
  });
});

describe("failures while the person has paused the run", () => {
  it("wait for the person: r runs the request again, and its new result is what the workflow gets", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    h.control.togglePause();
    h.pending.get("a")?.finish({ ok: false, error: "the model gave up", usage: emptyUsage() });
    await flush();
    expect(h.events.at(-1)).toEqual({ type: "warning", message: "w1.1 failed while the run is paused and waits: r runs it again, p passes the failure on (the model gave up)" });
    expect(h.control.restartAgent("w1.1")).toBe(true);
    await flush();
    expect(h.started).toEqual(["a", "a"]);
    h.finish("a", cost(0));
    expect(await a).toMatchObject({ ok: true, value: "done a" });
  });

  it("x passes a waiting failure on at once, the pause staying on", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    h.control.togglePause();
    h.pending.get("a")?.finish({ ok: false, error: "the model gave up", usage: emptyUsage() });
    await flush();
    expect(h.control.stopAgent("w1.1")).toBe(true);
    expect(await a).toEqual({ ok: false, error: "the model gave up", usage: emptyUsage() });
    expect(h.events.map((e) => e.type)).toEqual(["run_paused", "warning"]);
  });

  it("are passed on as they are when the pause is lifted", async () => {
    const h = harness();
    const a = h.runAgent(request("a"), h.context("w1.1"));
    await flush();
    h.control.togglePause();
    h.pending.get("a")?.finish({ ok: false, error: "the model gave up", usage: emptyUsage() });
    await flush();
    h.control.togglePause();
    expect(await a).toEqual({ ok: false, error: "the model gave up", usage: emptyUsage() });
    expect(h.started).toEqual(["a"]);
  });
});
