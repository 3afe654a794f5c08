// `npm run bench`: runs the benchmarks of issue 13 and rewrites BENCHMARKS.md.
//
//   npm run bench                      every benchmark, 5 runs each, writes BENCHMARKS.md
//   npm run bench -- --quick           smaller sizes, 2 runs, under 2 minutes; prints, writes nothing
//   npm run bench -- --peers           also Qwen Code side by side (installed into ~/.cache/agentwf-bench)
//   npm run bench -- --only 1,2        just these benchmarks
//   npm run bench -- --runs 7          more runs per figure
//   npm run bench -- --out FILE        write the report here (with --quick too)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./lib/cli.js";
import { consoleLines, machineInfo, renderMarkdown, type Section } from "./lib/report.js";
import { otherLoad, sampleLoad } from "./lib/other-load.js";
import { summarize } from "./lib/stats.js";
import type { Benchmark, BenchContext, Row } from "./lib/types.js";
import { startup } from "./benchmarks/startup.js";
import { fanOut } from "./benchmarks/fan-out.js";
import { peers } from "./benchmarks/peers.js";
import { uiCost } from "./benchmarks/ui-cost.js";
import { memory } from "./benchmarks/memory.js";
import { sandbox } from "./benchmarks/sandbox.js";
import { validation } from "./benchmarks/validation.js";
import { parentTokens } from "./benchmarks/parent-tokens.js";
import { rateLimits } from "./benchmarks/rate-limits.js";
import { longToolCalls } from "./benchmarks/long-tool-calls.js";
import { largeRepos } from "./benchmarks/large-repos.js";

// Every scratch folder of this run lives under one temporary folder, removed when the run ends.
const tempRoot = mkdtempSync(path.join(os.tmpdir(), "agentwf-bench-"));
process.env.TMPDIR = tempRoot;
process.on("exit", () => rmSync(tempRoot, { recursive: true, force: true, maxRetries: 3 }));

const ALL: readonly Benchmark[] = [startup, fanOut, peers, uiCost, memory, sandbox, validation, parentTokens, rateLimits, longToolCalls, largeRepos];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    peers: { type: "boolean", default: false },
    only: { type: "string" },
    runs: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), "utf8").split("\n").filter((l) => l.startsWith("//")).map((l) => l.slice(3)).join("\n") + "\n");
  process.exit(0);
}

const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
const selected = ALL.filter((b) => (only ? only.includes(b.id) : b.id !== "3" || values.peers));
const runs = values.runs !== undefined ? Number(values.runs) : values.quick ? 2 : 5;
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`--runs takes a whole number of at least 1, not "${values.runs}"\n`);
  process.exit(2);
}
const started = performance.now();
// Taken before the first benchmark starts anything: what else the machine was doing (bench/lib/other-load.ts).
const loadBefore = sampleLoad();
const context: BenchContext = {
  quick: values.quick,
  runs,
  log: (line) => process.stderr.write(`    ${line}\n`),
};

const out = values.out ?? (values.quick ? undefined : path.join(REPO_ROOT, "BENCHMARKS.md"));
const sections: Section[] = [];

/** Writes the report; after each benchmark too, so an interrupted run keeps what it measured. */
function writeReport(done: boolean): void {
  if (out === undefined) return;
  const seconds = (performance.now() - started) / 1000;
  const findings = readFileSync(path.join(REPO_ROOT, "bench", "findings.md"), "utf8");
  const headline = headlineOf(sections.flatMap((s) => [...s.rows]));
  const progress = done ? "" : ` (partial: ${sections.length} of ${selected.length} benchmarks so far)`;
  const mode = `${values.quick ? "--quick (smaller sizes; not the targets' sizes where noted)" : "full"}, ${runs} runs per figure${values.peers ? ", with peers" : ""}; ${seconds.toFixed(0)} s in all${progress}`;
  const others = otherLoad(loadBefore, sampleLoad(), machineInfo().cores);
  writeFileSync(out, renderMarkdown({ machine: machineInfo(), mode, sections, findings, headline, others }));
}

for (const benchmark of selected) {
  process.stderr.write(`\n${benchmark.id}. ${benchmark.title}\n`);
  try {
    const rows = await benchmark.run(context);
    sections.push({ benchmark, rows });
    process.stdout.write(`${benchmark.id}. ${benchmark.title}\n${consoleLines(rows).join("\n")}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const skipped = message.startsWith("skip: ") ? message.slice(6) : `failed: ${message}`;
    sections.push({ benchmark, rows: [], skipped });
    process.stdout.write(`${benchmark.id}. ${benchmark.title}\n  not measured: ${skipped}\n`);
  }
  writeReport(false);
}

const allRows: Row[] = sections.flatMap((s) => [...s.rows]);
const met = allRows.filter((r) => r.target !== undefined && summarize(r.samples).median <= r.target.max).length;
const targeted = allRows.filter((r) => r.target !== undefined).length;
const seconds = (performance.now() - started) / 1000;
const othersAtEnd = otherLoad(loadBefore, sampleLoad(), machineInfo().cores).otherShare;
const othersText = othersAtEnd === undefined ? "" : `; other processes used ${(othersAtEnd * 100).toFixed(1)}% of the machine's CPU meanwhile`;
process.stdout.write(`\n${met} of ${targeted} targets met; ${seconds.toFixed(0)} s in all${othersText}.\n`);

writeReport(true);
if (out !== undefined) process.stdout.write(`wrote ${path.relative(process.cwd(), out) || out}\n`);

/** The figures README.md quotes. */
function headlineOf(rows: readonly Row[]): string[] {
  const pick = (bench: string, contains: string) => rows.find((r) => r.bench === bench && r.what.includes(contains));
  const lines: string[] = [];
  for (const [bench, contains, label] of [
    ["1", "`exec`: process start", "start-up, `exec` → first sub-agent request"],
    ["2", "N = 1000: `agentwf exec` ÷ floor", "1,000 sub-agents, whole process ÷ the floor program"],
    ["2", "N = 200: `agentwf exec` ÷ floor", "200 sub-agents, whole process ÷ the floor program"],
    ["3", "N = 200: wall ÷ Qwen Code", "wall time ÷ Qwen Code's, N = 200"],
    ["5", "peak RSS", "peak RSS, 1,000 sub-agents at -c 64"],
  ] as const) {
    const row = pick(bench, contains);
    if (row === undefined) continue;
    const s = summarize(row.samples);
    const value = row.unit === "×" ? `${s.median.toFixed(2)}×` : row.unit === "s" ? `${s.median.toFixed(2)} s` : `${s.median.toFixed(0)} ${row.unit}`;
    lines.push(`${label}: **${value}**${row.target ? ` (target ${row.target.text})` : ""}`);
  }
  return lines;
}
