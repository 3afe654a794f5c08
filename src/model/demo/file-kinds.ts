// What the demo audit counts as source, as test and as neither, from the path alone. The rule is
// stated in the report word for word (see RULE_TEXT), so the two must change together.

export type Language = "js" | "python" | "go";

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, Language>> = {
  ts: "js", tsx: "js", mts: "js", cts: "js", js: "js", jsx: "js", mjs: "js", cjs: "js",
  py: "python",
  go: "go",
};

/** The extensions a listing asks for: every audited language. */
export const CODE_EXTENSIONS: readonly string[] = Object.keys(LANGUAGE_BY_EXTENSION);

/** Never walked, at any depth: dependencies, build output, caches and generated or non-product trees. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  "node_modules", "dist", "vendor", ".cache", "build", "out", "coverage", "target",
  "docs", "examples", "example", "bench", "benchmarks", "fixtures", "__fixtures__", "__mocks__", "testdata",
]);

/** Folders whose files are all test code. */
export const TEST_DIRS: ReadonlySet<string> = new Set(["test", "tests", "__tests__", "__test__", "test-d", "spec", "specs", "e2e"]);

/** Whether a folder name is walked at all (hidden folders such as .git or .github are not). */
export function isWalkedDir(name: string): boolean {
  return !name.startsWith(".") && !SKIPPED_DIRS.has(name.toLowerCase());
}

export function extensionOf(file: string): string {
  const base = baseName(file);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot + 1).toLowerCase();
}

export function languageOf(file: string): Language | undefined {
  return LANGUAGE_BY_EXTENSION[extensionOf(file)];
}

export function baseName(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash === -1 ? file : file.slice(slash + 1);
}

export function dirName(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash === -1 ? "." : file.slice(0, slash);
}

/** The file name without its last extension. */
export function stemOf(file: string): string {
  const base = baseName(file);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? base : base.slice(0, dot);
}

// Test files by name: foo.test.ts, foo.spec.js, foo.test-d.ts (type tests), foo_test.go,
// test_foo.py, foo_test.py. A name that merely contains "test" or "spec" (specific.js) is not one.
const TEST_NAME: Readonly<Record<Language, RegExp>> = {
  js: /\.(test|spec)(-d)?$/i,
  python: /(^test_|_test$|^conftest$)/i,
  go: /_test$/,
};
// A file called just test.js or tests.py is a project's whole test suite.
const WHOLE_SUITE = /^(test|tests|spec)$/i;

export type FileKind = "source" | "test" | "other";

/** Whether `file` (a path with "/" separators) is audited source, test code, or neither. */
export function classify(file: string): FileKind {
  const language = languageOf(file);
  if (language === undefined) return "other";
  // Folder by folder without splitting the path: this runs several times per file of a 100k-file tree.
  let inTestDir = false;
  for (let start = 0, slash = file.indexOf("/"); slash !== -1; start = slash + 1, slash = file.indexOf("/", start)) {
    const dir = file.slice(start, slash);
    if (!isWalkedDir(dir)) return "other";
    if (!inTestDir && TEST_DIRS.has(dir.toLowerCase())) inTestDir = true;
  }
  const stem = stemOf(file);
  if (stem.startsWith(".")) return "other";
  if (inTestDir) return "test";
  if (TEST_NAME[language].test(stem)) return "test";
  if (language !== "go" && WHOLE_SUITE.test(stem)) return "test";
  if (language === "js" && (/\.d$/i.test(stem) || /\.config$/i.test(stem))) return "other";
  if (language === "python" && /^(setup|noxfile)$/i.test(stem)) return "other";
  return "source";
}
