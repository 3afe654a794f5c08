// grep in plain JavaScript, so it behaves the same on every machine with no ripgrep to find. The
// scan goes on past the result cap to count every match: the notice gives an exact total, which
// tells the model how much narrower its next search must be.
import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import { looksBinary } from "./binary-sniff.js";
import { describeFsError } from "./fs-error-message.js";
import { findFiles } from "./glob.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { formatBytes, splitLines, truncateText } from "./truncate.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

export interface GrepLimits {
  /** Matches shown when the call does not say. */
  readonly maxResults: number;
  /** The most a call may ask for with `maxResults`. */
  readonly maxResultsCeiling: number;
  readonly maxBytes: number;
  /** Larger files are skipped, and counted in the notice. */
  readonly maxFileBytes: number;
  readonly maxLineChars: number;
}

export const DEFAULT_GREP_LIMITS: GrepLimits = {
  maxResults: 200,
  maxResultsCeiling: 1000,
  maxBytes: 50 * 1024,
  maxFileBytes: 2 * 1024 * 1024,
  maxLineChars: 500,
};

interface Skipped {
  binary: number;
  large: number;
  unreadable: number;
}

// Creates the grep tool: lines matching a JavaScript regular expression, as `path:line: text`.
export function createGrepTool(guard: WorkspaceGuard, limits: Partial<GrepLimits> = {}): AgentTool {
  const { maxResults, maxResultsCeiling, maxBytes, maxFileBytes, maxLineChars } = { ...DEFAULT_GREP_LIMITS, ...limits };
  const parameters = z.object({
    pattern: z.string().min(1).describe("JavaScript regular expression, matched against each line separately"),
    path: z.string().default(".").describe('File or directory to search, relative to the workspace root; default "."'),
    glob: z.string().min(1).optional().describe('Only search files matching this glob, e.g. "**/*.ts"; default all files'),
    ignoreCase: z.boolean().default(false).describe("Match without regard to case; default false"),
    maxResults: z
      .number()
      .int()
      .min(1)
      .max(maxResultsCeiling)
      .optional()
      .describe(`Matches to show; default ${maxResults}, at most ${maxResultsCeiling}`),
  });

  return defineTool({
    name: "grep",
    description:
      `Search file contents with a JavaScript regular expression, one line at a time. Each result is ` +
      `"path:line: text" with the path relative to the workspace root; lines longer than ${maxLineChars} characters ` +
      `are cut around the match. node_modules and .git are skipped, and so are binary files and files over ` +
      `${formatBytes(maxFileBytes)} (the output counts them). Shows ${maxResults} matches by default ` +
      `(maxResults up to ${maxResultsCeiling}) and at most ${formatBytes(maxBytes)}; a notice gives the exact total ` +
      `when there are more, and a narrower pattern, path or glob finds the rest. Use read_file with offset to see context.`,
    parameters,
    summarize: ({ pattern, path: target, glob }) =>
      `/${pattern}/${target === "." ? "" : ` in ${target}`}${glob === undefined ? "" : ` (${glob})`}`,
    async execute({ pattern, path: target, glob, ignoreCase, maxResults: asked }, { signal }) {
      let regex: RegExp;
      try {
        regex = new RegExp(pattern, ignoreCase ? "i" : "");
      } catch (error) {
        return {
          ok: false,
          error:
            `pattern is not a valid JavaScript regular expression (${(error as Error).message}); ` +
            `escape characters such as ( ) [ ] { } . * + ? \\ with a backslash to match them literally`,
        };
      }

      const absolute = await guard.resolve(target);
      const info = await stat(absolute).catch((error: unknown) => {
        throw new Error(describeFsError(error, target));
      });
      const files = info.isDirectory() ? await findFiles(guard, absolute, glob ?? "**/*", signal) : [absolute];

      const cap = asked ?? maxResults;
      const shown: string[] = [];
      const skipped: Skipped = { binary: 0, large: 0, unreadable: 0 };
      let total = 0;
      for (const file of files) {
        if (signal.aborted) throw new Error(`grep stopped: the run was aborted after ${total} matches`);
        const text = await readText(file, maxFileBytes, skipped);
        if (text === undefined) continue;
        const shownPath = guard.relative(file);
        splitLines(text).forEach((raw, index) => {
          const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
          const match = regex.exec(line);
          if (match === null) return;
          total += 1;
          if (shown.length < cap) shown.push(`${shownPath}:${index + 1}: ${excerpt(line, match.index, maxLineChars)}`);
        });
      }

      const skippedNote = describeSkipped(skipped, maxFileBytes);
      if (total === 0) {
        const searched = `${files.length} file${files.length === 1 ? "" : "s"}`;
        return { ok: true, output: [`[no matches for /${pattern}/ in ${searched} under "${target}"]`, skippedNote].filter(Boolean).join("\n") };
      }
      const cut = truncateText(shown.join("\n"), { maxLines: cap, maxBytes });
      const notes: string[] = [];
      if (cut.shownLines < total) {
        const reason = cut.by === "bytes" ? `${formatBytes(maxBytes)} limit` : asked === undefined ? `${cap}-match limit` : `maxResults=${cap}`;
        notes.push(`[${cut.shownLines} of ${total} matches shown (${reason}); narrow the pattern, path or glob to see the rest]`);
      }
      if (skippedNote !== "") notes.push(skippedNote);
      return { ok: true, output: notes.length === 0 ? cut.text : `${cut.text}\n\n${notes.join("\n")}` };
    },
  });
}

// Reads a file as text, or counts why it was skipped and returns undefined.
async function readText(file: string, maxFileBytes: number, skipped: Skipped): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    if (info.size > maxFileBytes) {
      skipped.large += 1;
      return undefined;
    }
    const buffer = await readFile(file);
    if (looksBinary(buffer)) {
      skipped.binary += 1;
      return undefined;
    }
    return buffer.toString("utf8");
  } catch {
    skipped.unreadable += 1;
    return undefined;
  }
}

// Shows a window of a long line around the match, so a hit at column 5000 is still visible.
function excerpt(line: string, matchIndex: number, maxChars: number): string {
  if (line.length <= maxChars) return line;
  const start = Math.max(0, Math.min(matchIndex - Math.floor(maxChars / 4), line.length - maxChars));
  const end = start + maxChars;
  return `${start > 0 ? "… " : ""}${line.slice(start, end)} … [line cut: characters ${start + 1}-${end} of ${line.length} shown]`;
}

function describeSkipped(skipped: Skipped, maxFileBytes: number): string {
  const parts: string[] = [];
  if (skipped.binary > 0) parts.push(`${skipped.binary} binary file${skipped.binary === 1 ? "" : "s"}`);
  if (skipped.large > 0) parts.push(`${skipped.large} file${skipped.large === 1 ? "" : "s"} over ${formatBytes(maxFileBytes)}`);
  if (skipped.unreadable > 0) parts.push(`${skipped.unreadable} unreadable file${skipped.unreadable === 1 ? "" : "s"}`);
  return parts.length === 0 ? "" : `[not searched: ${parts.join(", ")}]`;
}
