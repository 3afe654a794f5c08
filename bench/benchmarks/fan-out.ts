// 2. Fan-out: N sub-agents at concurrency 16, 250 ms latency, each one tool call then an answer,
// through the whole CLI, against the floor program making the same requests. Runs interleave
// (floor, exec, run with the Ink UI on a pseudo-terminal) so load on the machine hits all three.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cliArgs, cliEnv, REPO_ROOT, scratch, ttyEnv } from "../lib/cli.js";
import { measure, type Measured } from "../lib/measure.js";
import { fanOutCode, startScenario } from "../lib/scenario.js";
import type { Benchmark, Row } from "../lib/types.js";

const CONCURRENCY = 16;
const LATENCY_MS = 250;

const TARGETS: Record<number, { plain: number; ui: number }> = { 200: { plain: 1.15, ui: 1.2 }, 1000: { plain: 1.05, ui: 1.1 } };

export const fanOut: Benchmark = {
  id: "2",
  title: "Fan-out against the floor",
  setup:
    `N sub-agents in one \`mapAgents\`, -c ${CONCURRENCY}, every sub-agent request answered after ${LATENCY_MS} ms; each sub-agent calls \`list_dir\` once, then answers. ` +
    "The floor is `bench/floor.mjs`: the openai SDK and a semaphore making the same two streamed requests per item, started as a process. " +
    "`exec` runs with stdout and stderr piped (plain progress lines); `run -y` runs on a 200×50 pseudo-terminal with the Ink UI (its parent's two requests are answered at once). " +
    "Ratios are per run (each run's agentwf time over the floor time measured next to it), then the median. Ideal: N / 16 × 2 × 250 ms.",
  async run(context) {
    const sizes = context.quick ? [100] : [200, 1000];
    const rows: Row[] = [];
    for (const n of sizes) {
      const target = TARGETS[n] ?? TARGETS[200]!;
      const targetNote = TARGETS[n] === undefined ? ` (--quick runs N = ${n}; the targets are for N = 200)` : "";
      const { workspace, home } = scratch(`fan-out-${n}`);
      const code = fanOutCode(n);
      writeFileSync(path.join(workspace, "fan-out.js"), code);
      const scenario = await startScenario({ latencyMs: LATENCY_MS, toolCall: true, answer: "done", parentCode: code });
      const env = cliEnv(home, scenario.server.baseUrl);
      const limits = ["-c", String(CONCURRENCY), "--max-agents", String(n)];
      const check = (what: string, run: Measured, expectRequests: number) => {
        const made = scenario.counts().subAgent;
        if (run.exitCode !== 0 || made !== expectRequests) throw new Error(`${what} failed (exit ${run.exitCode}, ${made} of ${expectRequests} requests): ${(run.stderr || run.stdout).slice(-600)}`);
      };
      const floor = async () => {
        scenario.reset();
        const run = await measure({ command: process.execPath, args: [path.join(REPO_ROOT, "bench", "floor.mjs"), scenario.server.baseUrl, String(n), String(CONCURRENCY)], env: { PATH: process.env.PATH ?? "" }, cwd: workspace });
        check("the floor program", run, 2 * n);
        return run;
      };
      const exec = async () => {
        scenario.reset();
        const run = await measure({ command: process.execPath, args: cliArgs("exec", "fan-out.js", "-m", "openai/bench", ...limits), env, cwd: workspace });
        check("agentwf exec", run, 2 * n);
        return run;
      };
      const ui = async () => {
        scenario.reset();
        const run = await measure({
          command: process.execPath,
          args: cliArgs("run", "fan the work out", "-y", "-m", "openai/bench", ...limits),
          env: ttyEnv(env),
          cwd: workspace,
          pty: { cols: 200, rows: 50 },
        });
        check("agentwf run with the UI", run, 2 * n);
        return run;
      };
      try {
        // Warm-up: fills the compile cache, starts the server's sockets.
        await exec();
        const runs: Array<{ floor: Measured; exec: Measured; ui: Measured }> = [];
        for (let i = 0; i < context.runs; i += 1) {
          const measured = { floor: await floor(), exec: await exec(), ui: await ui() };
          runs.push(measured);
          context.log(`fan-out N=${n} run ${i + 1}: floor ${(measured.floor.wallMs / 1000).toFixed(2)} s, exec ${(measured.exec.wallMs / 1000).toFixed(2)} s, run+UI ${(measured.ui.wallMs / 1000).toFixed(2)} s`);
        }
        const ideal = ((n / CONCURRENCY) * 2 * LATENCY_MS) / 1000;
        const s = (pick: (m: { floor: Measured; exec: Measured; ui: Measured }) => number) => runs.map(pick);
        rows.push(
          { bench: "2", what: `N = ${n}: floor program, wall`, samples: s((m) => m.floor.wallMs / 1000), unit: "s", note: `ideal ${ideal.toFixed(2)} s` },
          { bench: "2", what: `N = ${n}: \`agentwf exec\`, wall`, samples: s((m) => m.exec.wallMs / 1000), unit: "s" },
          { bench: "2", what: `N = ${n}: \`agentwf exec\` ÷ floor`, samples: s((m) => m.exec.wallMs / m.floor.wallMs), unit: "×", target: { max: target.plain, text: `≤ ${target.plain.toFixed(2)}×` }, note: targetNote || undefined },
          { bench: "2", what: `N = ${n}: \`agentwf run -y\` with the Ink UI on a terminal ÷ floor`, samples: s((m) => m.ui.wallMs / m.floor.wallMs), unit: "×", target: { max: target.ui, text: `≤ ${target.ui.toFixed(2)}×` }, note: targetNote || undefined },
          { bench: "2", what: `N = ${n}: CPU, floor / exec / run with UI`, samples: s((m) => m.exec.cpuMs / 1000), unit: "CPU-s", note: `floor ${med(s((m) => m.floor.cpuMs / 1000)).toFixed(2)} CPU-s, exec (this row's figure), run with UI ${med(s((m) => m.ui.cpuMs / 1000)).toFixed(2)} CPU-s` },
          { bench: "2", what: `N = ${n}: peak RSS of the process tree, exec`, samples: s((m) => m.exec.peakRssMb), unit: "MB", note: `floor ${med(s((m) => m.floor.peakRssMb)).toFixed(0)} MB; run with UI ${med(s((m) => m.ui.peakRssMb)).toFixed(0)} MB` },
        );
      } finally {
        await scenario.close();
      }
    }
    return rows;
  },
};

function med(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
