import { describe, expect, it } from "vitest";
import { displayText, formatCost, formatTokens, formatUsage } from "../../src/ui/format.js";

describe("displayText", () => {
  it("turns tabs into two spaces and strips what would drive the terminal or reorder the line", () => {
    expect(displayText("a\tb \x1b[31mred\x1b[0m \u202eevil\u202e \x1b]0;t\x07end")).toBe("a  b red evil end");
  });
});

describe("numbers for the header", () => {
  it("writes tokens, cost and usage the way the panes have room for", () => {
    expect([formatTokens(950), formatTokens(1_234), formatTokens(12_345), formatTokens(4_100_000)]).toEqual(["950", "1.2k", "12k", "4.1M"]);
    expect([formatCost(0.01234), formatCost(2.5)]).toEqual(["$0.0123", "$2.50"]);
    expect(formatUsage({ inputTokens: 1000, outputTokens: 234, costUsd: 0.5 })).toBe("1,234 tokens · $0.5000");
  });
});
