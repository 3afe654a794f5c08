import { describe, expect, it } from "vitest";
import { formatDiagnostic, validateWorkflow, type Diagnostic } from "../../src/workflow/validate.js";

const MAX_BYTES = 100_000;

// Errors only, as "line:column error: message". Type-check warnings are checked elsewhere; a
// finding below must be exactly the error listed, at exactly that place.
function errors(code: string, maxBytes = MAX_BYTES): string[] {
  return validateWorkflow(code, maxBytes)
    .diagnostics.filter((d) => d.severity === "error")
    .map(formatDiagnostic);
}

const lines = (...text: string[]) => text.join("\n");

describe("validateWorkflow: size", () => {
  it("rejects code over the byte limit with one finding at 1:1 that names its size and the limit", () => {
    const result = validateWorkflow("x".repeat(11), 10);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "1:1 error: the workflow is 11 bytes, over the 10-byte limit (limits.maxCodeBytes); write shorter code and let sub-agents carry the detail in their prompts",
    ]);
  });

  it("counts the size in UTF-8 bytes, not characters", () => {
    expect(errors("é".repeat(6), 10)).toEqual([
      "1:1 error: the workflow is 12 bytes, over the 10-byte limit (limits.maxCodeBytes); write shorter code and let sub-agents carry the detail in their prompts",
    ]);
  });
});

describe("validateWorkflow: syntax", () => {
  it("reports a syntax error at its line and column", () => {
    expect(errors(lines("async function main(wf) {", "  return 1 +;", "}"))).toEqual(["2:13 error: syntax error: Unexpected token"]);
  });

  it("reports an import statement as not allowed, at its place", () => {
    expect(errors(lines("import fs from 'fs';", "async function main(wf) {}"))).toEqual([
      "1:1 error: syntax error: import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`",
    ]);
  });

  it("reports an export statement as not allowed, at its place", () => {
    expect(errors(lines("async function main(wf) {}", "export const x = 1;"))).toEqual([
      "2:1 error: syntax error: import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`",
    ]);
  });
});

describe("validateWorkflow: the entry point", () => {
  it("reports a missing main at 1:1", () => {
    expect(errors(lines("async function helper(wf) {}", ""))).toEqual([
      "1:1 error: no top-level `async function main(wf) { ... }`; define exactly one, it is the workflow's entry point",
    ]);
  });

  it("does not count an arrow function bound to the name main as the entry point", () => {
    expect(errors("const main = async (wf) => {};")).toEqual([
      "1:1 error: no top-level `async function main(wf) { ... }`; define exactly one, it is the workflow's entry point",
    ]);
  });

  it("reports a second main at the place of the second one", () => {
    expect(errors(lines("async function main(wf) {}", "", "async function main(wf) {}"))).toEqual([
      "3:1 error: `main` is defined more than once; keep exactly one",
    ]);
  });

  it("reports a main that is not async at its place", () => {
    expect(errors(lines("function helper() {}", "", "  function main(wf) {}"))).toEqual([
      "3:3 error: `main` must be async: write `async function main(wf)`",
    ]);
  });

  it("reports an async generator main", () => {
    expect(errors("async function* main(wf) {}")).toEqual([
      "1:1 error: `main` must not be a generator: write `async function main(wf)`",
    ]);
  });

  it("reports a main with no parameter", () => {
    expect(errors("async function main() {}")).toEqual(["1:1 error: `main` takes exactly one parameter, wf (it has 0)"]);
  });

  it("reports a main with two parameters", () => {
    expect(errors("async function main(wf, extra) {}")).toEqual(["1:1 error: `main` takes exactly one parameter, wf (it has 2)"]);
  });
});

describe("validateWorkflow: top-level code", () => {
  it("reports a top-level expression statement at its place", () => {
    expect(errors(lines("async function main(wf) {}", '  console.log("loaded");'))).toEqual([
      "2:3 error: top-level ExpressionStatement runs outside main; move it into main (only declarations may stand at the top level)",
    ]);
  });

  it("reports a top-level if statement by its node type", () => {
    expect(errors(lines("async function main(wf) {}", "if (true) {}"))).toEqual([
      "2:1 error: top-level IfStatement runs outside main; move it into main (only declarations may stand at the top level)",
    ]);
  });

  it('allows a "use strict" directive at the top level', () => {
    expect(errors(lines('"use strict";', "async function main(wf) {}"))).toEqual([]);
  });
});

