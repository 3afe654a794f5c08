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

describe("durations at the edges", () => {
  it("reads a bare number with a fraction of several digits as seconds", () => {
    expect(parseDuration("1.25")).toBe(1_250);
    expect(parseDuration("1.25s")).toBe(1_250);
    expect(parseDuration("10.5m")).toBe(630_000);
  });

  it("reads every unit with several digits and a fraction of several digits", () => {
    expect(parseDuration("12h")).toBe(43_200_000);
    expect(parseDuration("1.25h")).toBe(4_500_000);
    expect(parseDuration("15m")).toBe(900_000);
    expect(parseDuration("1.25m")).toBe(75_000);
    expect(parseDuration("2.25ms")).toBe(2);
    expect(parseDuration("1h2m3s4ms")).toBe(3_723_004);
  });

  it("rejects text before or after a duration", () => {
    for (const text of ["x5s", "5sx", "a1h", "1hx", "1m1", "ms5", "5 s", "1..5s", "1.5.5s", "h", "m", "1.h"]) expect(parseDuration(text)).toBeUndefined();
  });

  it("switches to minutes at a minute and to hours at an hour", () => {
    expect(formatDuration(59_949, "measured")).toBe("59.9s");
    expect(formatDuration(59_950, "measured")).toBe("1m00s");
    expect(formatDuration(3_600_000, "measured")).toBe("1h00m");
    expect(formatDuration(59_999, "elapsed")).toBe("59s");
    expect(formatDuration(60_000, "elapsed")).toBe("1m00s");
    expect(formatDuration(3_599_999, "elapsed")).toBe("59m59s");
    expect(formatDuration(3_600_000, "elapsed")).toBe("1h00m");
    expect(formatDuration(36_000_000, "elapsed")).toBe("10h00m");
  });

  it("writes a limit in the largest unit that divides it, one of that unit included", () => {
    expect(formatDuration(3_600_000, "limit")).toBe("1h");
    expect(formatDuration(60_000, "limit")).toBe("1m");
    expect(formatDuration(1_000, "limit")).toBe("1s");
    expect(formatDuration(61_000, "limit")).toBe("61s");
    expect(formatDuration(1, "limit")).toBe("1ms");
  });
});
