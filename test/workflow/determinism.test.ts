// A resumed run replays its workflow, so the workflow's clock and random numbers must be the same
// on every run of one run id (runtime-source.ts): the run's start time and a generator seeded
// from the run id.
import { describe, expect, it } from "vitest";
import { runWorkflow } from "../../src/workflow/sandbox.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import type { Determinism, RunAgent } from "../../src/workflow/types.js";

const echo: RunAgent = async (request) => ({ ok: true, value: request.prompt, usage: { inputTokens: 0, outputTokens: 0 } });

const PROBE = `async function main(wf) {
  const stamped = await wf.runAgent("at " + new Date().toISOString() + " pick " + Math.floor(Math.random() * 1e9));
  return {
    now: Date.now(),
    iso: new Date().toISOString(),
    called: typeof Date(),
    explicit: new Date(0).toISOString(),
    utc: Date.UTC(2020, 0, 1),
    isDate: new Date() instanceof Date,
    ctor: new Date().constructor === Date,
    randoms: [Math.random(), Math.random(), Math.random()],
    stamped,
  };
}`;

async function probe(determinism: Determinism): Promise<Record<string, unknown>> {
  const outcome = await runWorkflow({
    code: PROBE,
    workflowId: "w1",
    defaultAgent: "general-purpose",
    runAgent: echo,
    limits: DEFAULT_LIMITS,
    emit: () => {},
    signal: new AbortController().signal,
    determinism,
  });
  if (!outcome.ok) throw new Error(outcome.error);
  return JSON.parse(outcome.result) as Record<string, unknown>;
}

describe("a workflow's clock and random numbers", () => {
  it("are the run's start time and a generator seeded from the run id: the same on every run of one run", async () => {
    const clockMs = Date.UTC(2026, 11, 2, 10, 30);
    const first = await probe({ clockMs, seed: "20261202-103000-abcd" });
    const again = await probe({ clockMs, seed: "20261202-103000-abcd" });
    expect(first).toEqual(again);
    expect(first).toMatchObject({
      now: clockMs,
      iso: "2026-12-02T10:30:00.000Z",
      called: "string",
      explicit: "1970-01-01T00:00:00.000Z",
      utc: Date.UTC(2020, 0, 1),
      isDate: true,
      ctor: true,
    });
    const randoms = first.randoms as number[];
    expect(new Set(randoms).size).toBe(3);
    for (const r of randoms) expect(r >= 0 && r < 1).toBe(true);
    expect(String(first.stamped)).toMatch(/^at 2026-12-02T10:30:00.000Z pick \d+$/);
  });

  it("differ between runs with different ids", async () => {
    const clockMs = Date.UTC(2026, 11, 2, 10, 30);
    const one = await probe({ clockMs, seed: "run-one" });
    const two = await probe({ clockMs, seed: "run-two" });
    expect(one.randoms).not.toEqual(two.randoms);
  });
});
