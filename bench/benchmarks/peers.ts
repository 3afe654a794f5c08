// 3. Against peers: the same fan-out through agentwf and through Qwen Code's workflows, interleaved
// run by run, against one fake server (sub-agents answer after 250 ms, parents at once), at
// concurrency 8. Qwen Code is installed, pinned, into a scratch folder, never into the project.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startFakeServer, text, toolCalls, type RecordedRequest } from "../../test/helpers/fake-openai-server.js";
import { CACHE_ROOT, cliArgs, cliEnv, scratch } from "../lib/cli.js";
import { measure, type Measured } from "../lib/measure.js";
import { fanOutCode, isParent } from "../lib/scenario.js";
import type { Benchmark, Row } from "../lib/types.js";

export const QWEN_VERSION = "0.24.4";
const QWEN_DIR = path.join(CACHE_ROOT, "qwen");
const QWEN_CLI = path.join(QWEN_DIR, "node_modules", "@qwen-code", "qwen-code", "cli.js");
const CONCURRENCY = 8;
const LATENCY_MS = 250;

/** Installs Qwen Code into the scratch folder once, with npm, pinned. */
function installQwen(log: (line: string) => void): void {
  const installed = path.join(QWEN_DIR, "node_modules", "@qwen-code", "qwen-code", "package.json");
  if (existsSync(installed) && execFileSync(process.execPath, ["-p", `require(${JSON.stringify(installed)}).version`], { encoding: "utf8" }).trim() === QWEN_VERSION) return;
  mkdirSync(QWEN_DIR, { recursive: true });
  writeFileSync(path.join(QWEN_DIR, "package.json"), JSON.stringify({ name: "agentwf-bench-peers", private: true }));
  log(`installing @qwen-code/qwen-code@${QWEN_VERSION} into ${QWEN_DIR}`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  execFileSync(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", `@qwen-code/qwen-code@${QWEN_VERSION}`], { cwd: QWEN_DIR, stdio: ["ignore", "ignore", "inherit"] });
}

/** The same fan-out in the Claude Code script format Qwen Code runs. */
function qwenScript(n: number): string {
  return `export const meta = { name: "fan-out", description: "one agent per item" };\nconst out = await parallel(Array.from({ length: ${n} }, (_, i) => () => agent("item " + i + ": say done")));\nreturn "finished " + out.length;\n`;
}

const hasToolResult = (request: RecordedRequest) => request.body.messages.some((m) => m.role === "tool");

export const peers: Benchmark = {
  id: "3",
  title: "Against peers (--peers)",
  setup:
    `One parent asked to fan out; it answers at once with a workflow of N sub-agents, each answering after ${LATENCY_MS} ms, at concurrency ${CONCURRENCY}: ` +
    `\`agentwf run -y\` (the workflow as \`async function main(wf)\` with \`mapAgents\`), \`agentwf run -y --dialect claude\` (Qwen Code's own script, below, unchanged) and Qwen Code ${QWEN_VERSION} headless (\`-p … --approval-mode yolo\`, QWEN_CODE_ENABLE_WORKFLOWS=1, ` +
    `QWEN_CODE_MAX_WORKFLOW_CONCURRENCY=${CONCURRENCY}; the workflow as a Claude Code–format script with \`parallel\` and \`agent\`). All output piped, runs interleaved. ` +
    "Wall and CPU of each process tree (children included), peak RSS of the tree, requests to the server. Ideal: ceil(N / 8) × 250 ms.",
  async run(context) {
    installQwen(context.log);
    const rows: Row[] = [];
    for (const n of context.quick ? [50] : [50, 200]) {
      let requests = 0;
      let flavour: "agentwf" | "agentwf-claude" | "qwen" = "agentwf";
      const server = await startFakeServer(
        (request) => {
          requests += 1;
          if (isParent(request)) {
            if (hasToolResult(request)) return text("The fan-out finished.");
            switch (flavour) {
              case "agentwf":
                return toolCalls({ name: "workflow", arguments: { name: "fan-out", code: fanOutCode(n) } });
              case "agentwf-claude":
                return toolCalls({ name: "workflow", arguments: { name: "fan-out", code: qwenScript(n) } });
              case "qwen":
                return toolCalls({ name: "workflow", arguments: { script: qwenScript(n) } });
              default: {
                const unreachable: never = flavour;
                return unreachable;
              }
            }
          }
          return text("done");
        },
        { latencyMs: (request) => (isParent(request) ? 0 : LATENCY_MS) },
      );
      const { workspace, home } = scratch(`peers-${n}`);
      // agentwf runs its own format and, with --dialect claude, the very script Qwen Code runs.
      const agentwfAs = async (as: "agentwf" | "agentwf-claude"): Promise<{ run: Measured; requests: number }> => {
        flavour = as;
        requests = 0;
        const dialect = as === "agentwf-claude" ? ["--dialect", "claude"] : [];
        const run = await measure({
          command: process.execPath,
          args: cliArgs("run", "fan the work out", "-y", "-m", "openai/bench", "-c", String(CONCURRENCY), "--max-agents", String(n), ...dialect),
          env: cliEnv(home, server.baseUrl),
          cwd: workspace,
        });
        if (run.exitCode !== 0) throw new Error(`agentwf${dialect.length > 0 ? " --dialect claude" : ""} failed (exit ${run.exitCode}): ${run.stderr.slice(-500)}`);
        return { run, requests };
      };
      const agentwf = () => agentwfAs("agentwf");
      const agentwfClaude = () => agentwfAs("agentwf-claude");
      const qwen = async (): Promise<{ run: Measured; requests: number }> => {
        flavour = "qwen";
        requests = 0;
        const qhome = mkdtempSync(path.join(os.tmpdir(), "agentwf-bench-qwen-home-"));
        const run = await measure({
          command: process.execPath,
          args: [QWEN_CLI, "-p", "fan the work out with a workflow", "--approval-mode", "yolo"],
          env: {
            PATH: process.env.PATH ?? "",
            HOME: qhome,
            OPENAI_API_KEY: "bench",
            OPENAI_BASE_URL: server.baseUrl,
            OPENAI_MODEL: "bench",
            QWEN_CODE_ENABLE_WORKFLOWS: "1",
            QWEN_CODE_MAX_WORKFLOW_CONCURRENCY: String(CONCURRENCY),
            QWEN_CODE_MAX_WORKFLOW_AGENTS: String(Math.max(n, 100)),
            QWEN_CODE_SUPPRESS_YOLO_WARNING: "1",
          },
          cwd: qhome,
        });
        if (run.exitCode !== 0) throw new Error(`Qwen Code failed (exit ${run.exitCode}): ${(run.stderr || run.stdout).slice(-500)}`);
        return { run, requests };
      };
      try {
        await agentwf();
        await agentwfClaude();
        await qwen();
        const ours: Array<{ run: Measured; requests: number }> = [];
        const oursClaude: Array<{ run: Measured; requests: number }> = [];
        const theirs: Array<{ run: Measured; requests: number }> = [];
        const shown = (x: { run: Measured; requests: number }) =>
          `${(x.run.wallMs / 1000).toFixed(2)} s ${(x.run.cpuMs / 1000).toFixed(2)} CPU-s ${x.run.peakRssMb.toFixed(0)} MB ${x.requests} req`;
        for (let i = 0; i < context.runs; i += 1) {
          theirs.push(await qwen());
          ours.push(await agentwf());
          oursClaude.push(await agentwfClaude());
          context.log(`peers N=${n} run ${i + 1}: agentwf ${shown(ours.at(-1)!)}; agentwf --dialect claude ${shown(oursClaude.at(-1)!)}; Qwen Code ${shown(theirs.at(-1)!)}`);
        }
        const ideal = (Math.ceil(n / CONCURRENCY) * LATENCY_MS) / 1000;
        const pick = (list: typeof ours, f: (m: Measured) => number) => list.map((x) => f(x.run));
        const note = (list: typeof ours) => `requests per run: ${[...new Set(list.map((x) => x.requests))].join(", ")}`;
        rows.push(
          { bench: "3", what: `N = ${n}: agentwf wall`, samples: pick(ours, (m) => m.wallMs / 1000), unit: "s", note: `ideal ${ideal.toFixed(2)} s; ${note(ours)}` },
          { bench: "3", what: `N = ${n}: Qwen Code ${QWEN_VERSION} wall`, samples: pick(theirs, (m) => m.wallMs / 1000), unit: "s", note: note(theirs) },
          { bench: "3", what: `N = ${n}: agentwf CPU`, samples: pick(ours, (m) => m.cpuMs / 1000), unit: "CPU-s" },
          { bench: "3", what: `N = ${n}: Qwen Code CPU`, samples: pick(theirs, (m) => m.cpuMs / 1000), unit: "CPU-s" },
          { bench: "3", what: `N = ${n}: agentwf peak RSS`, samples: pick(ours, (m) => m.peakRssMb), unit: "MB" },
          { bench: "3", what: `N = ${n}: Qwen Code peak RSS`, samples: pick(theirs, (m) => m.peakRssMb), unit: "MB" },
          { bench: "3", what: `N = ${n}: wall ÷ Qwen Code`, samples: ours.map((o, i) => o.run.wallMs / theirs[i]!.run.wallMs), unit: "×", target: { max: 0.75, text: "≤ 0.75×" } },
          { bench: "3", what: `N = ${n}: CPU ÷ Qwen Code`, samples: ours.map((o, i) => o.run.cpuMs / theirs[i]!.run.cpuMs), unit: "×", target: { max: 0.35, text: "≤ 0.35×" } },
          { bench: "3", what: `N = ${n}: agentwf --dialect claude (Qwen Code's own script) wall`, samples: pick(oursClaude, (m) => m.wallMs / 1000), unit: "s", note: note(oursClaude) },
          { bench: "3", what: `N = ${n}: agentwf --dialect claude CPU`, samples: pick(oursClaude, (m) => m.cpuMs / 1000), unit: "CPU-s" },
          { bench: "3", what: `N = ${n}: the same script, wall ÷ Qwen Code`, samples: oursClaude.map((o, i) => o.run.wallMs / theirs[i]!.run.wallMs), unit: "×", target: { max: 0.75, text: "≤ 0.75×" } },
          { bench: "3", what: `N = ${n}: the same script, CPU ÷ Qwen Code`, samples: oursClaude.map((o, i) => o.run.cpuMs / theirs[i]!.run.cpuMs), unit: "×", target: { max: 0.35, text: "≤ 0.35×" } },
        );
      } finally {
        await server.close();
      }
    }
    return rows;
  },
};
