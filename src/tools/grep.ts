// grep in plain JavaScript, so it behaves the same on every machine with no ripgrep to find. The
// scan goes on past the page to count every match: the truncation line gives an exact total and
// the offset of the next page. Every file is opened through the workspace guard (real path inside,
// regular file only, size cap), and the loop yields to the event loop as it goes, so Ctrl-C and
// --timeout reach it between files and between chunks of lines.
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { lstat, realpath, stat } from "node:fs/promises";
import { z } from "zod";
import { looksBinary } from "./binary-sniff.js";
import { isDotEnvFile } from "./dotenv-policy.js";
import { describeFsError } from "./fs-error-message.js";
import { findFiles, tooDeepNote } from "./glob.js";
import { compileLinePattern } from "./grep-pattern.js";
import { PAGING_HELP, offsetParameter, pastTheEnd, renderPage } from "./paging.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { formatBytes, splitLines } from "./truncate.js";
import { WorkspaceReadError, readRegularFile } from "../workspace/regular-file.js";
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

// Lines matched between two looks at the event loop: small enough that a signal is handled within
// milliseconds, large enough that yielding costs little.
const LINES_PER_SLICE = 2000;
// Files read at once: enough to hide disk latency, few enough to leave descriptors for the rest.
const PARALLEL_READS = 16;

interface Skipped {
  binary: number;
  large: number;
  special: number;
  unreadable: number;
}

function stopped(total: number): Error {
  return new Error(`grep stopped: the run was aborted after ${total} matches`);
}

