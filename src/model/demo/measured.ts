// A package's answer when its coverage tool ran: the tool's own per-file figures, with paths made
// relative to the workspace, and the source files the scan found that the tool did not report
// (Node's runner and istanbul report only files a test loaded). The schema is read back by the
// parent, so an answer that is not this shape is reported as such, never trusted.
import { z } from "zod";
import { classified, type PackageRef } from "./audit.js";
import type { FileKind } from "./file-kinds.js";
import type { MeasureOutcome } from "./measure-turns.js";

/** Files listed in one answer at most (the answer must stay under the 1 MB result limit). */
export const MAX_MEASURED_FILES = 2000;

const Figures = { lines: z.number().min(0).max(100), branches: z.number().min(0).max(100).optional(), functions: z.number().min(0).max(100).optional() };

export const MeasuredFinding = z.object({
  method: z.literal("measured"),
  dir: z.string(),
  label: z.string(),
  kind: z.string(),
  command: z.string(),
  why: z.string(),
  status: z.string(),
  format: z.string(),
  files: z.array(z.object({ file: z.string(), ...Figures, uncovered: z.string().optional() })),
  filesUnlisted: z.number().int().min(0),
  total: z.object(Figures).optional(),
  /** Source files (by the demo's rule) that the tool's table does not name. */
  notReported: z.array(z.string()),
  cut: z.boolean(),
  incomplete: z.array(z.string()),
});
export type MeasuredFinding = z.infer<typeof MeasuredFinding>;

function joinPath(dir: string, file: string): string {
  return dir === "." || file.startsWith("/") ? file : `${dir}/${file}`;
}

/** The answer for a measured package; `files` are what the package's scan found. */
export function measuredFinding(
  pkg: PackageRef,
  outcome: Extract<MeasureOutcome, { kind: "measured" }>,
  files: Iterable<string> | ReadonlyMap<string, FileKind>,
  incomplete: readonly string[],
): MeasuredFinding {
  const { reading } = outcome;
  const perFile = reading.format !== "go test -cover";
  const listed = reading.files.map((f) => (perFile ? { ...f, file: joinPath(pkg.dir, f.file) } : f));
  const named = new Set(listed.map((f) => f.file));
  const notReported = perFile ? [...classified(files)].flatMap(([file, kind]) => (kind === "source" && !named.has(file) ? [file] : [])).sort() : [];
  return {
    method: "measured",
    dir: pkg.dir,
    label: pkg.label,
    kind: pkg.kind,
    command: outcome.command,
    why: outcome.why,
    status: outcome.status,
    format: reading.format,
    files: listed.slice(0, MAX_MEASURED_FILES),
    filesUnlisted: Math.max(0, listed.length - MAX_MEASURED_FILES),
    ...(reading.total !== undefined ? { total: reading.total } : {}),
    notReported: notReported.slice(0, MAX_MEASURED_FILES),
    cut: outcome.cut,
    incomplete: [...incomplete],
  };
}
