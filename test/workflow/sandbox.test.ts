import { describe, expect, it } from "vitest";
import { runWorkflow, type RunWorkflowOptions } from "../../src/workflow/sandbox.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import type { AgentRequest, RunAgent, WorkflowLimits } from "../../src/workflow/types.js";
import type { RunEvent } from "../../src/events.js";

function harness(runAgent: RunAgent, limits: Partial<WorkflowLimits> = {}) {
  const events: RunEvent[] = [];
  const run = (code: string, extra: Partial<RunWorkflowOptions> = {}) =>
    runWorkflow({
      code,
      workflowId: "w1",
      defaultAgent: "general-purpose",
      runAgent,
      limits: { ...DEFAULT_LIMITS, ...limits },
      emit: (e) => events.push({ ...e, time: 0 } as RunEvent),
      signal: new AbortController().signal,
      ...extra,
    });
  return { run, events };
}

const echo: RunAgent = async (request) => ({ ok: true, value: `done: ${request.prompt}`, usage: { inputTokens: 1, outputTokens: 1 } });

describe("runWorkflow", () => {
  it("returns a string result as is", async () => {
    const { run } = harness(echo);
    const outcome = await run(`async function main(wf) { return await wf.runAgent("hello"); }`);
    expect(outcome).toMatchObject({ ok: true, result: "done: hello", agents: 1 });
  });

  it("returns a non-string result as JSON", async () => {
    const { run } = harness(echo);
    const outcome = await run(`async function main(wf) { return { n: 1, list: [1, 2] }; }`);
    expect(outcome.ok && JSON.parse(outcome.result)).toEqual({ n: 1, list: [1, 2] });
  });

  it("fills {item} and {index} in a mapAgents template and keeps item order", async () => {
    const seen: AgentRequest[] = [];
    const slowFirst: RunAgent = async (request) => {
      seen.push(request);
      if (request.prompt.endsWith("a")) await new Promise((r) => setImmediate(r));
      return { ok: true, value: request.prompt.toUpperCase(), usage: { inputTokens: 0, outputTokens: 0 } };
    };
    const { run } = harness(slowFirst);
    const outcome = await run(`async function main(wf) { return wf.mapAgents(["a", "b", {k: 1}], "item {index}: {item}"); }`);
    expect(outcome.ok && JSON.parse(outcome.result)).toEqual(["ITEM 0: A", "ITEM 1: B", 'ITEM 2: {"K":1}']);
    expect(seen.map((r) => r.agent)).toEqual(["general-purpose", "general-purpose", "general-purpose"]);
  });

  it("rejects mapAgents with an error naming every failed index, catchable in main", async () => {
    const failOdd: RunAgent = async (request) =>
      /[13]$/.test(request.prompt)
        ? { ok: false, error: `boom ${request.prompt}`, usage: { inputTokens: 0, outputTokens: 0 } }
        : { ok: true, value: "ok", usage: { inputTokens: 0, outputTokens: 0 } };
    const { run } = harness(failOdd);
    const outcome = await run(`async function main(wf) {
      try { await wf.mapAgents([0, 1, 2, 3], (item) => "p" + item); return "no error"; }
      catch (e) { return e.message; }
    }`);
    expect(outcome).toMatchObject({ ok: true, result: "wf.mapAgents: 2 of 4 items failed: [1] boom p1; [3] boom p3" });
  });

  it("keeps per-call maxConcurrency and the global concurrency limit", async () => {
    // Each sub-agent is held until `width` run at once (requests cross a process boundary one by
    // one), so the peak reaches the limit exactly when the limit is kept.
    function gated(width: number) {
      let running = 0;
      let peak = 0;
      let waiters: Array<() => void> = [];
      const runAgent: RunAgent = async () => {
        running += 1;
        peak = Math.max(peak, running);
        if (running >= width) {
          for (const wake of waiters) wake();
          waiters = [];
        } else {
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, 2000);
          });
        }
        running -= 1;
        return { ok: true, value: "x", usage: { inputTokens: 0, outputTokens: 0 } };
      };
      return { runAgent, peak: () => peak };
    }
    const perCall = gated(2);
    await harness(perCall.runAgent, { concurrency: 8 }).run(
      `async function main(wf) { return wf.mapAgents([1,2,3,4,5,6,7,8,9,10], "{item}", { maxConcurrency: 2 }); }`,
    );
    expect(perCall.peak()).toBe(2);
    const global = gated(3);
    await harness(global.runAgent, { concurrency: 3 }).run(`async function main(wf) { return wf.mapAgents([1,2,3,4,5,6,7,8,9,10], "{item}"); }`);
    expect(global.peak()).toBe(3);
  });

  it("truncates reduceAgent input past the budget with a marker saying how much was cut", async () => {
    const seen: string[] = [];
    const capture: RunAgent = async (request) => {
      seen.push(request.prompt);
      return { ok: true, value: "merged", usage: { inputTokens: 0, outputTokens: 0 } };
    };
    const { run } = harness(capture, { reduceInputChars: 100 });
    await run(`async function main(wf) { return wf.reduceAgent("x".repeat(250), "merge"); }`);
    expect(seen[0]).toContain("[… truncated by agentwf: 150 of 250 characters cut …]");
  });

  it("sends wf.log and console.log lines to the run log", async () => {
    const { run, events } = harness(echo);
    await run(`async function main(wf) { wf.log("one", {a: 1}); console.log("two"); return "ok"; }`);
    await new Promise((r) => setTimeout(r, 10));
    expect(events.filter((e) => e.type === "workflow_log").map((e) => (e as { message: string }).message)).toEqual(['one {"a":1}', "two"]);
  });

  it("stops at --max-agents without calling runAgent again", async () => {
    let calls = 0;
    const counted: RunAgent = async () => {
      calls += 1;
      return { ok: true, value: "x", usage: { inputTokens: 0, outputTokens: 0 } };
    };
    const { run } = harness(counted, { maxAgents: 3 });
    const outcome = await run(`async function main(wf) { return wf.mapAgents([1,2,3,4,5], "{item}", { settle: true }); }`);
    expect(calls).toBe(3);
    expect(outcome.ok && JSON.parse(outcome.result)[4]).toMatchObject({ ok: false, error: expect.stringContaining("--max-agents 3") });
  });

  it("reports a thrown error from main as the failure", async () => {
    const { run } = harness(echo);
    const outcome = await run(`async function main(wf) { throw new TypeError("bad thing"); }`);
    expect(outcome).toMatchObject({ ok: false, kind: "error", error: "TypeError: bad thing" });
  });

  it("stops a synchronous endless loop at the CPU limit", async () => {
    const { run } = harness(echo, { cpuTimeMs: 200 });
    const outcome = await run(`async function main(wf) { for (;;) {} }`);
    expect(outcome).toMatchObject({ ok: false, kind: "cpu_time" });
  });

  it("stops a workflow that outgrows its memory limit and the host survives", async () => {
    const { run } = harness(echo, { memoryMb: 16 });
    const outcome = await run(`async function main(wf) { const a = []; for (;;) a.push("x".repeat(1000) + a.length); }`);
    expect(outcome).toMatchObject({ ok: false, kind: "memory" });
  });

  it("stops at the wall-clock limit while waiting on a sub-agent", async () => {
    const never: RunAgent = () => new Promise(() => {});
    const { run } = harness(never, { wallTimeMs: 100 });
    const outcome = await run(`async function main(wf) { return wf.runAgent("wait"); }`);
    expect(outcome).toMatchObject({ ok: false, kind: "wall_time", error: expect.stringContaining("--timeout") });
  });

  it("gives the workflow no host globals", async () => {
    const { run } = harness(echo);
    const outcome = await run(`async function main(wf) {
      return [typeof process, typeof require, typeof WebAssembly, typeof SharedArrayBuffer, typeof fetch, typeof setTimeout].join(",");
    }`);
    expect(outcome).toMatchObject({ ok: true, result: "undefined,undefined,undefined,undefined,undefined,undefined" });
  });

  it("ends a main that awaits a promise nothing can settle as a deadlock, long before the wall clock", async () => {
    const { run } = harness(echo, { wallTimeMs: 60_000 });
    const outcome = await run(`async function main(wf) { await wf.runAgent("first"); await new Promise(() => {}); }`);
    expect(outcome).toMatchObject({ ok: false, kind: "deadlock", agents: 1 });
  });

  it("does not mistake a long chain of sequential sub-agent calls for a deadlock", async () => {
    const deferred: RunAgent = async (request) => {
      await new Promise((r) => setImmediate(r));
      return { ok: true, value: request.prompt, usage: { inputTokens: 0, outputTokens: 0 } };
    };
    const { run } = harness(deferred);
    const outcome = await run(`async function main(wf) {
      let last = "";
      for (let i = 0; i < 30; i++) last = await wf.runAgent("step " + i);
      const all = await wf.mapAgents([1, 2, 3], "m{item}");
      return last + " " + all.join(",");
    }`);
    expect(outcome).toMatchObject({ ok: true, result: "step 29 m1,m2,m3" });
  });
});
