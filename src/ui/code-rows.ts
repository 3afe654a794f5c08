// The rows the approval screen scrolls through: the workflow's code, or its diff against the
// version the person rejected, each source line wrapped to the screen with a line-number gutter.
import { styleCode, wrapStyledLine, type StyledLine } from "./code-lines.js";
import { diffLines, type DiffLine } from "./line-diff.js";

export type RowMark = "code" | "same" | "add" | "del";

export interface CodeRow {
  /** Line number, blank on a wrapped continuation. */
  readonly gutter: string;
  readonly mark: RowMark;
  /** Whether this row starts a source line (the others continue it). */
  readonly first: boolean;
  readonly segments: StyledLine;
}

export interface CodeRows {
  readonly rows: readonly CodeRow[];
  /** Columns the gutter takes, separator included. */
  readonly gutterWidth: number;
  /** Row index of the first change (diffs), so the view can open there. */
  readonly firstChange: number;
}

const SEPARATOR = 3;

function wrapInto(rows: CodeRow[], line: StyledLine, number: string, mark: RowMark, width: number): void {
  wrapStyledLine(line, width).forEach((segments, i) => rows.push({ gutter: i === 0 ? number : "", mark, first: i === 0, segments }));
}

/** The code, numbered and wrapped so that each row fits in `width` columns. */
export function codeRows(code: string, width: number): CodeRows {
  const lines = styleCode(code);
  const digits = String(lines.length).length;
  const gutterWidth = digits + SEPARATOR;
  const textWidth = Math.max(8, width - gutterWidth);
  const rows: CodeRow[] = [];
  lines.forEach((line, i) => wrapInto(rows, line, String(i + 1), "code", textWidth));
  return { rows, gutterWidth, firstChange: 0 };
}

/** Every line of `before` and `after`, removed and added lines marked, numbered as in the version they belong to. */
export function diffRows(before: string, after: string, width: number): CodeRows {
  const oldLines = styleCode(before);
  const newLines = styleCode(after);
  const diff: DiffLine[] = diffLines(before, after);
  const digits = String(Math.max(oldLines.length, newLines.length)).length;
  // One more column for the +/- marker.
  const gutterWidth = digits + 1 + SEPARATOR;
  const textWidth = Math.max(8, width - gutterWidth);
  const rows: CodeRow[] = [];
  let firstChange = -1;
  for (const line of diff) {
    if (line.kind !== "same" && firstChange < 0) firstChange = rows.length;
    if (line.kind === "del") wrapInto(rows, oldLines[line.oldLine - 1] ?? [], String(line.oldLine), "del", textWidth);
    else wrapInto(rows, newLines[line.newLine - 1] ?? [], String(line.newLine), line.kind, textWidth);
  }
  return { rows, gutterWidth, firstChange: Math.max(0, firstChange) };
}
