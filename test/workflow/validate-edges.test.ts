// Workflow validation at the edges mutation testing found unguarded, with the type check as an
// injected port (validateWorkflowAsync) or off, so each case states exactly what is found.
import { describe, expect, it } from "vitest";
import { formatDiagnostic, validateWorkflow, validateWorkflowAsync, type Diagnostic } from "../../src/workflow/validate.js";

const MAX = 100_000;
const noTypes = async () => [];
const found = (code: string, maxBytes = MAX) => validateWorkflow(code, maxBytes, { typeCheck: false }).diagnostics.map(formatDiagnostic);
const MAIN = "async function main(wf) {}";

describe("size", () => {
  it("accepts code of exactly the limit and refuses one byte more", () => {
    expect(found(MAIN, MAIN.length)).toEqual([]);
    expect(found(MAIN, MAIN.length - 1)).toEqual([
      `1:1 error: the workflow is ${MAIN.length} bytes, over the ${MAIN.length - 1}-byte limit (limits.maxCodeBytes); write shorter code and let sub-agents carry the detail in their prompts`,
    ]);
  });
});

describe("the type check port", () => {
  it("runs on code that parsed, and its findings join the others, sorted by line then column", async () => {
    const seen: string[] = [];
    const typeCheck = async (code: string): Promise<Diagnostic[]> => {
      seen.push(code);
      return [
        { line: 2, column: 1, severity: "error", message: "type: late" },
        { line: 1, column: 30, severity: "warning", message: "type: odd" },
      ];
    };
    const code = `${MAIN}\nmain(1);`;
    const result = await validateWorkflowAsync(code, MAX, typeCheck);
    expect(seen).toEqual([code]);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "1:30 warning: type: odd",
      "2:1 error: top-level ExpressionStatement runs outside main; move it into main (only declarations may stand at the top level)",
      "2:1 error: type: late",
    ]);
  });

  it("is not asked about code that did not parse or is over the limit", async () => {
    const seen: string[] = [];
    const typeCheck = async (code: string): Promise<Diagnostic[]> => {
      seen.push(code);
      return [];
    };
    await validateWorkflowAsync("async function main(wf) {", MAX, typeCheck);
    await validateWorkflowAsync(MAIN, 5, typeCheck);
    expect(seen).toEqual([]);
  });

  it("passes with warnings only", async () => {
    const result = await validateWorkflowAsync(MAIN, MAX, async () => [{ line: 1, column: 1, severity: "warning", message: "w" }]);
    expect(result).toMatchObject({ ok: true, code: MAIN, changes: [], diagnostics: [{ line: 1, column: 1, severity: "warning", message: "w" }] });
  });

  it("can be turned off on the main thread: a type error then passes", () => {
    const result = validateWorkflow('async function main(wf) {\n  return wf.runAgnet("x");\n}', MAX, { typeCheck: false });
    expect(result).toMatchObject({ ok: true, changes: [], diagnostics: [] });
  });
});

describe("syntax errors", () => {
  it("gives acorn's place one-based and its message without the place in brackets", async () => {
    const result = await validateWorkflowAsync("async function main(wf) {\n  let let = 1;\n}", MAX, noTypes);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(["2:7 error: syntax error: let is disallowed as a lexically bound name"]);
  });

  it("refuses import.meta, which parses (scripts may carry top-level await and export now), as unavailable", () => {
    expect(found("async function main(wf) { return import.meta; }")).toEqual(["1:34 error: import.meta and new.target are not available in a workflow"]);
  });
});

