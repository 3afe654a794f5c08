// The audit of one package from what its scan found: which sources count as tested, and why.
import { baseName, classify, dirName, languageOf, type FileKind } from "./file-kinds.js";
import { createImportMatcher, type ImportTarget } from "./imports.js";
import { createNameIndex } from "./names.js";

export interface PackageRef {
  readonly dir: string;
  readonly label: string;
  readonly kind: string;
}

/**
 * Bytes of untested names one sub-agent's answer carries at most: the answer, and the workflow's
 * result that holds it, must stay under the default 1 MB result limit (limits.maxResultBytes),
 * or the whole audit fails. Past it the rest are counted, and the report says they are not named.
 */
export const UNTESTED_NAMES_BYTES = 600_000;

export interface Finding extends PackageRef {
  readonly sourceFiles: number;
  readonly testFiles: number;
  readonly testedByName: number;
  readonly testedByImport: number;
  readonly testedByGoPackage: number;
  /** Every source file with no test, sorted, as far as UNTESTED_NAMES_BYTES allows. */
  readonly untested: readonly string[];
  /** Untested files past `untested` that the answer had no room to name. */
  readonly untestedUnnamed: number;
  /** Why the scan may have missed files; empty when it saw everything. */
  readonly incomplete: readonly string[];
}

/** Applies the rule to one package's files and the import targets of every test that reaches it. */
export function auditPackage(pkg: PackageRef, files: Iterable<string> | ReadonlyMap<string, FileKind>, targets: Iterable<ImportTarget>, incomplete: readonly string[]): Finding {
  const sources: string[] = [];
  const tests: string[] = [];
  for (const [file, kind] of classified(files)) {
    if (kind === "source") sources.push(file);
    else if (kind === "test") tests.push(file);
  }
  sources.sort();
  const byName = new Set<string>();
  const names = createNameIndex(sources);
  for (const test of tests) for (const source of names.sourcesFor(test)) byName.add(source);

  // Asked only of sources no test is named after: a source tested by name is counted as such.
  const imported = createImportMatcher(targets);

  // Go: a _test.go file is compiled into the package of its folder and sees every file there.
  const goTestDirs = new Set(tests.filter((test) => baseName(test).endsWith("_test.go")).map(dirName));

  let testedByName = 0;
  let testedByImport = 0;
  let testedByGoPackage = 0;
  const untested: string[] = [];
  for (const source of sources) {
    if (byName.has(source)) testedByName += 1;
    else if (imported(source)) testedByImport += 1;
    else if (languageOf(source) === "go" && goTestDirs.has(dirName(source))) testedByGoPackage += 1;
    else untested.push(source);
  }
  let named = 0;
  for (let bytes = 0; named < untested.length; named += 1) {
    // A name costs its JSON text, quotes and comma.
    bytes += JSON.stringify(untested[named]).length + 1;
    if (bytes > UNTESTED_NAMES_BYTES) break;
  }
  return {
    ...pkg,
    sourceFiles: sources.length,
    testFiles: tests.length,
    testedByName,
    testedByImport,
    testedByGoPackage,
    untested: untested.slice(0, named),
    untestedUnnamed: untested.length - named,
    incomplete: [...incomplete],
  };
}

/** Files with their kinds: as given (a scan classifies each file as it finds it), or classified here. */
export function classified(files: Iterable<string> | ReadonlyMap<string, FileKind>): Iterable<readonly [string, FileKind]> {
  if (files instanceof Map) return (files as ReadonlyMap<string, FileKind>).entries();
  return [...(files as Iterable<string>)].map((file) => [file, classify(file)] as const);
}

/** The package folder (of `owners`) a path belongs to: the longest one that contains it. */
export function ownerOf(key: string, owners: readonly string[]): string {
  let best = ".";
  for (const owner of owners) {
    if (owner !== "." && (key === owner || key.startsWith(`${owner}/`)) && owner.length > best.length) best = owner;
  }
  return best;
}

/** Import targets that point out of `dir`, by the package they point into ("*": Python modules, any package). */
export function foreignTargets(dir: string, targets: Iterable<ImportTarget>, owners: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const target of targets) {
    const owner = target.kind === "module" ? "*" : ownerOf(target.key, owners);
    if (owner === dir) continue;
    (out[owner] ??= []).push(`${target.kind}:${target.key}`);
  }
  return out;
}

/** Reads back a target written by foreignTargets. */
export function parseTarget(text: string): ImportTarget | undefined {
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon);
  const key = text.slice(colon + 1);
  if (kind === "exact" || kind === "module") return { kind, key };
  return undefined;
}
