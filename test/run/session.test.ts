// The whole `run` session in process: a scripted parent, sub-agents on a fake model, the real
// workflow tool, validation, sandbox and scheduler, approval through its port, a run store in a
// temporary folder. What the parent is told, what runs, and the events are asserted exactly.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRequest } from "../../src/model/types.js";
import type { ApprovalDecision } from "../../src/run/approval.js";
import { runSession } from "../../src/run/session.js";
import { initialRunViewState, reduceRunView } from "../../src/ui/run-view-state.js";
import {
  answer,
  callWorkflow,
  echoSubAgent,
  fakeModels,
  runHarness,
  scriptedApproval,
  scriptedModel,
  unmatchedLifecycles,
  type RunHarness,
  type Script,
  type SubAgentModel,
} from "./run-harness.js";

const TWO_AGENTS = `async function main(wf) {
  const found = await wf.mapAgents(["src", "lib"], "list the untested files in {item}");
  return found.join("\\n");
}`;

/** The text of the last tool result the parent got before `request`. */
const lastToolResult = (request: ModelRequest | undefined): string => {
  const tools = (request?.messages ?? []).filter((m) => m.role === "tool");
  return tools.at(-1)?.content ?? "";
};

async function session(script: Script, decisions: readonly ApprovalDecision[], sub: SubAgentModel = echoSubAgent, setup: (h: RunHarness) => void = () => undefined) {
  const parent = scriptedModel("fake/parent", script);
  const approval = scriptedApproval(decisions);
  const harness = runHarness(fakeModels(parent.model, sub));
  setup(harness);
  const outcome = await runSession({ ...harness.config, parentMaxTurns: 10 }, { ...harness.ports, approval });
  await harness.store.close();
  return { outcome, harness, approval, parentRequests: parent.requests, types: harness.events.map((e) => e.type) };
}

describe("runSession: approval", () => {
  it("runs an approved workflow, gives its result to the parent, and ends with the parent's report", async () => {
    const { outcome, harness, approval, parentRequests, types } = await session(
      [callWorkflow({ name: "coverage", code: TWO_AGENTS }), (request) => answer(`REPORT\n${lastToolResult(request)}`)],
      [{ type: "approve" }],
    );
    expect(outcome).toEqual({
      status: "done",
      report: "REPORT\nfound: list the untested files in src\nfound: list the untested files in lib",
      usage: { inputTokens: 20, outputTokens: 10 },
      agents: 2,
      failedAgents: 0,
    });
    expect(approval.proposals.map((p) => [p.workflowId, p.name, p.code, p.maxConcurrency])).toEqual([["w1", "coverage", TWO_AGENTS, 4]]);
    expect(parentRequests).toHaveLength(2);
    expect(types[0]).toBe("run_start");
    expect(types.at(-1)).toBe("run_end");
    expect(types.filter((t) => t.startsWith("workflow_"))).toEqual(["workflow_proposed", "workflow_decision", "workflow_start", "workflow_end"]);
    expect(unmatchedLifecycles(harness.events)).toEqual([]);
    // The run store keeps the code that ran and the report.
    const dir = harness.store.dir;
    expect(readdirSync(path.join(dir, "workflows"))).toEqual(["w1-coverage.js"]);
    expect(readFileSync(path.join(dir, "workflows", "w1-coverage.js"), "utf8")).toBe(TWO_AGENTS);
    expect(readFileSync(path.join(dir, "report.md"), "utf8")).toBe(outcome.report);
  });

  it("sends the person's rejection reason back to the parent, runs nothing, and lets the parent try again", async () => {
    const { outcome, approval, parentRequests, types } = await session(
      [callWorkflow({ name: "first", code: TWO_AGENTS }), callWorkflow({ name: "second", code: TWO_AGENTS }), answer("done")],
      [{ type: "reject", reason: "only look at src" }, { type: "approve" }],
    );
    expect(lastToolResult(parentRequests[1])).toBe(
      "Error: the person rejected this workflow and it was not run. Their reason: only look at src\nRevise the workflow accordingly and call workflow again.",
    );
    expect(approval.proposals.map((p) => p.workflowId)).toEqual(["w1", "w2"]);
    expect(types.filter((t) => t === "workflow_start")).toHaveLength(1);
    expect(outcome).toMatchObject({ status: "done", report: "done", agents: 2 });
  });

  it("runs the person's edit instead of the parent's code, and tells the parent which version ran", async () => {
    const edited = `async function main(wf) {\n  return await wf.runAgent("only src");\n}`;
    const { outcome, harness, parentRequests } = await session([callWorkflow({ name: "coverage", code: TWO_AGENTS }), answer("done")], [{ type: "approve", code: edited }]);
    expect(lastToolResult(parentRequests[1])).toBe(
      `The person edited your workflow before approving it; this is the version that ran:\n\`\`\`js\n${edited}\n\`\`\`\n\nIts result:\nfound: only src`,
    );
    expect(outcome.agents).toBe(1);
    expect(readFileSync(path.join(harness.store.dir, "workflows", "w1-coverage.js"), "utf8")).toBe(edited);
  });

  it("stops the whole run when the person chooses stop: status rejected with the reason, and the parent ends", async () => {
    const { outcome, harness, parentRequests, types } = await session([callWorkflow({ name: "coverage", code: TWO_AGENTS }), answer("never asked")], [{ type: "stop", reason: "not now" }]);
    expect(outcome).toEqual({ status: "rejected", error: "not now", usage: { inputTokens: 0, outputTokens: 0 }, agents: 0, failedAgents: 0 });
    expect(parentRequests).toHaveLength(1);
    expect(types).not.toContain("workflow_start");
    expect(harness.events.find((e) => e.type === "agent_end")).toMatchObject({ agentId: "parent", ok: false, error: "cancelled" });
    expect(unmatchedLifecycles(harness.events)).toEqual([]);
  });
});

