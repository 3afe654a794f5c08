import { describe, expect, it } from "vitest";
import { classify } from "../../../src/model/demo/file-kinds.js";

describe("classify", () => {
  it("counts test-named files and files in test folders as tests", () => {
    expect(["src/a.test.ts", "src/a.spec.js", "src/a.test-d.ts", "cmd_test.go", "tests/test_models.py", "pkg/models_test.py", "tests/conftest.py", "test.js"].map(classify)).toEqual(
      Array(8).fill("test"),
    );
    expect(["test/arguments/cwd.js", "src/__tests__/util.ts", "test-d/return/result.ts", "e2e/login.ts"].map(classify)).toEqual(Array(4).fill("test"));
  });

  it("does not count a name that merely contains test or spec as a test", () => {
    expect(["lib/arguments/specific.js", "src/testing.py", "src/attest.go", "src/contest.ts", "lib/test.go"].map(classify)).toEqual(Array(5).fill("source"));
  });

  it("audits root-level files", () => {
    expect(["command.go", "index.js", "setup_helpers.py"].map(classify)).toEqual(["source", "source", "source"]);
  });

  it("leaves out skipped folders at any depth, declarations, configs and non-code files", () => {
    expect(
      ["dist/a.js", "packages/x/dist/a.js", "lib/vendor/a.go", "a/.cache/b.ts", "a/node_modules/b.js", "test/fixtures/a.js", "src/a.d.ts", "vite.config.ts", "setup.py", "README.md", ".eslintrc.js"].map(classify),
    ).toEqual(Array(11).fill("other"));
  });
});
