// list_dir shows one directory, hidden entries included, without recursion: a model that wants a
// tree should use glob. Entries git ignores are left out like in glob and grep, and .git always.
import type { Dirent } from "node:fs";
import { readdir, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { describeFsError } from "./fs-error-message.js";
import { ignoreStackFor, isIgnored } from "./ignore-rules.js";
import { PAGING_HELP, offsetParameter, pastTheEnd, renderPage } from "./paging.js";
import { compareCodePoints } from "./sort-paths.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { formatBytes } from "./truncate.js";
import { isInside } from "../workspace/workspace-guard.js";
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
    offset: offsetParameter,
  });

  return defineTool({
    name: "list_dir",
    description:
      `List the entries of one directory in the workspace (not recursive), sorted by name (code point), hidden ` +
      `entries included; entries ignored by .gitignore and .git are left out. Directories end with "/", symbolic ` +
      `links show their target as "name -> target". At most ${maxEntries} entries or ${formatBytes(maxBytes)} per ` +
      `call. ${PAGING_HELP}`,
    parameters,
    summarize: ({ path: dir, offset }) => `${dir}${offset > 0 ? ` from ${offset}` : ""}`,
    async execute({ path: dir, offset }, { signal }) {
      const absolute = await guard.resolve(dir);
      const info = await stat(absolute).catch((error: unknown) => {
        throw new Error(describeFsError(error, dir));
      });
      if (!info.isDirectory()) return { ok: false, error: `"${dir}" is a file, not a directory; use read_file to read it` };
      const all = await readdir(absolute, { withFileTypes: true }).catch((error: unknown) => {
        throw new Error(describeFsError(error, dir));
      });
      const stack = await ignoreStackFor(guard, absolute);
      if (signal.aborted) throw new Error("list_dir stopped: the run was aborted");
      // node_modules is shown here (only searches skip it); git's database never is.
      const entries = all.filter((entry) => entry.name !== ".git");
      const hidden = entries.length;
      const kept = entries.filter((entry) => !isIgnored(stack, path.join(absolute, entry.name), entry.isDirectory()));
      const ignoredNote = hidden > kept.length ? [`[${hidden - kept.length} entries ignored by .gitignore not shown]`] : [];
      if (kept.length === 0) return { ok: true, output: [`[the directory "${dir}" is empty]`, ...ignoredNote].join("\n") };
      if (offset >= kept.length) return pastTheEnd(offset, kept.length, "entries");

      kept.sort((a, b) => compareCodePoints(a.name, b.name));
      // Only the page's symlinks are resolved: a directory of 100k links costs one page of calls.
      const page = kept.slice(offset, offset + maxEntries);
      const lines = await Promise.all(page.map((entry) => renderEntry(guard, absolute, entry)));
      return renderPage(kept.length, (index) => lines[index - offset] ?? "", offset, { maxEntries, maxBytes }, ignoredNote);
    },
  });
}

async function renderEntry(guard: WorkspaceGuard, directory: string, entry: Dirent): Promise<string> {
  if (entry.isDirectory()) return `${entry.name}/`;
  if (!entry.isSymbolicLink()) return entry.name;
  const full = path.join(directory, entry.name);
  const target = await readlink(full).catch(() => "?");
  const real = await realpath(full).catch(() => undefined);
  // Nothing is said about what lies outside, not even whether it is a directory.
  if (real !== undefined && !isInside(guard.root, real)) return `${entry.name} -> ${target} (outside the workspace; not readable)`;
  const isDir = real !== undefined && (await stat(real).then((s) => s.isDirectory(), () => false));
  return `${entry.name}${isDir ? "/" : ""} -> ${target}`;
}