// Creates the grep tool: lines matching an RE2 regular expression, as `path:line: text`.
export function createGrepTool(guard: WorkspaceGuard, limits: Partial<GrepLimits> = {}, access: { readonly allowDotEnv?: boolean } = {}): AgentTool {
  const { maxResults, maxResultsCeiling, maxBytes, maxFileBytes, maxLineChars } = { ...DEFAULT_GREP_LIMITS, ...limits };
  const parameters = z.object({
    pattern: z.string().min(1).describe("Regular expression (RE2 syntax), matched against each line separately"),
    path: z.string().default(".").describe('File or directory to search, relative to the workspace root; default "."'),
    glob: z.string().min(1).optional().describe('Only search files matching this glob, e.g. "**/*.ts"; default all files'),
    ignoreCase: z.boolean().default(false).describe("Match without regard to case; default false"),
    maxResults: z
      .number()
      .int()
      .min(1)
      .max(maxResultsCeiling)
      .optional()
      .describe(`Matches to show per call; default ${maxResults}, at most ${maxResultsCeiling}`),
    offset: offsetParameter,
  });

  return defineTool({
    name: "grep",
    description:
      `Search file contents with a regular expression in RE2 syntax (like JavaScript's, in linear time: no ` +
      `backreferences, no lookahead or lookbehind), one line at a time. Each result is "path:line: text" with the ` +
      `path relative to the workspace root, ordered by path then line; lines longer than ${maxLineChars} characters ` +
      `are cut around the match. Files ignored by .gitignore, node_modules, .git, binary files and files over ` +
      `${formatBytes(maxFileBytes)} are skipped (the output counts the last two). Shows ${maxResults} matches per call ` +
      `by default (maxResults up to ${maxResultsCeiling}) and at most ${formatBytes(maxBytes)}. ${PAGING_HELP} ` +
      `Use read_file with offset to see context.`,
    parameters,
    summarize: ({ pattern, path: target, glob }) =>
      `/${pattern}/${target === "." ? "" : ` in ${target}`}${glob === undefined ? "" : ` (${glob})`}`,
    async execute({ pattern, path: target, glob, ignoreCase, maxResults: asked, offset }, { signal }) {
      const compiled = compileLinePattern(pattern, ignoreCase);
      if (!compiled.ok) return { ok: false, error: compiled.error };
      const regex = compiled.pattern;

      const absolute = await guard.resolve(target);
      const info = await stat(absolute).catch((error: unknown) => {
        throw new Error(describeFsError(error, target));
      });
      const found = info.isDirectory() ? await findFiles(guard, absolute, glob ?? "**/*", signal) : { files: [absolute], tooDeep: 0 };
      const { tooDeep } = found;
      // Environment files hold keys; their lines would go to the model's server.
      const files = access.allowDotEnv === true ? found.files : found.files.filter((file) => !isDotEnvFile(file));
      let envSkipped = found.files.length - files.length;
      // A link with an innocent name can lead to a .env file: its real name decides.
      const linksToEnv = async (file: string): Promise<boolean> => {
        if (access.allowDotEnv === true || !(await lstat(file).then((info) => info.isSymbolicLink(), () => false))) return false;
        const leadsToEnv = isDotEnvFile(await realpath(file).catch(() => file));
        if (leadsToEnv) envSkipped += 1;
        return leadsToEnv;
      };

      const cap = asked ?? maxResults;
      const page: string[] = [];
      const skipped: Skipped = { binary: 0, large: 0, special: 0, unreadable: 0 };
      let total = 0;
      let sinceYield = 0;
      // Files are read a window at a time in parallel (disk latency hides behind the others) and
      // matched in order, so the result is the same as a one-by-one scan.
      for (let from = 0; from < files.length; from += PARALLEL_READS) {
        if (signal.aborted) throw stopped(total);
        const window = files.slice(from, from + PARALLEL_READS);
        const texts = await Promise.all(window.map(async (file) => ((await linksToEnv(file)) ? undefined : readText(guard, file, maxFileBytes, skipped))));
        for (const [position, text] of texts.entries()) {
          if (text === undefined) continue;
          const shownPath = guard.relative(window[position] ?? "");
          const lines = splitLines(text);
          for (let index = 0; index < lines.length; index += 1) {
            if ((sinceYield += 1) >= LINES_PER_SLICE) {
              sinceYield = 0;
              await yieldToEventLoop();
              if (signal.aborted) throw stopped(total);
            }
            const raw = lines[index] ?? "";
            const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
            const at = regex.firstMatch(line);
            if (at === -1) continue;
            // Only the page is formatted; the rest is counted.
            if (total >= offset && total < offset + cap) page.push(`${shownPath}:${index + 1}: ${excerpt(line, at, maxLineChars)}`);
            total += 1;
          }
        }
      }

      const skippedNote = describeSkipped(skipped, maxFileBytes);
      const envNote = envSkipped === 0 ? [] : [`[${envSkipped} environment file${envSkipped === 1 ? "" : "s"} (.env*) not searched: they usually hold keys]`];
      const notes = [...(skippedNote === "" ? [] : [skippedNote]), ...envNote, ...tooDeepNote(tooDeep)];
      if (total === 0) {
        const searched = `${files.length} file${files.length === 1 ? "" : "s"}`;
        return { ok: true, output: [`[no matches for /${pattern}/ in ${searched} under "${target}"]`, ...notes].join("\n") };
      }
      if (offset >= total) return pastTheEnd(offset, total, "matches");
      return renderPage(total, (index) => page[index - offset] ?? "", offset, { maxEntries: cap, maxBytes }, notes);
    },
  });
}

// Reads a file as text through the guard, or counts why it was skipped and returns undefined.
async function readText(guard: WorkspaceGuard, file: string, maxFileBytes: number, skipped: Skipped): Promise<string | undefined> {
  try {
    const real = await guard.resolve(file);
    const buffer = await readRegularFile(real, guard.relative(file), { maxBytes: maxFileBytes, purpose: "grep" });
    if (looksBinary(buffer)) {
      skipped.binary += 1;
      return undefined;
    }
    return buffer.toString("utf8");
  } catch (error) {
    const code = error instanceof WorkspaceReadError ? error.code : "unreadable";
    if (code === "too-large") skipped.large += 1;
    else if (code === "not-regular") skipped.special += 1;
    else skipped.unreadable += 1;
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
  const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
  const parts: string[] = [];
  if (skipped.binary > 0) parts.push(plural(skipped.binary, "binary file", "binary files"));
  if (skipped.large > 0) parts.push(`${plural(skipped.large, "file", "files")} over ${formatBytes(maxFileBytes)}`);
  if (skipped.special > 0) parts.push(plural(skipped.special, "FIFO, socket or device", "FIFOs, sockets or devices"));
  if (skipped.unreadable > 0) parts.push(plural(skipped.unreadable, "unreadable file", "unreadable files"));
  return parts.length === 0 ? "" : `[not searched: ${parts.join(", ")}]`;
}
