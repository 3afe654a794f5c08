// The demo's report: one row per package, every untested file named (an appendix past a few per
// row), the folder scanned and the rule used. File names come from the workspace, so they are
// escaped: a `|`, a backtick or a control character in a name must not break the markdown.
import { CODE_EXTENSIONS, SKIPPED_DIRS, TEST_DIRS } from "./file-kinds.js";
import type { Finding } from "./audit.js";

/** Files named in a table cell before the rest go to the appendix. */
export const NAMES_IN_ROW = 5;

/** `text` as a markdown code span that survives any characters, inside a table cell when `inTable`. */
export function codeSpan(text: string, inTable = false): string {
  let shown = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  if (inTable) shown = shown.replaceAll("|", "\\|");
  const longestRun = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = shown.startsWith("`") || shown.endsWith("`") || shown.trim() === "" ? " " : "";
  return `${fence}${pad}${shown}${pad}${fence}`;
}

export const RULE_TEXT = [
  `A **source file** is a ${CODE_EXTENSIONS.map((e) => `.${e}`).join(" ")} file outside test folders, except \`*.d.ts\`, \`*.config.*\`, \`setup.py\` and \`noxfile.py\`. It counts as **tested** when:`,
  "1. **a test is named after it**: names compared without case or separators (`http-error.ts` ↔ `HTTPError.ts`; leading words may stand for the whole name either way, `kill-force.js` ↔ `kill.js`, `all.js` ↔ `all-async.js`; `index`/`__init__` also go by their folder's name), the test beside it or anywhere in the same package's test folders, going to the source whose folders it mirrors best (`test/arguments/cwd.js` ↔ `lib/arguments/cwd.js`); or",
  "2. **a test imports it**: JavaScript/TypeScript relative imports, and imports of the workspace's own packages by name (through package.json `exports`, `source` and `main`, with `dist/` read as `src/`, and through the root tsconfig's `paths`); Python `import pkg.mod` and `from pkg import mod`; a test that imports a package's entry file (`index.*`, `__init__.py`) also reaches what that file imports or re-exports (`source/index.ts` → `source/core/Ky.ts`); or",
  "3. **Go**: a `_test.go` file sits in its folder (the same package).",
  "",
  `**Test files**: files in a ${[...TEST_DIRS].map((d) => `\`${d}/\``).join(", ")} folder, and files named \`*.test.*\`, \`*.spec.*\`, \`*_test.go\`, \`test_*.py\`, \`*_test.py\`, \`conftest.py\` or \`test.js\`/\`tests.py\`; a name that merely contains "test" or "spec" is not one. Beyond entry files, only direct imports count, not what an imported file imports in turn.`,
  "",
  `**Not scanned**: files ignored by \`.gitignore\` (as the tools report them), hidden folders, and ${[...SKIPPED_DIRS].map((d) => `\`${d}\``).join(", ")} at any depth.`,
].join("\n");

export interface ReportInput {
  readonly task: string;
  readonly workspace: string;
  readonly findings: readonly Finding[];
  /** Packages that hold tests only (their imports were read) or nothing to audit. */
  readonly notes: readonly string[];
  /** Why parts of the scan outside the findings (the test packages' imports) may be missing. */
  readonly incomplete: readonly string[];
  /** How the figures were found, when the coverage tool was tried and not used (measured-report.ts). */
  readonly method?: string;
}

function sum(findings: readonly Finding[], pick: (f: Finding) => number): number {
  return findings.reduce((total, f) => total + pick(f), 0);
}

function tested(f: Finding): number {
  return f.testedByName + f.testedByImport + f.testedByGoPackage;
}

function untestedCount(f: Finding): number {
  return f.untested.length + f.untestedUnnamed;
}

/** The whole report as markdown. */
export function writeReport(input: ReportInput): string {
  const { findings } = input;
  const sources = sum(findings, (f) => f.sourceFiles);
  const untested = sum(findings, untestedCount);
  const incomplete = [...findings.flatMap((f) => f.incomplete.map((note) => `${f.label}: ${note}`)), ...input.incomplete];
  const appendix = findings.filter((f) => untestedCount(f) > NAMES_IN_ROW);
  const rows = findings.map((f) => {
    const shown = f.untested.slice(0, NAMES_IN_ROW).map((file) => codeSpan(file, true)).join(", ");
    const rest = untestedCount(f) - Math.min(NAMES_IN_ROW, f.untested.length);
    const more = rest > 0 ? ` and ${rest} more (listed below)` : "";
    return `| ${codeSpan(f.label, true)} | ${codeSpan(f.dir, true)} | ${f.kind} | ${f.sourceFiles} | ${tested(f)} | ${untestedCount(f)} | ${shown || "—"}${more} |`;
  });
  const lines = [
    "# Test coverage audit",
    "",
    `> Written offline by agentwf's **demo model**, which audits test coverage whatever the task (${codeSpan(input.task.split("\n")[0]?.slice(0, 80) ?? "")}). Run with \`-m provider/model\` for a real model.`,
    "",
    `**Scanned:** ${codeSpan(input.workspace)}: ${findings.length} package${findings.length === 1 ? "" : "s"}, ${sources} source file${sources === 1 ? "" : "s"}, ${sources - untested} with a test, **${untested} without**.${incomplete.length > 0 ? " **The scan is incomplete** (see below)." : ""}`,
    ...(input.method !== undefined ? ["", input.method] : []),
    "",
    "| Package | Folder | Kind | Source files | Tested | Untested | Untested files |",
    "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ...rows,
    `| **Total** | | | **${sources}** | **${sources - untested}** | **${untested}** | |`,
    "",
    `Tested files were matched ${sum(findings, (f) => f.testedByName)} by a test named after them, ${sum(findings, (f) => f.testedByImport)} by a test that imports them, ${sum(findings, (f) => f.testedByGoPackage)} by a Go test in their package.`,
    ...input.notes.map((note) => `\n${note}`),
    "",
    "## The rule",
    "",
    RULE_TEXT,
  ];
  if (incomplete.length > 0) {
    lines.push("", "## Incomplete", "", "The scan could not see everything; files it missed are in neither count:", "", ...incomplete.map((note) => `- ${codeSpan(note)}`));
  }
  if (appendix.length > 0) {
    lines.push("", "## Appendix: every untested file");
    for (const f of appendix) {
      lines.push("", `### ${codeSpan(f.label)} (${codeSpan(f.dir)}), ${untestedCount(f)} files`, "", ...f.untested.map((file) => `- ${codeSpan(file)}`));
      if (f.untestedUnnamed > 0) {
        lines.push(`- … and ${f.untestedUnnamed} more, not named: the names would pass the sub-agent's 1 MB answer limit (limits.maxResultBytes); audit a subfolder with --cwd to see them`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
