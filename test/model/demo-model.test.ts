import { describe, expect, it } from "vitest";
import { DEMO_AUDIT_MARKER, DEMO_MERGE_MARKER, demoWorkflow, findingsTable, sourceAreas, untestedFiles } from "../../src/model/demo-model.js";
import { DEFAULT_LIMITS } from "../../src/workflow/types.js";
import { validateWorkflow } from "../../src/workflow/validate.js";

describe("sourceAreas", () => {
  it("keeps the directories of a list_dir listing that hold source code, in listing order", () => {
    const listing = ["README.md", "lib/", "package.json", "src/", "tools/"].join("\n");
    expect(sourceAreas(listing)).toEqual(["lib", "src", "tools"]);
  });

  it("leaves out hidden directories and test, docs, build and dependency directories, in any case", () => {
    const listing = [".git/", ".github/", "Docs/", "dist/", "node_modules/", "Tests/", "fixtures/", "app/"].join("\n");
    expect(sourceAreas(listing)).toEqual(["app"]);
  });

  it("ignores list_dir's truncation notice and symbolic links", () => {
    const listing = ["core/", "linked/ -> ../elsewhere", "", "[2 of 40 entries shown (2-entry limit); call glob to find the rest]"].join("\n");
    expect(sourceAreas(listing)).toEqual(["core"]);
  });

  it('falls back to the workspace root "." when no directory holds source', () => {
    expect(sourceAreas("index.js\npackage.json\ntest/")).toEqual(["."]);
    expect(sourceAreas('[the directory "." is empty]')).toEqual(["."]);
  });
});

describe("untestedFiles", () => {
  it("returns the sources with no test of the same file stem, wherever the test lives", () => {
    const sources = ["src/api/users.ts", "src/api/orders.ts", "src/db/pool.ts"];
    const tests = ["test/users.test.ts", "src/db/pool.spec.ts"];
    expect(untestedFiles(sources, tests)).toEqual(["src/api/orders.ts"]);
  });

  it("matches Python's test_foo.py and Go's foo_test.go to their sources", () => {
    expect(untestedFiles(["pkg/parser.py", "pkg/lexer.go", "pkg/eval.go"], ["tests/test_parser.py", "pkg/lexer_test.go"])).toEqual([
      "pkg/eval.go",
    ]);
  });

  it("matches stems regardless of case", () => {
    expect(untestedFiles(["src/UserCard.tsx"], ["test/usercard.test.tsx"])).toEqual([]);
  });

  it("never lists a test file itself as untested", () => {
    expect(untestedFiles(["src/a.ts", "src/a.test.ts", "src/b_test.go", "test_c.py"], [])).toEqual(["src/a.ts"]);
  });
});

describe("findingsTable", () => {
  it("renders one row per area and a total row, with a dash when every file has a test", () => {
    const table = findingsTable([
      { area: "src", sourceFiles: 3, untested: ["src/a.ts", "src/b.ts"] },
      { area: "lib", sourceFiles: 1, untested: [] },
    ]);
    expect(table).toBe(
      [
        "| Area | Source files | Without a test | Files without a test |",
        "| --- | ---: | ---: | --- |",
        "| src | 3 | 2 | `src/a.ts`, `src/b.ts` |",
        "| lib | 1 | 0 | — |",
        "| **Total** | **4** | **2** | |",
      ].join("\n"),
    );
  });

  it("lists at most 10 files in a row and says how many more there are", () => {
    const untested = Array.from({ length: 13 }, (_, i) => `f${i}.ts`);
    const row = findingsTable([{ area: "big", sourceFiles: 20, untested }]).split("\n")[2];
    expect(row).toBe(`| big | 20 | 13 | ${untested.slice(0, 10).map((f) => `\`${f}\``).join(", ")} and 3 more |`);
  });

  it("renders only the header and a zero total when there are no findings", () => {
    expect(findingsTable([]).split("\n").at(-1)).toBe("| **Total** | **0** | **0** | |");
  });
});

describe("demoWorkflow", () => {
  it("passes validateWorkflow with no errors", () => {
    const result = validateWorkflow(demoWorkflow(["src", "lib"]), DEFAULT_LIMITS.maxCodeBytes);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("still passes validateWorkflow when area names hold quotes, backslashes and ${...}", () => {
    const areas = ['we"ird', "back\\slash", "it's", "${process}", "`tick`"];
    const code = demoWorkflow(areas);
    expect(validateWorkflow(code, DEFAULT_LIMITS.maxCodeBytes).ok).toBe(true);
    expect(code).toContain(`const areas = ${JSON.stringify(areas)};`);
  });

  it("maps the audit prompt over the areas and reduces with the merge prompt", () => {
    const code = demoWorkflow(["src"]);
    expect(code).toContain("wf.mapAgents(");
    expect(code).toContain(DEMO_AUDIT_MARKER);
    expect(code).toContain("wf.reduceAgent(");
    expect(code).toContain(DEMO_MERGE_MARKER);
  });
});
