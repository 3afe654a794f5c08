import { describe, expect, it } from "vitest";
import { readCoverageOutput } from "../../../src/model/demo/coverage-output.js";

// Printed by Node 24's `node --test --experimental-test-coverage` (spec reporter, piped) on
// test/fixtures/demo-measured.
const NODE_TABLE = `✔ add (3.6ms)
ℹ tests 3
ℹ start of coverage report
ℹ ------------------------------------------------------------
ℹ file        | line % | branch % | funcs % | uncovered lines
ℹ ------------------------------------------------------------
ℹ src         |        |          |         | 
ℹ  math.js    |  71.43 |    75.00 |  100.00 | 4-5
ℹ  util       |        |          |         | 
ℹ   format.js |  71.43 |    66.67 |   50.00 | 6-7
ℹ ------------------------------------------------------------
ℹ all files   |  71.43 |    71.43 |   75.00 | 
ℹ ------------------------------------------------------------
ℹ end of coverage report`;

// istanbul's text reporter (c8, nyc, jest, vitest's v8/istanbul providers).
const ISTANBUL_TABLE = `----------|---------|----------|---------|---------|-------------------
File      | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s 
----------|---------|----------|---------|---------|-------------------
All files |   83.33 |       50 |     100 |   83.33 |                   
 lib      |   83.33 |       50 |     100 |   83.33 |                   
  a.js    |     100 |      100 |     100 |     100 |                   
  b.js    |   66.66 |       50 |     100 |   66.66 | 3                 
----------|---------|----------|---------|---------|-------------------`;

describe("readCoverageOutput", () => {
  it("reads Node's tree table into workspace paths with the tool's figures and total", () => {
    expect(readCoverageOutput(NODE_TABLE)).toEqual({
      format: "node --test",
      files: [
        { file: "src/math.js", lines: 71.43, branches: 75, functions: 100, uncovered: "4-5" },
        { file: "src/util/format.js", lines: 71.43, branches: 66.67, functions: 50, uncovered: "6-7" },
      ],
      total: { lines: 71.43, branches: 71.43, functions: 75 },
    });
  });

  it("reads the tap reporter's '# ' prefix the same way", () => {
    expect(readCoverageOutput(NODE_TABLE.replaceAll("ℹ ", "# "))?.files.map((f) => f.file)).toEqual(["src/math.js", "src/util/format.js"]);
  });

  it("reads istanbul's text table, folders by their deeper rows, lines from '% Lines'", () => {
    expect(readCoverageOutput(ISTANBUL_TABLE)).toEqual({
      format: "istanbul text",
      files: [
        { file: "lib/a.js", lines: 100, branches: 100, functions: 100 },
        { file: "lib/b.js", lines: 66.66, branches: 50, functions: 100, uncovered: "3" },
      ],
      total: { lines: 83.33, branches: 50, functions: 100 },
    });
  });

  it("reads pytest-cov's term report with its TOTAL", () => {
    const out = `---------- coverage: platform linux, python 3.12 -----------
Name              Stmts   Miss  Cover   Missing
-----------------------------------------------
pkg/__init__.py       0      0   100%
pkg/core.py          10      4    60%   7-10
-----------------------------------------------
TOTAL                10      4    60%`;
    expect(readCoverageOutput(out)).toEqual({
      format: "pytest-cov",
      files: [
        { file: "pkg/__init__.py", lines: 100 },
        { file: "pkg/core.py", lines: 60, uncovered: "7-10" },
      ],
      total: { lines: 60 },
    });
  });

  it("reads go test -cover's figure per package", () => {
    const out = "ok  \texample.com/cli\t0.004s\tcoverage: 75.0% of statements\n?   \texample.com/cli/cmd\t[no test files]";
    expect(readCoverageOutput(out)).toEqual({ format: "go test -cover", files: [{ file: "example.com/cli", lines: 75 }] });
  });

  it("takes no figure that is not a percentage: a forged row above 100 is dropped, prose is no table", () => {
    const forged = NODE_TABLE.replace("|  71.43 |    75.00 |  100.00 | 4-5", "| 250 | 75.00 | 100.00 | 4-5");
    expect(readCoverageOutput(forged)?.files.map((f) => f.file)).toEqual(["src/util/format.js"]);
    expect(readCoverageOutput("all tests passed\nno coverage here")).toBeUndefined();
  });
});
