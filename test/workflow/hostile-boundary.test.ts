// Hostile corpus, part 3: values that cross the boundary with traps in them (getters, toJSON,
// Symbol.toPrimitive, Proxy) on prompts, options, results and thrown values; huge, circular and
// BigInt results; huge reducer inputs; malformed options; agent-type and model-name abuse. What
// reaches the fake runAgent must be plain data, and what reaches the parent must say what happened.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CASE_TIMEOUT_MS,
  HOSTILE_LIMITS,
  LIMIT_WORDS,
  RAW_CONTROL,
  answer,
  expectContained,
  expectFailure,
  expectHostHealthy,
  expectJsonResult,
  expectResult,
  fakeAgent,
  refuse,
  runHostile,
} from "./hostile-harness.js";
import type { AgentRequest } from "../../src/workflow/types.js";

let baselineRss = 0;
beforeAll(() => {
  baselineRss = process.memoryUsage().rss;
});
afterEach(async () => {
  await expectHostHealthy(baselineRss);
}, CASE_TIMEOUT_MS);

/** Every request the fake saw is plain data of the documented shape. */
function expectPlainRequests(requests: readonly AgentRequest[]): void {
  for (const request of requests) {
    expect(Object.getPrototypeOf(request)).toBe(Object.prototype);
    expect(typeof request.prompt).toBe("string");
    expect(typeof request.agent).toBe("string");
    expect(typeof request.description).toBe("string");
    expect(request.description).not.toMatch(RAW_CONTROL);
    expect(request.description.length).toBeLessThanOrEqual(200);
    if (request.model !== undefined) expect(typeof request.model).toBe("string");
    if (request.schema !== undefined) expect(JSON.parse(JSON.stringify(request.schema))).toEqual(request.schema);
  }
}

