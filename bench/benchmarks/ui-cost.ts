// 4. UI cost: 64 sub-agents streaming 4 characters every 50 ms, drawn by the Ink UI on a 200×50
// pseudo-terminal, against the same run with plain progress lines (stdout and stderr piped).
import { cliArgs, cliEnv, scratch, ttyEnv } from "../lib/cli.js";
import { measure, type Measured } from "../lib/measure.js";
import { fanOutCode, startScenario } from "../lib/scenario.js";
import type { Benchmark } from "../lib/types.js";

const AGENTS = 64;
const EVERY_MS = 50;

export const uiCost: Benchmark = {
  id: "4",
  title: "UI cost",
  setup:
    `\`agentwf run -y\`: the parent proposes one \`mapAgents\` over ${AGENTS} items at -c ${AGENTS}; every sub-agent streams its answer 4 characters every ${EVERY_MS} ms for 12 s. ` +
    "CPU of the CLI's process tree (the CLI, its type-check thread, its sandbox child) over the run's wall time, on a 200×50 pseudo-terminal with the Ink UI, and with plain lines.",
  async run(context) {
    const seconds = context.quick ? 3 : 12;
    const answer = "abcd".repeat(Math.round((seconds * 1000) / EVERY_MS));
    const { workspace, home } = scratch("ui-cost");
    const scenario = await startScenario({ latencyMs: 0, toolCall: false, answer, chunkDelayMs: EVERY_MS, parentCode: fanOutCode(AGENTS) });
    const env = cliEnv(home, scenario.server.baseUrl);
    const args = cliArgs("run", "stream", "-y", "-m", "openai/bench", "-c", String(AGENTS), "--max-agents", String(AGENTS));
    const once = async (ui: boolean): Promise<Measured> => {
      scenario.reset();
      const run = await measure({ command: process.execPath, args, env: ui ? ttyEnv(env) : env, cwd: workspace, ...(ui ? { pty: { cols: 200, rows: 50 } } : {}) });
      if (run.exitCode !== 0 || scenario.counts().subAgent !== AGENTS) throw new Error(`run failed (exit ${run.exitCode}): ${(run.stderr || run.stdout).slice(-500)}`);
      return run;
    };
    try {
      await once(false);
      const ui: Measured[] = [];
      const plain: Measured[] = [];
      for (let i = 0; i < context.runs; i += 1) {
        ui.push(await once(true));
        plain.push(await once(false));
        context.log(`ui-cost run ${i + 1}: UI ${pct(ui.at(-1)!).toFixed(1)} % of a core, plain ${pct(plain.at(-1)!).toFixed(1)} %`);
      }
      const note = context.quick ? `--quick streams for ${seconds} s, not 12` : undefined;
      return [
        { bench: "4", what: "Ink UI on a terminal: CPU of the process tree ÷ wall", samples: ui.map(pct), unit: "%", target: { max: 25, text: "≤ 25 %" }, note },
        { bench: "4", what: "plain lines: CPU of the process tree ÷ wall", samples: plain.map(pct), unit: "%", note },
        { bench: "4", what: "Ink UI ÷ plain lines, CPU", samples: ui.map((u, i) => u.cpuMs / (plain[i] as Measured).cpuMs), unit: "×", target: { max: 1.3, text: "≤ 1.30×" }, note },
      ];
    } finally {
      await scenario.close();
    }
  },
};

function pct(run: Measured): number {
  return (100 * run.cpuMs) / run.wallMs;
}
