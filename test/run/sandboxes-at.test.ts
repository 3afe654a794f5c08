// When a run starts its sandboxes: `run` that asks first starts the sandbox child (and checks the
// shell sandbox) once a workflow has passed validation, not at its launch; exec and run --yes at
// their launch, so the run itself starts none.
import { describe, expect, it } from "vitest";
import { sandboxesAt } from "../../src/cli/run-pipeline.js";
import type { ApprovalPort } from "../../src/run/approval.js";
import { runSession } from "../../src/run/session.js";
import { answer, callWorkflow, echoSubAgent, fakeModels, runHarness, scriptedModel } from "./run-harness.js";

const VALID = `async function main(wf) {\n  return wf.runAgent("look");\n}`;
const BROKEN = `async function main(wf) {\n  return wf.runAgent("look";\n}`;

async function session(at: "start" | "validated") {
  const parent = scriptedModel("fake/parent", [callWorkflow({ name: "broken", code: BROKEN }), callWorkflow({ name: "valid", code: VALID }), answer("no workflow ran")]);
  const harness = runHarness(fakeModels(parent.model, echoSubAgent));
  let started = 0;
  const startedWhenAsked: number[] = [];
  const approval: ApprovalPort = {
    async ask() {
      startedWhenAsked.push(started);
      return { type: "reject", reason: "not now" };
    },
  };
  const outcome = await runSession(
    { ...harness.config, parentMaxTurns: 10, sandboxesAt: at },
    { ...harness.ports, approval, prepareSandbox: () => void (started += 1) },
  );
  await harness.store.close();
  return { outcome, started, startedWhenAsked };
}

describe("sandboxesAt", () => {
  it("is 'validated' for run that asks, 'start' for run --yes and exec", () => {
    expect(sandboxesAt({ yes: false }, "run")).toBe("validated");
    expect(sandboxesAt({ yes: true }, "run")).toBe("start");
    expect(sandboxesAt({ yes: false }, "exec")).toBe("start");
  });

  it("validated: the child is started once the valid workflow passed, before the person is asked; not for the broken one", async () => {
    const { outcome, started, startedWhenAsked } = await session("validated");
    expect(outcome.report).toBe("no workflow ran");
    expect(startedWhenAsked).toEqual([1]);
    expect(started).toBe(1);
  });

  it("start: the run starts no child itself (the command did at launch)", async () => {
    const { outcome, started, startedWhenAsked } = await session("start");
    expect(outcome.report).toBe("no workflow ran");
    expect(startedWhenAsked).toEqual([0]);
    expect(started).toBe(0);
  });
});
