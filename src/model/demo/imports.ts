// Matching by import: which source files a test file imports. JavaScript and TypeScript relative
// imports and imports of the workspace's own packages by name; Python's `import pkg.mod` and
// `from pkg import mod`. Imports become keys (a path without its extension) compared with the keys
// of the source files, so `../source/index.js` finds source/index.ts and `../source` finds it too.
import { dirName, languageOf, stemOf } from "./file-kinds.js";

/** The grep pattern (a JavaScript regular expression) for lines that may hold an import. */
export const IMPORT_LINE_PATTERN = String.raw`\bfrom\s*["'\x60]|\b(import|require)\s*\(|\bimport\s*["'\x60]|^\s*(from|import)\s+[\w.]`;

/** A workspace package that tests may import by name. */
export interface NpmPackage {
  readonly name: string;
  /** Its folder, relative to the workspace root ("." for the root). */
  readonly dir: string;
  /** package.json "exports" flattened: subpath ("." or "./diff") → the files it may point to. */
  readonly exports: Readonly<Record<string, readonly string[]>>;
  /** package.json "source", "module", "main" and "types", where set. */
  readonly entries: readonly string[];
}

/** A place an import points to: an exact key, or (Python's absolute imports) a module path that ends a key. */
export type ImportTarget = { readonly kind: "exact"; readonly key: string } | { readonly kind: "module"; readonly key: string };

