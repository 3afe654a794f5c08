// The type-check thread's warm-up: exec's file is checked first and its answer kept for the
// request with the same code; any other request is checked as asked.
import { describe, expect, it } from "vitest";
import { isolateScript } from "../../src/workflow/isolate-script.js";
import { typeCheckWorkflow } from "../../src/workflow/type-check.js";
import { firstCheckOf, keptAnswer, warmUpSteps, type FirstCheck } from "../../src/workflow/type-check-warm-up.js";
import { startTypeChecker, stopTypeChecker, typeCheckInWorker } from "../../src/workflow/type-check-worker.js";

const WRONG = `async function main(wf) {\n  return wf.runAgents("x");\n}\n`;
const OTHER = `async function main(wf) {\n  return wf.mapAgent([1], "y");\n}\n`;
const CLAUDE = `const found = await agent("look");\nreturn found;\n`;

describe("firstCheckOf", () => {
  it("takes a file's code, guessing its dialect from a main function", () => {
    expect(firstCheckOf({ code: WRONG })).toEqual({ code: WRONG, dialect: "main" });
    expect(firstCheckOf({ code: CLAUDE })).toEqual({ code: CLAUDE, dialect: "claude" });
  });

  it("takes nothing else", () => {
    expect(firstCheckOf(undefined)).toBeUndefined();
    expect(firstCheckOf(null)).toBeUndefined();
    expect(firstCheckOf("code")).toBeUndefined();
    expect(firstCheckOf({ code: 42 })).toBeUndefined();
  });
});

describe("warmUpSteps", () => {
  it("with exec's file: one step, which keeps that file's diagnostics", () => {
    const kept: Array<[FirstCheck, string[]]> = [];
    const steps = warmUpSteps({ code: WRONG, dialect: "main" }, (check, diagnostics) => kept.push([check, diagnostics.map((d) => d.message)]));
    expect(steps).toHaveLength(1);
    for (const step of steps) step();
    expect(kept).toEqual([[{ code: WRONG, dialect: "main" }, typeCheckWorkflow(WRONG).map((d) => d.message)]]);
    expect(kept[0]?.[1][0]).toContain("runAgents");
  });

  it("without one: the library files, then the usual calls, keeping nothing", () => {
    const kept: unknown[] = [];
    const steps = warmUpSteps(undefined, (check) => kept.push(check));
    expect(steps).toHaveLength(2);
    for (const step of steps) step();
    expect(kept).toEqual([]);
  });
});

describe("keptAnswer", () => {
  it("answers only the same code in the same dialect", () => {
    const diagnostics = typeCheckWorkflow(WRONG);
    const kept = { first: { code: WRONG, dialect: "main" as const }, diagnostics };
    expect(keptAnswer(kept, WRONG, "main")).toBe(diagnostics);
    expect(keptAnswer(kept, OTHER, "main")).toBeUndefined();
    expect(keptAnswer(kept, WRONG, "claude")).toBeUndefined();
    expect(keptAnswer(undefined, WRONG, "main")).toBeUndefined();
  });
});

describe("a thread started with exec's file", () => {
  it("answers that file's request with its diagnostics, and another file's with its own", async () => {
    stopTypeChecker();
    startTypeChecker(WRONG);
    const other = await typeCheckInWorker(OTHER, "main");
    expect(other.map((d) => d.message)).toEqual(typeCheckWorkflow(OTHER).map((d) => d.message));
    expect(other[0]?.message).toContain("mapAgent");
    stopTypeChecker();
    startTypeChecker(WRONG);
    const same = await typeCheckInWorker(WRONG, "main");
    expect(same.map((d) => d.message)).toEqual(typeCheckWorkflow(WRONG).map((d) => d.message));
    expect(same[0]?.message).toContain("runAgents");
    stopTypeChecker();
  });
});

describe("isolateScript without an export", () => {
  it("leaves code that only mentions the word as it is, and still blanks a real export", () => {
    const mentions = `async function main(wf) {\n  return wf.runAgent("export the report");\n}\n`;
    expect(isolateScript(mentions, "main")).toBe(mentions);
    const header = `export const meta = { name: "x" };\nasync function main(wf) {}\n`;
    expect(isolateScript(header, "main")).toBe(`       const meta = { name: "x" };\nasync function main(wf) {}\n`);
  });
});
