// `npm run mutation`: StrykerJS on each module that guards the person, against its own tests;
// writes MUTATION.md and fails when a module is below the bar or a survivor is unexplained.
// `npm run mutation -- module…`: those modules in full; their rows of MUTATION.md are replaced.
// `npm run mutation -- --quick [module…]`: only the lines changed since main (of those modules); it
// prints its findings and leaves MUTATION.md alone (a partial run is no score for the table).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { changedRanges } from "./mutation/changed-lines.js";
import { MUTATION_MODULES } from "./mutation/modules.js";
import { describeUndetected, failures, keptFromMarkdown, mutationMarkdown, scoreTable, unexplained } from "./mutation/report.js";
import { runModule, type ModuleResult } from "./mutation/run-module.js";

const RESULTS_DIR = "reports/mutation/results";

function savedResult(name: string): ModuleResult | undefined {
  const file = `${RESULTS_DIR}/${name}.json`;
  // Written by this script a run before; read back as it was written.
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ModuleResult) : undefined;
}

/**
 * Rewrites MUTATION.md from every module's latest full run saved here; a module this clone has no
 * saved run of keeps its row and survivors as MUTATION.md has them (the saved runs are not committed).
 */
function writeReport(saved: readonly ModuleResult[]): void {
  const kept = existsSync("MUTATION.md") ? keptFromMarkdown(readFileSync("MUTATION.md", "utf8")) : new Map();
  writeFileSync("MUTATION.md", mutationMarkdown(MUTATION_MODULES, saved, strykerVersion(), kept));
  const keptNames = [...kept.keys()].filter((name) => !saved.some((r) => r.name === name));
  console.log(`wrote MUTATION.md (run here: ${saved.map((r) => r.name).join(", ") || "none"}; kept as written: ${keptNames.join(", ") || "none"})`);
}

const savedResults = () => MUTATION_MODULES.map((m) => savedResult(m.name)).filter((r): r is ModuleResult => r !== undefined);

/** Keeps a full module run and rewrites MUTATION.md with it. */
function saveAndReport(result: ModuleResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}/${result.name}.json`, JSON.stringify(result, null, 1));
  writeReport(savedResults());
}

interface Plan {
  readonly quick: boolean;
  /** Only rewrite MUTATION.md from the saved results (after editing equivalents.ts). */
  readonly report: boolean;
  readonly names: readonly string[];
  readonly concurrency: number;
}

function parseArgs(args: readonly string[]): Plan {
  let quick = false;
  let report = false;
  let concurrency = 2;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--quick") quick = true;
    else if (arg === "--report") report = true;
    else if (arg === "--concurrency") concurrency = Number(args[++i]);
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}: use --quick, --report, --concurrency N and module names`);
    else names.push(arg);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error("--concurrency needs a whole number of at least 1");
  const known = MUTATION_MODULES.map((m) => m.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new Error(`unknown module ${unknown.join(", ")}: the modules are ${known.join(", ")}`);
  return { quick, report, names, concurrency };
}

function strykerVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest: unknown = JSON.parse(readFileSync(require.resolve("@stryker-mutator/core/package.json"), "utf8"));
  return typeof manifest === "object" && manifest !== null && "version" in manifest ? String(manifest.version) : "unknown";
}

async function main(): Promise<number> {
  const plan = parseArgs(process.argv.slice(2));
  const modules = plan.names.length > 0 ? MUTATION_MODULES.filter((m) => plan.names.includes(m.name)) : MUTATION_MODULES;
  const results: ModuleResult[] = [];
  if (plan.report) {
    const saved = savedResults();
    writeReport(saved);
    console.log(scoreTable(MUTATION_MODULES, saved));
    return failures(saved).length > 0 ? 1 : 0;
  }
  for (const module of modules) {
    const mutate = plan.quick ? changedRanges(module) : undefined;
    if (mutate?.length === 0) continue;
    console.log(`mutating ${module.name}${mutate ? ` (changed lines: ${mutate.join(" ")})` : ""} …`);
    const result = await runModule(module, { concurrency: plan.concurrency, incremental: plan.quick, ...(mutate ? { mutate } : {}) });
    for (const u of unexplained(result)) console.log(`  survived: ${describeUndetected(u)}`);
    results.push(result);
    // Kept at once, so a long run that is stopped keeps the modules it finished.
    if (!plan.quick) saveAndReport(result);
  }
  if (results.length === 0) {
    console.log("no line of these modules changed since main: nothing to mutate (run one module in full with: npm run mutation -- text)");
    return 0;
  }
  console.log(`\n${scoreTable(MUTATION_MODULES, results)}\n`);
  const failed = failures(results, { scoreBar: !plan.quick });
  for (const line of failed) console.error(line);
  return failed.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
