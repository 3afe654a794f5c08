// Matching by name: a test file named after a source file. Names are compared without case or
// separators (http-error ↔ HTTPError), and when several sources share the name, the test goes to
// the one whose folders it mirrors best (test/arguments/cwd.js ↔ lib/arguments/cwd.js).
import { TEST_DIRS, baseName, dirName, stemOf } from "./file-kinds.js";

/** A name without case or separators: "http-error", "HTTPError" and "http_error" are all "httperror". */
export function nameKey(name: string): string {
  const lower = name.toLowerCase();
  // ASCII names (nearly all) without Unicode property classes, which cost several times more per
  // name; in ASCII, letters and digits are exactly [a-z0-9] once lowercased.
  return ASCII.test(lower) ? lower.replace(/[^a-z0-9]/g, "") : lower.replace(/[^\p{L}\p{N}]/gu, "");
}

const ASCII = /^[\x00-\x7f]*$/;

// index.ts, __init__.py and mod.rs stand for their folder: a test named after the folder tests them.
const FOLDER_FILE = /^(index|__init__)$/i;

/** The names a source file goes by: its own, and its folder's when it is the folder's index. */
export function sourceNameKeys(file: string): string[] {
  const stem = stemOf(file);
  const keys = [nameKey(stem)];
  const dir = dirName(file);
  if (FOLDER_FILE.test(stem) && dir !== ".") keys.push(nameKey(baseName(dir)));
  return keys.filter((key) => key !== "");
}

/**
 * The names a test file may be named after, best first: its name without the test marker
 * (foo.test.ts, test_foo.py, foo_test.go → "foo"), then its leading words (kill-force.js → "kill",
 * execa's way of naming several tests after one module).
 */
export function testNameKeys(file: string): string[] {
  const stem = stemOf(file)
    .replace(/\.(test|spec)(-d)?$/i, "")
    .replace(/_test$/i, "")
    .replace(/^test_/i, "");
  const words = stem.split(/[-_.\s]+/).filter((word) => word !== "");
  const keys: string[] = [];
  for (let count = words.length; count >= 1; count -= 1) {
    const key = nameKey(words.slice(0, count).join(""));
    if (key !== "" && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The folders a test file mirrors: its own folders without the test ones (src/__tests__ → src, test/arguments → arguments). */
export function mirroredDirs(testFile: string): string[] {
  const dir = dirName(testFile);
  return dir === "." ? [] : dir.split("/").filter((segment) => !TEST_DIRS.has(segment.toLowerCase()));
}

function sharedTail(a: readonly string[], b: readonly string[]): number {
  let shared = 0;
  while (shared < a.length && shared < b.length && a[a.length - 1 - shared] === b[b.length - 1 - shared]) shared += 1;
  return shared;
}

export interface NameIndex {
  /** The sources that `testFile` is named after: none, one, or the equally good few. */
  readonly sourcesFor: (testFile: string) => string[];
}

/** Trailing folders indexed for mirror matching; a longer shared tail is still scored exactly. */
const INDEXED_TAIL = 4;

interface Candidates {
  readonly all: string[];
  /**
   * By folder tail ("arguments", "lib/arguments"): so a lookup never scans every same-named file.
   * Made at the first lookup that needs it: most names have one source, and most keys are never asked.
   */
  byTail?: Map<string, string[]>;
}

function tailsOf(all: readonly string[]): Map<string, string[]> {
  const byTail = new Map<string, string[]>();
  for (const source of all) {
    const dir = dirName(source);
    if (dir === ".") continue;
    // The tails of "a/b/c" are "c", "b/c", "a/b/c": cut at the slashes from the end, never split and joined.
    for (let length = 1, cut = dir.lastIndexOf("/"); length <= INDEXED_TAIL; length += 1, cut = cut <= 0 ? -1 : dir.lastIndexOf("/", cut - 1)) {
      const tail = dir.slice(cut + 1);
      const list = byTail.get(tail);
      if (list === undefined) byTail.set(tail, [source]);
      else list.push(source);
      if (cut === -1) break;
    }
  }
  return byTail;
}

function segmentsOf(dir: string): string[] {
  return dir === "." ? [] : dir.split("/");
}

function candidatesIndex(): { add: (key: string, source: string) => void; get: (key: string) => Candidates | undefined; has: (key: string) => boolean } {
  const map = new Map<string, Candidates>();
  return {
    add(key, source) {
      let entry = map.get(key);
      if (entry === undefined) {
        entry = { all: [] };
        map.set(key, entry);
      }
      if (entry.all.at(-1) === source) return;
      entry.all.push(source);
    },
    get: (key) => map.get(key),
    has: (key) => map.has(key),
  };
}

// The best mirror wins: most trailing folders in common with the test's mirrored folders, then the
// shallowest source; equally good ones all count.
function bestMirror(testFile: string, candidates: Candidates): string[] {
  if (candidates.all.length === 1) return [...candidates.all];
  const testDir = dirName(testFile);
  const mirror = mirroredDirs(testFile);
  let pool: readonly string[] = [];
  for (let length = Math.min(INDEXED_TAIL, mirror.length); length >= 1 && pool.length === 0; length -= 1) {
    pool = (candidates.byTail ??= tailsOf(candidates.all)).get(mirror.slice(-length).join("/")) ?? [];
  }
  if (pool.length === 0) pool = candidates.all;
  // One candidate is the best whatever the scores (most tests of a mirrored tree end here).
  if (pool.length === 1) return [...pool];
  const beside = pool.filter((source) => dirName(source) === testDir);
  if (beside.length > 0) return beside;
  const scored = pool.map((source) => {
    const segments = segmentsOf(dirName(source));
    return { source, shared: sharedTail(mirror, segments), depth: segments.length };
  });
  const best = Math.max(...scored.map((s) => s.shared));
  const top = scored.filter((s) => s.shared === best);
  const shallowest = Math.min(...top.map((s) => s.depth));
  return top.filter((s) => s.depth === shallowest).map((s) => s.source);
}

/** Indexes `sources` by name for matching tests of the same package. */
export function createNameIndex(sources: Iterable<string>): NameIndex {
  const byKey = candidatesIndex();
  const all = [...sources];
  for (const source of all) for (const key of sourceNameKeys(source)) byKey.add(key, source);
  // Sources by their leading words (all-async.js → "all"), for a test named after the feature:
  // made when a test first matches no source by its own name.
  let byLeadingWords: ReturnType<typeof candidatesIndex> | undefined;
  const leadingWords = (): ReturnType<typeof candidatesIndex> => {
    if (byLeadingWords !== undefined) return byLeadingWords;
    byLeadingWords = candidatesIndex();
    for (const source of all) {
      const words = stemOf(source).split(/[-_.\s]+/).filter((word) => word !== "");
      for (let count = 1; count < words.length; count += 1) byLeadingWords.add(nameKey(words.slice(0, count).join("")), source);
    }
    return byLeadingWords;
  };
  // A test's keys depend on its file name alone, and a mirrored tree repeats the same few names
  // in every folder (module.test.ts thousands of times): worked out once per name.
  const keysByName = new Map<string, string[]>();
  return {
    sourcesFor(testFile) {
      const name = baseName(testFile);
      let keys = keysByName.get(name);
      if (keys === undefined) {
        keys = testNameKeys(name);
        keysByName.set(name, keys);
      }
      const key = keys.find((k) => byKey.has(k));
      const candidates = key !== undefined ? byKey.get(key) : keys[0] === undefined ? undefined : leadingWords().get(keys[0]);
      return candidates === undefined ? [] : bestMirror(testFile, candidates);
    },
  };
}