describe("hostile workflows: traps on prompts and options", () => {
  it("refuses a prompt object whose Symbol.toPrimitive would turn it into a string", async () => {
    const run = await runHostile(`async function main(wf) {
      return wf.runAgent({ [Symbol.toPrimitive]() { return "smuggled"; }, toString() { return "smuggled"; } });
    }`);
    expectFailure(run, "error", "wf.runAgent: prompt must be a string");
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("serialises mapAgents items through toJSON once, and their control characters arrive escaped", async () => {
    const run = await runHostile(`async function main(wf) {
      return wf.mapAgents([{ toJSON() { return "\\x1b[2Jpwn"; } }], "review {item}");
    }`);
    expectContained(run);
    expect(run.requests.map((r) => r.prompt)).toEqual(['review "\\u001b[2Jpwn"']);
    expectPlainRequests(run.requests);
  }, CASE_TIMEOUT_MS);

  it("stops an item getter that never returns at the CPU limit", async () => {
    const run = await runHostile(`async function main(wf) {
      const items = [1, 2];
      Object.defineProperty(items, 1, { get() { for (;;) {} } });
      return wf.mapAgents(items, "{item}");
    }`);
    expectFailure(run, "cpu_time", LIMIT_WORDS.cpu);
    expect(run.requests.length).toBeLessThanOrEqual(1);
  }, CASE_TIMEOUT_MS);

  it("fails an item whose prompt function returns a Proxy instead of a string", async () => {
    const run = await runHostile(`async function main(wf) { return wf.mapAgents([1], () => new Proxy({}, { getPrototypeOf() { throw new Error("trap"); } })); }`);
    expectFailure(run, "error", "[0] the prompt function returned object, not a string");
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("ends as a deadlock when a prompt function returns a Proxy that poses as a thenable which never settles", async () => {
    // Awaiting the Proxy reads its `then`, gets a function, and waits for a call that never comes.
    const run = await runHostile(`async function main(wf) { return wf.mapAgents([1], () => new Proxy({}, { get() { return () => "x"; } })); }`, {
      limits: { wallTimeMs: 60_000 },
    });
    expectFailure(run, "deadlock", LIMIT_WORDS.deadlock);
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("cuts a description whose toString returns a million characters to a short label", async () => {
    const run = await runHostile(`async function main(wf) {
      return wf.mapAgents([1], "{item}", { description: () => ({ toString() { return "\\x1b[31m" + "x".repeat(1e6); } }) });
    }`);
    expectJsonResult(run, ["echo: 1"]);
    expectPlainRequests(run.requests);
  }, CASE_TIMEOUT_MS);

  it("reads options through a Proxy in the isolate and hands runAgent plain strings", async () => {
    const run = await runHostile(`async function main(wf) {
      const options = new Proxy({}, {
        get(target, key) {
          if (key === "agent") return { [Symbol.toPrimitive]() { return "reviewer"; } };
          if (key === "model") return { toString() { return "openai/gpt-4o"; } };
          return undefined;
        },
      });
      return wf.runAgent("p", options);
    }`);
    expectResult(run, "echo: p");
    expect(run.requests).toEqual([{ prompt: "p", agent: "reviewer", model: "openai/gpt-4o", description: "p" }]);
    expectPlainRequests(run.requests);
  }, CASE_TIMEOUT_MS);

  it("stops a Symbol.toPrimitive trap on an option that never returns at the CPU limit", async () => {
    const run = await runHostile(`async function main(wf) { return wf.runAgent("p", { agent: { [Symbol.toPrimitive]() { for (;;) {} } } }); }`);
    expectFailure(run, "cpu_time", LIMIT_WORDS.cpu);
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("lets main catch an option whose toString throws a Proxy", async () => {
    const run = await runHostile(`async function main(wf) {
      try { await wf.runAgent("p", { model: { toString() { throw new Proxy({}, {}); } } }); return "no error"; }
      catch (e) { return "caught " + typeof e; }
    }`);
    expectResult(run, "caught object");
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("stops a maxConcurrency whose valueOf never returns at the CPU limit", async () => {
    const run = await runHostile(`async function main(wf) { return wf.mapAgents([1], "{item}", { maxConcurrency: { valueOf() { for (;;) {} } } }); }`);
    expectFailure(run, "cpu_time", LIMIT_WORDS.cpu);
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("sends a schema with getters and toJSON as the plain JSON it serialises to", async () => {
    const run = await runHostile(`async function main(wf) {
      return wf.runAgent("p", { schema: { get type() { return "object"; }, toJSON() { return { type: "string" }; } } });
    }`);
    expectResult(run, "echo: p");
    expect(run.requests[0]?.schema).toEqual({ type: "string" });
    expectPlainRequests(run.requests);
  }, CASE_TIMEOUT_MS);

  it("refuses a schema nested 100 000 levels deep without a sub-agent call", async () => {
    const run = await runHostile(`async function main(wf) {
      let schema = {};
      for (let i = 0; i < 100000; i++) schema = { a: schema };
      try { await wf.runAgent("p", { schema }); return "sent"; } catch (e) { return "refused: " + e.message; }
    }`, { limits: { cpuTimeMs: 5_000 } });
    expectResult(run, "refused: agent options must be plain data (JSON): Maximum call stack size exceeded");
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);
});

describe("hostile workflows: malformed options", () => {
  const refused: ReadonlyArray<{ name: string; call: string; error: string }> = [
    { name: "a schema that is a string", call: `wf.runAgent("p", { schema: "not an object" })`, error: "invalid agent options: schema" },
    { name: "a schema that is an array", call: `wf.runAgent("p", { schema: [1, 2] })`, error: "invalid agent options: schema" },
    { name: "an agent name of 10 KB", call: `wf.runAgent("p", { agent: "a".repeat(10240) })`, error: "invalid agent options: agent" },
    { name: "a model name of 10 KB", call: `wf.runAgent("p", { model: "m/" + "a".repeat(10240) })`, error: "invalid agent options: model" },
    { name: "options that are a number", call: `wf.runAgent("p", 5)`, error: "wf.runAgent: options must be an object" },
    { name: "maxConcurrency 0", call: `wf.mapAgents([1], "{item}", { maxConcurrency: 0 })`, error: "wf.mapAgents: maxConcurrency must be a number of at least 1" },
    { name: "maxConcurrency -1", call: `wf.mapAgents([1], "{item}", { maxConcurrency: -1 })`, error: "wf.mapAgents: maxConcurrency must be a number of at least 1" },
    { name: "maxConcurrency NaN", call: `wf.mapAgents([1], "{item}", { maxConcurrency: NaN })`, error: "wf.mapAgents: maxConcurrency must be a number of at least 1" },
    { name: "mapAgents items that are not an array", call: `wf.mapAgents({ length: 1e9 }, "{item}")`, error: "wf.mapAgents: items must be an array" },
    { name: "reduceAgent options that are a string", call: `wf.reduceAgent([1], "merge", "fast")`, error: "wf.reduceAgent: options must be an object" },
  ];

  it.each(refused)("refuses $name with a catchable error and no sub-agent call", async ({ call, error }) => {
    const run = await runHostile(`async function main(wf) {
      try { await ${call}; return "accepted"; } catch (e) { return "refused: " + e.message; }
    }`);
    expectContained(run);
    expect(run.outcome.ok && run.outcome.result).toContain(`refused: ${error}`);
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it.each([
    ["Infinity", "Infinity"],
    ['the string "8"', '"8"'],
  ])("takes maxConcurrency %s as a number and stays within the global concurrency", async (_name, value) => {
    let running = 0;
    let peak = 0;
    const agent = fakeAgent(async (request) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return answer(request.prompt);
    });
    const run = await runHostile(`async function main(wf) { return wf.mapAgents([1, 2, 3, 4, 5, 6], "{item}", { maxConcurrency: ${value} }); }`, { agent });
    expectJsonResult(run, ["1", "2", "3", "4", "5", "6"]);
    expect(peak).toBeLessThanOrEqual(HOSTILE_LIMITS.concurrency);
  }, CASE_TIMEOUT_MS);
});

describe("hostile workflows: agent-type and model-name abuse", () => {
  // Like the real runner: agent types are looked up by name in a registry, never as paths.
  const registry = new Map([["general-purpose", true], ["reviewer", true]]);
  const registryAgent = () =>
    fakeAgent((request) =>
      registry.has(request.agent) ? answer(`ran ${request.agent}`) : refuse(`unknown agent type "${request.agent}"; available: general-purpose, reviewer`),
    );

  it("treats a path-traversal agent name as an unknown name, never as a path", async () => {
    const agent = registryAgent();
    const run = await runHostile(`async function main(wf) { return wf.runAgent("read it", { agent: "../../etc/passwd" }); }`, { agent });
    expectFailure(run, "error", /unknown agent type|invalid agent options: agent/);
    expect(run.outcome.ok ? "" : run.outcome.error).not.toMatch(/root:|bin\/bash/);
    for (const request of agent.requests) expect(registry.has(request.agent)).toBe(false);
  }, CASE_TIMEOUT_MS);

  it("keeps control characters in an agent name out of the error the parent sees", async () => {
    const agent = registryAgent();
    const run = await runHostile(`async function main(wf) { return wf.runAgent("p", { agent: "gen\\x1b[31m\\x07\\nreviewer" }); }`, { agent });
    expectFailure(run, "error", /unknown agent type|invalid agent options: agent/);
  }, CASE_TIMEOUT_MS);

  it("strips control characters from a description before runAgent sees it", async () => {
    const run = await runHostile(`async function main(wf) { return wf.runAgent("p", { description: "\\x1b[2J\\x1b]0;title\\x07hi\\u009b31m" + "d".repeat(500) }); }`);
    expectResult(run, "echo: p");
    expectPlainRequests(run.requests);
    expect(run.requests[0]?.description.startsWith("hi")).toBe(true);
  }, CASE_TIMEOUT_MS);
});

describe("hostile workflows: results that are huge, circular, BigInt or trapped", () => {
  it("refuses a 5 MB string result naming the result limit", async () => {
    const run = await runHostile(`async function main(wf) { return "x".repeat(5e6); }`);
    expectFailure(run, "result_too_large", "5000000 bytes", `${HOSTILE_LIMITS.maxResultBytes}-byte result limit`);
  }, CASE_TIMEOUT_MS);

  it("refuses a huge JSON result naming the result limit", async () => {
    const run = await runHostile(`async function main(wf) { return Array.from({ length: 200000 }, (_, i) => ({ i })); }`, { limits: { cpuTimeMs: 5_000 } });
    expectFailure(run, "result_too_large", `${HOSTILE_LIMITS.maxResultBytes}-byte result limit`);
  }, CASE_TIMEOUT_MS);

  it("refuses a 5 MB sub-agent answer before it enters the isolate", async () => {
    const agent = fakeAgent(() => answer("y".repeat(5_000_000)));
    const run = await runHostile(`async function main(wf) { const r = await wf.runAgent("x"); return r.length; }`, { agent });
    expectFailure(run, "error", `over the ${HOSTILE_LIMITS.maxResultBytes}-byte limit`);
  }, CASE_TIMEOUT_MS);

  it("explains a circular result instead of failing obscurely", async () => {
    const run = await runHostile(`async function main(wf) { const a = { name: "loop" }; a.self = a; return a; }`);
    expectFailure(run, "error", "main returned a value that is not JSON data", "circular", "return a string, or plain objects and arrays");
  }, CASE_TIMEOUT_MS);

  it("returns BigInt values as decimal strings", async () => {
    const run = await runHostile(`async function main(wf) { return { n: 10n ** 30n, list: [1n, -2n] }; }`);
    expectJsonResult(run, { n: "1000000000000000000000000000000", list: ["1", "-2"] });
  }, CASE_TIMEOUT_MS);

  it("stops a result whose toJSON never returns at the CPU limit", async () => {
    const run = await runHostile(`async function main(wf) { return { toJSON() { for (;;) {} } }; }`);
    expectFailure(run, "cpu_time", LIMIT_WORDS.cpu);
  }, CASE_TIMEOUT_MS);

  it("reports a Proxy result whose ownKeys trap throws, without its control characters", async () => {
    const run = await runHostile(`async function main(wf) { return new Proxy({}, { ownKeys() { throw new Error("\\x1b[31mgotcha\\x07"); } }); }`);
    expectFailure(run, "error", "main returned a value that is not JSON data", "gotcha");
  }, CASE_TIMEOUT_MS);

  it("keeps a __proto__ key in a sub-agent answer as data: no prototype is polluted, in the isolate or the host", async () => {
    const agent = fakeAgent(() => answer(JSON.parse('{"__proto__": {"polluted": "yes"}, "b": 2}')));
    const run = await runHostile(`async function main(wf) {
      const r = await wf.runAgent("x");
      return [typeof ({}).polluted, Object.keys(r), Object.getPrototypeOf(r) === Object.prototype];
    }`, { agent, input: JSON.parse('{"__proto__": {"polluted": "yes"}}') });
    expectJsonResult(run, ["undefined", ["__proto__", "b"], true]);
    expect((({}) as { polluted?: unknown }).polluted).toBeUndefined();
  }, CASE_TIMEOUT_MS);

  it("ends a main that returns a thenable which never settles as a deadlock", async () => {
    const run = await runHostile(`async function main(wf) { return { then() {} }; }`, { limits: { wallTimeMs: 60_000 } });
    expectFailure(run, "deadlock", LIMIT_WORDS.deadlock);
  }, CASE_TIMEOUT_MS);
});

describe("hostile workflows: huge and trapped reduceAgent inputs", () => {
  const budget = HOSTILE_LIMITS.reduceInputChars;

  it("truncates 100 000 items with a marker saying how much was cut", async () => {
    const run = await runHostile(`async function main(wf) { return wf.reduceAgent(Array.from({ length: 100000 }, (_, i) => "item " + i), "merge"); }`, {
      limits: { cpuTimeMs: 5_000 },
    });
    expectContained(run);
    const prompt = run.requests[0]?.prompt ?? "";
    expect(prompt).toMatch(/\[… truncated by agentwf: \d+ of \d+ characters cut …\]/);
    expect(prompt.length).toBeLessThan(budget + 200);
  }, CASE_TIMEOUT_MS);

  it("truncates a million characters produced by a toJSON trap", async () => {
    const run = await runHostile(`async function main(wf) { return wf.reduceAgent({ toJSON() { return "x".repeat(1e6); } }, "merge"); }`);
    expectContained(run);
    expect(run.requests[0]?.prompt).toContain("characters cut");
    expect(run.requests[0]?.prompt.length).toBeLessThan(budget + 200);
  }, CASE_TIMEOUT_MS);

  it("refuses circular input with a catchable error that names JSON", async () => {
    const run = await runHostile(`async function main(wf) {
      const a = []; a.push(a);
      try { await wf.reduceAgent(a, "merge"); return "sent"; } catch (e) { return e.message; }
    }`);
    expectContained(run);
    expect(run.outcome.ok && run.outcome.result).toMatch(/^wf\.reduceAgent: items cannot be serialized to JSON: .*circular/s);
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("passes BigInt input on as decimal strings", async () => {
    const run = await runHostile(`async function main(wf) { return wf.reduceAgent({ n: 2n ** 70n }, "merge"); }`);
    expectContained(run);
    expect(run.requests[0]?.prompt).toContain('"n": "1180591620717411303424"');
  }, CASE_TIMEOUT_MS);
});

describe("hostile workflows: thrown values that are not plain Errors", () => {
  const thrown: ReadonlyArray<{ name: string; code: string; error: string | RegExp }> = [
    { name: "null", code: `throw null;`, error: "null" },
    { name: "undefined", code: `throw undefined;`, error: "undefined" },
    { name: "a Symbol", code: `throw Symbol("boom");`, error: "Symbol(boom)" },
    { name: "a plain object", code: `throw { code: 42, message: "plain object" };`, error: '{"code":42,"message":"plain object"}' },
    { name: "a Proxy whose every trap throws another Proxy", code: `throw new Proxy({}, { get() { throw new Proxy({}, {}); }, getPrototypeOf() { throw new Proxy({}, {}); } });`, error: /thrown/ },
    { name: "an Error whose name getter throws a Symbol", code: `const e = new Error("x"); Object.defineProperty(e, "name", { get() { throw Symbol("s"); } }); throw e;`, error: "x" },
    { name: "an object whose toString never returns", code: `throw { toString() { for (;;) {} } };`, error: "{}" },
    { name: "an Error subclass with a message getter", code: `class E extends Error { get message() { return "from a getter \\x07"; } } throw new E();`, error: "from a getter" },
  ];

  it.each(thrown)("reports $name thrown from main", async ({ code, error }) => {
    const run = await runHostile(`async function main(wf) { ${code} }`);
    expectFailure(run, "error", error);
  }, CASE_TIMEOUT_MS);

  it("stops an Error whose message getter never returns at the CPU limit", async () => {
    const run = await runHostile(`async function main(wf) { const e = new Error("x"); Object.defineProperty(e, "message", { get() { for (;;) {} } }); throw e; }`);
    expectFailure(run, "cpu_time", LIMIT_WORDS.cpu);
  }, CASE_TIMEOUT_MS);

  it("stops a thrown Proxy whose getPrototypeOf trap never returns at the CPU limit", async () => {
    const run = await runHostile(`async function main(wf) { throw new Proxy(new Error("p"), { getPrototypeOf() { for (;;) {} } }); }`);
    expectFailure(run, "cpu_time", LIMIT_WORDS.cpu);
  }, CASE_TIMEOUT_MS);

  it("strips terminal control sequences from a thrown Error's name and message", async () => {
    const run = await runHostile(`async function main(wf) {
      const e = new Error("\\x1b[2J\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07 \\u009b2J done");
      e.name = "\\x1b[31mEvil";
      throw e;
    }`);
    expectFailure(run, "error", "Evil", "click", "done");
  }, CASE_TIMEOUT_MS);

  it("cuts a 10-million-character message to a bounded error that says how much was cut", async () => {
    const run = await runHostile(`async function main(wf) { throw new Error("x".repeat(1e7)); }`, { limits: { cpuTimeMs: 5_000 } });
    expectFailure(run, "error", /more characters\)$/);
  }, CASE_TIMEOUT_MS);

  it("strips control characters from a sub-agent's failure before the parent sees it", async () => {
    const agent = fakeAgent(() => refuse("\x1b[2Jbad \x1b]0;title\x07 thing"));
    const run = await runHostile(`async function main(wf) { return wf.runAgent("x"); }`, { agent });
    expectFailure(run, "error", "bad", "thing");
  }, CASE_TIMEOUT_MS);

  it("reports a thrown getter on the global `main` without touching the host", async () => {
    const run = await runHostile(`Object.defineProperty(globalThis, "main", { get() { throw new Proxy({}, {}); } });`);
    expectFailure(run, "error", /thrown/);
  }, CASE_TIMEOUT_MS);
});
