// BENCHMARKS.md and the console table: each figure with its median, spread and target.
import os from "node:os";
import { formatValue, summarize, verdict, type Summary } from "./stats.js";
import type { Benchmark, Row } from "./types.js";
import type { OtherLoad } from "./other-load.js";

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly date: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}

const VERDICT_MARK = { met: "met", missed: "**missed**", "no target": "" } as const;

function spread(summary: Summary, row: Row): string {
  if (summary.n < 2) return "";
  return `${formatValue(summary.min, row.unit)} – ${formatValue(summary.max, row.unit)}`;
}

export function tableRows(rows: readonly Row[]): string[] {
  const lines = ["| # | figure | median | spread (min – max) | runs | target | |", "| --- | --- | ---: | --- | ---: | --- | --- |"];
  for (const row of rows) {
    const summary = summarize(row.samples);
    const cells = [
      row.bench,
      row.what + (row.note ? ` <br>_${row.note}_` : ""),
      formatValue(summary.median, row.unit),
      spread(summary, row),
      String(summary.n),
      row.target?.text ?? "",
      VERDICT_MARK[verdict(summary, row.target)],
    ];
    lines.push(`| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  }
  return lines;
}

export interface Section {
  readonly benchmark: Benchmark;
  readonly rows: readonly Row[];
  /** Why it did not run, or how it failed. */
  readonly skipped?: string;
}

export function renderMarkdown(options: {
  readonly machine: MachineInfo;
  readonly mode: string;
  readonly sections: readonly Section[];
  readonly findings: string;
  readonly headline: readonly string[];
  readonly others: OtherLoad;
}): string {
  const { machine } = options;
  const out: string[] = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); every figure is reproducible with it. Each process figure comes from real",
    "processes started through the CLI (`bin/agentwf.js`) against the test suite's fake OpenAI-compatible server",
    "(test/helpers/fake-openai-server.ts) on 127.0.0.1, with its latency and pacing knobs. Medians of the runs, with their",
    "spread; a target is met when the median is at or under it. Benchmarks measure; the tests make no timing assertions.",
    "",
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb.toFixed(1)} GB, ${machine.os}`,
    `- Node ${machine.node}; ${machine.date}; load average before the first benchmark ${options.others.loadAverageBefore.toFixed(2)}`,
    `- Mode: ${options.mode}`,
    "",
  ];
  // The benchmark's own processes are not "busy": only CPU other processes took spoils wall times.
  const { otherShare, loadAverageBefore } = options.others;
  if (otherShare !== undefined) {
    out.splice(out.length - 1, 0, `- Other processes used ${(otherShare * 100).toFixed(1)}% of the machine's CPU during the run`);
  }
  const busy = otherShare !== undefined ? otherShare > 0.1 : loadAverageBefore > machine.cores / 2;
  if (busy) {
    const how = otherShare !== undefined ? `other processes used ${(otherShare * 100).toFixed(0)}% of its ${machine.cores} cores during the run` : `load average ${loadAverageBefore.toFixed(1)} on ${machine.cores} cores before it started`;
    out.push(`> **The machine was busy** (${how}): wall times and ratios are inflated and spread out. Trust the CPU figures more, and re-run on a quiet machine.`, "");
  }
  if (options.headline.length > 0) out.push("## Headline", "", ...options.headline.map((h) => `- ${h}`), "");
  for (const section of options.sections) {
    out.push(`## ${section.benchmark.id}. ${section.benchmark.title}`, "", section.benchmark.setup, "");
    if (section.skipped !== undefined) out.push(`Not measured: ${section.skipped}`, "");
    if (section.rows.length > 0) out.push(...tableRows(section.rows), "");
  }
  out.push("## Findings", "", options.findings.trim(), "");
  return out.join("\n");
}

/** One line per figure for the console. */
export function consoleLines(rows: readonly Row[]): string[] {
  return rows.map((row) => {
    const summary = summarize(row.samples);
    const v = verdict(summary, row.target);
    const target = row.target ? `  target ${row.target.text}: ${v}` : "";
    return `  [${row.bench}] ${row.what.replace(/`/g, "")}: ${formatValue(summary.median, row.unit)}${summary.n > 1 ? ` (${formatValue(summary.min, row.unit)} – ${formatValue(summary.max, row.unit)}, n=${summary.n})` : ""}${target}`;
  });
}
