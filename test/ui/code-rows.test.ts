import { describe, expect, it } from "vitest";
import { styleCode, wrapStyledLine, styledText } from "../../src/ui/code-lines.js";
import { codeRows, diffRows } from "../../src/ui/code-rows.js";

describe("styleCode", () => {
  it("colors keywords, strings, numbers, comments, wf and property names", () => {
    const [line] = styleCode('const x = wf.runAgent("hi", 3); // go');
    const byStyle = (style: string) => (line ?? []).filter((s) => s.style === style).map((s) => s.text);
    expect(byStyle("keyword")).toEqual(["const"]);
    expect(byStyle("wf")).toEqual(["wf"]);
    expect(byStyle("property")).toEqual(["runAgent"]);
    expect(byStyle("string")).toEqual(['"hi"']);
    expect(byStyle("number")).toEqual(["3"]);
    expect(byStyle("comment")).toEqual(["// go"]);
  });

  it("shows ESC, bidi overrides and zero-width characters as visible escapes", () => {
    const lines = styleCode('const s = "\x1b[2J";\nconst a = 1; // \u202e evil\nlet b\u200b = 2;');
    const text = lines.map(styledText).join("\n");
    expect(text).toBe('const s = "\\x1b[2J";\nconst a = 1; // \\u202e evil\nlet b\\u200b = 2;');
    expect(text).not.toMatch(/[\x1b\u202e\u200b]/);
    expect(lines.flat().filter((s) => s.style === "escape").map((s) => s.text)).toEqual(["\\x1b", "\\u202e", "\\u200b"]);
  });

  it("expands tabs to the next tab stop and drops the CR of CRLF line endings", () => {
    expect(styleCode("\tx\r\nab\ty").map(styledText)).toEqual(["    x", "ab  y"]);
  });

  it("keeps coloring what it could tokenize when the code does not parse", () => {
    const [line] = styleCode('const s = "ok"; @@@ "x');
    expect(line?.find((s) => s.style === "string")?.text).toBe('"ok"');
  });
});

describe("wrapStyledLine", () => {
  it("wraps at the width without cutting anything off and never splits an escape", () => {
    const [line] = styleCode("abcdefgh\x1bij");
    const rows = wrapStyledLine(line ?? [], 10);
    expect(rows.map(styledText)).toEqual(["abcdefgh", "\\x1bij"]);
  });

  it("counts wide characters as two columns", () => {
    const [line] = styleCode("日本語です");
    expect(wrapStyledLine(line ?? [], 4).map(styledText)).toEqual(["日本", "語で", "す"]);
  });
});

describe("codeRows and diffRows", () => {
  it("numbers source lines and leaves wrapped continuations unnumbered", () => {
    const view = codeRows("short\n" + "x".repeat(30), 20);
    expect(view.gutterWidth).toBe(4);
    expect(view.rows.map((r) => [r.gutter, styledText(r.segments)])).toEqual([
      ["1", "short"],
      ["2", "x".repeat(16)],
      ["", "x".repeat(14)],
    ]);
  });

  it("opens a diff at its first change", () => {
    const view = diffRows("a\nb\nc\nd", "a\nb\nc\nD", 40);
    expect(view.rows.map((r) => `${r.mark}${r.gutter}`)).toEqual(["same1", "same2", "same3", "del4", "add4"]);
    expect(view.firstChange).toBe(3);
  });
});
