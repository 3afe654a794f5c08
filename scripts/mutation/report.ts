// MUTATION.md: the score of each module and why every surviving mutant may survive.
import { equivalentFor } from "./equivalents.js";
import type { MutationModule } from "./modules.js";
import type { ModuleResult, Undetected } from "./run-module.js";

export const PASSING_SCORE = 90;

const percent = (score: number | undefined) => (score === undefined ? "n/a" : `${score.toFixed(1)}%`);
const code = (text: string) => `\`${(text.length > 70 ? `${text.slice(0, 70)}…` : text).replaceAll("`", "'")}\``;
const describe = (u: Undetected) => `${u.file}:${u.line} ${u.mutator}${u.status === "NoCoverage" ? " (no test runs it)" : ""}: ${code(u.original)} → ${code(u.replacement)}`;

export function unexplained(result: ModuleResult): Undetected[] {
  return result.undetected.filter((u) => equivalentFor(u) === undefined);
}

/**
 * Why the run fails, one line per module below the bar or with a survivor nobody explained. A
 * `--quick` run mutates only changed lines, a handful of mutants whose share says little, so it
 * fails on unexplained survivors only (`scoreBar: false`).
 */
export function failures(results: readonly ModuleResult[], options: { scoreBar: boolean } = { scoreBar: true }): string[] {
  return results.flatMap((r) => {
    const lines: string[] = [];
    if (options.scoreBar && r.score !== undefined && r.score < PASSING_SCORE) lines.push(`${r.name}: ${percent(r.score)} is below ${PASSING_SCORE}%; kill its survivors with tests that state behaviour`);
    const open = unexplained(r).length;
    if (open > 0) lines.push(`${r.name}: ${open} surviving mutant(s) neither killed nor listed as equivalent in scripts/mutation/equivalents.ts`);
    return lines;
  });
}

export function scoreTable(modules: readonly MutationModule[], results: readonly ModuleResult[]): string {
  const rows = results.map((r) => {
    const guards = modules.find((m) => m.name === r.name)?.guards ?? "";
    return `| ${r.name} | ${guards} | ${percent(r.score)} | ${r.killed + r.timedOut} | ${r.survived} | ${r.noCoverage} | ${r.seconds} s |`;
  });
  return ["| module | guards | score | killed | survived | no coverage | time |", "| --- | --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

function notRun(modules: readonly MutationModule[], results: readonly ModuleResult[]): string[] {
  const missing = modules.filter((m) => !results.some((r) => r.name === m.name)).map((m) => m.name);
  return missing.length === 0 ? [] : [`Not run yet: ${missing.join(", ")}.`, ""];
}

export function mutationMarkdown(modules: readonly MutationModule[], results: readonly ModuleResult[], strykerVersion: string): string {
  const survivors = results.flatMap((r) => {
    if (r.undetected.length === 0) return [];
    const lines = r.undetected.map((u) => {
      const reason = equivalentFor(u)?.reason ?? "NOT EXPLAINED: kill it with a test or list it in scripts/mutation/equivalents.ts";
      return `- ${describe(u)}: ${reason}`;
    });
    return [`### ${r.name}`, "", ...lines, ""];
  });
  return [
    "# Mutation testing",
    "",
    `Written by \`npm run mutation\` (StrykerJS ${strykerVersion}, vitest runner). Each module that guards`,
    "the person is mutated one small edit at a time and run against its own tests only",
    `(scripts/mutation/modules.ts); a module passes at ${PASSING_SCORE}% of mutants detected. Killed counts`,
    "timeouts (a mutant that made the tests hang). Times are from a shared two-core machine.",
    "",
    scoreTable(modules, results),
    "",
    ...notRun(modules, results),
    "## Survivors",
    "",
    survivors.length === 0 ? "None." : "Each surviving mutant and why it may survive: equivalent to the original, unreachable, or only reachable by what a test cannot stage (scripts/mutation/equivalents.ts).",
    "",
    ...survivors,
  ].join("\n");
}

export function describeUndetected(u: Undetected): string {
  return describe(u);
}
