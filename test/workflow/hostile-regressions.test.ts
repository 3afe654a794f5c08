// Hostile cases that once got through: each names the gap it closes. They run through the same
// harness as the rest of the corpus; the host is the test process itself, so "host alive" is
// every later test still running, and its memory is checked after the memory cases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateWorkflow } from "../../src/workflow/validate.js";
import {
  CASE_TIMEOUT_MS,
  HOSTILE_LIMITS,
  LIMIT_WORDS,
  expectContained,
  expectFailure,
  expectHostHealthy,
  expectResult,
  fakeAgent,
  answer,
  runHostile,
} from "./hostile-harness.js";

let baselineRss = 0;
beforeAll(() => {
  baselineRss = process.memoryUsage().rss;
});
afterAll(async () => {
  await expectHostHealthy(baselineRss);
});

describe("hostile regressions: allocations that make V8 abort cost the sandbox process, not the host", () => {
  const fatal: ReadonlyArray<{ name: string; code: string }> = [
    { name: "a Map that grows without end", code: `const m = new Map(); for (let i = 0; ; i++) m.set(i, "k" + i);` },
    { name: "a Set that grows without end", code: `const s = new Set(); for (let i = 0; ; i++) s.add("k" + i);` },
    { name: "an object with ever more keys", code: `const o = {}; for (let i = 0; ; i++) o["k" + i] = i;` },
    { name: "new Array(2e8).fill(0)", code: `return new Array(2e8).fill(0).length;` },
  ];
  it.each(fatal)("stops $name as the memory limit, and the host goes on", async ({ code }) => {
    const run = await runHostile(`async function main(wf) { ${code} }`, { limits: { cpuTimeMs: 20_000, wallTimeMs: 30_000 } });
    expectFailure(run, "memory", LIMIT_WORDS.memory);
    await expectHostHealthy(baselineRss);
  }, 40_000);

  it("reports typed arrays that cannot be allocated as the memory limit", async () => {
    const run = await runHostile(`async function main(wf) { const a = []; for (;;) a.push(new Uint8Array(1e6)); }`, {
      limits: { cpuTimeMs: 20_000, wallTimeMs: 30_000 },
    });
    expectFailure(run, "memory", LIMIT_WORDS.memory);
  }, 40_000);

  it("keeps the host's memory bounded while one huge string outgrows the isolate's limit", async () => {
    const run = await runHostile(`async function main(wf) { const s = "ab".repeat(2e8); return String(s.indexOf("z")); }`, {
      limits: { cpuTimeMs: 20_000, wallTimeMs: 30_000 },
    });
    expectContained(run);
    expect(process.memoryUsage().rss - baselineRss).toBeLessThan(300 * 1024 * 1024);
  }, 40_000);
});

