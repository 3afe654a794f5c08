// grep in plain JavaScript, so it behaves the same on every machine with no ripgrep to find. The
// scan goes on past the page to count every match: the truncation line gives an exact total and
// the offset of the next page, and the matches are kept so that the next pages are read from them
// rather than from the files again (page-snapshots.ts). Every file is opened through the workspace guard (real path inside,
// regular file only, size cap), and the loop yields to the event loop as it goes, so Ctrl-C and
// --timeout reach it between files and between chunks of lines.
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { stat } from "node:fs/promises";
import { z } from "zod";
import { looksBinary } from "./binary-sniff.js";
import { isDotEnvFile } from "./dotenv-policy.js";
import { describeFsError } from "./fs-error-message.js";
import { findFiles, tooDeepNote } from "./glob.js";
import { compileLinePattern } from "./grep-pattern.js";
import type { LinePattern } from "./grep-pattern.js";
import { createPageSnapshots } from "./page-snapshots.js";
import type { SnapshotOptions } from "./page-snapshots.js";
import { PAGING_HELP, offsetParameter, pastTheEnd, renderPage } from "./paging.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { formatBytes, splitLines } from "./truncate.js";
import { WorkspaceReadError, readRegularFileSync } from "../workspace/regular-file.js";
import type { Walk } from "./walk-cache.js";
import { walkFiles } from "./walk-workspace.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

export interface GrepLimits {
  /** Matches shown when the call does not say. */
  readonly maxResults: number;
  /** The most a call may ask for with `maxResults`. */
  readonly maxResultsCeiling: number;
  readonly maxBytes: number;
  /** Larger files are skipped, and counted in the notice. */
  readonly maxFileBytes: number;
  /** The cap for a file named as `path` (one file asked for, not a walk): read_file's, so a file too large for it can still be searched. */
  readonly maxNamedFileBytes: number;
  readonly maxLineChars: number;
}

export const DEFAULT_GREP_LIMITS: GrepLimits = {
  maxResults: 200,
  maxResultsCeiling: 1000,
  maxBytes: 50 * 1024,
  maxFileBytes: 2 * 1024 * 1024,
  maxNamedFileBytes: 50 * 1024 * 1024,
  maxLineChars: 500,
};

// Lines matched between two looks at the event loop: small enough that a signal is handled within
// milliseconds, large enough that yielding costs little.
const LINES_PER_SLICE = 2000;

interface Skipped {
  binary: number;
  large: number;
  special: number;
  unreadable: number;
  envLinks: number;
}

function stopped(total: number): Error {
  return new Error(`grep stopped: the run was aborted after ${total} matches`);
}

// Environment files hold keys, and their lines would go to the model's server: they are left out
// by name here, and a link with an innocent name whose real file is one is left out where it is
// opened (readText: only a link takes that path), so no file costs an extra lstat.
function withoutEnvFiles(found: readonly string[]): { files: string[]; envSkipped: number } {
  const files = found.filter((file) => !isDotEnvFile(file));
  return { files, envSkipped: found.length - files.length };
}

function envNote(skipped: number): string[] {
  return skipped === 0 ? [] : [`[${skipped} environment file${skipped === 1 ? "" : "s"} (.env*) not searched: they usually hold keys]`];
}

// Creates the grep tool: lines matching an RE2 regular expression, as `path:line: text`.
export function createGrepTool(
  guard: WorkspaceGuard,
  limits: Partial<GrepLimits> = {},
  access: { readonly allowDotEnv?: boolean } = {},
  snapshotOptions: Partial<SnapshotOptions> = {},
  walk: Walk = walkFiles,
): AgentTool {
  const { maxResults, maxResultsCeiling, maxBytes, maxFileBytes, maxNamedFileBytes, maxLineChars } = { ...DEFAULT_GREP_LIMITS, ...limits };
  const snapshots = createPageSnapshots<ScanResult>(snapshotOptions);
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
      `${formatBytes(maxFileBytes)} are skipped (the output counts the last two); a file named as path is searched up to ` +
      `${formatBytes(Math.max(maxFileBytes, maxNamedFileBytes))}. Shows ${maxResults} matches per call ` +
      `by default (maxResults up to ${maxResultsCeiling}) and at most ${formatBytes(maxBytes)}. ${PAGING_HELP} ` +
      `Use read_file with offset to see context.`,
    parameters,
    summarize: ({ pattern, path: target, glob }) =>
      `/${pattern}/${target === "." ? "" : ` in ${target}`}${glob === undefined ? "" : ` (${glob})`}`,
    async execute({ pattern, path: target, glob, ignoreCase, maxResults: asked, offset }, { signal }) {
      const compiled = compileLinePattern(pattern, ignoreCase);
      if (!compiled.ok) return { ok: false, error: compiled.error };

      const absolute = await guard.resolve(target);
      const info = await stat(absolute).catch((error: unknown) => {
        throw new Error(describeFsError(error, target));
      });
      const cap = asked ?? maxResults;
      const query = JSON.stringify([absolute, pattern, glob ?? null, ignoreCase]);
      const version = snapshots.version();
      let result = snapshots.pageOn(query, offset);
      if (result === undefined) {
        const found = info.isDirectory() ? await findFiles(guard, absolute, glob ?? "**/*", signal, walk) : { files: [absolute], tooDeep: 0 };
        const { files, envSkipped } = access.allowDotEnv === true ? { files: found.files, envSkipped: 0 } : withoutEnvFiles(found.files);
        const fileCap = info.isDirectory() ? maxFileBytes : Math.max(maxFileBytes, maxNamedFileBytes);
        result = await scanFiles(guard, files, compiled.pattern, { offset, cap, maxFileBytes: fileCap, maxLineChars, signal, allowDotEnv: access.allowDotEnv === true });
        result.notes.push(...envNote(envSkipped + result.envLinks), ...tooDeepNote(found.tooDeep));
      }
      const { total, matches, from, notes, searched } = result;
      if (total === 0) {
        const files = `${searched} file${searched === 1 ? "" : "s"}`;
        return { ok: true, output: [`[no matches for /${pattern}/ in ${files} under "${target}"]`, ...notes].join("\n") };
      }
      if (offset >= total) return pastTheEnd(offset, total, "matches");
      const outcome = renderPage(total, (index) => matches[index - from] ?? "", offset, { maxEntries: cap, maxBytes }, notes);
      // Only a complete list can serve later pages.
      if (outcome.ok && outcome.page !== undefined && from === 0 && matches.length === total) snapshots.keep(query, result, version);
      return outcome;
    },
  });
}

