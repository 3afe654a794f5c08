// Writing the report: to a file atomically (a reader never sees half a report), and to stdout in
// a way that a reader closing the pipe early (`| head -1`) ends quietly.
import { existsSync, statSync } from "node:fs";
import { rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { stripControl } from "../ui/format.js";
import { CliError, EXIT } from "./exit-codes.js";

/** Fails early, before any model call, when `-o FILE` could not be written at the end. */
export function checkOutputPath(file: string, cwd: string): string {
  const resolved = path.resolve(cwd, file);
  const dir = path.dirname(resolved);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`-o ${file}: the directory ${dir} does not exist; create it or choose another path`, EXIT.usage);
  }
  if (existsSync(resolved) && statSync(resolved).isDirectory()) {
    throw new CliError(`-o ${file}: is a directory; give a file path`, EXIT.usage);
  }
  return resolved;
}

/** Writes via a temporary file in the same directory and a rename. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
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
  const text = d.report === undefined ? undefined : d.report.endsWith("\n") ? d.report : `${d.report}\n`;
  let fileOk = true;
  if (text !== undefined && d.outputFile !== undefined) {
    try {
      await writeFileAtomic(d.outputFile, text);
    } catch (error) {
      fileOk = false;
      d.warn(`agentwf: could not write the report to ${d.outputFlag ?? d.outputFile}: ${(error as Error).message}\n`);
    }
  }
  if (d.outputFormat === "text") {
    // On a terminal, escape sequences a model wrote must not drive the terminal; piped, the
    // report is data and goes out as written.
    if (text !== undefined) await writeOut(d.stdout, d.stdout.isTTY === true ? stripControl(text) : text);
  } else {
    await writeOut(d.stdout, `${JSON.stringify(d.summary)}\n`);
  }
  return fileOk;
}
