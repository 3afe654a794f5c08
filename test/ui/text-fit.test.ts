import { describe, expect, it } from "vitest";
import { lastRows, padEnd, truncateEnd, wrapLine } from "../../src/ui/text-fit.js";

describe("text fitting", () => {
  it("truncates to a width with an ellipsis, counting wide characters twice", () => {
    expect(truncateEnd("hello world", 8)).toBe("hello w…");
    expect(truncateEnd("short", 8)).toBe("short");
    expect(truncateEnd("日本語です", 6)).toBe("日本…");
    expect(padEnd("ab", 4)).toBe("ab  ");
  });

  it("wraps at spaces and hard-wraps long words", () => {
    expect(wrapLine("the quick brown fox", 10)).toEqual(["the quick", "brown fox"]);
    expect(wrapLine("abcdefghijkl", 5)).toEqual(["abcde", "fghij", "kl"]);
  });

  it("takes the last rows of a stream, skipping blank lines", () => {
    expect(lastRows("one\n\ntwo three four\nfive\n", 9, 3)).toEqual(["two three", "four", "five"]);
  });
});

describe("textWidth's fast path", () => {
  it("counts exactly what string-width counts for the narrow characters it takes without it", async () => {
    const { default: stringWidth } = await import("string-width");
    const { charWidth, textWidth } = await import("../../src/ui/text-fit.js");
    const ranges: Array<[number, number]> = [[0x20, 0x7e], [0xa0, 0x2ff], [0x2010, 0x2027], [0x2190, 0x21ff], [0x2500, 0x259f]];
    for (const [from, to] of ranges) {
      for (let code = from; code <= to; code += 1) {
        const ch = String.fromCharCode(code);
        expect([code, charWidth(ch), textWidth(ch)]).toEqual([code, stringWidth(ch), stringWidth(ch)]);
      }
    }
    // The soft hyphen takes no column; a combining accent joins the letter before it; wide ones take two.
    expect(textWidth("a\u00adb")).toBe(2);
    expect(textWidth("e\u0301 · 3s")).toBe(6);
    expect(textWidth("general-purpose · 12s · ↑1.2k tok")).toBe(33);
    expect(textWidth("日本 · x")).toBe(8);
  });
});
