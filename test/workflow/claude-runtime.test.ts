// The Claude Code–format globals in the isolate, each primitive's error semantics as Claude Code's
// Workflow tool description states them: agent() is null on a failed sub-agent, parallel() never
// rejects (a throwing thunk is null), pipeline() drops a failing item to null without a barrier,
// more than 4,096 items per call is an explicit error, and the clock and randomness throw.
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/events.js";
import { runWorkflow, type RunWorkflowOptions } from "../../src/workflow/sandbox.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import { type AgentRequest, type RunAgent, type WorkflowLimits } from "../../src/workflow/types.js";

const usage = { inputTokens: 3, outputTokens: 7 };

function harness(runAgent: RunAgent, limits: Partial<WorkflowLimits> = {}) {
  const events: RunEvent[] = [];
  const requests: AgentRequest[] = [];
  const recording: RunAgent = (request, context) => {
    requests.push(request);
    return runAgent(request, context);
  };
  const run = (code: string, extra: Partial<RunWorkflowOptions> = {}) =>
    runWorkflow({
      code,
      workflowId: "w1",
      defaultAgent: "general-purpose",
      runAgent: recording,
      limits: { ...DEFAULT_LIMITS, ...limits },
      emit: (e) => events.push({ ...e, time: 0 } as RunEvent),
      signal: new AbortController().signal,
      dialect: "claude",
      ...extra,
    });
  return { run, events, requests };
}

// Starts the agent (as the real runner does once the model is known), then answers.
const answering =
  (answer: (request: AgentRequest) => { ok: true; value: unknown } | { ok: false; error: string }): RunAgent =>
  async (request, context) => {
    context.started({ agentType: request.agent, model: "fake" });
    return { ...answer(request), usage };
  };

const echo = answering((r) => ({ ok: true, value: `done: ${r.prompt}` }));
const failOn = (word: string) => answering((r) => (r.prompt.includes(word) ? { ok: false, error: `${word} broke` } : { ok: true, value: `done: ${r.prompt}` }));

const META = "export const meta = { name: 't', description: 'test', phases: [{ title: 'Scan' }, { title: 'Fix' }] }\n";
const json = (outcome: Awaited<ReturnType<RunWorkflowOptions["runAgent"]>> | { ok: boolean; result?: string }) =>
  "result" in outcome && outcome.ok ? JSON.parse(outcome.result as string) : outcome;

