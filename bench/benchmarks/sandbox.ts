// 6. Sandbox, in this process with isolated-vm (the runner starts with --no-node-snapshot): an
// isolate's start and the workflow's compile, and one `wf.runAgent` round trip with a runner that
// answers at once, over 10,000 calls.
import { runInIsolate } from "../../src/workflow/isolate-runner.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import type { WorkflowLimits } from "../../src/workflow/types.js";
import type { Benchmark } from "../lib/types.js";

const CALLS = 10_000;
const LIMITS: WorkflowLimits = { ...DEFAULT_LIMITS, maxAgents: CALLS + 10, cpuTimeMs: 600_000, wallTimeMs: 600_000 };
const NO_OP = JSON.stringify({ ok: true, value: null });

async function run(code: string): Promise<number> {
  const started = performance.now();
  const outcome = await runInIsolate({ code, limits: LIMITS, callAgent: () => Promise.resolve(NO_OP), log: () => {} });
  if (!outcome.ok) throw new Error(`the workflow failed: ${outcome.error}`);
  return performance.now() - started;
}

export const sandbox: Benchmark = {
  id: "6",
  title: "Sandbox",
  setup:
    "In-process with isolated-vm: `runInIsolate` of `async function main() { return 1; }` (a fresh isolate, the runtime and the workflow compiled, main run, disposed); " +
    `and a workflow awaiting \`wf.runAgent\` ${CALLS.toLocaleString("en-US")} times in a row against a runner that answers at once: (its time − the empty workflow's) ÷ ${CALLS.toLocaleString("en-US")}. ` +
    "The CLI adds one IPC hop to its sandbox child per call, which this does not include.",
  async run(context) {
    const empty = "async function main() { return 1; }";
    const loop = `async function main(wf) { for (let i = 0; i < ${CALLS}; i++) await wf.runAgent("x"); return "ok"; }`;
    await run(empty);
    await run(loop);
    const starts: number[] = [];
    const trips: number[] = [];
    const rounds = Math.max(context.runs, 5);
    for (let i = 0; i < rounds; i += 1) {
      const base = await run(empty);
      starts.push(base);
      trips.push((((await run(loop)) - base) * 1000) / CALLS);
    }
    context.log(`sandbox: start ${starts.map((s) => s.toFixed(1)).join(", ")} ms; round trip ${trips.map((t) => t.toFixed(1)).join(", ")} µs`);
    return [
      { bench: "6", what: "isolate start + compile + run + dispose, empty workflow", samples: starts, unit: "ms", target: { max: 25, text: "≤ 25 ms" } },
      { bench: "6", what: `one \`wf.runAgent\` round trip, no-op runner, ${CALLS.toLocaleString("en-US")} calls`, samples: trips, unit: "µs", target: { max: 50, text: "≤ 50 µs" } },
    ];
  },
};
