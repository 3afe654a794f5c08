import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/model/demo/audit.js";
import { NAMES_IN_ROW, codeSpan, writeReport } from "../../../src/model/demo/report.js";

function finding(over: Partial<Finding>): Finding {
  return { dir: ".", label: "pkg", kind: "npm", sourceFiles: 0, testFiles: 0, testedByName: 0, testedByImport: 0, testedByGoPackage: 0, untested: [], untestedUnnamed: 0, incomplete: [], ...over };
}

describe("codeSpan", () => {
  it("escapes pipes in table cells and fences backticks with a longer run", () => {
    expect(codeSpan("src/a|b.ts", true)).toBe("`src/a\\|b.ts`");
    expect(codeSpan("src/tick`name.ts")).toBe("``src/tick`name.ts``");
    expect(codeSpan("`edge")).toBe("`` `edge ``");
    expect(codeSpan("bad\nname\u001b")).toBe("`bad\\x0aname\\x1b`");
  });
});

describe("writeReport", () => {
  const untested = Array.from({ length: NAMES_IN_ROW + 2 }, (_, i) => `src/f${i}.ts`);
  const report = writeReport({
    task: "audit test coverage",
    workspace: "/work/repo",
    findings: [finding({ label: "app", dir: "packages/app", sourceFiles: 10, testedByName: 2, testedByImport: 1, untested }), finding({ label: "a|b", sourceFiles: 1, testedByGoPackage: 1 })],
    notes: [],
    incomplete: [],
  });

  it("says what was scanned, one row per package and a total", () => {
    expect(report).toContain("**Scanned:** `/work/repo`: 2 packages, 11 source files, 4 with a test, **7 without**.");
    expect(report).toContain(
      `| \`app\` | \`packages/app\` | npm | 10 | 3 | 7 | ${untested.slice(0, NAMES_IN_ROW).map((f) => `\`${f}\``).join(", ")} and 2 more (listed below) |`,
    );
    expect(report).toContain("| `a\\|b` | `.` | npm | 1 | 1 | 0 | — |");
    expect(report).toContain("| **Total** | | | **11** | **4** | **7** | |");
    expect(report).toContain("Tested files were matched 2 by a test named after them, 1 by a test that imports them, 1 by a Go test in their package.");
  });

  it("names every untested file of a long row in the appendix, and states the rule", () => {
    const appendix = report.slice(report.indexOf("## Appendix"));
    expect(appendix.split("\n").filter((line) => line.startsWith("- "))).toEqual(untested.map((f) => `- \`${f}\``));
    expect(report).toContain("## The rule");
    expect(report).not.toContain("## Incomplete");
  });

  it("counts untested files the answer had no room to name, and says they are not named", () => {
    const cut = writeReport({
      task: "audit",
      workspace: "/w",
      findings: [finding({ sourceFiles: 20, untested: ["a.ts", "b.ts"], untestedUnnamed: 18 })],
      notes: [],
      incomplete: [],
    });
    expect(cut).toContain("| `pkg` | `.` | npm | 20 | 0 | 20 | `a.ts`, `b.ts` and 18 more (listed below) |");
    expect(cut).toContain("- `b.ts`\n- … and 18 more, not named: the names would pass the sub-agent's 1 MB answer limit");
  });

  it("says when the scan is incomplete, and why", () => {
    const cut = writeReport({ task: "t", workspace: "/w", findings: [finding({ incomplete: ["grep a.ts: cut"] })], notes: [], incomplete: ["e2e (imports): out of turns"] });
    expect(cut).toContain("**The scan is incomplete** (see below).");
    expect(cut).toContain("- `pkg: grep a.ts: cut`\n- `e2e (imports): out of turns`");
  });
});
