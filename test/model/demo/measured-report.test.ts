import { describe, expect, it } from "vitest";
import type { MeasuredFinding } from "../../../src/model/demo/measured.js";
import { writeAuditReport, type InferredFinding } from "../../../src/model/demo/measured-report.js";

const measured: MeasuredFinding = {
  method: "measured",
  dir: "packages/core",
  label: "@x/core",
  kind: "npm",
  command: "npm run --silent coverage",
  why: 'package.json script "coverage"',
  status: "exit code 0",
  format: "node --test",
  files: [
    { file: "packages/core/src/a.js", lines: 90.5, branches: 80, functions: 100 },
    { file: "packages/core/src/b|`x`.js", lines: 12.25, uncovered: "3-9" },
  ],
  filesUnlisted: 0,
  total: { lines: 51.38, branches: 80, functions: 100 },
  notReported: ["packages/core/src/never.js"],
  cut: true,
  incomplete: [],
};

const inferred = (label: string, reason: string): InferredFinding => ({
  dir: label,
  label,
  kind: "npm",
  sourceFiles: 2,
  testFiles: 1,
  testedByName: 1,
  testedByImport: 0,
  testedByGoPackage: 0,
  untested: [`${label}/u.js`],
  untestedUnnamed: 0,
  incomplete: [],
  inferredBecause: reason,
});

describe("writeAuditReport", () => {
  it("shows a measured package's figures as the tool gave them, lowest first, escaped for markdown, with the command and why", () => {
    const report = writeAuditReport({ task: "audit", workspace: "/w", measured: [measured], inferred: [], notes: [], incomplete: [] });
    const rows = report.split("\n").filter((line) => line.startsWith("| `") || line.startsWith("| **All"));
    expect(rows).toEqual([
      "| ``packages/core/src/b\\|`x`.js`` | 12.25 | — | — | `3-9` |",
      "| `packages/core/src/a.js` | 90.50 | 80.00 | 100.00 | |",
      "| **All files** (the tool's total) | **51.38** | **80.00** | **100.00** | |",
    ]);
    expect(report).toContain("## `@x/core` (`packages/core`): measured by `npm run --silent coverage`");
    expect(report).toContain('(chosen because of the package.json script "coverage"); it ended with exit code 0.');
    expect(report).toContain("Source files the tool's table does not name (no test loaded them, so the tool measured nothing there): `packages/core/src/never.js`.");
    expect(report).toContain("**The tool's output was cut** by the bash tool's output cap; rows in the cut part are missing.");
    expect(report).not.toContain("## Packages not measured");
  });

  it("follows measured packages with the others, each distinct reason once with its packages", () => {
    const report = writeAuditReport({
      task: "audit",
      workspace: "/w",
      measured: [measured],
      inferred: [inferred("a", "no script"), inferred("b", "no script"), inferred("c", "`go test` ended with exit code 1")],
      notes: [],
      incomplete: [],
    });
    expect(report).toContain("**Measured** by the project's own coverage tool in 1 package of `/w`; 3 more inferred from test names and imports (below).");
    expect(report).toContain("## Packages not measured");
    expect(report).toContain("**Method:** not measured; inferred from test file names and imports because no script (`a`, `b`); `go test` ended with exit code 1 (`c`).");
    expect(report).toContain("| `a` | `a` | npm | 2 | 1 | 1 | `a/u.js` |");
  });

  it("with nothing measured is the name/import report with its reason, and no packages named for a single one", () => {
    const report = writeAuditReport({ task: "audit", workspace: "/w", measured: [], inferred: [inferred("a", "no script")], notes: [], incomplete: [] });
    expect(report.startsWith("# Test coverage audit\n")).toBe(true);
    expect(report).toContain("\n**Method:** not measured; inferred from test file names and imports because no script.\n");
    expect(report).not.toContain("**Measured**");
  });
});
