// Validation of Claude Code–format scripts: the dialect is recognised and named, `meta` is read as
// a plain literal (never run), and what agentwf cannot honour is reported before anything runs.
import { describe, expect, it } from "vitest";
import { formatDiagnostic, validateWorkflow } from "../../src/workflow/validate.js";

const lines = (...text: string[]) => text.join("\n");
const check = (code: string) => validateWorkflow(code, 100_000);
const findings = (code: string) => check(code).diagnostics.map(formatDiagnostic);
// Without the type check (slow), where a test is about what the parser and the checks find.
const untyped = (code: string) => validateWorkflow(code, 100_000, { typeCheck: false }).diagnostics.map(formatDiagnostic);

const IMPORT_EXPORT = "import/export statements are not allowed: the script body is plain JavaScript and only `export const meta` may be exported";
const NO_META = "1:1 error: a Claude Code–format script begins with `export const meta = { name: '…', description: '…' }`; add it as the first statement";
const META = "export const meta = { name: 'audit', description: 'Audit routes', phases: [{ title: 'Scan' }, { title: 'Fix', detail: 'one agent per file' }] }";

describe("validateWorkflow: Claude Code–format scripts", () => {
  it("recognises the documented example script as the claude dialect, clean, with its meta", () => {
    // The script shown under "What the saved script looks like" in Claude Code's workflows docs.
    const code = lines(
      "export const meta = {",
      "  name: 'audit-routes',",
      "  description: 'Audit every route handler for missing auth checks',",
      "}",
      "",
      "const found = await agent('List every .ts file under src/routes/.', {",
      "  schema: { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'string' } } } },",
      "})",
      "",
      "const audits = await pipeline(found.files, file =>",
      "  agent(`Audit ${file} for missing authentication checks.`, { label: file }),",
      ")",
      "",
      "return audits.filter(Boolean)",
      "",
    );
    const result = check(code);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result).toMatchObject({ ok: true, dialect: "claude", meta: { name: "audit-routes", description: "Audit every route handler for missing auth checks" } });
    expect(result.code).toBe(code);
  });

  it("keeps a main(wf) workflow in the main dialect, with a meta header above main allowed", () => {
    const result = check(lines("export const meta = { name: 'x', description: 'y' }", "async function main(wf) {", "  return wf.runAgent('a');", "}"));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result).toMatchObject({ ok: true, dialect: "main", meta: { name: "x", description: "y" } });
  });

  it("asks for the meta header when a script awaits at the top level without one", () => {
    expect(findings("const a = await agent('x')\nreturn a")).toEqual([
      "1:1 error: a Claude Code–format script begins with `export const meta = { name: '…', description: '…' }`; add it as the first statement",
    ]);
  });

  it.each([
    ["a variable", "export const meta = { name: N, description: 'd' }", "1:29 error: meta must be a plain literal: no variables, calls or expressions (found Identifier)"],
    ["a call", "export const meta = { name: 'n', description: String(1) }", "1:47 error: meta must be a plain literal: no variables, calls or expressions (found CallExpression)"],
    ["a spread", "export const meta = { ...other, name: 'n', description: 'd' }", "1:23 error: meta must be a plain literal: no spreads, computed keys, getters or methods"],
    ["a getter", "export const meta = { get name() { for (;;) {} }, description: 'd' }", "1:23 error: meta must be a plain literal: no spreads, computed keys, getters or methods"],
    ["an interpolated template", "export const meta = { name: `a${1}`, description: 'd' }", "1:29 error: meta must be a plain literal: no ${…} in template strings"],
    ["a missing description", "export const meta = { name: 'n' }", "1:21 error: meta.description: Invalid input: expected string, received undefined"],
    ["an empty name", "export const meta = { name: '  ', description: 'd' }", "1:21 error: meta.name: name must be a non-empty string"],
  ])("refuses a meta with %s, at its place, without running it", (_what, code, finding) => {
    expect(findings(`${code}\nreturn 1`).filter((f) => f.includes("error"))[0]).toBe(finding);
  });

  it("requires the meta header to be the first statement", () => {
    expect(findings(lines("const x = 1", META, "return x"))).toContain("2:1 error: `export const meta = {…}` must be the first statement of the script");
  });

  it("reports any other import or export", () => {
    expect(untyped(lines(META, "import fs from 'fs'", "export const x = 1", "return 1"))).toEqual([
      "2:1 error: import/export statements are not allowed: the script body is plain JavaScript and only `export const meta` may be exported",
      "3:1 error: import/export statements are not allowed: the script body is plain JavaScript and only `export const meta` may be exported",
    ]);
  });

  it("reports dynamic import() and eval as in the main dialect", () => {
    expect(untyped(lines(META, "await import('fs')", "eval('1')", "return 1"))).toEqual([
      "2:7 error: dynamic import() is not allowed: the workflow sandbox has no modules",
      "3:1 error: eval() is not allowed: every line that runs must be visible to the person who approves the workflow",
    ]);
  });

  it("reports isolation: 'remote' and an unknown effort as errors, and notes the options it does not honour", () => {
    expect(untyped(lines(META, "await agent('a', { isolation: 'remote' })", "await agent('b', { effort: 'turbo' })", "await agent('c', { isolation: 'worktree', effort: 'low' })", "return 1"))).toEqual([
      "2:31 error: isolation: 'remote' is not available in agentwf: sub-agents run on this machine; remove the option",
      "3:28 error: effort: 'turbo' is unknown; use one of low, medium, high, xhigh, max, or leave it out",
      "4:31 warning: isolation: 'worktree' is not honoured in this format: the agent works in the workspace itself (in --sandbox workspace-write its edits land there directly); for separate worktrees and merged patches write an agentwf workflow with wf.runAgent(…, { isolation: 'worktree' }) and wf.applyPatches",
      "4:51 warning: effort: 'low' is not sent: agentwf talks to any OpenAI-compatible server and sets no reasoning effort",
    ]);
  });

  it("warns about a phase title not in meta.phases: it gets a group of its own, as Claude Code documents", () => {
    const result = check(lines(META, "phase('Scan')", "phase('Verify')", "await agent('x', { phase: 'Later' })", "return 1"));
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "3:1 warning: phase('Verify') is not in meta.phases; it gets a progress group of its own (titles are matched exactly)",
      "4:18 warning: phase 'Later' is not in meta.phases; its agents get a group of their own (add it to meta.phases to list it in order)",
    ]);
  });

  it("reports a nested workflow() call as not supported yet", () => {
    expect(untyped(lines(META, "return await workflow('other', {})"))).toEqual([
      "2:14 error: workflow() (a nested saved workflow) is not supported by agentwf yet; copy the steps into this script, or run the saved one on its own with agentwf run --workflow NAME",
    ]);
  });

  it("type-checks against the Claude declarations: a misspelt global and a wrong option are found", () => {
    const result = check(lines(META, "await agnet('x')", "await agent('y', { lable: 'z' })", "return 1"));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "2:7 warning: type: Cannot find name 'agnet'. Did you mean 'agent'?",
      "3:20 error: type: Object literal may only specify known properties, but 'lable' does not exist in type 'AgentOpts'. Did you mean to write 'label'?",
    ]);
  });

  it("reports a type error on the first line at the column the person sees", () => {
    const result = check("export const meta = { name: 'n', description: 'd' }; await agent(1)\nreturn 1");
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(["1:66 error: type: Argument of type 'number' is not assignable to parameter of type 'string'."]);
  });

  it("reads isolation from a template or quoted key, and leaves computed keys, non-strings and interpolations alone", () => {
    const code = lines(
      META,
      "await agent('a', { isolation: `worktree` })",
      "await agent('b', { 'isolation': 'sandbox' })",
      "await agent('c', { ['isolation']: 'remote', isolation: 5 })",
      "await agent('d', { isolation: `x${1}` })",
      "return 1",
    );
    expect(untyped(code)).toEqual([
      "2:31 warning: isolation: 'worktree' is not honoured in this format: the agent works in the workspace itself (in --sandbox workspace-write its edits land there directly); for separate worktrees and merged patches write an agentwf workflow with wf.runAgent(…, { isolation: 'worktree' }) and wf.applyPatches",
      "3:33 error: isolation: 'sandbox' is unknown; the only value Claude Code defines is 'worktree'",
    ]);
  });

  it("notes every effort tier it does not send, and ignores an effort that is not a string", () => {
    const code = lines(META, "await agent('a', { effort: 'medium' })", "await agent('b', { effort: 'high' })", "await agent('c', { effort: 'xhigh' })", "await agent('d', { effort: 'max' })", "await agent('e', { effort: 7 })", "return 1");
    expect(untyped(code)).toEqual(
      ["2:28 medium", "3:28 high", "4:28 xhigh", "5:28 max"].map((x) => {
        const [place, tier] = x.split(" ");
        return `${place} warning: effort: '${tier}' is not sent: agentwf talks to any OpenAI-compatible server and sets no reasoning effort`;
      }),
    );
  });

  it("checks only literal options of a direct agent() call, and phases that are listed or not literal pass", () => {
    const code = lines(META, "const opts = { isolation: 'remote' }", "await agent('a', opts)", "await agent('b')", "await tools.agent('c', { isolation: 'remote' })", "phase(String(1))", "phase('Fix')", "await agent('d', { phase: 'Scan' })", "return 1");
    expect(untyped(code)).toEqual([]);
  });

  it("checks no phase names when meta lists no phases", () => {
    const result = check(lines("export const meta = { name: 'n', description: 'd' }", "phase('Any')", "await agent('x', { phase: 'Other' })", "return 1"));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result).toMatchObject({ ok: true, meta: { name: "n", description: "d" } });
  });

  it("warns about each meta key it does not know, at the meta", () => {
    expect(findings(lines("export const meta = { name: 'n', description: 'd', owner: 'me', tags: [] }", "return 1"))).toEqual([
      "1:21 warning: meta.owner is not a meta field (name, description, whenToUse, phases); it is ignored",
      "1:21 warning: meta.tags is not a meta field (name, description, whenToUse, phases); it is ignored",
    ]);
  });

  it("asks for the export on a meta that is declared but not exported", () => {
    expect(findings(lines("const meta = { name: 'n', description: 'd' }", "return 1"))).toEqual([
      "1:1 error: the meta header is written `export const meta = {…}` and is the first statement of the script",
    ]);
  });

  it("tells a meta exported later from another export, and reports export default and export * too", () => {
    expect(untyped(lines("await agent('x')", "export const meta = { name: 'n', description: 'd' }", "export const y = 2", "return 1"))).toEqual([
      "2:1 error: `export const meta = {…}` must be the first statement of the script",
      "3:1 error: import/export statements are not allowed: the script body is plain JavaScript and only `export const meta` may be exported",
    ]);
    expect(untyped(lines("export const meta = { name: 'n', description: 'd' }", "export default 1", "export * from 'x'", "return 1"))).toEqual([
      "2:1 error: import/export statements are not allowed: the script body is plain JavaScript and only `export const meta` may be exported",
      "3:1 error: import/export statements are not allowed: the script body is plain JavaScript and only `export const meta` may be exported",
    ]);
  });
  it("refuses an export before an unexported meta: the export is reported and the meta asked to be exported first", () => {
    expect(untyped(lines("export const x = 1", "const meta = { name: 'n', description: 'd' }", "await agent('a')", "return 1"))).toEqual([
      `1:1 error: ${IMPORT_EXPORT}`,
      "2:1 error: the meta header is written `export const meta = {…}` and is the first statement of the script",
    ]);
  });

  it("tells the exported meta that is not first from the export before it", () => {
    expect(untyped(lines("export function f() {}", "export const meta = { name: 'n', description: 'd' }", "export { f as g }", "return 1"))).toEqual([
      `1:1 error: ${IMPORT_EXPORT}`,
      "2:1 error: `export const meta = {…}` must be the first statement of the script",
      `3:1 error: ${IMPORT_EXPORT}`,
    ]);
    expect(untyped(lines("export const meta = { name: 'n', description: 'd' }", "export { meta as other }", "export let y", "return 1"))).toEqual([`2:1 error: ${IMPORT_EXPORT}`, `3:1 error: ${IMPORT_EXPORT}`]);
  });

  it("reports an exported constant as an export, not as the meta, in a script without meta", () => {
    expect(untyped(lines("export const x = 1", "await agent('a')"))).toEqual([NO_META, `1:1 error: ${IMPORT_EXPORT}`]);
    expect(untyped(lines("await agent('a')", "export const y = 2"))).toEqual([NO_META, `2:1 error: ${IMPORT_EXPORT}`]);
  });

  it("reads agent() options past a spread and a method", () => {
    expect(untyped(lines(META, "await agent('a', { ...base, run() {}, isolation: 'remote' })", "return 1"))).toEqual([
      "2:50 error: isolation: 'remote' is not available in agentwf: sub-agents run on this machine; remove the option",
    ]);
  });
});
