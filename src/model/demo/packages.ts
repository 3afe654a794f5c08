// The workspace's packages, from its manifests: npm/pnpm/yarn workspace members, Go modules and
// Python projects each get a row; the root is a package too (it holds whatever no member holds).
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { compileGlob } from "../../workspace/glob-pattern.js";
import { TEST_DIRS, baseName, dirName, isWalkedDir } from "./file-kinds.js";
import type { NpmPackage } from "./imports.js";

export const MANIFEST_NAMES = ["package.json", "pnpm-workspace.yaml", "go.mod", "pyproject.toml", "setup.py", "setup.cfg"] as const;
export const MANIFEST_GLOB = `**/{${MANIFEST_NAMES.join(",")}}`;

/** A package as the workflow passes it to its sub-agents. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly label: string;
  readonly kind: string;
  /** Packages inside this one's folder, audited on their own. */
  readonly exclude: readonly string[];
  /** "audit": sources and tests; "tests": a package of tests only (it lives in a test folder). */
  readonly role: "audit" | "tests";
}

const Exports: z.ZodType<unknown> = z.unknown();
const PackageJson = z.object({
  name: z.string().max(214).optional(),
  workspaces: z.union([z.array(z.string()), z.object({ packages: z.array(z.string()).optional() })]).optional(),
  exports: Exports.optional(),
  main: z.string().optional(),
  module: z.string().optional(),
  source: z.string().optional(),
  types: z.string().optional(),
});
const PnpmWorkspace = z.object({ packages: z.array(z.string()).optional() });

/** The text of a read_file result without its line numbers, or undefined when it was cut or failed. */
export function fileText(output: string): string | undefined {
  if (output.startsWith("Error:")) return undefined;
  const lines = output.split("\n");
  if (/^\[lines \d+-\d+ of \d+ shown/.test(lines[lines.length - 1] ?? "")) return undefined;
  if (/^\[the file ".*" is empty\]$/.test(output.trim())) return "";
  return lines.map((line) => line.replace(/^\s*\d+\t/, "")).join("\n");
}

export function readPackageJson(text: string | undefined): z.infer<typeof PackageJson> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = PackageJson.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Workspace globs from the root package.json and pnpm-workspace.yaml. */
export function workspacePatterns(rootPackageJson: string | undefined, pnpmWorkspace: string | undefined): string[] {
  const patterns: string[] = [];
  const pkg = readPackageJson(rootPackageJson);
  const ws = pkg?.workspaces;
  if (Array.isArray(ws)) patterns.push(...ws);
  else if (ws?.packages !== undefined) patterns.push(...ws.packages);
  if (pnpmWorkspace !== undefined) {
    try {
      const parsed = PnpmWorkspace.safeParse(parseYaml(pnpmWorkspace));
      if (parsed.success) patterns.push(...(parsed.data.packages ?? []));
    } catch {
      // An unreadable pnpm-workspace.yaml names no packages.
    }
  }
  return patterns;
}

/** Whether a manifest's folder is one the audit walks at all (not a fixture, dependency or build output). */
export function isWalkedManifest(file: string): boolean {
  const dir = dirName(file);
  return dir === "." || dir.split("/").every(isWalkedDir);
}

/** The folders of package.json files that the workspace globs name. */
export function workspaceMembers(manifests: readonly string[], patterns: readonly string[]): string[] {
  const include = patterns.filter((p) => !p.startsWith("!")).map((p) => p.replace(/^\.\//, "").replace(/\/$/, ""));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1).replace(/^\.\//, "").replace(/\/$/, ""));
  if (include.length === 0) return [];
  // The globs come from a cloned repository's package.json: RE2 matching (glob-pattern.ts) takes
  // time linear in the path whatever they say, where a backtracking matcher can spin for seconds.
  // A glob it cannot read (a negated extglob) names no package.
  const anyOf = (globs: readonly string[]): ((dir: string) => boolean) => {
    const tests = globs.flatMap((glob) => {
      const compiled = compileGlob(glob);
      return compiled.ok ? [compiled.test] : [];
    });
    return (dir) => tests.some((test) => test(dir));
  };
  const isIncluded = anyOf(include);
  const isExcluded = anyOf(exclude);
  return manifests
    .filter((file) => baseName(file) === "package.json")
    .map(dirName)
    .filter((dir) => dir !== "." && isIncluded(dir) && !isExcluded(dir));
}

/** package.json "exports" as subpath → the files it may point to (every condition's target). */
export function flattenExports(exports: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const leaves = (value: unknown): string[] => {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(leaves);
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(leaves);
    return [];
  };
  if (typeof exports === "object" && exports !== null && !Array.isArray(exports)) {
    const entries = Object.entries(exports);
    if (entries.some(([key]) => key.startsWith("."))) {
      for (const [key, target] of entries) if (key.startsWith(".")) out[key] = leaves(target);
      return out;
    }
  }
  const all = leaves(exports);
  if (all.length > 0) out["."] = all;
  return out;
}

/** The npm table entry for a package.json read at `dir`. */
export function npmPackage(dir: string, text: string | undefined): NpmPackage | undefined {
  const pkg = readPackageJson(text);
  if (pkg?.name === undefined) return undefined;
  const entries = [pkg.source, pkg.module, pkg.main, pkg.types].filter((e): e is string => e !== undefined);
  return { name: pkg.name, dir, exports: flattenExports(pkg.exports), entries };
}

export interface PackageDiscovery {
  /** Every manifest the glob found, walked folders only. */
  readonly manifests: readonly string[];
  readonly members: readonly string[];
  readonly npm: readonly NpmPackage[];
  /** The workspace's own name (the last part of its path) for the root row when package.json has none. */
  readonly workspaceName: string;
}

/** The packages to audit, root first, then by folder. */
export function workspacePackages(found: PackageDiscovery): WorkspacePackage[] {
  const kinds = new Map<string, Set<string>>();
  const addKind = (dir: string, kind: string): void => {
    const set = kinds.get(dir) ?? new Set<string>();
    set.add(kind);
    kinds.set(dir, set);
  };
  addKind(".", "folder");
  for (const dir of found.members) addKind(dir, "npm");
  for (const file of found.manifests) {
    const dir = dirName(file);
    const name = baseName(file);
    if (dir === "." && name === "package.json") addKind(dir, "npm");
    if (name === "go.mod") addKind(dir, "Go module");
    if (name === "pyproject.toml" || name === "setup.py" || name === "setup.cfg") addKind(dir, "Python");
  }
  const dirs = [...kinds.keys()].sort((a, b) => (a === "." ? -1 : b === "." ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return dirs.map((dir) => {
    const set = kinds.get(dir) ?? new Set<string>();
    if (set.size > 1) set.delete("folder");
    const name = found.npm.find((p) => p.dir === dir)?.name;
    const inTests = dir !== "." && dir.split("/").some((segment) => TEST_DIRS.has(segment.toLowerCase()));
    return {
      dir,
      label: name ?? (dir === "." ? found.workspaceName : dir),
      kind: [...set].join(", "),
      exclude: dirs.filter((other) => other !== dir && other !== "." && (dir === "." || other.startsWith(`${dir}/`))),
      role: inTests ? "tests" : "audit",
    };
  });
}