interface ScanResult {
  readonly total: number;
  /** Formatted matches from index `from` on: all of them when they fit the keeping budget, else the page. */
  readonly matches: string[];
  readonly from: number;
  readonly notes: string[];
  readonly searched: number;
  /** Links whose real file is an environment file, left out. */
  readonly envLinks: number;
}

interface ScanOptions {
  readonly offset: number;
  readonly cap: number;
  readonly maxFileBytes: number;
  readonly maxLineChars: number;
  readonly signal: AbortSignal;
  readonly allowDotEnv: boolean;
}

// Matches kept for later pages at most, in characters; past it only the asked page is kept and a
// later page scans again (as grep "." over a huge tree would otherwise hold every line of it).
const KEPT_CHARS = 8 * 1024 * 1024;
// Files read between two looks at the event loop: reading is synchronous (regular-file.ts says why).
const FILES_PER_SLICE = 64;

// Reads every file in order and matches its lines, counting every match.
async function scanFiles(guard: WorkspaceGuard, files: readonly string[], regex: LinePattern, options: ScanOptions): Promise<ScanResult> {
  const { offset, cap, maxFileBytes, maxLineChars, signal, allowDotEnv } = options;
  const skipped: Skipped = { binary: 0, large: 0, special: 0, unreadable: 0, envLinks: 0 };
  let all: string[] | undefined = [];
  let keptChars = 0;
  const page: string[] = [];
  let total = 0;
  let sinceYield = 0;
  for (let position = 0; position < files.length; position += 1) {
    if (position % FILES_PER_SLICE === FILES_PER_SLICE - 1) {
      await yieldToEventLoop();
      sinceYield = 0;
    }
    if (signal.aborted) throw stopped(total);
    const file = files[position] ?? "";
    const shownPath = guard.relative(file);
    const text = await readText(guard, file, shownPath, maxFileBytes, skipped, allowDotEnv);
    if (text === undefined) continue;
    const lines = splitLines(text);
    for (let index = 0; index < lines.length; index += 1) {
      if ((sinceYield += 1) >= LINES_PER_SLICE) {
        sinceYield = 0;
        await yieldToEventLoop();
        if (signal.aborted) throw stopped(total);
      }
      const raw = lines[index] ?? "";
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      // Most lines do not match, and RE2's DFA says so cheaply; where a match starts matters only
      // for a line cut around it, and finding it takes the slower engine (a third of grep's time
      // over 27k small files went to it).
      if (!regex.test(line)) continue;
      const at = line.length > maxLineChars ? regex.firstMatch(line) : 0;
      if (at === -1) continue;
      const inPage = total >= offset && total < offset + cap;
      if (all !== undefined || inPage) {
        const shown = `${shownPath}:${index + 1}: ${excerpt(line, at, maxLineChars)}`;
        if (inPage) page.push(shown);
        if (all !== undefined) {
          all.push(shown);
          if ((keptChars += shown.length) > KEPT_CHARS) all = undefined;
        }
      }
      total += 1;
    }
  }
  const skippedNote = describeSkipped(skipped, maxFileBytes);
  const notes = skippedNote === "" ? [] : [skippedNote];
  // Files really read: the skipped ones are counted in the notes, not as searched.
  const searched = files.length - skipped.binary - skipped.large - skipped.special - skipped.unreadable - skipped.envLinks;
  const counts = { notes, searched, envLinks: skipped.envLinks };
  return all === undefined ? { total, matches: page, from: offset, ...counts } : { total, matches: all, from: 0, ...counts };
}

// Reads a file as text, or counts why it was skipped and returns undefined. The walk's paths are
// real paths, so the file is opened as it is; the opened descriptor must still be inside the
// workspace (a folder swapped for a symlink since the walk is caught there). A file symlink the
// walk kept is opened through the guard's real path instead, unless that is an environment file.
async function readText(guard: WorkspaceGuard, file: string, shown: string, maxFileBytes: number, skipped: Skipped, allowDotEnv: boolean): Promise<string | undefined> {
  const cap = { maxBytes: maxFileBytes, purpose: "grep" };
  try {
    let buffer: Buffer;
    try {
      buffer = readRegularFileSync(file, shown, cap, guard.root);
    } catch (error) {
      if (!(error instanceof WorkspaceReadError) || error.code !== "outside") throw error;
      const real = await guard.resolve(file);
      if (!allowDotEnv && isDotEnvFile(real)) {
        skipped.envLinks += 1;
        return undefined;
      }
      buffer = readRegularFileSync(real, shown, cap, guard.root);
    }
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
