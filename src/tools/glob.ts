// glob finds files by name. Confinement has two layers: patterns that climb out (`..`, absolute
// paths elsewhere) are refused with a message, and the walk itself (walk-workspace.ts) never
// follows a directory symlink and keeps a file symlink only when its real path is inside. Matching
// is RE2 (glob-pattern.ts: linear time whatever the pattern), ignoring is .gitignore through the
// `ignore` package.
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { describeFsError } from "./fs-error-message.js";
import { compileGlob, literalBase } from "../workspace/glob-pattern.js";
import { createPageSnapshots } from "./page-snapshots.js";
import type { SnapshotOptions } from "./page-snapshots.js";
import { PAGING_HELP, offsetParameter, pastTheEnd, renderPage } from "./paging.js";
import { compareCodePoints } from "./sort-paths.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { formatBytes } from "./truncate.js";
import { MAX_WALK_DEPTH, walkFiles } from "./walk-workspace.js";
import type { WalkResult } from "./walk-workspace.js";
import type { Walk } from "./walk-cache.js";
import { WorkspacePathError } from "../workspace/workspace-guard.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

export interface GlobLimits {
  readonly maxResults: number;
  readonly maxBytes: number;
}

export const DEFAULT_GLOB_LIMITS: GlobLimits = { maxResults: 1000, maxBytes: 50 * 1024 };

// A `..` segment, also inside braces or extglobs: "{..,src}", "@(..)".
const PARENT_SEGMENT = /(^|[/{,(|])\.\.($|[/},)|])/;

// Lists files under a guarded directory matching `pattern` as absolute paths sorted by code point, refusing escapes.
export async function findFiles(guard: WorkspaceGuard, directory: string, pattern: string, signal: AbortSignal, walk: Walk = walkFiles): Promise<WalkResult> {
  let cwd = directory;
  let relativePattern = pattern;
  if (path.isAbsolute(pattern)) {
    if (!pattern.startsWith(`${guard.root}${path.sep}`)) {
      throw new WorkspacePathError(
        `pattern "${pattern}" is outside the workspace ${guard.root}; use a pattern relative to the search path`,
      );
    }
    cwd = guard.root;
    relativePattern = pattern.slice(guard.root.length + 1);
  }
  if (PARENT_SEGMENT.test(relativePattern)) {
    throw new WorkspacePathError(
      `pattern "${pattern}" climbs out of the search path with ".."; set path to the directory to search and keep the pattern below it`,
    );
  }
  relativePattern = relativePattern.replace(/^(\.\/)+/, "");
  const compiled = compileGlob(relativePattern);
  if (!compiled.ok) throw new WorkspacePathError(compiled.error);
  // Start below the pattern's literal prefix ("src/lib" of "src/lib/**/*.ts") and, without "**",
  // go no deeper than the pattern can reach: "*.md" at the root of a huge tree reads one directory.
  const base = literalBase(relativePattern);
  const start = base === "" ? cwd : path.join(cwd, base);
  if (start !== cwd && !(await isPlainDirectory(start))) return { files: [], tooDeep: 0 };
  const rest = base === "" ? relativePattern : relativePattern.slice(base.length + 1);
  const maxDepth = relativePattern.includes("**") ? undefined : rest.split("/").length - 1;
  const prefix = base === "" ? "" : `${base}/`;
  const walked = await walk({
    guard,
    start,
    signal,
    accept: (relative) => compiled.test(prefix + relative),
    ...(maxDepth === undefined ? {} : { maxDepth }),
  });
  return { files: walked.files.sort(compareCodePoints), tooDeep: walked.tooDeep };
}

// True when `directory` is a directory reached without any symlink: the walk never follows one.
async function isPlainDirectory(directory: string): Promise<boolean> {
  try {
    return (await realpath(directory)) === directory && (await stat(directory)).isDirectory();
  } catch {
    return false;
  }
}

// Resolves `input` through the guard and checks that it is a directory, with a message naming the fix.
export async function resolveDirectory(guard: WorkspaceGuard, input: string): Promise<string> {
  const absolute = await guard.resolve(input);
  const info = await stat(absolute).catch((error: unknown) => {
    throw new Error(describeFsError(error, input));
  });
  if (!info.isDirectory()) throw new Error(`"${input}" is a file, not a directory; pass the directory that contains it`);
  return absolute;
}

/** The note for directories the walk did not enter, or none. */
export function tooDeepNote(tooDeep: number): string[] {
  if (tooDeep === 0) return [];
  return [`[not searched: ${tooDeep} director${tooDeep === 1 ? "y" : "ies"} more than ${MAX_WALK_DEPTH} levels below the workspace root]`];
}

// Creates the glob tool: files matching a glob pattern, relative to the workspace root.
export function createGlobTool(guard: WorkspaceGuard, limits: Partial<GlobLimits> = {}, snapshotOptions: Partial<SnapshotOptions> = {}, walk: Walk = walkFiles): AgentTool {
  const { maxResults, maxBytes } = { ...DEFAULT_GLOB_LIMITS, ...limits };
  const snapshots = createPageSnapshots<WalkResult>(snapshotOptions);
  const parameters = z.object({
    pattern: z.string().min(1).describe('Glob pattern such as "**/*.ts" or "src/**/test-*.{js,ts}"'),
    path: z.string().default(".").describe('Directory to search in, relative to the workspace root; default "."'),
    offset: offsetParameter,
  });

  return defineTool({
    name: "glob",
    description:
      `Find files by glob pattern (*, **, ?, [abc], [!abc], {a,b}, @(a|b)), searched under path. Returns matching files (not directories) ` +
      `relative to the workspace root, sorted by code point, hidden files included. Files ignored by .gitignore, ` +
      `node_modules and .git are skipped, and symbolic links to directories are not followed. At most ${maxResults} ` +
      `files or ${formatBytes(maxBytes)} per call. ${PAGING_HELP}`,
    parameters,
    summarize: ({ pattern, path: dir, offset }) => `${dir === "." ? pattern : `${pattern} in ${dir}`}${offset > 0 ? ` from ${offset}` : ""}`,
    async execute({ pattern, path: dir, offset }, { signal }) {
      const directory = await resolveDirectory(guard, dir);
      const query = JSON.stringify([directory, pattern]);
      const version = snapshots.version();
      const found = snapshots.pageOn(query, offset) ?? (await findFiles(guard, directory, pattern, signal, walk));
      const { files, tooDeep } = found;
      const notes = tooDeepNote(tooDeep);
      if (files.length === 0) return { ok: true, output: [`[no files match "${pattern}" under "${dir}"]`, ...notes].join("\n") };
      if (offset >= files.length) return pastTheEnd(offset, files.length, "files");
      const outcome = renderPage(files.length, (index) => guard.relative(files[index] ?? ""), offset, { maxEntries: maxResults, maxBytes }, notes);
      if (outcome.ok && outcome.page !== undefined) snapshots.keep(query, found, version);
      return outcome;
    },
  });
}
