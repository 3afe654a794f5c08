import { describe, expect, it } from "vitest";
import { countAgents } from "../../src/workflow/agent-count.js";

const range = (code: string, input?: unknown) => {
  const c = countAgents(code, input === undefined ? {} : { input });
  return { min: c.min, max: c.max, unknowns: c.unknowns };
};

describe("countAgents", () => {
  it("counts a mapAgents over a literal array, a runAgent and a reduceAgent", () => {
    expect(range(`async function main(wf) {
  const files = ["a.ts", "b.ts", "c.ts"];
  const found = await wf.mapAgents(files, "review {item}");
  const extra = await wf.runAgent("anything else?");
  return wf.reduceAgent([found, extra], "merge");
}`)).toEqual({ min: 5, max: 5, unknowns: [] });
  });

  it("uses the length of wf.input's arrays when the input is known, and says unknown when it is not", () => {
    const code = `async function main(wf) { return wf.mapAgents(wf.input.dirs, "check {item}"); }`;
    expect(range(code, { dirs: ["a", "b", "c", "d"] })).toEqual({ min: 4, max: 4, unknowns: [] });
    expect(range(code)).toEqual({ min: 0, max: undefined, unknowns: ["line 1: mapAgents over `wf.input.dirs`, whose length is known only when the workflow runs"] });
  });

  it("gives a call inside an if a minimum of 0, and a ternary of two literals the smaller and larger length", () => {
    expect(range(`async function main(wf) {
  const items = wf.input.deep ? [1, 2, 3] : [1];
  const r = await wf.mapAgents(items, "x {item}");
  if (r.length > 1) await wf.runAgent("second look");
  return r;
}`, { deep: true })).toEqual({ min: 1, max: 4, unknowns: [] });
  });

  it("multiplies a for-of over a literal array, and leaves a while loop unknown with its line", () => {
    expect(range(`async function main(wf) {
  for (const x of ["a", "b"]) await wf.runAgent("look at " + x);
  return 1;
}`)).toEqual({ min: 2, max: 2, unknowns: [] });
    expect(range(`async function main(wf) {
  let more = true;
  while (more) more = await wf.runAgent("again?");
}`).unknowns).toEqual(["line 3: inside a loop (line 3) whose number of rounds is known only when the workflow runs"]);
  });

  it("follows helpers by their call sites and counts a helper that is never called as zero", () => {
    expect(range(`async function look(wf, what) { return wf.runAgent("look at " + what); }
async function unused(wf) { return wf.runAgent("never"); }
async function main(wf) {
  await look(wf, "a");
  await look(wf, "b");
  return "ok";
}`)).toEqual({ min: 2, max: 2, unknowns: [] });
  });

  it("counts each pipeline stage once per item, later stages from zero", () => {
    expect(range(`async function main(wf) {
  return wf.pipeline(["a", "b", "c"], (x) => wf.runAgent("find " + x), (found) => wf.runAgent("fix " + found));
}`)).toEqual({ min: 3, max: 6, unknowns: [] });
  });

  it("says unknown, with the line, for an agent started inside a callback", () => {
    const c = countAgents(`async function main(wf) {
  const list = await wf.runAgent("list files");
  return Promise.all(list.map((f) => wf.runAgent("review " + f)));
}`);
    expect([c.min, c.max]).toEqual([1, undefined]);
    expect(c.unknowns).toEqual(["line 3: inside a callback (line 3), so how often it runs is known only when the workflow runs"]);
  });

  it("does not resolve a name declared twice (a shadowing parameter could hold anything)", () => {
    expect(range(`const items = ["a", "b"];
async function run(wf, items) { return wf.mapAgents(items, "x"); }
async function main(wf) { return run(wf, wf.input); }`).max).toBeUndefined();
  });

  it("reports code that does not parse as uncountable instead of guessing", () => {
    expect(range("async function main(wf) {")).toEqual({ min: 0, max: undefined, unknowns: ["the code does not parse, so its sub-agents cannot be counted"] });
  });
});

describe("countAgents on code built to make counting explode", () => {
  it("gives up with a reason instead of walking billions of call paths", () => {
    const levels = Array.from({ length: 7 }, (_, i) =>
      i === 0 ? "async function f0(wf) { return wf.runAgent('x'); }" : `async function f${i}(wf) { ${Array.from({ length: 50 }, () => `await f${i - 1}(wf);`).join(" ")} }`,
    );
    const code = `${levels.join("\n")}\nasync function main(wf) { return f6(wf); }`;
    expect(countAgents(code)).toEqual({ min: 0, max: undefined, sites: [], unknowns: ["the code is too intricate to count its sub-agents before it runs"] });
  });
});
