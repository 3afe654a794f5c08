import { describe, expect, it } from "vitest";
import { createBudgetTracker, formatBudget, parseBudget } from "../../src/run/budget.js";

describe("parseBudget", () => {
  it.each([
    ["2.50", { kind: "usd", amount: 2.5 }],
    ["$2.50", { kind: "usd", amount: 2.5 }],
    ["3usd", { kind: "usd", amount: 3 }],
    [" $ 1.5 USD ", { kind: "usd", amount: 1.5 }],
    ["10", { kind: "usd", amount: 10 }],
    ["500k tokens", { kind: "tokens", amount: 500_000 }],
    ["2M tokens", { kind: "tokens", amount: 2_000_000 }],
    ["1.5k-tokens", { kind: "tokens", amount: 1_500 }],
    ["300000tok", { kind: "tokens", amount: 300_000 }],
    ["1 token", { kind: "tokens", amount: 1 }],
    ["12.6 tokens", { kind: "tokens", amount: 13 }],
  ] as const)("reads %j as %j", (text, limit) => {
    expect(parseBudget(text)).toEqual(limit);
  });

  it.each(["", "0", "$0", "0.00", "0 tokens", "0.0004k tokens", "-5", "$-1", "abc", "5 dollars", "5x tokens", "5 kilotokens", "1e3", "$5$", "5tokensmore", "x5", ".5", "5."])(
    "refuses %j",
    (text) => {
      expect(parseBudget(text)).toBeUndefined();
    },
  );
});

describe("formatBudget", () => {
  it("writes dollars with cents and tokens with thousands separators", () => {
    expect(formatBudget({ kind: "usd", amount: 2.5 })).toBe("$2.50");
    expect(formatBudget({ kind: "usd", amount: 0.004 })).toBe("$0.00");
    expect(formatBudget({ kind: "tokens", amount: 1_500_000 })).toBe("1,500,000 tokens");
  });
});

describe("createBudgetTracker", () => {
  it("lets sub-agents start while a dollar budget is not spent, and refuses once it is, naming both sums", () => {
    const tracker = createBudgetTracker({ kind: "usd", amount: 1 });
    expect(tracker.exhausted()).toBeUndefined();
    tracker.record({ inputTokens: 1_000_000, outputTokens: 1_000_000, costUsd: 0.6 });
    expect(tracker.exhausted()).toBeUndefined();
    tracker.record({ inputTokens: 1, outputTokens: 1, costUsd: 0.4 });
    expect(tracker.exhausted()).toBe("the run's budget of $1.00 (--budget) is spent ($1.00 used)");
    tracker.record({ inputTokens: 1, outputTokens: 1, costUsd: 0.25 });
    expect(tracker.exhausted()).toBe("the run's budget of $1.00 (--budget) is spent ($1.25 used)");
  });

  it("counts a usage without a price as costing nothing against a dollar budget", () => {
    const tracker = createBudgetTracker({ kind: "usd", amount: 0.5 });
    tracker.record({ inputTokens: 5_000_000, outputTokens: 5_000_000 });
    expect(tracker.exhausted()).toBeUndefined();
  });

  it("counts input and output tokens, not cached ones twice or dollars, against a token budget", () => {
    const tracker = createBudgetTracker({ kind: "tokens", amount: 1_000 });
    tracker.record({ inputTokens: 600, outputTokens: 399, cachedInputTokens: 500, costUsd: 100 });
    expect(tracker.exhausted()).toBeUndefined();
    tracker.record({ inputTokens: 0, outputTokens: 1 });
    expect(tracker.exhausted()).toBe("the run's budget of 1,000 tokens (--budget) is spent (1,000 tokens used)");
    tracker.record({ inputTokens: 1_234, outputTokens: 0 });
    expect(tracker.exhausted()).toBe("the run's budget of 1,000 tokens (--budget) is spent (2,234 tokens used)");
  });
});

describe("createBudgetTracker: spent and raised", () => {
  it("reports what was spent in both units, with or without a budget", () => {
    const none = createBudgetTracker(undefined);
    none.record({ inputTokens: 10, outputTokens: 5, costUsd: 0.25 });
    expect(none.exhausted()).toBeUndefined();
    expect(none.limit()).toBeUndefined();
    expect(none.spent()).toEqual({ usd: 0.25, tokens: 15 });
  });

  it("continues after a raise, counting from what was already spent", () => {
    const tracker = createBudgetTracker({ kind: "usd", amount: 1 });
    tracker.record({ inputTokens: 1, outputTokens: 1, costUsd: 1.5 });
    expect(tracker.exhausted()).toBe("the run's budget of $1.00 (--budget) is spent ($1.50 used)");
    tracker.raise({ kind: "usd", amount: 2 });
    expect(tracker.limit()).toEqual({ kind: "usd", amount: 2 });
    expect(tracker.exhausted()).toBeUndefined();
    tracker.record({ inputTokens: 1, outputTokens: 1, costUsd: 0.5 });
    expect(tracker.exhausted()).toBe("the run's budget of $2.00 (--budget) is spent ($2.00 used)");
  });
});

describe("parseBudget for token budgets, strictly", () => {
  it("reads a token amount with a fraction of several digits, and refuses text before it", () => {
    expect(parseBudget("1.25k tokens")).toEqual({ kind: "tokens", amount: 1_250 });
    expect(parseBudget("x5 tokens")).toBeUndefined();
    expect(parseBudget("$5 tokens")).toBeUndefined();
  });
});
