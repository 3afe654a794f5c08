// Writing the report: to `-o FILE` the way a careful shell redirection would (through symlinks, into
// FIFOs and character devices, atomically for regular files), and to stdout in a way that a reader
// closing the pipe early (`| head -1`) ends quietly. The report is made safe for a terminal on every
// output: a piped or saved report is shown later too (`cat report.md`), and would run what it holds.
import { randomBytes } from "node:crypto";
import { constants, existsSync, lstatSync, readlinkSync, realpathSync, statSync, type Stats } from "node:fs";
import { lstat, open, readlink, realpath, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { escapeJsonText, stripForTerminal } from "../text/safe-text.js";
import { CliError, EXIT } from "./exit-codes.js";

// As many links as Linux follows before ELOOP.
const MAX_LINKS = 40;

/** What a path names once its symlinks are followed: kinds `-o` writes into, or refuses. */
function refusal(stats: Stats): string | undefined {
  if (stats.isDirectory()) return "is a directory; give a file path";
  if (stats.isBlockDevice()) return "is a block device; agentwf writes reports only to files, FIFOs and character devices";
  if (stats.isSocket()) return "is a socket; give a file path";
  return undefined;
}

/** Fails early, before any model call, when `-o FILE` could not be written at the end. */
export function checkOutputPath(file: string, cwd: string, workspace: string = cwd): string {
  const resolved = path.resolve(cwd, file);
  const escape = linkOutOfWorkspace(resolved, workspace);
  if (escape !== undefined) {
    throw new CliError(`-o ${file}: a symbolic link in the workspace to ${escape}, outside it; the repository may have planted it, so give that path itself if you mean it`, EXIT.usage);
  }
  const dir = path.dirname(resolved);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`-o ${file}: the directory ${dir} does not exist; create it or choose another path`, EXIT.usage);
  }
  // statSync follows symlinks (a dangling one names a file still to be created, as `>` would).
  const target = existsSync(resolved) ? statSync(resolved) : undefined;
  const problem = target === undefined ? undefined : refusal(target);
  if (problem !== undefined) throw new CliError(`-o ${file}: ${problem}`, EXIT.usage);
  return resolved;
}

/**
 * Where a symlink at a path inside the workspace leads, when that is outside it. A cloned
 * repository can commit `AUDIT.md -> ../../.bashrc` and tell people to pass `-o AUDIT.md`; the
 * person chose a file in the workspace, not the one the link names. A path the person gives
 * outside the workspace is theirs and is followed as `>` would.
 */
function linkOutOfWorkspace(resolved: string, workspace: string): string | undefined {
  let root: string;
  try {
    root = realpathSync(workspace);
  } catch {
    return undefined;
  }
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);
  const lexicalRoot = path.resolve(workspace);
  if (!(resolved === lexicalRoot || resolved.startsWith(lexicalRoot + path.sep)) && !inside(resolved)) return undefined;
  let current = resolved;
  for (let hops = 0; hops <= MAX_LINKS; hops += 1) {
    let dir: string;
    try {
      dir = realpathSync(path.dirname(current));
    } catch {
      return undefined;
    }
    current = path.join(dir, path.basename(current));
    if (!inside(current)) return current;
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return undefined;
      link = readlinkSync(current);
    } catch {
      return undefined;
    }
    current = path.resolve(path.dirname(current), link);
  }
  return undefined;
}

/** Follows symlinks to where a file that does not exist yet is to be created (a dangling link's target, as `>` creates it). */
export async function followLinks(file: string): Promise<string> {
  let current = path.join(await realpath(path.dirname(path.resolve(file))), path.basename(file));
  for (let hops = 0; hops <= MAX_LINKS; hops += 1) {
    const stats = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (stats === undefined || !stats.isSymbolicLink()) return current;
    const next = path.resolve(path.dirname(current), await readlink(current));
    current = path.join(await realpath(path.dirname(next)), path.basename(next));
  }
  throw new Error(`more than ${MAX_LINKS} symbolic links in a row`);
}

