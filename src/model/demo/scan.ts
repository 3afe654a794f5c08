// The demo sub-agent's walk over one package with the real tools, as a fold over tool results:
// each result is absorbed once and queues the calls it calls for. Paging is never given up on:
// a cut listing is paged through (the tools serve later pages from the first call's snapshot, so
// a listing of N pages costs one walk), or, past MAX_PAGES, split into its folders (list_dir, then
// one glob per folder), so the work stays linear in the tree.
import { CODE_EXTENSIONS, classify, isWalkedDir, languageOf, stemOf, type FileKind } from "./file-kinds.js";
import { IMPORT_LINE_PATTERN, createImportIndex, importsOnLine, joinPath, type ImportTarget, type NpmPackage } from "./imports.js";
import { readEntries, readGrepLine, readPage } from "./tool-output.js";

export interface PlannedCall {
  readonly name: "glob" | "list_dir" | "grep" | "read_file";
  readonly args: Readonly<Record<string, string | number>>;
}

export interface ScanConfig {
  /** The package folder, relative to the workspace root. */
  readonly root: string;
  /** Nested package folders, audited on their own. */
  readonly exclude: readonly string[];
  readonly packages: readonly NpmPackage[];
  /** What other packages' tests import (the workflow's first fan-out): entry files they reach are read too. */
  readonly imported?: readonly ImportTarget[];
}

export interface ScanState {
  readonly config: ScanConfig;
  readonly files: Set<string>;
  readonly targets: Map<string, ImportTarget>;
  readonly todo: PlannedCall[];
  readonly incomplete: string[];
  readonly totals: Map<string, number>;
  phase: "listing" | "grepping" | "entries" | "done";
  /** Files whose import lines are read: the tests, then the entry files they import. */
  testFiles: Set<string>;
  /** Folders that hold something the audit does not read (a skipped folder, a nested package, a code file of another kind). */
  readonly mixed: Set<string>;
  /** classify() of every file in `files`, worked out as it is added: the scan and the audit both go through every file by kind. */
  readonly kinds: Map<string, FileKind>;
}

/** Pages of one listing read at most; past this a folder is listed folder by folder where it can be. */
export const MAX_PAGES = 1000;
/** Test files named in one grep call. */
const GREP_BATCH = 200;
const SOURCE_GLOB = `**/*.{${CODE_EXTENSIONS.join(",")}}`;
// Names that can go in a glob brace list as they are.
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function startScan(config: ScanConfig): ScanState {
  return {
    config,
    files: new Set(),
    targets: new Map(),
    todo: [{ name: "list_dir", args: { path: config.root } }],
    incomplete: [],
    totals: new Map(),
    phase: "listing",
    testFiles: new Set(),
    mixed: new Set(),
    kinds: new Map(),
  };
}

function inPackage(state: ScanState, file: string): boolean {
  const { root, exclude } = state.config;
  const relative = root === "." ? file : file.startsWith(`${root}/`) ? file.slice(root.length + 1) : undefined;
  if (relative === undefined) return false;
  // Folder by folder without splitting: this runs once per listed file, 100k times on a large tree.
  const offset = root === "." ? 0 : root.length + 1;
  for (let start = 0, slash = relative.indexOf("/"); slash !== -1; start = slash + 1, slash = relative.indexOf("/", start)) {
    if (!isWalkedDir(relative.slice(start, slash))) return false;
    if (exclude.length > 0 && exclude.includes(file.slice(0, offset + slash))) return false;
  }
  return true;
}

function addFile(state: ScanState, file: string): void {
  if (languageOf(file) === undefined) return;
  if (!inPackage(state, file)) {
    markMixed(state, file);
    return;
  }
  if (state.files.has(file)) return;
  state.files.add(file);
  state.kinds.set(file, classify(file));
}

// A skipped file makes every folder above it mixed: a grep over such a folder would read it too.
function markMixed(state: ScanState, path: string): void {
  for (let dir = parentOf(path); dir !== undefined && !state.mixed.has(dir); dir = parentOf(dir)) state.mixed.add(dir);
}

function parentOf(path: string): string | undefined {
  if (path === ".") return undefined;
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "." : path.slice(0, slash);
}

// Queues the remaining pages of a cut result, checking that every page agrees on the total.
function pageOrSplit(state: ScanState, call: PlannedCall, more: { next: number; total: number }, split: () => void): void {
  const id = `${call.name} ${JSON.stringify({ ...call.args, offset: 0 })}`;
  const offset = Number(call.args.offset ?? 0);
  const known = state.totals.get(id);
  if (known !== undefined && known !== more.total) {
    state.incomplete.push(`${call.name} ${String(call.args.path)}: the total changed between pages (${known} then ${more.total})`);
    return;
  }
  if (offset > 0) return;
  state.totals.set(id, more.total);
  const size = more.next - offset;
  if (size <= 0) {
    state.incomplete.push(`${call.name} ${String(call.args.path)}: a page showed nothing`);
    return;
  }
  const pages = Math.ceil(more.total / size);
  if (pages > MAX_PAGES && split !== noSplit) {
    split();
    return;
  }
  // A listing is workspace text: a file name holding a newline could forge a notice claiming a billion results.
  if (pages > MAX_PAGES) {
    state.incomplete.push(`${call.name} ${String(call.args.path)}: claims ${more.total} results in pages of ${size}, more than the ${MAX_PAGES} pages the demo reads`);
    return;
  }
  for (let next = more.next; next < more.total; next += size) state.todo.push({ name: call.name, args: { ...call.args, offset: next } });
}

