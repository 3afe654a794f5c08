import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/ui/markdown-lines.js";

const plain = new Chalk({ level: 0 });
const colored = new Chalk({ level: 1 });

describe("renderMarkdown", () => {
  it("renders headings, emphasis and inline code without their markers", () => {
    expect(renderMarkdown("# Title\n\nSome **bold**, *it* and `code`.", 60, plain)).toBe("Title\n\nSome bold, it and code.");
    expect(renderMarkdown("# Title", 60, colored)).toBe(colored.bold.underline("Title"));
  });

  it("draws tables with aligned columns", () => {
    const out = renderMarkdown("| Area | Files |\n| --- | ---: |\n| src | 12 |\n| **Total** | 3 |", 60, plain);
    expect(out.split("\n")).toEqual([
      "┌───────┬───────┐",
      "│ Area  │ Files │",
      "├───────┼───────┤",
      "│ src   │    12 │",
      "│ Total │     3 │",
      "└───────┴───────┘",
    ]);
  });

  it("fits a table that is wider than the terminal by wrapping cells, losing no text", () => {
    const out = renderMarkdown("| area | files |\n| - | - |\n| src | a.ts, b.ts, c.ts, d.ts |", 24, plain);
    expect(out.split("\n")).toEqual([
      "┌──────┬───────────────┐",
      "│ area │ files         │",
      "├──────┼───────────────┤",
      "│ src  │ a.ts, b.ts,   │",
      "│      │ c.ts, d.ts    │",
      "└──────┴───────────────┘",
    ]);
    const long = renderMarkdown(`| a | b |\n| - | - |\n| ${"x".repeat(50)} | y |`, 30, plain);
    for (const line of long.split("\n")) expect(line.length).toBeLessThanOrEqual(30);
    expect(long.match(/x/g)).toHaveLength(50);
  });

  it("wraps list items with a hanging indent", () => {
    expect(renderMarkdown("- one two three four five six", 16, plain).split("\n")).toEqual(["• one two three", "  four five six"]);
    expect(renderMarkdown("1. first", 20, plain)).toBe("1. first");
  });

  it("keeps fenced code as is, behind a bar", () => {
    expect(renderMarkdown("```\nlet   x = 1;\n```", 40, plain)).toBe("│ let   x = 1;");
  });

  it("strips control sequences that came from the model", () => {
    expect(renderMarkdown("ok \x1b[2J\x1b]0;pwned\x07done", 40, plain)).toBe("ok done");
  });
});
