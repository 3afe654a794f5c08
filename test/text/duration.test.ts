import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/text/duration.js";

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["2h", 7_200_000],
    ["500ms", 500],
    ["1h30m", 5_400_000],
    ["2h15m30s", 8_130_000],
    ["1m500ms", 60_500],
    ["1.5s", 1_500],
    [" 45s ", 45_000],
  ])("parses %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("reads a bare number as seconds, fractions included", () => {
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration("1.5")).toBe(1_500);
  });

  it("parses 0 as 0 ms, leaving the decision to reject it to the caller", () => {
    expect(parseDuration("0")).toBe(0);
  });

  it.each(["", "  ", "abc", "1d", "1.5h", "1h 30m", "ms", "s", "-5s", "30m1h"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
