// 11. Large repositories: the demo on generated trees of 3k, 25k and 100k files. The tree maker,
// bench/fixtures/make-tree.ts, comes with the demo-speed work (issue 9); until it is on this
// branch the benchmark says so instead of measuring a tree of its own.
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { cliArgs, cliEnv, REPO_ROOT, scratch } from "../lib/cli.js";
import { measure } from "../lib/measure.js";
import type { Benchmark, Row } from "../lib/types.js";

const MAKER = path.join(REPO_ROOT, "bench", "fixtures", "make-tree.ts");

export const largeRepos: Benchmark = {
  id: "11",
  title: "Large repositories",
  setup: "`agentwf run -y -m demo` (the offline demo model) in generated trees of 3,000, 25,000 and 100,000 files made by bench/fixtures/make-tree.ts; wall time of the whole process.",
  async run(context) {
    if (!existsSync(MAKER)) throw new Error("skip: bench/fixtures/make-tree.ts (the demo-speed work of issue 9) is not on this branch yet; once merged, this benchmark calls its default export makeTree(dir, files)");
    const mod = (await import(pathToFileURL(MAKER).href)) as { makeTree?: (dir: string, files: number) => Promise<void> | void; default?: (dir: string, files: number) => Promise<void> | void };
    const makeTree = mod.makeTree ?? mod.default;
    if (typeof makeTree !== "function") throw new Error("skip: bench/fixtures/make-tree.ts exports no makeTree(dir, files)");
    const { home } = scratch("large-repos");
    const rows: Row[] = [];
    for (const files of context.quick ? [3000, 25_000] : [3000, 25_000, 100_000]) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `agentwf-bench-tree-${files}-`));
      await makeTree(dir, files);
      const walls: number[] = [];
      for (let i = 0; i < context.runs; i += 1) {
        const run = await measure({ command: process.execPath, args: cliArgs("run", "audit test coverage", "-y", "-m", "demo"), env: cliEnv(home, "http://127.0.0.1:9/v1"), cwd: dir });
        if (run.exitCode !== 0) throw new Error(`the demo failed on ${files} files (exit ${run.exitCode}): ${run.stderr.slice(-400)}`);
        walls.push(run.wallMs / 1000);
      }
      context.log(`large repos ${files} files: ${walls.map((w) => w.toFixed(2)).join(", ")} s`);
      rows.push({ bench: "11", what: `demo on ${files.toLocaleString("en-US")} files`, samples: walls, unit: "s", ...(files === 100_000 ? { target: { max: 2, text: "≤ 2 s" } } : {}) });
    }
    return rows;
  },
};
