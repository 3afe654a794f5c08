// .gitignore rules for glob, grep and list_dir, with the `ignore` package (the matcher eslint and
// prettier use) rather than hand-written matching. Git reads a .gitignore in every directory and a
// deeper file overrides a shallower one; .git/info/exclude adds rules for the whole repository.
// Files are read through the workspace guard like any other workspace file: a .gitignore that is a
// FIFO or a symlink out is simply not used.
import { lstatSync } from "node:fs";
import path from "node:path";
import ignore from "ignore";
import type { Ignore } from "ignore";
import { readWorkspaceFile } from "../workspace/read-workspace-file.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

/** Never listed or searched: git's own database, and vendored packages that drown real results. */
export const ALWAYS_SKIPPED: ReadonlySet<string> = new Set([".git", "node_modules"]);

const IGNORE_FILE_CAP = { maxBytes: 1024 * 1024, purpose: "a .gitignore file" } as const;

/** The rules of one directory, matched against paths relative to it. */
interface RuleSet {
  readonly base: string;
  /** `base` and a separator: paths below it start with this. */
  readonly prefix: string;
  readonly rules: Ignore;
  /**
   * The rules a file can meet, or null when none can. A walk only reaches a file through folders
   * no rule ignores, so folder-only rules ("dist/") never decide a file; without negations ("!x")
   * the other rules decide alone. Testing fewer rules, or none, is most of a walk's cost saved.
   */
  readonly fileRules: Ignore | null;
}

// Git on Linux and in a fresh clone matches case-sensitively (core.ignorecase is false), and so
// does this; it is also three times faster than ignore's case-folding default.
function ruleSet(base: string, text: string): RuleSet {
  const lines = boundedRules(text);
  const rules = ignore({ ignorecase: false }).add(lines);
  const meaningful = lines.filter((line) => line.trim() !== "" && !line.startsWith("#"));
  let fileRules: Ignore | null = rules;
  if (!meaningful.some((line) => line.startsWith("!"))) {
    const forFiles = meaningful.filter((line) => !line.trim().endsWith("/"));
    fileRules = forFiles.length === 0 ? null : ignore({ ignorecase: false }).add(forFiles);
  }
  return { base, prefix: `${base}${path.sep}`, rules, fileRules };
}

/** Rules in force for one directory: its ancestors' and its own, shallowest first. */
export type IgnoreStack = readonly RuleSet[];

async function readRules(guard: WorkspaceGuard, file: string): Promise<string | undefined> {
  // Most folders have no .gitignore: asking without an exception is the cheap way to learn it
  // (each search looks at every folder above where it starts).
  if (lstatSync(file, { throwIfNoEntry: false }) === undefined) return undefined;
  try {
    return (await readWorkspaceFile(guard, file, IGNORE_FILE_CAP)).toString("utf8");
  } catch {
    return undefined;
  }
}

// The `ignore` package compiles rules to backtracking regexes: a rule with many "**" costs the
// path depth to that power per test (7 of them took 5.6 s on one 40-level path). Rules with more
// than this many are dropped; real .gitignore files use one or two.
const MAX_GLOBSTARS_PER_RULE = 2;

function boundedRules(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => (line.match(/\*\*/g)?.length ?? 0) <= MAX_GLOBSTARS_PER_RULE);
}

/** Adds `directory`'s own .gitignore (if any) to `stack`. */
export async function enterDirectory(guard: WorkspaceGuard, stack: IgnoreStack, directory: string): Promise<IgnoreStack> {
  const text = await readRules(guard, path.join(directory, ".gitignore"));
  if (text === undefined) return stack;
  return [...stack, ruleSet(directory, text)];
}

/**
 * The rules for `directory` (a real path inside the workspace): .git/info/exclude and every
 * .gitignore from the root down. When the directory itself is ignored, the person or model asked
 * for it by name: the rules that ignore it are dropped so that its contents can be seen.
 */
export async function ignoreStackFor(guard: WorkspaceGuard, directory: string): Promise<IgnoreStack> {
  let stack: IgnoreStack = [];
  const exclude = await readRules(guard, path.join(guard.root, ".git", "info", "exclude"));
  if (exclude !== undefined) stack = [ruleSet(guard.root, exclude)];
  stack = await enterDirectory(guard, stack, guard.root);
  const relative = path.relative(guard.root, directory);
  if (relative === "") return stack;
  let current = guard.root;
  for (const segment of relative.split(path.sep)) {
    current = path.join(current, segment);
    if (isIgnored(stack, current, true)) stack = [];
    stack = await enterDirectory(guard, stack, current);
  }
  return stack;
}

/** True when git would ignore `absolute`; the deepest rule file that says anything decides. */
export function isIgnored(stack: IgnoreStack, absolute: string, isDirectory: boolean): boolean {
  for (let index = stack.length - 1; index >= 0; index -= 1) {
    const set = stack[index];
    if (set === undefined) continue;
    // A set with no rule for files is passed over before any slicing: most entries of a walk are files.
    const rules = isDirectory ? set.rules : set.fileRules;
    if (rules === null) continue;
    // Slicing, not path.relative: this runs once per entry of a walk, 100k times on a large tree.
    if (!absolute.startsWith(set.prefix)) continue;
    const rest = absolute.slice(set.prefix.length);
    const relative = path.sep === "/" ? rest : rest.split(path.sep).join("/");
    const verdict = rules.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