const JS_SPECIFIER = /\b(?:from|import|require)\s*\(?\s*(["'`])([^"'`\n]+)\1/g;
const PY_FROM = /^\s*from\s+(\.*[\w.]*)\s+import\s+(.+)$/;
const PY_IMPORT = /^\s*import\s+(.+)$/;
const CODE_EXTENSION = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py|go)$/i;
const BUILD_DIR = /^(dist|build|lib|out|esm|cjs|types)\//;

/** The key of a source file: its path without the extension. */
export function sourceKeys(file: string): string[] {
  const key = file.replace(CODE_EXTENSION, "");
  const stem = stemOf(file);
  return /^(index|__init__)$/.test(stem) && file.includes("/") ? [key, dirName(file)] : [key];
}

/** Joins `relative` onto `dir` ("." is the root); undefined when it climbs out of the workspace. */
export function joinPath(dir: string, relative: string): string | undefined {
  const out = dir === "." ? [] : dir.split("/");
  for (const segment of relative.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(segment);
  }
  return out.length === 0 ? "." : out.join("/");
}

function stripExtension(file: string): string {
  return file.replace(/\.d\.(ts|mts|cts)$/i, "").replace(CODE_EXTENSION, "");
}

/** The targets of the import statements on one line of `testFile`. */
export function importsOnLine(testFile: string, line: string, packages: readonly NpmPackage[]): ImportTarget[] {
  const language = languageOf(testFile);
  if (language === "js") return jsImports(testFile, line, packages);
  if (language === "python") return pythonImports(testFile, line);
  return [];
}

function jsImports(testFile: string, line: string, packages: readonly NpmPackage[]): ImportTarget[] {
  const targets: ImportTarget[] = [];
  for (const match of line.matchAll(JS_SPECIFIER)) {
    const specifier = (match[2] ?? "").split("?")[0] ?? "";
    if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
      const joined = joinPath(dirName(testFile), specifier);
      if (joined !== undefined) targets.push({ kind: "exact", key: stripExtension(joined) });
    } else {
      for (const key of packageImportKeys(specifier, packages)) targets.push({ kind: "exact", key });
    }
  }
  return targets;
}

/** The keys a bare import (`ky`, `@vitest/utils/diff`) of a workspace package may point to. */
export function packageImportKeys(specifier: string, packages: readonly NpmPackage[]): string[] {
  // Every entry of the name counts: the package's own manifest and the project's tsconfig aliases
  // (tsconfig-paths.ts) may each say where its source is.
  const keys = new Set<string>();
  for (const pkg of packages) {
    if (specifier === pkg.name || specifier.startsWith(`${pkg.name}/`)) addPackageKeys(keys, pkg, specifier.slice(pkg.name.length + 1));
  }
  return [...keys];
}

function addPackageKeys(keys: Set<string>, pkg: NpmPackage, rest: string): void {
  const subpath = rest === "" ? "." : `./${rest}`;
  const targets = [...exportTargets(pkg.exports, subpath)];
  // "source" (and main, module, types) name the package itself even beside "exports".
  if (subpath === ".") targets.push(...pkg.entries);
  if (targets.length === 0) {
    if (subpath === ".") targets.push("index", "src/index", "source/index", "lib/index");
    else targets.push(rest, `src/${rest}`, `source/${rest}`, `lib/${rest}`);
  }
  for (const target of targets) {
    const inside = joinPath(pkg.dir, target);
    if (inside === undefined) continue;
    const relative = stripExtension(target.replace(/^\.\//, ""));
    keys.add(stripExtension(inside));
    // Exports point at build output; the source usually sits at the same path under src/.
    if (BUILD_DIR.test(relative)) {
      for (const sourceDir of ["src", "source"]) {
        const mapped = joinPath(pkg.dir, relative.replace(BUILD_DIR, `${sourceDir}/`));
        if (mapped !== undefined) keys.add(mapped);
      }
    }
  }
}

function exportTargets(exports: Readonly<Record<string, readonly string[]>>, subpath: string): string[] {
  const exact = exports[subpath];
  if (exact !== undefined) return [...exact];
  for (const [pattern, targets] of Object.entries(exports)) {
    const star = pattern.indexOf("*");
    if (star === -1) continue;
    const head = pattern.slice(0, star);
    const tail = pattern.slice(star + 1);
    if (subpath.startsWith(head) && subpath.endsWith(tail) && subpath.length >= head.length + tail.length) {
      const middle = subpath.slice(head.length, subpath.length - tail.length);
      return targets.map((target) => target.replaceAll("*", middle));
    }
  }
  return [];
}

function pythonImports(testFile: string, line: string): ImportTarget[] {
  const code = line.replace(/#.*$/, "");
  const from = PY_FROM.exec(code);
  if (from !== null) {
    const module = from[1] ?? "";
    const names = (from[2] ?? "")
      .replace(/[()\\]/g, " ")
      .split(",")
      .map((part) => part.trim().split(/\s+/)[0] ?? "")
      .filter((name) => /^\w+$/.test(name));
    const base = pythonModule(testFile, module);
    if (base === undefined) return [];
    // `from pkg import mod` imports a module when pkg/mod exists, else a name from pkg itself.
    return [base, ...names.map((name) => ({ kind: base.kind, key: base.key === "." ? name : `${base.key}/${name}` }))];
  }
  const plain = PY_IMPORT.exec(code);
  if (plain === null) return [];
  return (plain[1] ?? "")
    .split(",")
    .map((part) => part.trim().split(/\s+/)[0] ?? "")
    .filter((name) => /^\w+(\.\w+)*$/.test(name))
    .map((name) => ({ kind: "module" as const, key: name.replaceAll(".", "/") }));
}

// `.mod` and `..pkg.mod` are relative to the test's package folder; `pkg.mod` is found wherever it is.
function pythonModule(testFile: string, module: string): ImportTarget | undefined {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const dotted = module.slice(dots);
  if (dots === 0) return dotted === "" ? undefined : { kind: "module", key: dotted.replaceAll(".", "/") };
  const up = "../".repeat(dots - 1);
  const joined = joinPath(dirName(testFile), `${up}${dotted.replaceAll(".", "/")}`);
  return joined === undefined ? undefined : { kind: "exact", key: joined };
}

export interface ImportIndex {
  /** The sources `target` names. */
  readonly sourcesFor: (target: ImportTarget) => readonly string[];
}

/** Indexes `sources` by key, and Python sources by every module path their key ends with. */
export function createImportIndex(sources: Iterable<string>): ImportIndex {
  const exact = new Map<string, string[]>();
  const modules = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, source: string): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [source]);
    else if (!list.includes(source)) list.push(source);
  };
  for (const source of sources) {
    for (const key of sourceKeys(source)) {
      add(exact, key, source);
      if (languageOf(source) !== "python") continue;
      const segments = key.split("/");
      for (let i = 0; i < segments.length; i += 1) add(modules, segments.slice(i).join("/"), source);
    }
  }
  return {
    sourcesFor: (target) => (target.kind === "exact" ? exact : modules).get(target.key) ?? [],
  };
}

/**
 * Whether a source is one that any of `targets` names: the same answer as looking every target up
 * in createImportIndex(sources), without indexing the sources. An audit asks this only of the
 * sources no test is named after, and on a 100k-file tree indexing all 66k sources cost more than
 * every lookup together.
 */
export function createImportMatcher(targets: Iterable<ImportTarget>): (source: string) => boolean {
  const exact = new Set<string>();
  const modules = new Set<string>();
  for (const target of targets) (target.kind === "exact" ? exact : modules).add(target.key);
  return (source) => {
    for (const key of sourceKeys(source)) {
      if (exact.has(key)) return true;
      if (modules.size === 0 || languageOf(source) !== "python") continue;
      // A module path is any tail of the key, whole segments only ("requests/models" of "src/requests/models").
      if (modules.has(key)) return true;
      for (let slash = key.indexOf("/"); slash !== -1; slash = key.indexOf("/", slash + 1)) if (modules.has(key.slice(slash + 1))) return true;
    }
    return false;
  };
}
