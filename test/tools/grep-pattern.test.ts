import { describe, expect, it } from "vitest";
import { compileLinePattern } from "../../src/tools/grep-pattern.js";
import { IMPORT_LINE_PATTERN } from "../../src/model/demo/imports.js";

describe("compileLinePattern", () => {
  it("says a line holds a match exactly when it finds where one starts", () => {
    const cases: Array<[string, boolean]> = [
      [String.raw`\bfoo\d+`, false],
      ["^\\s*import", true],
      [IMPORT_LINE_PATTERN, false],
      ["a|b", true],
    ];
    const lines = ["", "import x from 'y'", "  import('z')", "foo12 bar", "xfoo1", "const a = require ( 'b' )", "no match here", "from 'x'", "ÄÖÜ foo3"];
    for (const [source, ignoreCase] of cases) {
      const compiled = compileLinePattern(source, ignoreCase);
      if (!compiled.ok) throw new Error(compiled.error);
      const found = lines.map((line) => [compiled.pattern.test(line), compiled.pattern.firstMatch(line)] as const);
      for (const [holds, at] of found) expect(holds).toBe(at !== -1);
      expect(found.filter(([holds]) => holds).length).toBeGreaterThan(0);
    }
  });

  it("finds where the match starts", () => {
    const compiled = compileLinePattern(String.raw`\bfoo\d+`, false);
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.pattern.firstMatch("xfoo1 foo23")).toBe(6);
    expect(compiled.pattern.test("xfoo1")).toBe(false);
  });
});