describe("runSession: failures the parent can fix", () => {
  it("sends validation findings back to the parent without asking the person", async () => {
    const bad = `async function main(wf) {\n  return wf.runAgnet("x");\n}`;
    const { approval, parentRequests, harness } = await session([callWorkflow({ name: "typo", code: bad }), answer("gave up")], []);
    expect(approval.proposals).toEqual([]);
    expect(lastToolResult(parentRequests[1])).toBe(
      "Error: the workflow was not run: it has 1 problem(s). Fix them and call workflow again (2 attempts left).\n2:13 error: type: Property 'runAgnet' does not exist on type 'Wf'. Did you mean 'runAgent'?",
    );
    expect(harness.events.filter((e) => e.type === "workflow_invalid").map((e) => (e.type === "workflow_invalid" ? e.diagnostics : []))).toEqual([
      ["2:13 error: type: Property 'runAgnet' does not exist on type 'Wf'. Did you mean 'runAgent'?"],
    ]);
  });

  it("sends a workflow's runtime error back to the parent", async () => {
    const throwing = `async function main(wf) {\n  await wf.runAgent("look");\n  throw new Error("no files matched");\n}`;
    const { outcome, parentRequests, harness } = await session([callWorkflow({ name: "thrower", code: throwing }), answer("reported the failure")], [{ type: "approve" }]);
    expect(lastToolResult(parentRequests[1])).toMatch(/^Error: the workflow failed \(error\): .*no files matched/);
    expect(harness.events.find((e) => e.type === "workflow_end")).toMatchObject({ workflowId: "w1", ok: false });
    expect(outcome).toMatchObject({ status: "done", agents: 1, failedAgents: 0 });
    expect(unmatchedLifecycles(harness.events)).toEqual([]);
  });
});