describe("validateWorkflow: forbidden calls", () => {
  it("reports a dynamic import() at its place", () => {
    expect(errors(lines("async function main(wf) {", "  const m = await import('fs');", "}"))).toEqual([
      "2:19 error: dynamic import() is not allowed: the workflow sandbox has no modules",
    ]);
  });

  it("reports require() at its place", () => {
    expect(errors(lines("async function main(wf) {", "  const fs = require('fs');", "}"))).toEqual([
      "2:14 error: require() does not exist in the workflow sandbox; workflows cannot load modules, use wf.runAgent for work that needs files",
    ]);
  });

  it("reports eval() at its place", () => {
    expect(errors(lines("async function main(wf) {", "  return eval('1 + 1');", "}"))).toEqual([
      "2:10 error: eval() is not allowed: every line that runs must be visible to the person who approves the workflow",
    ]);
  });

  it("reports new Function() and Function() at their places", () => {
    expect(errors(lines("async function main(wf) {", "  const f = new Function('return 1');", "  return Function('return 2');", "}"))).toEqual([
      "2:13 error: the Function constructor is not allowed: every line that runs must be visible to the person who approves it",
      "3:10 error: the Function constructor is not allowed: every line that runs must be visible to the person who approves it",
    ]);
  });

  it("reports a forbidden call inside a helper function too", () => {
    expect(errors(lines("function helper() {", "  return eval('1');", "}", "async function main(wf) { return helper(); }"))).toEqual([
      "2:10 error: eval() is not allowed: every line that runs must be visible to the person who approves the workflow",
    ]);
  });
});

describe("validateWorkflow: hidden characters", () => {
  it("reports a bidi override (U+202E) at its line and column", () => {
    expect(errors(lines("async function main(wf) {", "  return 'ab\u202Ecd';", "}"))).toEqual([
      '2:13 error: a bidirectional control character (U+202E) can hide code from the person who approves it; remove it or write it as an escape like "\\u202e" inside a string',
    ]);
  });

  it("reports a zero-width space (U+200B) at its line and column", () => {
    expect(errors(lines("async function main(wf) {", "  // note\u200B", "}"))).toEqual([
      '2:10 error: an invisible character (U+200B) can hide code from the person who approves it; remove it or write it as an escape like "\\u200b" inside a string',
    ]);
  });

  it("reports a raw ESC character (U+001B) at its line and column", () => {
    expect(errors(lines("async function main(wf) {", "  wf.log('\u001B[2J');", "}"))).toEqual([
      '2:11 error: a control character (U+001B) can hide code from the person who approves it; remove it or write it as an escape like "\\x1b" inside a string',
    ]);
  });

  it("does not report tabs or CRLF line endings", () => {
    expect(errors("async function main(wf) {\r\n\treturn 1;\r\n}\r\n")).toEqual([]);
  });

  it("reports hidden characters together with other findings, sorted by place", () => {
    expect(errors(lines("async function main() {", "  return '\u202E';", "}", "main();"))).toEqual([
      "1:1 error: `main` takes exactly one parameter, wf (it has 0)",
      '2:11 error: a bidirectional control character (U+202E) can hide code from the person who approves it; remove it or write it as an escape like "\\u202e" inside a string',
      "4:1 error: top-level ExpressionStatement runs outside main; move it into main (only declarations may stand at the top level)",
    ]);
  });
});

describe("validateWorkflow: valid code", () => {
  it("passes a workflow with helper functions, consts, a class and a directive", () => {
    const code = lines(
      '"use strict";',
      'const AREAS = ["src", "lib"];',
      "const LIMIT = 10;",
      "function promptFor(area) {",
      "  return `List at most ${LIMIT} untested files in ${area}.`;",
      "}",
      "class Tally {",
      "  constructor() { this.count = 0; }",
      "}",
      "async function main(wf) {",
      "  const tally = new Tally();",
      "  const findings = await wf.mapAgents(AREAS, (area) => promptFor(area), { description: (area) => `audit ${area}` });",
      "  tally.count = findings.length;",
      "  wf.log(`audited ${tally.count} areas`);",
      '  return wf.reduceAgent(findings, "Merge the findings into one table.");',
      "}",
    );
    const result = validateWorkflow(code, MAX_BYTES);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe("formatDiagnostic", () => {
  it('renders "line:column severity: message"', () => {
    const diagnostic: Diagnostic = { line: 12, column: 5, severity: "warning", message: "something odd" };
    expect(formatDiagnostic(diagnostic)).toBe("12:5 warning: something odd");
  });
});

describe("validateWorkflow: hidden characters, by code point and by acorn's lines", () => {
  const hidden = (code: string) => errors(code).filter((e) => e.includes("can hide code"));

  it("stops at 20 hidden-character findings in all, however many lines have one", () => {
    const code = ["async function main(wf) {", ...Array.from({ length: 30 }, () => '  wf.log("a\u200Bb");'), "}"].join("\n");
    expect(hidden(code)).toHaveLength(20);
  });

  it("finds an invisible tag character outside the basic plane and suggests a \\u{…} escape", () => {
    const code = `async function main(wf) {\n  return "x\u{E0041}";\n}`;
    expect(hidden(code)).toEqual([
      '2:12 error: an invisible character (U+E0041) can hide code from the person who approves it; remove it or write it as an escape like "\\u{e0041}" inside a string',
    ]);
  });

  it("counts lines after a lone carriage return and U+2028 as acorn does", () => {
    const code = `async function main(wf) {\r  const a = 1;\u2028  return "\u202E";\n}`;
    const found = hidden(code);
    expect(found[0]).toMatch(/^2:\d+ error: an invisible line break \(U\+2028\)/);
    expect(found[1]).toMatch(/^3:11 error: a bidirectional control character \(U\+202E\)/);
  });
});
