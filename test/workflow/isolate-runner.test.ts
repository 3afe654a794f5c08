// The isolate's side of a sub-agent call, in this process: each call goes out as one message with
// an id and comes back as one "settle" task; the host finds a stuck main from the end of the last
// answer's task, not from a notice per call.
import { describe, expect, it } from "vitest";
import { runInIsolate } from "../../src/workflow/isolate-runner.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import type { WorkflowLimits } from "../../src/workflow/types.js";

const LIMITS: WorkflowLimits = { ...DEFAULT_LIMITS, wallTimeMs: 60_000 };

const answer = (value: unknown): string => JSON.stringify({ ok: true, value });

function run(code: string, callAgent: (requestJson: string) => Promise<string>) {
  return runInIsolate({ code, limits: LIMITS, callAgent, log: () => {} });
}

const promptOf = (requestJson: string): string => (JSON.parse(requestJson) as { prompt: string }).prompt;

describe("runInIsolate: agent calls across the boundary", () => {
  it("gives each call its own answer when the host answers out of order", async () => {
    const held: Array<() => void> = [];
    const outcome = run(`async function main(wf) { return (await Promise.all(["a", "b", "c"].map((p) => wf.runAgent(p)))).join(","); }`, (request) =>
      new Promise((resolve) => {
        held.push(() => resolve(answer(promptOf(request).toUpperCase())));
        // Answer only once all three are out, last first.
        if (held.length === 3) for (const release of held.reverse()) release();
      }),
    );
    expect(await outcome).toEqual({ ok: true, result: "A,B,C" });
  });

  it("does not take a call made many microtasks after the previous answer for a deadlock", async () => {
    const outcome = await run(
      `async function main(wf) {
        const seen = [];
        for (let i = 0; i < 20; i++) {
          seen.push(await wf.runAgent("step " + i));
          for (let j = 0; j < 200; j++) await null;
        }
        return seen.join("|");
      }`,
      (request) => Promise.resolve(answer(promptOf(request))),
    );
    expect(outcome).toEqual({ ok: true, result: Array.from({ length: 20 }, (_, i) => `step ${i}`).join("|") });
  });

  it("ends as a deadlock when the last answers leave main waiting on nothing", async () => {
    const outcome = await run(
      `async function main(wf) { await Promise.all([wf.runAgent("a"), wf.runAgent("b")]); await new Promise(() => {}); }`,
      (request) => (promptOf(request) === "a" ? new Promise((resolve) => setImmediate(() => resolve(answer("late")))) : Promise.resolve(answer("soon"))),
    );
    expect(outcome).toMatchObject({ ok: false, kind: "deadlock" });
  });

  it("ends as a deadlock when twenty answers arrive at once and main then waits on nothing", async () => {
    const held: Array<() => void> = [];
    const outcome = await run(
      `async function main(wf) {
        const all = await Promise.all(Array.from({ length: 20 }, (_, i) => wf.runAgent("p" + i)));
        wf.log(all.length);
        await new Promise(() => {});
      }`,
      (request) =>
        new Promise((resolve) => {
          held.push(() => resolve(answer(promptOf(request))));
          if (held.length === 20) for (const release of held) release();
        }),
    );
    expect(outcome).toMatchObject({ ok: false, kind: "deadlock" });
  });

  it("answers a runner that throws at once with a failed call the workflow can catch", async () => {
    const outcome = await run(`async function main(wf) { try { await wf.runAgent("x"); return "no error"; } catch (e) { return e.message; } }`, () => {
      throw new Error("the runner broke");
    });
    expect(outcome).toEqual({ ok: true, result: "the agent call failed" });
  });

  it("answers a runner that rejects with a failed call the workflow can catch", async () => {
    const outcome = await run(`async function main(wf) { try { await wf.runAgent("x"); return "no error"; } catch (e) { return e.message; } }`, () =>
      Promise.reject(new Error("the runner broke")),
    );
    expect(outcome).toEqual({ ok: true, result: "the agent call failed" });
  });

  it("keeps answers away from accessors the workflow puts on Object.prototype and Array.prototype", async () => {
    const outcome = await run(
      `async function main(wf) {
        const trap = { get() { return () => {}; }, set() {}, configurable: true };
        for (const key of ["1", "2", "3"]) {
          Object.defineProperty(Object.prototype, key, trap);
          Object.defineProperty(Array.prototype, key, trap);
        }
        const a = await wf.runAgent("one");
        const b = await wf.runAgent("two");
        return a + " " + b;
      }`,
      (request) => Promise.resolve(answer(promptOf(request))),
    );
    expect(outcome).toEqual({ ok: true, result: "one two" });
  });
});