describe("runSession: every start has an end", () => {
  // Four runAgent calls at once: mapAgents would hold them back in the isolate, so only the
  // scheduler's queue would never see them wait.
  const FOUR_AT_ONCE = `async function main(wf) {
  const results = await Promise.all(["a", "b", "c", "d"].map((item) => wf.runAgent("check " + item).then(() => "ok", () => "refused")));
  return results.join(",");
}`;

  it("pauses at --budget: the queued sub-agents end with the reason, the run ends paused, and the UI's queued count returns to zero", async () => {
    const parent = scriptedModel("fake/parent", [callWorkflow({ name: "four", code: FOUR_AT_ONCE, maxConcurrency: 1 }), (request) => answer(lastToolResult(request))]);
    const approval = scriptedApproval([{ type: "approve" }]);
    // Sub-agents answer once all four have been asked for, so three of them wait in the queue.
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const gated: SubAgentModel = async (request, options) => {
      await gate;
      return echoSubAgent(request, options);
    };
    // 15 tokens each against 20: the first two run; the two still queued are not started and the run pauses.
    const harness = runHarness(fakeModels(parent.model, gated), { budget: { kind: "tokens", amount: 20 } });
    harness.onEvent = (event) => {
      if (event.type === "agent_queued" && event.agentId === "w1.4") openGate();
    };
    const outcome = await runSession({ ...harness.config, parentMaxTurns: 10 }, { ...harness.ports, approval });

    const agentEvents = harness.events.filter((e) => e.type.startsWith("agent_") && "agentId" in e && e.agentId !== "parent");
    expect(agentEvents.filter((e) => e.type === "agent_queued").map((e) => ("agentId" in e ? e.agentId : ""))).toEqual(["w1.2", "w1.3", "w1.4"]);
    expect(agentEvents.filter((e) => e.type === "agent_end").map((e) => (e.type === "agent_end" ? `${e.agentId} ${e.ok ? "ok" : e.error}` : ""))).toEqual([
      "w1.1 ok",
      "w1.2 ok",
      "w1.3 not started: the run paused: the run's budget of 20 tokens (--budget) is spent (30 tokens used)",
      "w1.4 not started: the run paused: the run's budget of 20 tokens (--budget) is spent (30 tokens used)",
    ]);
    expect(unmatchedLifecycles(harness.events)).toEqual([]);

    // The reducer sees the real sequence: just before the workflow ends, nothing is queued.
    const untilEnd = harness.events.slice(0, harness.events.findIndex((e) => e.type === "workflow_end"));
    const view = untilEnd.reduce(reduceRunView, initialRunViewState());
    expect(view.workflow).toMatchObject({ id: "w1", queued: [], done: 2, failed: 2 });
    expect(view.running).toEqual([]);
    expect(outcome).toMatchObject({
      status: "paused",
      error: "the run's budget of 20 tokens (--budget) is spent (30 tokens used)",
      spent: { usd: 0, tokens: 30 },
      agents: 4,
      failedAgents: 2,
    });
  });

  it("ends the running and the queued sub-agents, the workflow and the parent when the run is interrupted", async () => {
    // Sub-agents wait until they are cancelled, as a slow model would.
    const waitForCancel: SubAgentModel = (_request, options) =>
      new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve({ ...answer(""), stopReason: "aborted" }), { once: true }));
    const { outcome, harness, types } = await session(
      [callWorkflow({ name: "four", code: FOUR_AT_ONCE, maxConcurrency: 2 }), answer("never asked")],
      [{ type: "approve" }],
      waitForCancel,
      (h) => {
        // Interrupt once two run and two wait (after the starts that are already on their way).
        h.onEvent = (event) => {
          if (event.type === "agent_queued" && event.agentId === "w1.4") setImmediate(() => h.controller.abort());
        };
      },
    );
    expect(outcome).toMatchObject({ status: "interrupted", error: "interrupted" });
    expect(unmatchedLifecycles(harness.events)).toEqual([]);
    const ends = harness.events.filter((e) => e.type === "agent_end").map((e) => (e.type === "agent_end" ? `${e.agentId} ${e.ok ? "ok" : e.error}` : ""));
    expect(ends).toEqual(["w1.1 cancelled", "w1.2 cancelled", "w1.3 cancelled", "w1.4 cancelled", "parent cancelled"]);
    expect(types.indexOf("workflow_end")).toBeGreaterThan(types.lastIndexOf("agent_queued"));
    expect(types.at(-1)).toBe("run_end");
    const view = harness.events.reduce(reduceRunView, initialRunViewState());
    expect(view.running).toEqual([]);
    expect(view.workflow).toBeUndefined();
  });
});