/**
 * Replaces a regular file (or creates one) through a temporary file in the same directory and a
 * rename, so a reader sees the old report or the whole new one, never half of one. An existing
 * file keeps its permissions; a new one gets the person's umask (0666 & ~umask), as `> FILE` and
 * every editor would: the path is theirs, and so is the policy for who may read what they save there.
 */
async function replaceAtomically(file: string, text: string, existing: Stats | undefined): Promise<void> {
  // O_EXCL with a random name: nothing planted in the directory can be written through.
  // The name is cut so that a target name near the 255-byte limit still leaves room for the suffix.
  const temp = path.join(path.dirname(file), `.${path.basename(file).slice(0, 100)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", existing === undefined ? 0o666 : 0o600).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot create a temporary file in ${path.dirname(file)} to replace ${path.basename(file)} whole (${error.code ?? error.message}); choose a path in a folder you can write to`);
  });
  try {
    try {
      await handle.writeFile(text);
      if (existing !== undefined) {
        // Only root can give a file away; for anyone else the new file is theirs, as the old one was.
        if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) await handle.chown(existing.uid, existing.gid).catch(() => undefined);
        // The permission bits, not setuid/setgid: a report is not a program.
        await handle.chmod(existing.mode & 0o777);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Writes into what is there (a FIFO's reader, /dev/stdout, /dev/null) without replacing it. */
async function writeInto(file: string, text: string): Promise<void> {
  // No O_CREAT: the node stays what it is. Opening a FIFO waits for its reader, as `>` does.
  const handle = await open(file, constants.O_WRONLY | constants.O_NOCTTY);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

/** Writes the report to `-o FILE`: through symlinks, into FIFOs and character devices, atomically for files. */
export async function writeReportFile(file: string, text: string): Promise<void> {
  // stat follows links as the kernel does, /proc/self/fd/1 ("pipe:[…]") included.
  const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (stats === undefined) return replaceAtomically(await followLinks(file), text, undefined);
  if (stats.isFile()) return replaceAtomically(await realpath(file), text, stats);
  const problem = refusal(stats);
  if (problem !== undefined) throw new Error(`${file} ${problem}`);
  return writeInto(file, text);
}

/** Whether an error is a closed pipe on the reading side. */
export function isBrokenPipe(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "EPIPE";
}

/** Writes to a stream and resolves when flushed; a closed pipe resolves `false` instead of throwing. */
export function writeOut(stream: Writable, text: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve(false);
    stream.write(text, (error) => resolve(error == null));
  });
}

export interface Delivery {
  readonly report: string | undefined;
  /** The object printed for `--output-format json` and last for `stream-json`. */
  readonly summary: unknown;
  readonly outputFormat: "text" | "json" | "stream-json";
  readonly outputFile: string | undefined;
  readonly outputFlag: string | undefined;
  readonly stdout: Writable & { readonly isTTY?: boolean };
  readonly warn: (line: string) => void;
}

/** Writes the report where it was asked for; false when `-o FILE` could not be written. */
export async function deliverReport(d: Delivery): Promise<boolean> {
  const safe = d.report === undefined ? undefined : stripForTerminal(d.report);
  const text = safe === undefined ? undefined : safe.endsWith("\n") ? safe : `${safe}\n`;
  let fileOk = true;
  if (text !== undefined && d.outputFile !== undefined) {
    try {
      await writeReportFile(d.outputFile, text);
    } catch (error) {
      fileOk = false;
      d.warn(`agentwf: could not write the report to ${d.outputFlag ?? d.outputFile}: ${(error as Error).message}\n`);
    }
  }
  if (d.outputFormat === "text") {
    if (text !== undefined) await writeOut(d.stdout, text);
  } else {
    // The JSON keeps the exact values; what a terminal would obey is written as \u escapes.
    await writeOut(d.stdout, `${escapeJsonText(JSON.stringify(d.summary))}\n`);
  }
  return fileOk;
}
