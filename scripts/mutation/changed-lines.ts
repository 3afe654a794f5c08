// `--quick` without a module: mutate only the lines changed since the branch left main (committed
// or not), so a run while working takes minutes, not the full run's half hour.
import { execFileSync } from "node:child_process";
import { compileGlob } from "../../src/workspace/glob-pattern.js";
import type { MutationModule } from "./modules.js";

const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" });

function baseCommit(): string {
  try {
    return git("merge-base", "HEAD", "main").trim();
  } catch {
    return "HEAD";
  }
}

/** Stryker `mutate` entries ("src/a.ts:10-14") of one module's changed lines; empty when none changed. */
export function changedRanges(module: MutationModule): string[] {
  const globs = module.mutate.map((pattern) => {
    const glob = compileGlob(pattern);
    if (!glob.ok) throw new Error(`${pattern}: ${glob.error}`);
    return glob;
  });
  const isModuleFile = (file: string): boolean => globs.some((glob) => glob.test(file));
  const ranges: string[] = [];
  const untracked = git("ls-files", "--others", "--exclude-standard").split("\n").filter((f) => isModuleFile(f));
  ranges.push(...untracked);
  let file = "";
  for (const line of git("diff", "-U0", "--no-color", baseCommit(), "--", ...module.mutate).split("\n")) {
    const target = /^\+\+\+ b\/(.+)$/.exec(line);
    if (target) file = target[1]!;
    const hunk = /^@@ -\S+ \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!hunk || !isModuleFile(file)) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    // A hunk that only deletes lines has nothing left to mutate.
    if (count > 0) ranges.push(`${file}:${start}-${start + count - 1}`);
  }
  return ranges;
}
