// wf.applyPatches and the isolation option across the sandbox boundary: what the isolate sends is
// checked on the host like any agent request, and the host's ApplyPatches sees plain ids.
import { describe, expect, it } from "vitest";
import { runWorkflow } from "../../src/workflow/sandbox.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import type { AgentRequest, ApplyPatches, RunAgent } from "../../src/workflow/types.js";

async function run(code: string, runAgent: RunAgent, applyPatches?: ApplyPatches) {
  const outcome = await runWorkflow({
    code,
    workflowId: "w1",
    defaultAgent: "general-purpose",
    runAgent,
    applyPatches,
    limits: DEFAULT_LIMITS,
    emit: () => {},
    signal: new AbortController().signal,
  });
  if (!outcome.ok) throw new Error(outcome.error);
  // A string result comes back as it is; anything else as JSON.
  return outcome.result.startsWith("{") ? (JSON.parse(outcome.result) as unknown) : outcome.result;
}

const isolated: RunAgent = async (request, context) => {
  context.started({ agentType: request.agent, model: "m" });
  const value = request.isolation === "worktree" ? { value: `did ${request.prompt}`, patch: request.prompt === "none" ? null : { id: context.agentId, files: ["a.txt"], diff: "d" } } : "plain";
  return { ok: true, value, usage: { inputTokens: 0, outputTokens: 0 } };
};

describe("wf.applyPatches across the boundary", () => {
  it("passes isolation to the host and hands ApplyPatches the ids of results, settled results, patches and plain ids, skipping nulls", async () => {
    const seen: AgentRequest[] = [];
    const calls: string[][] = [];
    const result = await run(
      `async function main(wf) {
  const one = await wf.runAgent("a", { isolation: "worktree" });
  const many = await wf.mapAgents(["b", "none"], "{item}", { isolation: "worktree", settle: true });
  return await wf.applyPatches([one, ...many, one.patch, "w9.9", null]);
}`,
      async (request, context) => {
        seen.push(request);
        return isolated(request, context);
      },
      async (ids) => {
        calls.push([...ids]);
        return { applied: [...ids], conflicts: [] };
      },
    );
    expect(seen.map((r) => r.isolation)).toEqual(["worktree", "worktree", "worktree"]);
    expect(calls).toEqual([["w1.1", "w1.2", "w1.1", "w9.9"]]);
    expect(result).toEqual({ applied: ["w1.1", "w1.2", "w1.1", "w9.9"], conflicts: [] });
  });

  it("refuses an isolation mode that does not exist, before any agent starts", async () => {
    const result = await run(`async function main(wf) { try { await wf.runAgent("a", { isolation: "copy" }); return "ran"; } catch (e) { return e.message; } }`, isolated);
    expect(result).toBe('invalid agent options: isolation: Invalid input: expected "worktree"');
  });

  it("refuses a patch id that is not an agent id, and an item that is not a result", async () => {
    const apply: ApplyPatches = async () => ({ applied: [], conflicts: [] });
    expect(await run(`async function main(wf) { try { return await wf.applyPatches(["../../etc"]); } catch (e) { return e.message; } }`, isolated, apply)).toBe(
      "wf.applyPatches: ids.0: a patch id names an isolated agent (w1.3)",
    );
    expect(await run(`async function main(wf) { try { return await wf.applyPatches([{ value: 1 }]); } catch (e) { return e.message; } }`, isolated, apply)).toBe(
      'wf.applyPatches: item 0 has no patch; pass the results of wf.runAgent or wf.mapAgents with { isolation: "worktree" }',
    );
  });

  it("says so when the run offers no applyPatches", async () => {
    expect(await run(`async function main(wf) { try { return await wf.applyPatches([]); } catch (e) { return e.message; } }`, isolated)).toBe(
      "wf.applyPatches is not available in this run",
    );
  });
});
