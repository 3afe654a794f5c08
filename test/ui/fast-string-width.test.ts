import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import fastStringWidth from "../../src/ui/fast-string-width.js";

// Ink's frames measure these on every redraw; the fast path must agree with string-width on each.
const samples = [
  "",
  "plain ascii",
  "0                                 general-purpose · 12s · 1.2k tok",
  "╭────────╮ │ ▒▒░░ … ↑12.3k ↓1.1k – “quoted” é ñ ß",
  // Styled the way Ink's nested <Text> styles a line.
  "\x1b[1mtitle\x1b[22m \x1b[2mgeneral-purpose · 3s\x1b[22m",
  "\x1b[38;5;245m│ abcd\x1b[39m",
  // Not narrow: wide, emoji, combining, zero-width, control and non-SGR escapes go to string-width.
  "日本語 · x",
  "ok 👍🏽 done",
  "e\u0301 · 3s",
  "a\u00adb",
  "zero\u200bwidth",
  "tab\there",
  "line\nbreak",
  "\x1b]8;;https://example.com\x07link\x1b]8;;\x07 · x",
  "\x1b[2K\x1b[1Aafter a cursor move",
  "\x9b31mC1 introducer",
  "⚙ workflow bench (5 lines)",
];

describe("fastStringWidth", () => {
  it("answers what string-width answers, with and without options", () => {
    for (const text of samples) {
      expect([text, fastStringWidth(text)]).toEqual([text, stringWidth(text)]);
      expect([text, fastStringWidth(text, { ambiguousIsNarrow: false })]).toEqual([text, stringWidth(text, { ambiguousIsNarrow: false })]);
      expect([text, fastStringWidth(text, { countAnsiEscapeCodes: true })]).toEqual([text, stringWidth(text, { countAnsiEscapeCodes: true })]);
    }
  });

  it("agrees on every single character of the first 0x2600 code points (the narrow table ends at 0x259f)", () => {
    const texts = Array.from({ length: 0x2600 }, (_, code) => String.fromCharCode(code)).flatMap((ch) => [ch, `\x1b[2m${ch}\x1b[22m`]);
    expect(texts.map((text) => fastStringWidth(text))).toEqual(texts.map((text) => stringWidth(text)));
  });

  it("counts ambiguous characters as wide when asked to", () => {
    expect(fastStringWidth("a · b", { ambiguousIsNarrow: false })).toBe(6);
    expect(fastStringWidth("a · b")).toBe(5);
  });
});
