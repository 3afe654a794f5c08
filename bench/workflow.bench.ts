// Workflow engine overheads, with a fake sub-agent that answers at once: what agentwf itself
// costs per workflow and per sub-agent, apart from any model.
import { bench, describe } from "vitest";
import { runWorkflow } from "../src/workflow/sandbox.js";
import { DEFAULT_LIMITS, type RunAgent } from "../src/workflow/types.js";
import { validateWorkflow } from "../src/workflow/validate.js";

const instant: RunAgent = async (request) => ({ ok: true, value: request.prompt.length, usage: { inputTokens: 0, outputTokens: 0 } });

function run(code: string, concurrency = 64, maxAgents = 10_000) {
  return runWorkflow({
    code,
    workflowId: "w1",
    defaultAgent: "general-purpose",
    runAgent: instant,
    limits: { ...DEFAULT_LIMITS, concurrency, maxAgents },
    emit: () => {},
    signal: new AbortController().signal,
  });
}

describe("sandbox", () => {
  bench("one workflow, one sub-agent (isolate created and disposed)", async () => {
    await run(`async function main(wf) { return wf.runAgent("x"); }`);
  });

  bench("mapAgents over 1,000 items (per-agent bridge overhead)", async () => {
    const outcome = await run(`async function main(wf) {
      const items = Array.from({ length: 1000 }, (_, i) => i);
      const out = await wf.mapAgents(items, "item {item}");
      return out.length;
    }`);
    if (!outcome.ok || outcome.result !== "1000") throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
  });
});

describe("validation", () => {
  const code = `async function main(wf) {
  const areas = ["src/api", "src/db", "src/ui"];
  const found = await wf.mapAgents(areas, "audit {item}", { description: (a) => "audit " + a, maxConcurrency: 4 });
  return wf.reduceAgent(found, "merge into a table");
}`;
  bench("validateWorkflow with the type check (warm)", () => {
    validateWorkflow(code, 100_000);
  });
  bench("validateWorkflow without the type check", () => {
    validateWorkflow(code, 100_000, { typeCheck: false });
  });
});