describe("the entry point", () => {
  it("accepts exactly one async main with one parameter, however it is named", () => {
    expect(found("async function main(x) {}")).toEqual([]);
  });

  it("names a missing main, one that is not async, a generator, and the parameter count at main's place", () => {
    expect(found("async function mainly(wf) {}")).toEqual(["1:1 error: no top-level `async function main(wf) { ... }`; define exactly one, it is the workflow's entry point"]);
    expect(found("\n  function main(wf) {}")).toEqual(["2:3 error: `main` must be async: write `async function main(wf)`"]);
    expect(found("\n  async function* main(wf) {}")).toEqual(["2:3 error: `main` must not be a generator: write `async function main(wf)`"]);
    expect(found("\n  async function main(a, b, c) {}")).toEqual(["2:3 error: `main` takes exactly one parameter, wf (it has 3)"]);
  });

  it("does not take a main nested in another function, or a class named main, as the entry point", () => {
    const missing = "1:1 error: no top-level `async function main(wf) { ... }`; define exactly one, it is the workflow's entry point";
    expect(found("function outer() { async function main(wf) {} }")).toEqual([missing]);
    expect(found("class main {}")).toEqual([missing]);
  });

  it("reports every extra main at its own place", () => {
    expect(found(`${MAIN}\n${MAIN}\n${MAIN}`)).toEqual(["2:1 error: `main` is defined more than once; keep exactly one", "3:1 error: `main` is defined more than once; keep exactly one"]);
  });
});

describe("the top level", () => {
  it("allows declarations, empty statements and directives, and names any other statement by its type", () => {
    expect(found(`"use strict";\n;\nvar a = 1;\nlet b = 2;\nclass C {}\nfunction f() {}\n${MAIN}`)).toEqual([]);
    expect(found(`${MAIN}\nfor (;;) {}`)).toEqual(["2:1 error: top-level ForStatement runs outside main; move it into main (only declarations may stand at the top level)"]);
    expect(found(`${MAIN}\n"not first";`)).toEqual(["2:1 error: top-level ExpressionStatement runs outside main; move it into main (only declarations may stand at the top level)"]);
  });
});

describe("forbidden calls", () => {
  it("refuses importScripts and new.target, each at its place", () => {
    expect(found("async function main(wf) {\n  importScripts('x');\n}")).toEqual(["2:3 error: importScripts() does not exist in the workflow sandbox"]);
    expect(found("async function main(wf) {\n  function F() { return new.target; }\n}")).toEqual(["2:25 error: import.meta and new.target are not available in a workflow"]);
  });

  it("allows a method that happens to be named eval, and calls named like Object's own properties", () => {
    expect(found("async function main(wf) {\n  const o = { eval() {}, toString() { return ''; } };\n  o.eval();\n  toString();\n  constructor();\n}")).toEqual([]);
  });

  it("finds a forbidden call in an argument, a default value and a nested arrow", () => {
    expect(found("async function main(wf, x = eval('1')) {\n  [1].map(() => require('fs'));\n}")).toEqual([
      "1:1 error: `main` takes exactly one parameter, wf (it has 2)",
      "1:29 error: eval() is not allowed: every line that runs must be visible to the person who approves the workflow",
      "2:17 error: require() does not exist in the workflow sandbox; workflows cannot load modules, use wf.runAgent for work that needs files",
    ]);
  });
});

describe("hidden characters", () => {
  it("names each kind and counts columns in UTF-16 units after a character outside the basic plane", () => {
    expect(found(`${MAIN}\n// \u{1F600}\u00AD \u2029\n//\u0007`)).toEqual([
      '2:6 error: an invisible character (U+00AD) can hide code from the person who approves it; remove it or write it as an escape like "\\xad" inside a string',
      '2:8 error: an invisible line break (U+2029) can hide code from the person who approves it; remove it or write it as an escape like "\\u2029" inside a string',
      '4:3 error: a control character (U+0007) can hide code from the person who approves it; remove it or write it as an escape like "\\x07" inside a string',
    ]);
  });

  it("counts CRLF as one line break and a lone CR as one", () => {
    expect(found(`${MAIN}\r\n\r\n//\u200B\r//\u200B`)).toEqual([
      '3:3 error: an invisible character (U+200B) can hide code from the person who approves it; remove it or write it as an escape like "\\u200b" inside a string',
      '4:3 error: an invisible character (U+200B) can hide code from the person who approves it; remove it or write it as an escape like "\\u200b" inside a string',
    ]);
  });

  it("reports several on one line, in order, and at most 20", () => {
    expect(found(`${MAIN}\n//\u200B\u200C\u200D`).map((line) => line.slice(0, 4))).toEqual(["2:3 ", "2:4 ", "2:5 "]);
    const many = `${MAIN}\n//${"\u200B".repeat(21)}`;
    const findings = found(many);
    expect(findings).toHaveLength(20);
    expect(findings.at(-1)?.startsWith("2:22 error")).toBe(true);
  });
});

