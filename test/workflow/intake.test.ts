// Forgiving intake: a fence, TypeScript annotations and an exported main each have one meaning, so
// they are undone instead of costing the parent a repair round; everything else is left alone.
import { describe, expect, it } from "vitest";
import { eraseTypes } from "../../src/workflow/erase-types.js";
import { describeIntake, takeIn } from "../../src/workflow/intake.js";
import { formatDiagnostic, validateWorkflow } from "../../src/workflow/validate.js";

const PLAIN = 'async function main(wf) {\n  return wf.runAgent("x");\n}\n';

describe("takeIn", () => {
  it("leaves plain JavaScript exactly as it is", () => {
    expect(takeIn(PLAIN, eraseTypes)).toEqual({ code: PLAIN, changes: [] });
  });

  it("strips a ```js fence around the whole text, although acorn would read it as template literals", () => {
    expect(takeIn("```js\n" + PLAIN + "```", eraseTypes)).toEqual({ code: PLAIN, changes: ["fence"] });
  });

  it("takes the one fenced block out of surrounding prose", () => {
    expect(takeIn("Here is the workflow:\n\n```javascript\n" + PLAIN + "```\nIt audits src.", eraseTypes)).toEqual({ code: PLAIN, changes: ["fence"] });
  });

  it("strips whole-text fences of every spelling: CRLF lines, any language tag, spaces around, no newline before the close", () => {
    const code = "const a = 1;";
    const fenced = [
      "```js\r\nconst a = 1;\r\n```\r\n",
      "\n  ```ts-node2_x+  \nconst a = 1;\n   ```  \n\n",
      "```\nconst a = 1;\n```",
      "```js\nconst a = 1;```",
      "```JS\t\nconst a = 1;\n\t```",
    ];
    expect(fenced.map((text) => takeIn(text, eraseTypes))).toEqual(fenced.map(() => ({ code: `${code}\n`, changes: ["fence"] })));
  });

  it("takes the one fenced block out of prose whatever its language tag and line ends", () => {
    const code = "const a = 1;\r\nconst b = 2;";
    expect(takeIn(`Here:\r\n\`\`\`c++-x_1 \t\r\n${code}\r\n  \`\`\`\r\nDone.`, eraseTypes)).toEqual({ code: `${code}\n`, changes: ["fence"] });
    expect(takeIn("Here:\n```\nconst a = 1;\n```\nDone.", eraseTypes)).toEqual({ code: "const a = 1;\n", changes: ["fence"] });
  });

  it("leaves an unclosed fence, or a fence whose close shares the last line inside prose, for the parent", () => {
    expect(takeIn("Here:\n```js\nconst a = 1;\n", eraseTypes).changes).toEqual([]);
    expect(takeIn("Here:\n```js\nconst a = 1;```\nDone.", eraseTypes).changes).toEqual([]);
  });

  it("leaves a fence that opens after prose and closes on the code's last line for the parent", () => {
    expect(takeIn("Here:\n```js\nconst a = 1;```", eraseTypes)).toEqual({ code: "Here:\n```js\nconst a = 1;```", changes: [] });
  });

  it("strips a whole-text fence whose code holds ``` inside a line", () => {
    expect(takeIn("```js\nlog('```')```", eraseTypes)).toEqual({ code: "log('```')\n", changes: ["fence"] });
  });

  it("leaves JavaScript that parses as it is, even with a fenced example in a comment", () => {
    const code = "/* usage:\n```js\nrun()\n```\n*/\nasync function main(wf) {}\n";
    expect(takeIn(code, eraseTypes)).toEqual({ code, changes: [] });
  });

  it("does not guess between two fenced blocks", () => {
    const text = "```js\nconst a = 1;\n```\nor\n```js\nconst b = 2;\n```";
    expect(takeIn(text, eraseTypes).changes).toEqual([]);
  });

  it("erases TypeScript annotations with the compiler's transpile", () => {
    const typed = 'async function main(wf: Wf): Promise<string> {\n  const dirs: string[] = ["src"];\n  return wf.runAgent(dirs[0] as string);\n}\n';
    expect(takeIn(typed, eraseTypes)).toEqual({
      code: 'async function main(wf) {\n    const dirs = ["src"];\n    return wf.runAgent(dirs[0]);\n}\n',
      changes: ["typescript"],
    });
  });

  it("removes export and export default before main", () => {
    expect(takeIn(`export ${PLAIN}`, eraseTypes)).toEqual({ code: PLAIN, changes: ["export"] });
    expect(takeIn(`export default ${PLAIN}`, eraseTypes)).toEqual({ code: PLAIN, changes: ["export"] });
  });

  it("leaves an export of anything but main, and an exported non-function main, as written", () => {
    const other = "export async function helper() {}\nasync function main(wf) {}\n";
    expect(takeIn(other, eraseTypes)).toEqual({ code: other, changes: [] });
    const notFunction = "export const main = async (wf) => 1;\n";
    expect(takeIn(notFunction, eraseTypes)).toEqual({ code: notFunction, changes: [] });
    const anonymous = "export default async function (wf) {}\n";
    expect(takeIn(anonymous, eraseTypes)).toEqual({ code: anonymous, changes: [] });
  });

  it("leaves an exported class named main, and main exported by name, as written", () => {
    const klass = "export class main {}\n";
    expect(takeIn(klass, eraseTypes)).toEqual({ code: klass, changes: [] });
    const byName = "async function main(wf) {}\nexport { main };\n";
    expect(takeIn(byName, eraseTypes)).toEqual({ code: byName, changes: [] });
  });

  it("removes the export of main even after other statements", () => {
    expect(takeIn(`const x = 1;\nexport ${PLAIN}`, eraseTypes)).toEqual({ code: `const x = 1;\n${PLAIN}`, changes: ["export"] });
  });

  it("keeps TypeScript that does not erase to valid JavaScript as written", () => {
    const broken = "const a: string = ;\n";
    expect(takeIn(broken, eraseTypes)).toEqual({ code: broken, changes: [] });
    expect(takeIn(broken, () => undefined)).toEqual({ code: broken, changes: [] });
    expect(takeIn(broken, () => "const a = ;\n")).toEqual({ code: broken, changes: [] });
  });

  it("keeps a syntax error as written, for the parent to fix", () => {
    expect(takeIn("async function main(wf) { return 1 +; }", eraseTypes)).toEqual({ code: "async function main(wf) { return 1 +; }", changes: [] });
  });

  it("says in one line what it changed", () => {
    expect(describeIntake(["fence", "export"])).toBe("agentwf removed the ``` fence around the code; removed `export` before `async function main`; the code shown is the code that runs");
    expect(describeIntake([])).toBeUndefined();
    expect(describeIntake(["typescript"])).toBe("agentwf erased TypeScript type annotations (the workflow runs as JavaScript); the code shown is the code that runs");
  });
});

