import { describe, expect, it } from "vitest";
import { stopTypeChecker, typeCheckInWorker } from "../../src/workflow/type-check-worker.js";

const WRONG = `async function main(wf) {\n  return wf.runAgents("x");\n}\n`;

describe("stopping the type-check thread while a workflow runs", () => {
  it("checks the same after the thread was stopped and started again", async () => {
    const before = await typeCheckInWorker(WRONG, "main");
    expect(before.map((d) => [d.line, d.severity])).toEqual([[2, "error"]]);
    expect(before[0]?.message).toContain("runAgents");
    stopTypeChecker();
    const after = await typeCheckInWorker(WRONG, "main");
    expect(after).toEqual(before);
  });

  it("does not end a thread with a check pending", async () => {
    const pending = typeCheckInWorker(WRONG, "main");
    stopTypeChecker();
    expect((await pending)[0]?.message).toContain("runAgents");
  });
});
