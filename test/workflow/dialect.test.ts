// Which dialect a program is in, statement by statement: what makes the top level Claude Code's
// (an await, a return, a call to one of its globals) and what does not (the same inside a function).
import { describe, expect, it } from "vitest";
import { DIALECTS, DIALECT_NAMES, detectDialect } from "../../src/workflow/dialect.js";
import { parseWorkflowSource } from "../../src/workflow/intake.js";

const dialectOf = (code: string) => detectDialect(parseWorkflowSource(code));

describe("detectDialect", () => {
  it("reads a top-level main, exported or not, as agentwf's, even after work at the top level", () => {
    expect(["async function main(wf) {}", "export async function main(wf) {}", "export default async function main(wf) {}", "await agent('x')\nasync function main(wf) {}"].map(dialectOf)).toEqual([
      "main",
      "main",
      "main",
      "main",
    ]);
  });

  it("finds main exported either way, and only a function named main, even where the top level awaits", () => {
    const code = [
      "await agent('x')\nexport async function main(wf) {}",
      "await agent('x')\nexport default async function main(wf) {}",
      "await agent('x')\nexport class main {}",
      "await agent('x')\nexport const main = 1",
      "await agent('x')\nexport { a }",
      "await agent('x')\nfunction helper() {}",
    ];
    expect(code.map(dialectOf)).toEqual(["main", "main", "claude", "claude", "claude", "claude"]);
  });

  it("reads a meta header alone as Claude Code's", () => {
    expect(dialectOf("export const meta = { name: 'n', description: 'd' }")).toBe("claude");
  });

  it("reads a top-level return, await, for await, or call to each Claude global as Claude Code's", () => {
    const claude = ["return 1", "const a = await fetchIt()", "for await (const x of xs) {}", "agent('x')", "parallel([])", "pipeline([], f)", "phase('Scan')", "log('hi')", "workflow('other')", "if (ok) { log('deep') }"];
    expect(claude.map((code) => [code, dialectOf(code)])).toEqual(claude.map((code) => [code, "claude"]));
  });

  it("reads the same inside a function, a method call, another name or a plain for…of as agentwf's (whose messages then say main is missing)", () => {
    const plain = [
      "async function helper() { await agent('x'); return 1 }",
      "const f = async function () { await agent('x') }",
      "const g = async () => { await agent('x') }",
      "const h = async () => agent('x')",
      "tools.agent('x')",
      "agentx('x')",
      "for (const x of xs) {}",
      "export default async function () { await agent('x') }",
      "const n = 1",
      "",
    ];
    expect(plain.map((code) => [code, dialectOf(code)])).toEqual(plain.map((code) => [code, "main"]));
  });

  it("searches a top-level statement 200 levels deep and no further", () => {
    // `!` adds one level; each [ ] adds two (the array and its element list); the await is at 2n + 2.
    const nested = (levels: number, prefix: string) => `${prefix}${"[".repeat(levels)}await x${"]".repeat(levels)}`;
    expect([nested(99, "!"), nested(99, "!!"), nested(100, ""), nested(98, "!!")].map(dialectOf)).toEqual(["claude", "main", "main", "claude"]);
  });

  it("names both dialects", () => {
    expect(DIALECTS).toEqual(["main", "claude"]);
    expect(DIALECT_NAMES).toEqual({
      main: "an agentwf workflow (async function main(wf))",
      claude: "a Claude Code–format workflow script (export const meta, top-level await)",
    });
  });
});