function noSplit(): void {}

/** Takes in one tool result; queues what it calls for. */
export function absorb(state: ScanState, call: PlannedCall, output: string, failed: boolean): void {
  const where = String(call.args.path ?? ".");
  if (failed) {
    state.incomplete.push(`${call.name} ${where}: ${output.replace(/^Error: /, "").split("\n")[0] ?? ""}`);
    return;
  }
  const page = readPage(output);
  // A cap with no offset to page on (a tool from before paging): split where the call can be split.
  const cutWithoutOffset = (split: (() => void) | undefined): void => {
    if (page.unpageable === undefined) return;
    if (split !== undefined) split();
    else state.incomplete.push(`${call.name} ${where}: ${page.unpageable}`);
  };
  switch (call.name) {
    case "list_dir": {
      for (const entry of readEntries(page.lines)) {
        const full = joinPath(where, entry.name);
        if (full === undefined || entry.name.includes("/")) continue;
        if (entry.kind === "file") addFile(state, full);
        else if (entry.kind === "dir" && isWalkedDir(entry.name) && !state.config.exclude.includes(full)) {
          state.todo.push({ name: "glob", args: { pattern: SOURCE_GLOB, path: full } });
        } else markMixed(state, `${full}/x`);
      }
      if (page.more !== undefined) pageOrSplit(state, call, page.more, noSplit);
      cutWithoutOffset(undefined);
      return;
    }
    case "glob": {
      for (const line of page.lines) if (!line.startsWith("[")) addFile(state, line);
      const split = (): void => {
        state.todo.push({ name: "list_dir", args: { path: where } });
      };
      if (page.more !== undefined) pageOrSplit(state, call, page.more, split);
      cutWithoutOffset(split);
      return;
    }
    case "grep": {
      for (const line of page.lines) {
        const hit = readGrepLine(line, state.testFiles);
        if (hit === undefined) continue;
        for (const target of importsOnLine(hit.file, hit.text, state.config.packages)) state.targets.set(`${target.kind}:${target.key}`, target);
      }
      if (call.args.glob === SOURCE_GLOB) {
        const perFolder = (): void => grepByFolder(state, String(call.args.path));
        if (page.more !== undefined) pageOrSplit(state, call, page.more, perFolder);
        cutWithoutOffset(perFolder);
        return;
      }
      const names = batchNames(call);
      if (page.more !== undefined) {
        const { total, next } = page.more;
        pageOrSplit(state, call, page.more, names.length < 2 ? noSplit : () => splitGrep(state, call, names, total, next));
      }
      // One file with more import-like lines than an older grep shows: read it instead.
      cutWithoutOffset(names.length < 2 ? () => state.todo.push({ name: "read_file", args: { path: where } }) : () => splitGrep(state, call, names, 2, 1));
      return;
    }
    case "read_file": {
      const lines = output.split("\n");
      const next = /^\[lines \d+-\d+ of \d+ shown.*; call read_file with offset=(\d+) to read on\]$/.exec(lines.at(-1) ?? "");
      const pattern = new RegExp(IMPORT_LINE_PATTERN);
      for (const line of lines) {
        const text = line.replace(/^\s*\d+\t/, "");
        if (text === line || !pattern.test(text)) continue;
        for (const target of importsOnLine(where, text, state.config.packages)) state.targets.set(`${target.kind}:${target.key}`, target);
      }
      if (next !== null && Number(call.args.offset ?? 1) < Number(next[1])) state.todo.push({ name: "read_file", args: { path: where, offset: Number(next[1]) } });
      return;
    }
    default: {
      const unreachable: never = call.name;
      return unreachable;
    }
  }
}

function batchNames(call: PlannedCall): string[] {
  const glob = call.args.glob;
  return typeof glob === "string" && glob.startsWith("{") && glob.endsWith("}") ? glob.slice(1, -1).split(",") : [];
}

// Re-asks in smaller batches sized so that each is likely to fit in one page.
function splitGrep(state: ScanState, call: PlannedCall, names: readonly string[], total: number, pageSize: number): void {
  const perBatch = Math.max(1, Math.floor((names.length * pageSize) / Math.max(total, 1)));
  for (let i = 0; i < names.length; i += perBatch) state.todo.push(grepCall(String(call.args.path), names.slice(i, i + perBatch)));
}

function grepCall(dir: string, names: readonly string[]): PlannedCall {
  if (names.length === 1) return { name: "grep", args: { pattern: IMPORT_LINE_PATTERN, path: dir === "." ? names[0] ?? "" : `${dir}/${names[0] ?? ""}` } };
  return { name: "grep", args: { pattern: IMPORT_LINE_PATTERN, path: dir, glob: `{${names.join(",")}}` } };
}

