// 1. Start-up to work: process start → the first sub-agent request for `exec` of a one-agent
// workflow, and process start → the approval screen drawn after the parent's tool call in `run`.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cliArgs, cliEnv, scratch } from "../lib/cli.js";
import { measure } from "../lib/measure.js";
import { startScenario } from "../lib/scenario.js";
import type { Benchmark, Row } from "../lib/types.js";
import { ttyEnv } from "../lib/cli.js";

const ONE_AGENT = `async function main(wf) {\n  return wf.runAgent("say hello");\n}\n`;

export const startup: Benchmark = {
  id: "1",
  title: "Start-up to work",
  setup:
    "`agentwf exec one.js` (one `wf.runAgent`) against the fake server: from just before the spawn to the first sub-agent request's arrival. " +
    "`agentwf run` on a 200×50 pseudo-terminal: from the spawn to the approval screen's key line on the terminal, the parent's tool call answered at once with code it has not proposed before (so the type check runs). " +
    "One warm-up run first (it fills the compile cache and the type-check cache, as any earlier run on a person's machine would: `exec` of a file checked before loads no compiler). " +
    "Rows for a workflow never checked before (a fresh comment in it each run: the type check runs, in its thread started at launch) and for that with the compile cache off too show the cold costs.",
  async run(context) {
    const { workspace, home } = scratch("startup");
    writeFileSync(path.join(workspace, "one.js"), ONE_AGENT);
    // In `run` the parent writes new code each time, as a model does: its check is never cached.
    let proposals = 0;
    const scenario = await startScenario({ latencyMs: 0, toolCall: false, parentCode: () => `${ONE_AGENT}// proposal ${process.pid} ${Date.now()} ${(proposals += 1)}\n` });
    const env = cliEnv(home, scenario.server.baseUrl);
    const cpu: number[] = [];
    const freshCpu: number[] = [];
    let fresh = 0;
    // A workflow the type-check cache has never seen: the same code with a new comment.
    const freshFile = () => {
      fresh += 1;
      writeFileSync(path.join(workspace, "fresh.js"), `${ONE_AGENT}// fresh ${process.pid} ${Date.now()} ${fresh}\n`);
      return "fresh.js";
    };
    const execOnce = async (extraEnv: Record<string, string> = {}, file = "one.js", cpuInto?: number[]) => {
      scenario.reset();
      const start = performance.now();
      const run = await measure({ command: process.execPath, args: cliArgs("exec", file, "-m", "openai/bench"), env: { ...env, ...extraEnv }, cwd: workspace });
      const first = scenario.firstSubAgentAt();
      if (run.exitCode !== 0 || first === undefined) throw new Error(`exec failed (exit ${run.exitCode}): ${run.stderr.slice(-500)}`);
      cpuInto?.push(run.cpuMs / 1000);
      return first - start;
    };
    const runOnce = async () => {
      scenario.reset();
      const run = await measure({
        command: process.execPath,
        args: cliArgs("run", "say hello through a workflow", "-m", "openai/bench"),
        env: ttyEnv(env),
        cwd: workspace,
        pty: { cols: 200, rows: 50 },
        stopWhen: (output) => output.includes("stop run"),
        timeoutMs: 60_000,
      });
      if (run.stoppedAtMs === undefined) throw new Error(`run never drew the approval screen: ${run.stdout.slice(-500)}`);
      return run.stoppedAtMs;
    };
    try {
      await execOnce();
      await runOnce();
      const exec: number[] = [];
      const run: number[] = [];
      const unchecked: number[] = [];
      const cold: number[] = [];
      for (let i = 0; i < context.runs; i += 1) {
        exec.push(await execOnce({}, "one.js", cpu));
        run.push(await runOnce());
        unchecked.push(await execOnce({}, freshFile(), freshCpu));
        cold.push(await execOnce({ NODE_DISABLE_COMPILE_CACHE: "1" }, freshFile()));
        context.log(
          `start-up run ${i + 1}: exec ${exec.at(-1)?.toFixed(0)} ms, run → approval ${run.at(-1)?.toFixed(0)} ms, ` +
            `exec of a new workflow ${unchecked.at(-1)?.toFixed(0)} ms, and without compile cache ${cold.at(-1)?.toFixed(0)} ms`,
        );
      }
      const rows: Row[] = [
        { bench: "1", what: "`exec`: process start → first sub-agent request", samples: exec.map((ms) => ms / 1000), unit: "s", target: { max: 0.4, text: "≤ 0.4 s" } },
        { bench: "1", what: "`run`: process start → approval screen drawn", samples: run.map((ms) => ms / 1000), unit: "s", target: { max: 0.4, text: "≤ 0.4 s" } },
        { bench: "1", what: "`exec` of the one-agent workflow, start to exit: CPU of the process tree", samples: cpu, unit: "CPU-s", note: "what start-up costs whatever the load: the CLI and its sandbox child (the type check answered from its cache)" },
        { bench: "1", what: "`exec` of a workflow never checked before: process start → first sub-agent request", samples: unchecked.map((ms) => ms / 1000), unit: "s", note: `the type check runs in its thread; CPU of the process tree ${freshCpu.map((s) => s.toFixed(2)).join(", ")} CPU-s` },
        { bench: "1", what: "`exec` of a workflow never checked before, compile cache off (NODE_DISABLE_COMPILE_CACHE=1)", samples: cold.map((ms) => ms / 1000), unit: "s", note: "the first run after install or upgrade" },
      ];
      return rows;
    } finally {
      await scenario.close();
    }
  },
};
