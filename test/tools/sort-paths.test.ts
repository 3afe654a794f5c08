import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../src/tools/sort-paths.js";

describe("compareCodePoints", () => {
  it("orders by code point: U+E000 before U+1F600, although UTF-16 code units say the opposite", () => {
    expect(["\u{1F600}", "\uE000", "b", "a", "B", "ab"].sort(compareCodePoints)).toEqual(["B", "a", "ab", "b", "\uE000", "\u{1F600}"]);
  });

  it("puts a prefix before the longer name", () => {
    expect(["src/a.ts", "src/a", "src"].sort(compareCodePoints)).toEqual(["src", "src/a", "src/a.ts"]);
  });
});
