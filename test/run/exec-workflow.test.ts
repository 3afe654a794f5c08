// `exec` in process: the same run frame and workflow step as `run`, with no parent and no approval.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { execWorkflow } from "../../src/run/exec-workflow.js";
import { echoSubAgent, fakeModels, runHarness, scriptedModel, unmatchedLifecycles } from "./run-harness.js";

function exec(code: string, input?: unknown) {
  const harness = runHarness(fakeModels(scriptedModel("fake/parent", []).model, echoSubAgent), { task: "exec audit.js", input });
  const run = execWorkflow({ ...harness.config, file: "audit.js", code }, harness.ports).finally(() => harness.store.close());
  return { harness, run };
}

describe("execWorkflow", () => {
  it("runs the file with its input; main's result is the report, and the ids and times come from the run's ports", async () => {
    const code = `async function main(wf) {\n  return await wf.runAgent("look at " + wf.input.dir);\n}`;
    const { harness, run } = exec(code, { dir: "src" });
    const outcome = await run;
    expect(outcome).toEqual({ status: "done", report: "found: look at src", usage: { inputTokens: 10, outputTokens: 5 }, agents: 1, failedAgents: 0 });
    const types = harness.events.map((e) => e.type);
    expect(types.filter((t) => t.startsWith("workflow_"))).toEqual(["workflow_proposed", "workflow_start", "workflow_end"]);
    expect(harness.events.find((e) => e.type === "workflow_start")).toMatchObject({ workflowId: "w1", name: "audit.js" });
    // The clock ticks once per reading, so a duration from Date.now would be far larger.
    const end = harness.events.find((e) => e.type === "workflow_end");
    expect(end?.type === "workflow_end" && end.durationMs).toBeLessThan(100);
    expect(types[0]).toBe("run_start");
    expect(types.at(-1)).toBe("run_end");
    expect(unmatchedLifecycles(harness.events)).toEqual([]);
    expect(readFileSync(path.join(harness.store.dir, "workflows", "w1-audit-js.js"), "utf8")).toBe(code);
    expect(readFileSync(path.join(harness.store.dir, "report.md"), "utf8")).toBe("found: look at src");
  });

  it("fails a file that does not validate with its findings, each prefixed by the file name, and runs nothing", async () => {
    const { harness, run } = exec(`async function main(wf) {\n  return wf.runAgnet("x");\n}`);
    expect(await run).toEqual({
      status: "failed",
      error: "audit.js did not pass validation",
      errorKind: "invalid_workflow",
      diagnostics: ["audit.js:2:13 error: type: Property 'runAgnet' does not exist on type 'Wf'. Did you mean 'runAgent'?"],
      usage: { inputTokens: 0, outputTokens: 0 },
      agents: 0,
      failedAgents: 0,
    });
    expect(harness.events.map((e) => e.type)).toEqual(["run_start", "workflow_proposed", "workflow_invalid", "run_end"]);
  });

  it("fails with the workflow's error when main throws", async () => {
    const { run } = exec(`async function main(wf) {\n  throw new Error("nothing to audit");\n}`);
    const outcome = await run;
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toMatch(/^the workflow failed \(error\): .*nothing to audit/);
  });

  it("ends interrupted when the run's signal fires, with the workflow's start and end paired", async () => {
    const { harness, run } = exec(`async function main(wf) {\n  await new Promise(() => {});\n}`);
    harness.onEvent = (event) => {
      if (event.type === "workflow_start") harness.controller.abort();
    };
    const outcome = await run;
    expect(outcome).toMatchObject({ status: "interrupted", error: "interrupted" });
    expect(harness.events.find((e) => e.type === "workflow_end")).toMatchObject({ workflowId: "w1", ok: false });
    expect(unmatchedLifecycles(harness.events)).toEqual([]);
  });
});
