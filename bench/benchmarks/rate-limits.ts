// 9. Rate limits: 200 sub-agents against a server that answers 8 requests at once and 429 beyond,
// asked for more (-c 16) than it admits, against the same run at exactly what it admits (-c 8).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cliArgs, cliEnv, scratch } from "../lib/cli.js";
import { measure, type Measured } from "../lib/measure.js";
import { fanOutCode, startScenario } from "../lib/scenario.js";
import type { Benchmark } from "../lib/types.js";

const ADMITS = 8;

export const rateLimits: Benchmark = {
  id: "9",
  title: "Rate limits",
  setup:
    `\`agentwf exec\` of 200 sub-agents (one answer each, 250 ms latency) against a server that answers ${ADMITS} requests at once and a 429 (no Retry-After) beyond. ` +
    `Run at -c 16 (over the limit: agentwf must back off and adapt) and at -c ${ADMITS} (exactly the limit); the ratio of their wall times, per run pair.`,
  async run(context) {
    const n = context.quick ? 64 : 200;
    const { workspace, home } = scratch("rate-limits");
    writeFileSync(path.join(workspace, "many.js"), fanOutCode(n));
    const scenario = await startScenario({ latencyMs: 250, toolCall: false, answer: "done", maxConcurrent: ADMITS });
    const env = cliEnv(home, scenario.server.baseUrl);
    const once = async (concurrency: number): Promise<{ run: Measured; rejected: number }> => {
      scenario.reset();
      const before = scenario.server.stats().rejected;
      const run = await measure({ command: process.execPath, args: cliArgs("exec", "many.js", "-m", "openai/bench", "-c", String(concurrency), "--max-agents", String(n)), env, cwd: workspace });
      if (run.exitCode !== 0) throw new Error(`exec -c ${concurrency} did not finish every sub-agent (exit ${run.exitCode}): ${run.stderr.slice(-500)}`);
      return { run, rejected: scenario.server.stats().rejected - before };
    };
    try {
      const over: Array<{ run: Measured; rejected: number }> = [];
      const exact: Array<{ run: Measured; rejected: number }> = [];
      for (let i = 0; i < context.runs; i += 1) {
        over.push(await once(16));
        exact.push(await once(ADMITS));
        context.log(`rate-limits run ${i + 1}: -c 16 ${(over.at(-1)!.run.wallMs / 1000).toFixed(2)} s (${over.at(-1)!.rejected} 429s), -c ${ADMITS} ${(exact.at(-1)!.run.wallMs / 1000).toFixed(2)} s`);
      }
      const note = context.quick ? `--quick runs ${n} sub-agents; the target is for 200` : undefined;
      return [
        { bench: "9", what: `-c 16 against a server admitting ${ADMITS}: wall`, samples: over.map((o) => o.run.wallMs / 1000), unit: "s", note: `all ${n} finished; 429s per run: ${over.map((o) => o.rejected).join(", ")}` },
        { bench: "9", what: `-c ${ADMITS} against the same server: wall`, samples: exact.map((o) => o.run.wallMs / 1000), unit: "s" },
        { bench: "9", what: `over the limit ÷ at the limit`, samples: over.map((o, i) => o.run.wallMs / (exact[i] as { run: Measured }).run.wallMs), unit: "×", target: { max: 1.25, text: "≤ 1.25×" }, note },
      ];
    } finally {
      await scenario.close();
    }
  },
};