describe("Claude Code–format scripts in the isolate", () => {
  it("runs a top-level body that awaits and returns, with args as a global", async () => {
    const { run } = harness(echo);
    const outcome = await run(`${META}const a = await agent("hello " + args.who)\nreturn { a, n: args.n }`, { input: { who: "you", n: 2 } });
    expect(json(outcome)).toEqual({ a: "done: hello you", n: 2 });
  });

  it("resolves agent() to null when the sub-agent fails, and logs why", async () => {
    const { run, events } = harness(failOn("bad"));
    const outcome = await run(`${META}return [await agent("good"), await agent("bad", { label: "the bad one" })]`);
    expect(json(outcome)).toEqual(["done: good", null]);
    const logs = events.filter((e) => e.type === "workflow_log").map((e) => (e as { message: string }).message);
    expect(logs).toEqual(["agent 'the bad one' failed, its result is null: bad broke"]);
  });

  it("makes agent() throw once the run may start no more sub-agents (--max-agents)", async () => {
    const { run } = harness(echo, { maxAgents: 1 });
    const outcome = await run(`${META}await agent("one")\ntry { await agent("two"); return "no throw" } catch (e) { return e.message }`);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.ok && outcome.result).toMatch(/^not started: this workflow reached its limit of 1 sub-agents \(--max-agents 1\)/);
  });

  it("parallel() waits for every thunk and turns a throwing thunk into null without rejecting", async () => {
    const { run } = harness(failOn("bad"));
    const outcome = await run(`${META}return await parallel([
      () => agent("a"),
      () => { throw new Error("thunk threw") },
      () => agent("bad"),
      "not a function",
      async () => 42,
    ])`);
    expect(json(outcome)).toEqual(["done: a", null, null, null, 42]);
  });

  it("pipeline() passes (prev, item, index) to each stage and drops a failing item to null, skipping its later stages", async () => {
    const { run, requests } = harness(echo);
    const outcome = await run(`${META}return await pipeline(["x", "y", "z"],
      (prev, item, i) => agent("first " + item + " " + i),
      (prev, item) => { if (item === "y") throw new Error("no y"); return prev },
      (prev, item, i) => agent("second " + prev + " / " + item + " " + i),
    )`);
    expect(json(outcome)).toEqual(["done: second done: first x 0 / x 0", null, "done: second done: first z 2 / z 2"]);
    expect(requests.map((r) => r.prompt).filter((p) => p.startsWith("second"))).toHaveLength(2);
  });

  it.each([
    ["parallel", "parallel(Array.from({ length: 4097 }, () => () => agent('x')))"],
    ["pipeline", "pipeline(Array.from({ length: 4097 }, (_, i) => i), (v) => agent('x' + v))"],
  ])("%s() refuses more than 4,096 items with an explicit error, starting nothing", async (name, call) => {
    const { run, requests } = harness(echo);
    const outcome = await run(`${META}try { await ${call}; return "ran" } catch (e) { return e.message }`);
    expect(outcome.ok && outcome.result).toBe(`${name}: 4097 items, over the limit of 4096 per call (nothing was started); split the work into batches`);
    expect(requests).toHaveLength(0);
  });

  it("accepts exactly 4,096 items in one call", async () => {
    const { run } = harness(echo, { maxAgents: 1 });
    const outcome = await run(`${META}const out = await parallel(Array.from({ length: 4096 }, (_, i) => async () => i)); return out.length`);
    expect(outcome).toMatchObject({ ok: true, result: "4096" });
  });

  it("groups agents by phase(): each agent_start carries the current phase, or its own phase option", async () => {
    const { run, events } = harness(echo);
    await run(`${META}phase("Scan")\nawait agent("a", { label: "reader" })\nphase("Fix")\nawait agent("b")\nawait agent("c", { phase: "Scan" })\nphase("Elsewhere")\nawait agent("d")\nreturn 1`);
    expect(events.filter((e) => e.type === "workflow_phase").map((e) => (e as { title: string }).title)).toEqual(["Scan", "Fix", "Elsewhere"]);
    const starts = events.flatMap((e) => (e.type === "agent_start" ? [[e.description, e.phase]] : []));
    expect(starts).toEqual([
      ["reader", "Scan"],
      ["b", "Fix"],
      ["c", "Scan"],
      ["d", "Elsewhere"],
    ]);
  });

  it.each([
    ["Date.now()", "Date.now()", "Date.now() is unavailable in workflow scripts"],
    ["new Date()", "new Date()", "new Date() without a value (and Date()) is unavailable in workflow scripts"],
    ["Math.random()", "Math.random()", "Math.random() is unavailable in workflow scripts"],
    ["Intl's clock", "new Intl.DateTimeFormat('en').format()", "Intl.DateTimeFormat's format() without a date is unavailable in workflow scripts"],
  ])("%s throws, so a replayed run sees the same values", async (_name, expression, message) => {
    const { run } = harness(echo);
    const outcome = await run(`${META}try { ${expression}; return "no throw" } catch (e) { return e.message }`);
    expect(outcome.ok && outcome.result).toMatch(new RegExp(`^${message.replace(/[()]/g, "\\$&")}`));
  });

  it("still allows a Date built from a value, and formatting a given date", async () => {
    const { run } = harness(echo);
    const outcome = await run(`${META}return new Date(0).toISOString() + " " + new Intl.DateTimeFormat("en", { timeZone: "UTC" }).format(new Date(0))`);
    expect(outcome).toMatchObject({ ok: true, result: "1970-01-01T00:00:00.000Z 1/1/1970" });
  });

  it("reports budget.total from a token budget and budget.spent() from the sub-agents' output tokens", async () => {
    const { run } = harness(echo);
    const outcome = await run(`${META}await agent("a"); await agent("b"); return [budget.total, budget.spent(), budget.remaining()]`, { budgetTokens: 100 });
    expect(json(outcome)).toEqual([100, 14, 86]);
  });

  it("has budget.total null and remaining() Infinity without a token budget", async () => {
    const { run } = harness(echo);
    const outcome = await run(`${META}return [budget.total, budget.remaining() === Infinity]`);
    expect(json(outcome)).toEqual([null, true]);
  });

  it("rejects isolation: 'remote' and an unknown effort given at run time", async () => {
    const { run, requests } = harness(echo);
    const outcome = await run(`${META}const opts = [{ isolation: "re" + "mote" }, { effort: "tur" + "bo" }]
      const out = []
      for (const o of opts) { try { await agent("x", o) } catch (e) { out.push(e.message) } }
      return out`);
    expect(json(outcome)).toEqual([
      "agent: isolation 'remote' is not available in agentwf (sub-agents run on this machine); remove the option",
      "agent: effort 'turbo' is unknown; use one of low, medium, high, xhigh, max",
    ]);
    expect(requests).toHaveLength(0);
  });

  it("passes label, agentType, model and schema on to the sub-agent", async () => {
    const { run, requests } = harness(echo);
    await run(`${META}await agent("p", { label: "L", agentType: "reviewer", model: "openai/x", schema: { type: "object" } }); return 1`);
    expect(requests).toEqual([{ prompt: "p", agent: "reviewer", description: "L", model: "openai/x", schema: { type: "object" } }]);
  });

  it("keeps the globals read-only", async () => {
    const { run } = harness(echo);
    const outcome = await run(`${META}try { agent = () => 1; return "replaced" } catch (e) { return e.constructor.name }`);
    expect(outcome).toMatchObject({ ok: true, result: "TypeError" });
  });
});
