// Runs StrykerJS on one module against its own tests and sums up what it found.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Stryker } from "@stryker-mutator/core";
import type { LogLevel, MutantResult, PartialStrykerOptions } from "@stryker-mutator/api/core";
import type { MutationModule } from "./modules.js";

export interface Undetected {
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly original: string;
  readonly replacement: string;
  /** The source line the mutant starts on, whitespace collapsed: tells apart short originals like `""`. */
  readonly lineText: string;
  readonly status: "Survived" | "NoCoverage";
}

export interface ModuleResult {
  readonly name: string;
  readonly killed: number;
  readonly timedOut: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Mutants that do not compile or crash the runner: Stryker leaves them out of the score. */
  readonly errors: number;
  /** Detected / (detected + undetected), in percent; undefined when there was nothing to mutate. */
  readonly score: number | undefined;
  readonly undetected: readonly Undetected[];
  readonly seconds: number;
}

export interface RunSettings {
  readonly concurrency: number;
  /** Replaces the module's own `mutate` list, e.g. with changed line ranges ("src/a.ts:10-20"). */
  readonly mutate?: readonly string[];
  /** Reuse the results of the last run of this module where neither code nor tests changed. */
  readonly incremental: boolean;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function originalText(lines: readonly string[], mutant: MutantResult): string {
  const { start, end } = mutant.location;
  // Stryker's report locations have 1-based lines and columns.
  const picked = lines.slice(start.line - 1, end.line);
  if (picked.length === 0) return "";
  picked[picked.length - 1] = picked[picked.length - 1]!.slice(0, end.column - 1);
  picked[0] = picked[0]!.slice(start.column - 1);
  return oneLine(picked.join("\n"));
}

const sources = new Map<string, string[]>();
const sourceLines = (fileName: string): string[] => {
  let lines = sources.get(fileName);
  if (lines === undefined) {
    lines = readFileSync(fileName, "utf8").split("\n");
    sources.set(fileName, lines);
  }
  return lines;
};

export async function runModule(module: MutationModule, settings: RunSettings): Promise<ModuleResult> {
  const started = Date.now();
  const options: PartialStrykerOptions = {
    mutate: [...(settings.mutate ?? module.mutate)],
    testRunner: "vitest",
    vitest: { configFile: "scripts/mutation/vitest.config.ts", related: false },
    coverageAnalysis: "perTest",
    concurrency: settings.concurrency,
    reporters: ["progress-append-only"],
    // LogLevel is an ambient const enum, which isolatedModules cannot read; these are its values.
    logLevel: "warn" as LogLevel,
    fileLogLevel: "off" as LogLevel,
    // The sandbox is a copy of the project with node_modules symlinked to the real one, so the
    // tests use the isolated-vm build made for this Node. Build output and reports are not needed.
    ignorePatterns: ["/dist", "/reports", "/bench", "/.agentwf-test-home", "/.stryker-tmp", "/MUTATION.md"],
    tempDirName: `.stryker-tmp/${module.name}`,
    incremental: settings.incremental,
    incrementalFile: `reports/mutation/${module.name}.incremental.json`,
    // A loaded two-core machine runs tests slowly; a mutant is a timeout only when it clearly hangs.
    timeoutMS: 10_000,
    timeoutFactor: 2,
  };
  // The tests are chosen by the vitest config (scripts/mutation/vitest.config.ts), not by Stryker's
  // `testFiles`: with `testFiles`, Stryker 10.1 activates a static mutant (one in code that runs as
  // its module loads, like the character table) after the module has loaded, so it always
  // "survives" (stryker-js#6144).
  process.env.AGENTWF_MUTATION_TESTS = module.testFiles.join(",");
  const results = await new Stryker(options).runMutationTest();
  const count = (status: MutantResult["status"]) => results.filter((r) => r.status === status).length;
  const killed = count("Killed");
  const timedOut = count("Timeout");
  const survived = count("Survived");
  const noCoverage = count("NoCoverage");
  const errors = count("CompileError") + count("RuntimeError");
  const detected = killed + timedOut;
  const total = detected + survived + noCoverage;
  const undetected = results
    .filter((r): r is MutantResult & { status: "Survived" | "NoCoverage" } => r.status === "Survived" || r.status === "NoCoverage")
    .map((r) => ({
      file: path.relative(process.cwd(), r.fileName),
      line: r.location.start.line,
      mutator: r.mutatorName,
      original: originalText(sourceLines(r.fileName), r),
      lineText: oneLine(sourceLines(r.fileName)[r.location.start.line - 1] ?? ""),
      replacement: oneLine(r.replacement),
      status: r.status,
    }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    name: module.name,
    killed,
    timedOut,
    survived,
    noCoverage,
    errors,
    score: total === 0 ? undefined : (detected / total) * 100,
    undetected,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