describe("validateWorkflow with intake", () => {
  it("passes a fenced, TypeScript-annotated, exported main with only a note, and returns the code that runs", () => {
    const raw = '```ts\nexport async function main(wf: Wf) {\n  const areas: string[] = ["src/api", "src/db"];\n  return wf.mapAgents(areas, "audit {item}");\n}\n```\n';
    const result = validateWorkflow(raw, 100_000);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "1:1 warning: agentwf removed the ``` fence around the code; erased TypeScript type annotations (the workflow runs as JavaScript); removed `export` before `async function main`; the code shown is the code that runs",
    ]);
    expect(result.ok).toBe(true);
    expect(result.code).toBe('async function main(wf) {\n    const areas = ["src/api", "src/db"];\n    return wf.mapAgents(areas, "audit {item}");\n}\n');
  });

  it("erases types in a Claude Code–format script too, keeping its meta export", () => {
    const raw = "export const meta = { name: 'n', description: 'd' }\nconst files: string[] = await agent('list', { schema: {} })\nreturn files\n";
    const result = validateWorkflow(raw, 100_000);
    expect(result).toMatchObject({ ok: true, dialect: "claude", changes: ["typescript"] });
    expect(result.code).toBe("export const meta = { name: 'n', description: 'd' };\nconst files = await agent('list', { schema: {} });\nreturn files;\n");
  });

  it("does not rewrite code that hides characters: it is reported as written", () => {
    const result = validateWorkflow("```js\nasync function main(wf) { return \"\u202e\"; }\n```", 100_000);
    expect(result.changes).toEqual([]);
    expect(result.ok).toBe(false);
  });
});
