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
    expect(c.unknowns).toEqual(["line 3: in a callback of map over `list`, whose length is known only when the workflow runs"]);
  });

  it("counts a map callback over a known list once per element, and a callback passed anywhere else as unknown", () => {
    expect(range(`async function main(wf) {
  const dirs = ["src", "lib", "test"];
  return Promise.all(dirs.map((d) => wf.runAgent("audit " + d)));
}`)).toEqual({ min: 3, max: 3, unknowns: [] });
    expect(range(`async function main(wf) {
  return setTimeout(() => wf.runAgent("later"), 10);
}`).unknowns).toEqual(["line 2: inside a callback (line 2), so how often it runs is known only when the workflow runs"]);
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

describe("countAgents on Claude Code–format scripts", () => {
  const header = "export const meta = { name: 'x', description: 'y' }\n";

  it("counts top-level agent() calls, parallel thunks given as a literal array, and a thunk per element of a known list", () => {
    expect(range(`${header}const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts']
const first = await agent('plan')
const reviews = await parallel(files.map((f) => () => agent('review ' + f, { label: f })))
const pair = await parallel([() => agent('one'), () => agent('two')])
return [first, reviews, pair]`)).toEqual({ min: 7, max: 7, unknowns: [] });
  });

  it("reads args as the input, and counts pipeline stages like wf.pipeline's", () => {
    const code = `${header}const results = await pipeline(args.areas, (area) => agent('find in ' + area), (found) => agent('fix ' + found))
return results`;
    expect(range(code, { areas: ["x", "y"] })).toEqual({ min: 2, max: 4, unknowns: [] });
    expect(range(code)).toEqual({ min: 0, max: undefined, unknowns: ["line 2: a pipeline stage over `args.areas`, whose length is known only when the workflow runs"] });
  });

  it("says unknown for a fan-out over another agent's answer (Claude Code's own audit-routes example)", () => {
    const c = countAgents(`${header}const found = await agent('List every .ts file under src/routes/.')
const audits = await pipeline(found.files, file => agent(\`Audit \${file}\`, { label: file }))
return audits.filter(Boolean)`);
    expect([c.min, c.max]).toEqual([1, undefined]);
    expect(c.sites.map((site) => site.kind)).toEqual(["agent", "agent"]);
    expect(c.unknowns).toEqual(["line 3: a pipeline stage over `found.files`, whose length is known only when the workflow runs"]);
  });

  it("counts nothing for a script's own function named agent, and leaves wf-style code's agent() alone", () => {
    expect(range(`${header}function agent(x) { return x }
return agent('not a sub-agent')`)).toEqual({ min: 0, max: 0, unknowns: [] });
    expect(range(`async function main(wf) { const agent = (p) => wf.runAgent(p); return agent("one"); }`)).toEqual({ min: 1, max: 1, unknowns: [] });
  });
});
