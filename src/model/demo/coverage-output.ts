// Reading what a coverage tool printed: the per-file table of Node's test runner
// (`--experimental-test-coverage`), of istanbul's text reporter (c8, nyc, jest, vitest), of
// pytest-cov (`--cov-report=term`), and Go's per-package `coverage: N% of statements`. The numbers
// in the demo's report are these, never computed by the demo. The output comes from the workspace's
// own tools, so every figure is checked (a number from 0 to 100) and names stay plain strings.

export interface FileCoverage {
  /** The path as the tool printed it, joined to its folders (Node and istanbul print a tree). */
  readonly file: string;
  /** Line coverage in percent (statements for Go and pytest-cov, which report no lines). */
  readonly lines: number;
  readonly branches?: number;
  readonly functions?: number;
  /** The tool's own text for uncovered lines ("4-5, 9"), when it prints one. */
  readonly uncovered?: string;
}

export interface CoverageReading {
  /** The table's format, said in the report. */
  readonly format: "node --test" | "istanbul text" | "pytest-cov" | "go test -cover";
  readonly files: readonly FileCoverage[];
  /** The tool's own total row ("all files", "TOTAL"), when it printed one. */
  readonly total?: { readonly lines: number; readonly branches?: number; readonly functions?: number };
}

// Node's spec reporter starts its diagnostic lines with "ℹ ", the tap reporter with "# ".
const LINE_PREFIX = /^(?:ℹ|#)\s?/;
const RULE_ROW = /^[-|=\s]+$/;

function percent(cell: string | undefined): number | undefined {
  const text = cell?.trim() ?? "";
  if (!/^\d{1,3}(?:\.\d+)?%?$/.test(text)) return undefined;
  const value = Number(text.replace("%", ""));
  return value >= 0 && value <= 100 ? value : undefined;
}

interface Columns {
  readonly name: number;
  readonly lines: number;
  readonly branches: number | undefined;
  readonly functions: number | undefined;
  readonly uncovered: number | undefined;
}

/** The columns of a `file | line % | …` (Node) or `File | % Stmts | … | % Lines | …` (istanbul) header. */
function headerColumns(cells: readonly string[]): Columns | undefined {
  const names = cells.map((c) => c.trim().toLowerCase());
  if (names[0] !== "file") return undefined;
  const find = (...options: string[]): number | undefined => {
    const at = names.findIndex((n) => options.includes(n));
    return at < 0 ? undefined : at;
  };
  const lines = find("line %", "% lines");
  if (lines === undefined) return undefined;
  return { name: 0, lines, branches: find("branch %", "% branch"), functions: find("funcs %", "% funcs"), uncovered: find("uncovered lines", "uncovered line #s") };
}

/**
 * Node's and istanbul's tables: folders and files as a tree, one space of indent per level. A row
 * followed by a deeper one is a folder (Node prints folders with empty cells, istanbul with totals).
 */
function readTreeTable(lines: readonly string[]): CoverageReading | undefined {
  const start = lines.findIndex((line) => headerColumns(line.split("|")) !== undefined);
  if (start < 0) return undefined;
  const columns = headerColumns((lines[start] ?? "").split("|"));
  if (columns === undefined) return undefined;
  const format = (lines[start] ?? "").toLowerCase().includes("line %") ? "node --test" : "istanbul text";
  const rows: { indent: number; name: string; cells: string[] }[] = [];
  for (const line of lines.slice(start + 1)) {
    if (RULE_ROW.test(line)) continue;
    const cells = line.split("|");
    if (cells.length < 2) break;
    const first = cells[0] ?? "";
    rows.push({ indent: first.length - first.trimStart().length, name: first.trim(), cells });
  }
  const files: FileCoverage[] = [];
  let total: CoverageReading["total"];
  const folders: { indent: number; name: string }[] = [];
  rows.forEach((row, index) => {
    const values = {
      lines: percent(row.cells[columns.lines]),
      branches: columns.branches === undefined ? undefined : percent(row.cells[columns.branches]),
      functions: columns.functions === undefined ? undefined : percent(row.cells[columns.functions]),
    };
    if (row.name.toLowerCase() === "all files") {
      if (values.lines !== undefined) total = withOptional({ lines: values.lines }, values);
      return;
    }
    while (folders.length > 0 && (folders.at(-1)?.indent ?? 0) >= row.indent) folders.pop();
    const next = rows[index + 1];
    if (next !== undefined && next.indent > row.indent && next.name.toLowerCase() !== "all files") {
      folders.push({ indent: row.indent, name: row.name });
      return;
    }
    if (values.lines === undefined || row.name === "") return;
    const uncovered = columns.uncovered === undefined ? "" : (row.cells[columns.uncovered] ?? "").trim();
    files.push({
      file: [...folders.map((f) => f.name), row.name].join("/"),
      ...withOptional({ lines: values.lines }, values),
      ...(uncovered !== "" ? { uncovered } : {}),
    });
  });
  return files.length > 0 || total !== undefined ? { format, files, ...(total !== undefined ? { total } : {}) } : undefined;
}

function withOptional(base: { lines: number }, values: { branches: number | undefined; functions: number | undefined }) {
  return {
    ...base,
    ...(values.branches !== undefined ? { branches: values.branches } : {}),
    ...(values.functions !== undefined ? { functions: values.functions } : {}),
  };
}

/** pytest-cov's term report: `Name  Stmts  Miss  Cover  [Missing]`, then `TOTAL`. */
function readPytestCov(lines: readonly string[]): CoverageReading | undefined {
  const start = lines.findIndex((line) => /^Name\s+Stmts\s+Miss\s+(?:Branch\s+BrPart\s+)?Cover\b/.test(line));
  if (start < 0) return undefined;
  const files: FileCoverage[] = [];
  let total: CoverageReading["total"];
  for (const line of lines.slice(start + 1)) {
    if (RULE_ROW.test(line)) continue;
    const match = /^(\S+)\s+\d+\s+\d+\s+(?:\d+\s+\d+\s+)?(\d{1,3}(?:\.\d+)?)%(?:\s+(.*))?$/.exec(line);
    if (match === null) break;
    const lineValue = percent(match[2]);
    if (lineValue === undefined) break;
    const name = match[1] ?? "";
    if (name === "TOTAL") total = { lines: lineValue };
    else files.push({ file: name, lines: lineValue, ...(match[3] !== undefined && match[3].trim() !== "" ? { uncovered: match[3].trim() } : {}) });
  }
  return files.length > 0 ? { format: "pytest-cov", files, ...(total !== undefined ? { total } : {}) } : undefined;
}

/** `go test -cover`: `ok  example.com/m/pkg  0.01s  coverage: 75.0% of statements`, one per package. */
function readGoCover(lines: readonly string[]): CoverageReading | undefined {
  const files: FileCoverage[] = [];
  for (const line of lines) {
    const match = /^(?:ok\s+)?(\S+)\s+(?:\S+\s+)?coverage: (\d{1,3}(?:\.\d+)?)% of statements/.exec(line.trim());
    const value = percent(match?.[2]);
    if (match !== null && value !== undefined) files.push({ file: match[1] ?? "", lines: value });
  }
  return files.length > 0 ? { format: "go test -cover", files } : undefined;
}

/** The coverage figures in a tool's output, or undefined when it printed none this reader knows. */
export function readCoverageOutput(output: string): CoverageReading | undefined {
  const lines = output.split(/\r?\n/).map((line) => line.replace(LINE_PREFIX, "").replace(/\s+$/, ""));
  return readTreeTable(lines) ?? readPytestCov(lines) ?? readGoCover(lines);
}
