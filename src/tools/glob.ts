// glob finds files by name with tinyglobby. Confinement has two layers: patterns that climb out
// (`..`, absolute paths elsewhere) are refused with a message, and every result is checked again,
// because brace and extglob syntax can spell `..` in ways a text check misses.
import { stat } from "node:fs/promises";
import path from "node:path";
import { glob as tinyglob } from "tinyglobby";
import { z } from "zod";
import { describeFsError } from "./fs-error-message.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { formatBytes, truncateText } from "./truncate.js";
import { WorkspacePathError, isInside } from "../workspace/workspace-guard.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

/** Never searched unless the search path is inside them: vendored code and git internals drown real results. */
export const DEFAULT_IGNORES: readonly string[] = ["**/node_modules/**", "**/.git/**"];

export interface GlobLimits {
  readonly maxResults: number;
  readonly maxBytes: number;
}

export const DEFAULT_GLOB_LIMITS: GlobLimits = { maxResults: 1000, maxBytes: 50 * 1024 };

// A `..` segment, also inside braces or extglobs: "{..,src}", "@(..)".
const PARENT_SEGMENT = /(^|[/{,(|])\.\.($|[/},)|])/;

// Lists files under a guarded directory matching `pattern` as sorted absolute paths, refusing escapes.
export async function findFiles(guard: WorkspaceGuard, directory: string, pattern: string, signal: AbortSignal): Promise<string[]> {
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
  const found = await tinyglob(relativePattern, {
    cwd,
    ignore: [...DEFAULT_IGNORES],
    dot: true,
    // Following links could walk out of the workspace or around a cycle; linked files are skipped.
    followSymbolicLinks: false,
    signal,
  });
  if (signal.aborted) throw new Error("search stopped: the run was aborted");
  return found
    .map((file) => path.resolve(cwd, file))
    .filter((file) => isInside(guard.root, file))
    .sort(compareStrings);
}

// Resolves `input` through the guard and checks that it is a directory, with a message naming the fix.
async function resolveDirectory(guard: WorkspaceGuard, input: string): Promise<string> {
  const absolute = await guard.resolve(input);
  const info = await stat(absolute).catch((error: unknown) => {
    throw new Error(describeFsError(error, input));
  });
  if (!info.isDirectory()) throw new Error(`"${input}" is a file, not a directory; pass the directory that contains it`);
  return absolute;
}

// Orders by UTF-16 code units, the same on every machine (localeCompare depends on the locale).
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Creates the glob tool: files matching a glob pattern, relative to the workspace root.
export function createGlobTool(guard: WorkspaceGuard, limits: Partial<GlobLimits> = {}): AgentTool {
  const { maxResults, maxBytes } = { ...DEFAULT_GLOB_LIMITS, ...limits };
  const parameters = z.object({
    pattern: z.string().min(1).describe('Glob pattern such as "**/*.ts" or "src/**/test-*.{js,ts}"'),
    path: z.string().default(".").describe('Directory to search in, relative to the workspace root; default "."'),
  });

  return defineTool({
    name: "glob",
    description:
      `Find files by glob pattern (tinyglobby syntax: *, **, ?, {a,b}), searched under path. Returns matching files ` +
      `(not directories) relative to the workspace root, sorted, hidden files included. node_modules and .git are ` +
      `skipped and symbolic links are not followed. At most ${maxResults} files or ${formatBytes(maxBytes)}; past that ` +
      `a notice gives the total, and a narrower pattern or path finds the rest.`,
    parameters,
    summarize: ({ pattern, path: dir }) => (dir === "." ? pattern : `${pattern} in ${dir}`),
    async execute({ pattern, path: dir }, { signal }) {
      const directory = await resolveDirectory(guard, dir);
      const files = (await findFiles(guard, directory, pattern, signal)).map((file) => guard.relative(file));
      if (files.length === 0) return { ok: true, output: `[no files match "${pattern}" under "${dir}"]` };
      const cut = truncateText(files.join("\n"), { maxLines: maxResults, maxBytes });
      if (!cut.truncated) return { ok: true, output: cut.text };
      const reason = cut.by === "bytes" ? `${formatBytes(maxBytes)} limit` : `${maxResults}-file limit`;
      const notice = `[${cut.shownLines} of ${files.length} matching files shown (${reason}); narrow the pattern or path to see the rest]`;
      return { ok: true, output: `${cut.text}\n\n${notice}` };
    },
  });
}
