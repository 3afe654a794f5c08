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
