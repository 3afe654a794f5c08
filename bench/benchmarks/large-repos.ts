// 11. Large repositories: the demo on generated trees of 3k, 25k and 100k files (bench/fixtures/
// make-tree.ts: one npm package, sources in folders of ten, a mirrored test for every third source
// that imports it, a README per folder). Wall time of the whole process, and the CPU of its process
// tree, which says more on a busy machine. --quick runs 3k and 25k only.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeTree } from "../fixtures/make-tree.js";
import { cliArgs, cliEnv, scratch } from "../lib/cli.js";
import { measure } from "../lib/measure.js";
import type { Benchmark, Row } from "../lib/types.js";

export const largeRepos: Benchmark = {
  id: "11",
  title: "Large repositories",
  setup:
    "`agentwf run -y -m demo \"audit test coverage\"` (the offline demo model) in generated trees of 3,000, 25,000 and 100,000 files made by bench/fixtures/make-tree.ts (one package; a mirrored, importing test for every third source): wall time of the whole process, and CPU of its process tree (the CLI, its type-check thread, its sandbox child). One warm-up run per tree first (it fills the compile cache and the page cache).",
  async run(context) {
    const { home } = scratch("large-repos");
    const rows: Row[] = [];
    const cpus = new Map<number, number>();
    for (const files of context.quick ? [3000, 25_000] : [3000, 25_000, 100_000]) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `agentwf-bench-tree-${files}-`));
      try {
        await makeTree(dir, files);
        const wall: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i <= context.runs; i += 1) {
          const run = await measure({ command: process.execPath, args: cliArgs("run", "audit test coverage", "-y", "-m", "demo"), env: cliEnv(home, "http://127.0.0.1:9/v1"), cwd: dir });
          if (run.exitCode !== 0) throw new Error(`the demo failed on ${files} files (exit ${run.exitCode}): ${run.stderr.slice(-400)}`);
          if (i === 0) continue; // warm-up
          wall.push(run.wallMs / 1000);
          cpu.push(run.cpuMs / 1000);
        }
        context.log(`large repos ${files} files: ${wall.map((w) => w.toFixed(2)).join(", ")} s; ${cpu.map((c) => c.toFixed(2)).join(", ")} CPU-s`);
        const label = `demo on ${files.toLocaleString("en-US")} files`;
        rows.push({ bench: "11", what: label, samples: wall, unit: "s", ...(files === 100_000 ? { target: { max: 2, text: "≤ 2 s" } } : {}) });
        rows.push({ bench: "11", what: `${label}: CPU of the process tree`, samples: cpu, unit: "CPU-s" });
        cpus.set(files, median(cpu));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Linear means each further 10k files cost the same: the figure at 25k and at 100k should agree.
    const base = cpus.get(3000);
    for (const [files, cpu] of cpus) {
      if (files === 3000 || base === undefined) continue;
      rows.push({
        bench: "11",
        what: `CPU per 10,000 files beyond the 3,000-file tree, at ${files.toLocaleString("en-US")} files`,
        samples: [(cpu - base) / ((files - 3000) / 10_000)],
        unit: "CPU-s",
        note: "from the medians; equal figures at 25k and 100k mean linear growth",
      });
    }
    return rows;
  },
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