describe("what mutation testing found unguarded", () => {
  it("walks past holes in an array pattern (null entries in the syntax tree)", () => {
    expect(found("async function main(wf) {\n  const [, b] = [1, 2];\n  return b;\n}")).toEqual([]);
  });

  it("strips acorn's place from a syntax error on a line past 9", () => {
    const code = `${"\n".repeat(11)}async function main(wf) {\n  return 1 +;\n}`;
    expect(found(code)).toEqual(["13:13 error: syntax error: Unexpected token"]);
  });

  it("orders findings on one line by column, whichever check found them", () => {
    expect(found('async function main(wf) {\n  eval("x\u200B");\n}')).toEqual([
      "2:3 error: eval() is not allowed: every line that runs must be visible to the person who approves the workflow",
      '2:10 error: an invisible character (U+200B) can hide code from the person who approves it; remove it or write it as an escape like "\\u200b" inside a string',
    ]);
  });

  it("type-checks on this thread unless told not to", () => {
    const result = validateWorkflow('async function main(wf) {\n  return wf.runAgnet("x");\n}', MAX);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(["2:13 error: type: Property 'runAgnet' does not exist on type 'Wf'. Did you mean 'runAgent'?"]);
  });
});

describe("validateWorkflow: a main(wf) workflow's header and exports", () => {
  it("lets only an export of meta alone stand above main", () => {
    expect(found("export const meta = { name: 'n', description: 'd' }, extra = 1\nasync function main(wf) { return 1 }")).toEqual([
      "1:1 error: syntax error: import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`",
    ]);
  });

  it("reports `export { a }` once, not again for its specifier", () => {
    expect(found("const a = 1\nexport { a }\nasync function main(wf) { return 1 }")).toEqual([
      "2:1 error: syntax error: import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`",
    ]);
  });

  it("finds new Function deep inside main", () => {
    expect(found("async function main(wf) { if (wf) { new Function('x') } return 1 }")).toEqual([
      "1:37 error: the Function constructor is not allowed: every line that runs must be visible to the person who approves it",
    ]);
  });

  it("reports a meta header that does not read, at its place, and gives no meta", () => {
    const result = validateWorkflow("export const meta = { name: 'n', description: 5 }\nasync function main(wf) { return 1 }", MAX, { typeCheck: false });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(["1:21 error: meta.description: Invalid input: expected string, received number"]);
    expect(result).not.toHaveProperty("meta");
    expect(result.dialect).toBe("main");
  });
});

describe("validateWorkflow: import and export inside blocks, and the early answers", () => {
  it("reports an import or export wherever it stands, not only at the top level", () => {
    const inMain = (block: string) => `async function main(wf) {\n  ${block}\n  return 1\n}`;
    expect(found(inMain("if (wf) { export const a = 1 }"))).toEqual([
      "2:13 error: syntax error: import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`",
    ]);
    expect(found(inMain("{ import x from 'y' }"))).toEqual([
      "2:5 error: syntax error: import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`",
    ]);
  });

  it("answers code over the limit and code that does not parse as the main dialect, with no changes", () => {
    const over = validateWorkflow("x".repeat(20), 10, { typeCheck: false });
    const broken = validateWorkflow("await agent(", 1000, { typeCheck: false });
    expect([over.dialect, over.changes, broken.dialect, broken.changes]).toEqual(["main", [], "main", []]);
  });
});