/** Moves the scan on when the queue has run dry: from listing to reading the tests' imports, then done. */
export function advance(state: ScanState): void {
  if (state.todo.length > 0 || state.phase === "done") return;
  if (state.phase === "grepping" || state.phase === "entries") {
    state.phase = "entries";
    readEntryFiles(state);
    if (state.todo.length === 0) state.phase = "done";
    return;
  }
  state.phase = "grepping";
  // Per folder: code files that are not tests (or not read), and tests to read. Counted by the
  // file's own folder first, then once per folder up its parents: folders are far fewer than files.
  const testsIn = new Map<string, number>();
  const othersIn = new Set<string>();
  for (const [file, kind] of state.kinds) {
    const isTest = kind === "test" && languageOf(file) !== "go";
    const dir = parentOf(file) ?? ".";
    if (isTest) {
      state.testFiles.add(file);
      testsIn.set(dir, (testsIn.get(dir) ?? 0) + 1);
    } else othersIn.add(dir);
  }
  const testsUnder = new Map<string, number>();
  for (const [folder, count] of testsIn) for (let dir: string | undefined = folder; dir !== undefined; dir = parentOf(dir)) testsUnder.set(dir, (testsUnder.get(dir) ?? 0) + count);
  const others = new Set<string>();
  for (const folder of othersIn) for (let dir: string | undefined = folder; dir !== undefined && !others.has(dir); dir = parentOf(dir)) others.add(dir);
  // A folder of nothing but tests, small enough for a page or two, is read with one grep.
  const whole = (dir: string): boolean =>
    dir !== "." && !others.has(dir) && !state.mixed.has(dir) && (testsUnder.get(dir) ?? 0) <= SUBTREE_TESTS;
  // The highest folder from `dir` up that is whole all the way, once per folder.
  const tops = new Map<string, string | undefined>();
  const topOf = (dir: string | undefined): string | undefined => {
    if (dir === undefined || !whole(dir)) return undefined;
    if (tops.has(dir)) return tops.get(dir);
    const top = topOf(parentOf(dir)) ?? dir;
    tops.set(dir, top);
    return top;
  };
  const grouped = new Set<string>();
  const loose: string[] = [];
  for (const file of [...state.testFiles].sort()) {
    const top = topOf(parentOf(file));
    if (top === undefined || top === parentOf(file)) loose.push(file);
    else if (!grouped.has(top)) {
      grouped.add(top);
      state.todo.push({ name: "grep", args: { pattern: IMPORT_LINE_PATTERN, path: top, glob: SOURCE_GLOB } });
    }
  }
  grepFiles(state, loose);
  // No tests of its own: entry files that other packages' tests import may still need reading.
  if (state.todo.length === 0) advance(state);
}

// A package's entry file (index.ts, __init__.py) is its public face: a test that imports it tests
// what it imports and re-exports (ky's tests import source/index.ts, which is built from
// core/Ky.ts; requests' tests import requests, whose __init__ imports .models). So the import lines
// of every entry file that a test (or an entry file so reached) imports are read too. Beyond entry
// files only direct imports count.
function readEntryFiles(state: ScanState): void {
  // Only entry files are looked up: indexing every source (66k on a 100k-file tree) twice cost more than the rest of this step.
  const sources: string[] = [];
  for (const [file, kind] of state.kinds) if (kind === "source" && isEntryFile(file)) sources.push(file);
  const index = createImportIndex(sources);
  const fresh = new Set<string>();
  for (const target of [...state.targets.values(), ...(state.config.imported ?? [])]) {
    for (const source of index.sourcesFor(target)) {
      if (isEntryFile(source) && !state.testFiles.has(source)) fresh.add(source);
    }
  }
  for (const file of fresh) state.testFiles.add(file);
  grepFiles(state, [...fresh].sort());
}

function isEntryFile(file: string): boolean {
  return /^(index|__init__)$/.test(stemOf(file));
}

/** Test files read at most per subtree grep: about the tests of a few folders. */
const SUBTREE_TESTS = 150;

function grepByFolder(state: ScanState, dir: string): void {
  grepFiles(state, [...state.testFiles].filter((file) => file.startsWith(`${dir}/`)).sort());
}

// One grep per folder naming its test files, or per file when a name cannot go in a brace list.
function grepFiles(state: ScanState, files: readonly string[]): void {
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const slash = file.lastIndexOf("/");
    const dir = slash === -1 ? "." : file.slice(0, slash);
    const name = file.slice(slash + 1);
    if (!PLAIN_NAME.test(name)) {
      state.todo.push(grepCall(dir, [name]));
      continue;
    }
    const list = byDir.get(dir);
    if (list === undefined) byDir.set(dir, [name]);
    else list.push(name);
  }
  for (const [dir, names] of byDir) {
    for (let i = 0; i < names.length; i += GREP_BATCH) state.todo.push(grepCall(dir, names.slice(i, i + GREP_BATCH)));
  }
}
