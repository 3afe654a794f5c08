// A fan-out through the real stack in one process: workflow sandbox → scheduler → agent loop →
// openai SDK → the fake OpenAI-compatible server streaming over loopback. Reports wall time and
// the CPU this process spends per sub-agent, the number behind "the CLI is never the bottleneck".
import { afterAll, beforeAll, bench, describe } from "vitest";
import { createModelFactory } from "../src/run/model-factory.js";
import { createSubAgentRunner } from "../src/run/sub-agent-runner.js";
import { parseAgentFile } from "../src/agent/agent-types.js";
import { createReadOnlyTools } from "../src/tools/read-only-tools.js";
import { runWorkflow } from "../src/workflow/sandbox.js";
import { DEFAULT_LIMITS } from "../src/workflow/types.js";
import { startFakeServer, text, type FakeServer } from "../test/helpers/fake-openai-server.js";

let server: FakeServer;
const cpu = { user: 0, system: 0, agents: 0 };

beforeAll(async () => {
  // Each answer is 200 words streamed one chunk per word, like a real model's deltas.
  const answer = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
  server = await startFakeServer(() => text(answer));
});
afterAll(async () => {
  await server.close();
  if (cpu.agents > 0) {
    process.stdout.write(
      `\nfan-out CPU: ${((cpu.user + cpu.system) / 1000 / cpu.agents).toFixed(2)} ms per sub-agent (user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms over ${cpu.agents} sub-agents)\n`,
    );
  }
});

const agent = parseAgentFile("---\nname: general-purpose\ndescription: bench\n---\nYou answer.", "bench", "agentwf");

async function fanOut(items: number, concurrency: number) {
  const models = createModelFactory({ env: { AGENTWF_API_KEY: "bench" }, baseUrl: server.baseUrl, personModels: [] });
  const runAgent = createSubAgentRunner({
    agentTypes: new Map([[agent.name, agent]]),
    toolsFor: () => createReadOnlyTools(process.cwd()),
    sandbox: "read-only",
    models,
    defaultModel: "openai/bench",
    promptContext: { workspace: process.cwd(), instructions: undefined, date: "2026-01-01" },
    emit: () => {},
  });
  const before = process.cpuUsage();
  const outcome = await runWorkflow({
    code: `async function main(wf) { const out = await wf.mapAgents(Array.from({ length: ${items} }, (_, i) => i), "item {item}"); return out.length; }`,
    workflowId: "w1",
    defaultAgent: "general-purpose",
    runAgent,
    limits: { ...DEFAULT_LIMITS, concurrency, maxAgents: items },
    emit: () => {},
    signal: new AbortController().signal,
  });
  const used = process.cpuUsage(before);
  cpu.user += used.user;
  cpu.system += used.system;
  cpu.agents += items;
  if (!outcome.ok) throw new Error(outcome.error);
}

describe("fan-out against a streaming server on loopback", () => {
  bench("64 sub-agents, -c 64, 200 streamed chunks each", async () => {
    await fanOut(64, 64);
  }, { iterations: 5, warmupIterations: 1 });
});
