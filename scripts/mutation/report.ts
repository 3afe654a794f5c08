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

const row = (modules: readonly MutationModule[], r: ModuleResult) => {
  const guards = modules.find((m) => m.name === r.name)?.guards ?? "";
  return `| ${r.name} | ${guards} | ${percent(r.score)} | ${r.killed + r.timedOut} | ${r.survived} | ${r.noCoverage} | ${r.seconds} s |`;
};
const TABLE_HEAD = ["| module | guards | score | killed | survived | no coverage | time |", "| --- | --- | --- | --- | --- | --- | --- |"];

export function scoreTable(modules: readonly MutationModule[], results: readonly ModuleResult[]): string {
  return [...TABLE_HEAD, ...results.map((r) => row(modules, r))].join("\n");
}

/** A module's row of the table and its list of survivors, as MUTATION.md has them. */
export interface KeptModule {
  readonly row: string;
  readonly survivors: readonly string[];
}

/**
 * The rows and survivor lists MUTATION.md already holds, by module. The saved runs behind them live
 * in reports/ (not committed), so a clone that re-runs one module keeps the others as written.
 */
export function keptFromMarkdown(markdown: string): Map<string, KeptModule> {
  const rows = new Map<string, string>();
  const survivors = new Map<string, string[]>();
  let section: string[] | undefined;
  for (const line of markdown.split("\n")) {
    const cells = /^\| ([a-z][a-z0-9-]*) \|/.exec(line);
    if (cells && cells[1] !== "module") rows.set(cells[1]!, line);
    const heading = /^### (\S+)$/.exec(line);
    if (heading) survivors.set(heading[1]!, (section = []));
    else if (line.startsWith("#")) section = undefined;
    else if (section !== undefined && line.startsWith("- ")) section.push(line);
  }
  return new Map([...rows].map(([name, line]) => [name, { row: line, survivors: survivors.get(name) ?? [] }]));
}

export function mutationMarkdown(
  modules: readonly MutationModule[],
  results: readonly ModuleResult[],
  strykerVersion: string,
  kept: ReadonlyMap<string, KeptModule> = new Map(),
): string {
  const fresh = (name: string) => results.find((r) => r.name === name);
  const shown = modules.filter((m) => fresh(m.name) !== undefined || kept.has(m.name));
  const rows = shown.map((m) => {
    const result = fresh(m.name);
    return result === undefined ? kept.get(m.name)!.row : row(modules, result);
  });
  const survivors = shown.flatMap((m) => {
    const result = fresh(m.name);
    const lines =
      result === undefined
        ? kept.get(m.name)!.survivors
        : result.undetected.map((u) => {
            const reason = equivalentFor(u)?.reason ?? "NOT EXPLAINED: kill it with a test or list it in scripts/mutation/equivalents.ts";
            return `- ${describe(u)}: ${reason}`;
          });
    return lines.length === 0 ? [] : [`### ${m.name}`, "", ...lines, ""];
  });
  const missing = modules.filter((m) => !shown.includes(m)).map((m) => m.name);
  return [
    "# Mutation testing",
    "",
    `Written by \`npm run mutation\` (StrykerJS ${strykerVersion}, vitest runner). Each module that guards`,
    "the person is mutated one small edit at a time and run against its own tests only",
    `(scripts/mutation/modules.ts); a module passes at ${PASSING_SCORE}% of mutants detected. Killed counts`,
    "timeouts (a mutant that made the tests hang). Times are from a shared two-core machine. Each row is",
    "the module's latest full run; a run of some modules keeps the other rows as they were.",
    "",
    [...TABLE_HEAD, ...rows].join("\n"),
    "",
    ...(missing.length === 0 ? [] : [`Not run yet: ${missing.join(", ")}.`, ""]),
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
