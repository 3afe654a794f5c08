// read_file streams the file in chunks: memory stays at one chunk plus the lines shown, however
// large the file, while the scan still counts every line so the notice can say "of N".
import type { FileHandle } from "node:fs/promises";
import { stat } from "node:fs/promises";
import { z } from "zod";
import { looksBinary } from "./binary-sniff.js";
import { dotEnvRefusal, isDotEnvFile } from "./dotenv-policy.js";
import { describeFsError } from "./fs-error-message.js";
import { defineTool } from "./tool.js";
import type { AgentTool } from "./tool.js";
import { cutLongLine, formatBytes, truncateText } from "./truncate.js";
import { WorkspaceReadError, openRegularFile } from "../workspace/regular-file.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

export interface ReadFileLimits {
  /** Lines per call, also the ceiling on `limit`. */
  readonly maxLines: number;
  /** Bytes of output per call, line numbers included. */
  readonly maxBytes: number;
  /** Characters kept of one line. */
  readonly maxLineChars: number;
  /** Larger files are refused. */
  readonly maxFileBytes: number;
}

export const DEFAULT_READ_FILE_LIMITS: ReadFileLimits = {
  maxLines: 2000,
  maxBytes: 50 * 1024,
  maxLineChars: 2000,
  maxFileBytes: 50 * 1024 * 1024,
};

const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

interface ScannedLine {
  readonly number: number;
  readonly text: string;
}

interface Scan {
  readonly lines: ScannedLine[];
  readonly totalLines: number;
  readonly binary: boolean;
}

