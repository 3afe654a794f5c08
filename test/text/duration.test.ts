import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/text/duration.js";

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
    ["1.5h", 5_400_000],
    [" 45s ", 45_000],
    // What servers send in x-ratelimit-reset-requests / -tokens.
    ["6m0s", 360_000],
    ["2m59.56s", 179_560],
    ["20ms", 20],
    ["0.5ms", 1],
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

  it.each(["", "  ", "abc", "1d", "1h 30m", "ms", "s", "-5s", "30m1h", "1.s", "s5"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [420.4, "420ms"],
    [999, "999ms"],
    [1000, "1.0s"],
    [3_240, "3.2s"],
    [59_940, "59.9s"],
    [59_960, "1m00s"],
    [65_000, "1m05s"],
    [3_599_000, "59m59s"],
    [7_380_000, "2h03m"],
  ])("measured: %d ms is %j", (ms, text) => {
    expect(formatDuration(ms, "measured")).toBe(text);
  });

  it.each([
    [-5, "0s"],
    [999, "0s"],
    [7_900, "7s"],
    [65_000, "1m05s"],
    [7_380_000, "2h03m"],
  ])("elapsed: %d ms is %j", (ms, text) => {
    expect(formatDuration(ms, "elapsed")).toBe(text);
  });

  it.each([
    [7_200_000, "2h"],
    [5_400_000, "90m"],
    [90_000, "90s"],
    [1_500, "1500ms"],
    [0, "0ms"],
  ])("limit: %d ms is %j, which parseDuration reads back", (ms, text) => {
    expect(formatDuration(ms, "limit")).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
