// Reading the read-only tools' text output. glob, grep and list_dir page their results: when one is
// cut, its last line is exactly "[truncated: showing A-B of T; call again with offset B to continue]".

export interface Page {
  /** The result lines, notices removed. */
  readonly lines: string[];
  /** Set when the tool cut the result: the next offset and the total. */
  readonly more?: { readonly next: number; readonly total: number; readonly first: number };
  /** A notice the demo cannot page through (an older tool's cap); the result may be incomplete. */
  readonly unpageable?: string;
}

const TRUNCATED = /^\[truncated: showing (\d+)-(\d+) of (\d+); call again with offset (\d+) to continue\]$/;
// The agent loop appends notes to the last tool result ("[agentwf] You have used all your turns…").
const LOOP_NOTE = /^\[agentwf\] /;
// Older tools' caps ("[1000 of 5000 matching files shown (…)]"): the result is cut with no way on.
const OLD_CAP = /^\[\d+ of \d+ .* shown\b.*\]$/;

/** Splits a tool's output into its result lines and its paging notice. */
export function readPage(output: string): Page {
  const lines = output.split("\n");
  while (lines.length > 0 && (lines[lines.length - 1] === "" || LOOP_NOTE.test(lines[lines.length - 1] ?? ""))) lines.pop();
  const last = lines[lines.length - 1] ?? "";
  const match = TRUNCATED.exec(last);
  if (match !== null) {
    lines.pop();
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    const first = Number(match[1]);
    const shownEnd = Number(match[2]);
    const total = Number(match[3]);
    const next = Number(match[4]);
    if (next === shownEnd && shownEnd <= total && first <= shownEnd + 1) return { lines, more: { next, total, first } };
  }
  const old = lines.find((line) => OLD_CAP.test(line));
  return old === undefined ? { lines } : { lines, unpageable: old };
}

/** The line is a tool notice ("[no files match …]", "[the directory … is empty]"), not a result. */
export function isNotice(line: string): boolean {
  return line.startsWith("[") && line.endsWith("]");
}

export interface DirEntry {
  readonly name: string;
  readonly kind: "dir" | "file" | "link";
}

/** The entries of a list_dir result: directories end with "/", links show " -> target". */
export function readEntries(lines: readonly string[]): DirEntry[] {
  return lines.flatMap((line): DirEntry[] => {
    if (line === "" || isNotice(line)) return [];
    if (line.includes(" -> ")) return [{ name: line.slice(0, line.indexOf(" -> ")).replace(/\/$/, ""), kind: "link" }];
    if (line.endsWith("/")) return [{ name: line.slice(0, -1), kind: "dir" }];
    return [{ name: line, kind: "file" }];
  });
}

/** A grep result line "path:line: text", split at the first ":N: " whose path is one of `files`. */
export function readGrepLine(line: string, files: ReadonlySet<string>): { file: string; text: string } | undefined {
  // The markers ":N: " are found as a global regex would find them, left to right without
  // overlapping, by hand: this runs once per import line of every test (27k on a 100k-file tree).
  for (let colon = line.indexOf(":"); colon !== -1; ) {
    let end = colon + 1;
    while (end < line.length && isDigit(line.charCodeAt(end))) end += 1;
    if (end > colon + 1 && line.startsWith(": ", end)) {
      const file = line.slice(0, colon);
      if (files.has(file)) return { file, text: line.slice(end + 2) };
      colon = line.indexOf(":", end + 2);
    } else colon = line.indexOf(":", colon + 1);
  }
  return undefined;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