// Creates the read_file tool: numbered lines of one text file, a window at a time.
export function createReadFileTool(guard: WorkspaceGuard, limits: Partial<ReadFileLimits> = {}, access: { readonly allowDotEnv?: boolean } = {}): AgentTool {
  const { maxLines, maxBytes, maxLineChars, maxFileBytes } = { ...DEFAULT_READ_FILE_LIMITS, ...limits };
  const parameters = z.object({
    path: z.string().describe("File to read, relative to the workspace root (or absolute inside it)"),
    offset: z.number().int().min(1).optional().describe("1-based line number to start at; default 1"),
    limit: z.number().int().min(1).optional().describe(`Number of lines to read; default and maximum ${maxLines}`),
  });

  return defineTool({
    name: "read_file",
    description:
      `Read a text file in the workspace. Each output line is its line number, a tab, then the text. ` +
      `At most ${maxLines} lines or ${formatBytes(maxBytes)} per call, whichever comes first; lines longer than ` +
      `${maxLineChars} characters are cut with a marker. When the output stops before the end of the file, a ` +
      `notice at the end gives the offset to pass to read the next part. Directories (use list_dir), binary files ` +
      `and files over ${formatBytes(maxFileBytes)} (use grep) are refused.`,
    parameters,
    summarize({ path, offset, limit }) {
      if (offset === undefined && limit === undefined) return path;
      const start = offset ?? 1;
      return `${path}:${start}-${limit === undefined ? "" : start + limit - 1}`;
    },
    async execute({ path, offset, limit }, { signal }) {
      const absolute = await guard.resolve(path);
      if (access.allowDotEnv !== true && (isDotEnvFile(absolute) || isDotEnvFile(path))) return fail(dotEnvRefusal(path));
      const info = await stat(absolute).catch((error: unknown) => {
        throw new Error(describeFsError(error, path));
      });
      if (info.isDirectory()) return fail(`"${path}" is a directory; use list_dir to see its entries`);

      const start = offset ?? 1;
      const wanted = Math.min(limit ?? maxLines, maxLines);
      const scan = await withFile(absolute, guard.root, path, maxFileBytes, (handle) =>
        scanLines(handle, { first: start, count: wanted, maxBytes, maxLineChars, signal }),
      );
      if (scan.binary) return fail(`"${path}" is a binary file (it has a NUL byte in its first 8 KB); read_file reads text only`);
      if (scan.totalLines === 0) return { ok: true, output: `[the file "${path}" is empty]` };
      if (start > scan.totalLines) {
        return fail(`offset ${start} is past the end of "${path}" (${scan.totalLines} lines); pass an offset from 1 to ${scan.totalLines}`);
      }

      const width = String((scan.lines[scan.lines.length - 1]?.number ?? start)).length;
      const numbered = scan.lines.map((line) => `${String(line.number).padStart(width)}\t${line.text}`).join("\n");
      const cut = truncateText(numbered, { maxLines: wanted, maxBytes });
      if (cut.partialLine) {
        return {
          ok: true,
          output: `${cut.text}\n\n[line ${start} is longer than the ${formatBytes(maxBytes)} output limit and is shown in part; use grep to search inside it]`,
        };
      }

      const end = start + cut.shownLines - 1;
      if (end >= scan.totalLines) return { ok: true, output: cut.text };
      const reason =
        cut.by === "bytes"
          ? ` (${formatBytes(maxBytes)} limit per call)`
          : limit === undefined || limit > maxLines
            ? ` (${maxLines}-line limit per call)`
            : "";
      const notice = `[lines ${start}-${end} of ${scan.totalLines} shown${reason}; call read_file with offset=${end + 1} to read on]`;
      return { ok: true, output: `${cut.text}\n\n${notice}` };
    },
  });
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

// Opens through the guarded opener: O_NONBLOCK|O_NOFOLLOW and fstat on the descriptor, so a path
// swapped for a FIFO, device or symlink after the guard resolved it is refused, never read; and
// the descriptor's own path must be inside the workspace, so a parent folder swapped for a
// symlink in that window is refused too.
async function withFile<T>(absolute: string, root: string, shown: string, maxFileBytes: number, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  let opened: { handle: FileHandle };
  try {
    opened = await openRegularFile(absolute, shown, { maxBytes: maxFileBytes, purpose: "read_file" }, root);
  } catch (error) {
    throw new Error(refusalMessage(error, shown, maxFileBytes));
  }
  try {
    return await use(opened.handle);
  } finally {
    await opened.handle.close();
  }
}

function refusalMessage(error: unknown, shown: string, maxFileBytes: number): string {
  if (!(error instanceof WorkspaceReadError)) return describeFsError(error, shown);
  switch (error.code) {
    case "not-regular":
      return `"${shown}" is not a regular file (a socket, pipe or device); read_file reads files only`;
    case "too-large":
      return `"${shown}" is ${formatBytes(error.size ?? 0)}, over the ${formatBytes(maxFileBytes)} limit for read_file; use grep to find the lines you need`;
    case "missing":
      return `"${shown}" does not exist; check the name with list_dir or glob`;
    case "outside":
    case "unreadable":
      return error.message;
  }
}

interface ScanWindow {
  readonly first: number;
  readonly count: number;
  readonly maxBytes: number;
  readonly maxLineChars: number;
  readonly signal: AbortSignal;
}

// Reads the whole file once: keeps the lines of the window (until their bytes pass the output
// budget, since truncateText will cut there anyway) and counts all lines.
async function scanLines(handle: FileHandle, window: ScanWindow): Promise<Scan> {
  const buffer = Buffer.alloc(CHUNK_BYTES);
  const last = window.first + window.count - 1;
  // Enough bytes for maxLineChars characters whatever their encoded width, plus one to notice the cut.
  const captureCap = window.maxLineChars * 4 + 4;
  const lines: ScannedLine[] = [];
  let keptBytes = 0;
  let lineNumber = 1;
  let parts: Buffer[] = [];
  let captured = 0;
  let lineBytes = 0;
  let position = 0;

  const collecting = (): boolean => lineNumber >= window.first && lineNumber <= last && keptBytes <= window.maxBytes;
  const finishLine = (): void => {
    if (collecting()) {
      let text = Buffer.concat(parts).toString("utf8");
      const complete = captured === lineBytes;
      if (complete && text.endsWith("\r")) text = text.slice(0, -1);
      text = cutLongLine(text, window.maxLineChars, complete ? undefined : lineBytes);
      lines.push({ number: lineNumber, text });
      // A lower bound on the numbered line's cost (digit + tab + separator), so that collection
      // stops only once truncateText is sure to cut by bytes.
      keptBytes += Buffer.byteLength(text, "utf8") + 2;
    }
    parts = [];
    captured = 0;
    lineBytes = 0;
    lineNumber += 1;
  };
  const addToLine = (bytes: Buffer): void => {
    lineBytes += bytes.length;
    if (!collecting() || captured >= captureCap) return;
    const take = bytes.subarray(0, captureCap - captured);
    parts.push(Buffer.from(take));
    captured += take.length;
  };

  for (;;) {
    if (window.signal.aborted) throw new Error("read_file stopped: the run was aborted");
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    if (position === 0 && looksBinary(chunk)) return { lines: [], totalLines: 0, binary: true };
    position += bytesRead;
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE, from); at !== -1; at = chunk.indexOf(NEWLINE, from)) {
      addToLine(chunk.subarray(from, at));
      finishLine();
      from = at + 1;
    }
    addToLine(chunk.subarray(from));
  }
  // A last line without a trailing newline is still a line.
  if (lineBytes > 0) finishLine();
  return { lines, totalLines: lineNumber - 1, binary: false };
}
