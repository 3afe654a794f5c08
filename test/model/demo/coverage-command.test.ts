import { describe, expect, it } from "vitest";
import { commandIn, manifestsFor, planCoverage } from "../../../src/model/demo/coverage-command.js";

const pkgJson = (scripts: Record<string, string>) => new Map([["package.json", JSON.stringify({ name: "p", scripts })]]);

describe("planCoverage", () => {
  it("prefers a script named for coverage", () => {
    expect(planCoverage("npm", pkgJson({ test: "node --test", coverage: "c8 node --test" }))).toEqual({
      kind: "command",
      command: "npm run --silent coverage",
      why: 'package.json script "coverage"',
    });
    expect(planCoverage("npm", pkgJson({ "test:coverage": "vitest run --coverage" }))).toMatchObject({ command: "npm run --silent test:coverage" });
  });

  it("uses Node's own coverage when the tests run on node --test", () => {
    expect(planCoverage("npm", pkgJson({ test: "node --test test/" }))).toMatchObject({ kind: "command", command: "node --test --experimental-test-coverage" });
  });

  it("says why it has no command", () => {
    expect(planCoverage("npm", pkgJson({ test: "vitest run" }))).toEqual({
      kind: "none",
      reason: 'package.json has no coverage script, and its test script ("vitest run") needs a coverage provider that may not be installed',
    });
    expect(planCoverage("Python", new Map([["pyproject.toml", "[project]\nname='x'"]]))).toEqual({ kind: "none", reason: "the Python project does not declare pytest-cov" });
    expect(planCoverage("folder", new Map())).toEqual({ kind: "none", reason: "the folder has no manifest (package.json, pyproject.toml, go.mod) that names a coverage command" });
    expect(planCoverage("npm", new Map([["package.json", "{not json"]]))).toMatchObject({ kind: "none" });
  });

  it("knows pytest-cov and go test -cover", () => {
    expect(planCoverage("Python", new Map([["pyproject.toml", '[project.optional-dependencies]\ndev = ["pytest-cov"]']]))).toMatchObject({ command: "python3 -m pytest -q --cov=. --cov-report=term" });
    expect(planCoverage("Go module", new Map([["go.mod", "module x"]]))).toMatchObject({ command: "go test -cover ./..." });
  });

  it("quotes a hostile script name or folder as one shell word", () => {
    expect(planCoverage("npm", pkgJson({ "coverage": "x" })).kind).toBe("command");
    expect(commandIn("packages/a b;rm -rf x", "npm test")).toBe("cd -- 'packages/a b;rm -rf x' && npm test");
    expect(commandIn("pk'g", "npm test")).toBe("cd -- 'pk'\\''g' && npm test");
    expect(commandIn(".", "npm test")).toBe("npm test");
  });

  it("reads the manifests a package's kind names", () => {
    expect(manifestsFor("npm, Go module")).toEqual(["package.json", "go.mod"]);
    expect(manifestsFor("folder")).toEqual([]);
  });
});
