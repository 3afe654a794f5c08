// 5. Memory: 1,000 sub-agents, 64 at once, peak resident memory of the CLI's whole process tree.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cliArgs, cliEnv, scratch } from "../lib/cli.js";
import { measure } from "../lib/measure.js";
import { fanOutCode, startScenario } from "../lib/scenario.js";
import type { Benchmark } from "../lib/types.js";

export const memory: Benchmark = {
  id: "5",
  title: "Memory",
  setup:
    "`agentwf exec` of one `mapAgents` over 1,000 items at -c 64 (each sub-agent: one `list_dir` call, then an answer; 250 ms latency), output piped. " +
    "Peak of the summed resident set of the CLI, its threads and its sandbox child, sampled every 50 ms from /proc.",
  async run(context) {
    const n = context.quick ? 200 : 1000;
    const { workspace, home } = scratch("memory");
    writeFileSync(path.join(workspace, "many.js"), fanOutCode(n));
    const scenario = await startScenario({ latencyMs: 250, toolCall: true, answer: "done" });
    const env = cliEnv(home, scenario.server.baseUrl);
    try {
      const peaks: number[] = [];
      for (let i = 0; i < context.runs; i += 1) {
        scenario.reset();
        const run = await measure({ command: process.execPath, args: cliArgs("exec", "many.js", "-m", "openai/bench", "-c", "64", "--max-agents", String(n)), env, cwd: workspace });
        if (run.exitCode !== 0) throw new Error(`exec failed (exit ${run.exitCode}): ${run.stderr.slice(-500)}`);
        peaks.push(run.peakRssMb);
        context.log(`memory run ${i + 1}: peak ${run.peakRssMb.toFixed(0)} MB, wall ${(run.wallMs / 1000).toFixed(2)} s`);
      }
      return [{ bench: "5", what: `${n.toLocaleString("en-US")} sub-agents at -c 64: peak RSS of the process tree`, samples: peaks, unit: "MB", target: { max: 300, text: "≤ 300 MB" }, note: context.quick ? "--quick runs 200 sub-agents; the target is for 1,000" : undefined }];
    } finally {
      await scenario.close();
    }
  },
};
