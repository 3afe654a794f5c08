// 7. Validation: syntax and type check of each example workflow; cold in a fresh process (the
// check's worker thread started at launch, as the CLI does), warm after it.
import { readdirSync } from "node:fs";
import path from "node:path";
import { CACHE_ROOT, REPO_ROOT } from "../lib/cli.js";
import { measure } from "../lib/measure.js";
import type { Benchmark, Row } from "../lib/types.js";

const Probe = (text: string) => JSON.parse(text.trim().split("\n").at(-1) ?? "{}") as { coldMs: number; maxBlockedMs: number; warm: number[] };

export const validation: Benchmark = {
  id: "7",
  title: "Validation",
  setup:
    "Each of examples/*.js through `validateWorkflowAsync` with the type check in its worker thread, in a fresh process per run (bench/probes/validate.mjs): " +
    "cold is process start → diagnostics, with the longest event-loop stall during it (a frozen UI shows there); warm is 10 checks after it, in the same process.",
  async run(context) {
    const examples = readdirSync(path.join(REPO_ROOT, "examples")).filter((f) => f.endsWith(".js")).sort();
    const cold: number[] = [];
    const blocked: number[] = [];
    const warm: number[] = [];
    const perExample: string[] = [];
    for (const example of examples) {
      const mine: number[] = [];
      // --quick: one cold process per example (five in all).
      for (let i = 0; i < (context.quick ? 1 : context.runs); i += 1) {
        const run = await measure({
          command: process.execPath,
          args: [path.join(REPO_ROOT, "bench", "probes", "validate.mjs"), path.join(REPO_ROOT, "examples", example), "10"],
          env: { PATH: process.env.PATH ?? "", XDG_CACHE_HOME: path.join(CACHE_ROOT, "xdg-cache") },
          cwd: REPO_ROOT,
        });
        if (run.exitCode !== 0) throw new Error(`validating ${example} failed: ${run.stderr.slice(-400)}`);
        const probe = Probe(run.stdout);
        cold.push(probe.coldMs);
        mine.push(probe.coldMs);
        blocked.push(probe.maxBlockedMs);
        warm.push(...probe.warm);
      }
      perExample.push(`${example} ${Math.round(mine.sort((a, b) => a - b)[Math.floor(mine.length / 2)]!)} ms`);
    }
    context.log(`validation cold: ${perExample.join(", ")}`);
    const rows: Row[] = [
      { bench: "7", what: `warm: syntax + type check, each of ${examples.length} examples`, samples: warm, unit: "ms", target: { max: 50, text: "≤ 50 ms" } },
      { bench: "7", what: "cold: process start → diagnostics", samples: cold, unit: "ms", target: { max: 1000, text: "≤ 1 s" }, note: perExample.join("; ") },
      { bench: "7", what: "cold: longest event-loop stall meanwhile", samples: blocked, unit: "ms", note: "off the event loop: the compiler loads and checks in the worker thread" },
    ];
    return rows;
  },
};