describe("hostile regressions: floods are cut inside the isolate", () => {
  it("copies no more log text to the host than the log limit", async () => {
    const run = await runHostile(`async function main(wf) { const s = "x".repeat(8e6); for (let i = 0; i < 200; i++) wf.log(s); return "ok"; }`, {
      limits: { cpuTimeMs: 5_000 },
    });
    expectResult(run, "ok");
    expect(process.memoryUsage().rss - baselineRss).toBeLessThan(300 * 1024 * 1024);
    expect(run.logs.at(-1)).toContain("log limit");
  }, CASE_TIMEOUT_MS);

  it("refuses a prompt over the size limit before it leaves the isolate", async () => {
    const agent = fakeAgent(() => new Promise(() => {}));
    const run = await runHostile(`async function main(wf) {
      const s = "p".repeat(8e6);
      const out = [];
      for (let i = 0; i < 200; i++) wf.runAgent(s).catch((e) => out.push(e.message));
      await null; await null;
      return out.length + " " + out[0];
    }`, { agent, limits: { cpuTimeMs: 5_000 } });
    expectResult(run, "200 the prompt is 8000000 characters, over the 1000000-character limit for one sub-agent; pass less text, or use wf.reduceAgent, which truncates its input");
    expect(agent.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("stops calling the host once --max-agents is reached and lists at most ten failures", async () => {
    const agent = fakeAgent();
    const run = await runHostile(`async function main(wf) {
      try { await wf.mapAgents(Array.from({ length: 100000 }, (_, i) => i), "item {item}"); return "no error"; }
      catch (e) { return e.message; }
    }`, { agent, limits: { maxAgents: 10, cpuTimeMs: 5_000 } });
    expectContained(run);
    expect(run.outcome.ok).toBe(true);
    const message = run.outcome.ok ? run.outcome.result : "";
    expect(message).toMatch(/^wf\.mapAgents: 99990 of 100000 items failed: \[10\] not started: .*--max-agents 10.*; and 99980 more$/);
    expect(agent.requests.length).toBeLessThanOrEqual(10);
  }, CASE_TIMEOUT_MS);
});

describe("hostile regressions: the runtime cannot be subverted", () => {
  it("hands out no runtime function through stack frames (strict mode), so main cannot be started twice", async () => {
    const run = await runHostile(`async function main(wf) {
      const found = [];
      Error.prepareStackTrace = (e, frames) => { for (const f of frames) { try { const fn = f.getFunction(); if (fn) found.push(fn.name || "anonymous"); } catch {} } return ""; };
      await wf.runAgent("x", { get agent() { new Error().stack; return undefined; } });
      await wf.mapAgents([1], (i) => { new Error().stack; return "p" + i; });
      return [...new Set(found)].sort().join(",");
    }`);
    // Only the workflow's own functions (the getter, the prompt arrow): none of the runtime's
    // (control, start, callHost, …), which strict mode keeps out of getFunction().
    expectResult(run, "anonymous,get agent");
  }, CASE_TIMEOUT_MS);

  it("returns main's result even when it leaves an endless microtask loop running", async () => {
    const run = await runHostile(`async function main(wf) { (async () => { for (;;) await null; })(); return "done"; }`);
    expectResult(run, "done");
  }, CASE_TIMEOUT_MS);

  it("never reports an empty error, even when the message getter throws", async () => {
    const run = await runHostile(`async function main(wf) { const e = new Error("x"); Object.defineProperty(e, "message", { get() { throw e; } }); throw e; }`);
    expectFailure(run, "error", "an error was thrown whose message could not be read");
  }, CASE_TIMEOUT_MS);

  it("says that main threw a value that is not an Error", async () => {
    const run = await runHostile(`async function main(wf) { throw null; }`);
    expectFailure(run, "error", "a non-Error value was thrown: null");
  }, CASE_TIMEOUT_MS);
});

describe("hostile regressions: names and text at the host edge", () => {
  it("refuses model and agent names with control or bidi characters before any sub-agent starts", async () => {
    const agent = fakeAgent(() => answer("x"));
    const run = await runHostile(`async function main(wf) {
      const out = [];
      for (const options of [{ model: "openai/gpt\\x1b[2J\\x07\\u202e" }, { agent: "../../etc/passwd" }, { agent: "a\\x1bb" }]) {
        try { await wf.runAgent("p", options); out.push("sent"); } catch (e) { out.push(e.message.split(":")[0] + ":" + e.message.split(":")[1]); }
      }
      return out.join("|");
    }`, { agent });
    expectResult(run, "invalid agent options: model|invalid agent options: agent|invalid agent options: agent");
    expect(agent.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("strips bidi and invisible characters from errors that leave the isolate", async () => {
    const run = await runHostile(`async function main(wf) { throw new Error("\\u202Eevil\\u200B text"); }`);
    expectFailure(run, "error", "evil text");
    expect(run.outcome.ok ? "" : run.outcome.error).not.toMatch(/[\u202e\u200b]/);
  }, CASE_TIMEOUT_MS);

  it("shows hidden characters in type-check messages as escapes, never raw", () => {
    const result = validateWorkflow('async function main(wf) {\n  return wf.runAgnet("\u202e");\n}', HOSTILE_LIMITS.maxCodeBytes);
    const text = result.diagnostics.map((d) => d.message).join("\n");
    expect(text).not.toMatch(/\u202e/);
  });
});
