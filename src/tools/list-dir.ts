// list_dir shows one directory, hidden entries included, without recursion: a model that wants a
// tree should use glob, which has its own cap, rather than receive an unbounded listing here.
import type { Dirent } from "node:fs";
import { readdir, readlink, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { describeFsError } from "./fs-error-message.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { formatBytes, truncateText } from "./truncate.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

export interface ListDirLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

export const DEFAULT_LIST_DIR_LIMITS: ListDirLimits = { maxEntries: 500, maxBytes: 50 * 1024 };

// Creates the list_dir tool: the sorted entries of one directory, directories marked with "/".
export function createListDirTool(guard: WorkspaceGuard, limits: Partial<ListDirLimits> = {}): AgentTool {
  const { maxEntries, maxBytes } = { ...DEFAULT_LIST_DIR_LIMITS, ...limits };
  const parameters = z.object({
    path: z.string().default(".").describe('Directory to list, relative to the workspace root; default "."'),
  });

  return defineTool({
    name: "list_dir",
    description:
      `List the entries of one directory in the workspace (not recursive), sorted by name, hidden entries included. ` +
      `Directories end with "/", symbolic links show their target as "name -> target". At most ${maxEntries} entries ` +
      `or ${formatBytes(maxBytes)}; past that a notice gives the total, and glob with a narrower pattern finds the rest.`,
    parameters,
    summarize: ({ path: dir }) => dir,
    async execute({ path: dir }, { signal }) {
      const absolute = await guard.resolve(dir);
      const info = await stat(absolute).catch((error: unknown) => {
        throw new Error(describeFsError(error, dir));
      });
      if (!info.isDirectory()) return { ok: false, error: `"${dir}" is a file, not a directory; use read_file to read it` };
      const entries = await readdir(absolute, { withFileTypes: true }).catch((error: unknown) => {
        throw new Error(describeFsError(error, dir));
      });
      if (signal.aborted) throw new Error("list_dir stopped: the run was aborted");
      if (entries.length === 0) return { ok: true, output: `[the directory "${dir}" is empty]` };

      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const shown = entries.slice(0, maxEntries);
      const lines = await Promise.all(shown.map((entry) => renderEntry(absolute, entry)));
      const cut = truncateText(lines.join("\n"), { maxLines: maxEntries, maxBytes });
      if (cut.shownLines === entries.length) return { ok: true, output: cut.text };
      const reason = cut.by === "bytes" ? `${formatBytes(maxBytes)} limit` : `${maxEntries}-entry limit`;
      const notice =
        `[${cut.shownLines} of ${entries.length} entries shown (${reason}); ` +
        `call glob with path="${guard.relative(absolute)}" and a pattern to find the rest]`;
      return { ok: true, output: `${cut.text}\n\n${notice}` };
    },
  });
}

async function renderEntry(directory: string, entry: Dirent): Promise<string> {
  if (entry.isDirectory()) return `${entry.name}/`;
  if (!entry.isSymbolicLink()) return entry.name;
  const full = path.join(directory, entry.name);
  const target = await readlink(full).catch(() => "?");
  // stat follows the link; a dangling or unreadable target simply gets no "/".
  const isDir = await stat(full).then((s) => s.isDirectory(), () => false);
  return `${entry.name}${isDir ? "/" : ""} -> ${target}`;
}

