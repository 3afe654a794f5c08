import { describe, expect, it } from "vitest";
import type { RunEventInput } from "../../src/events.js";
import { meterUsage } from "../../src/run/usage-meter.js";

const usage = (inputTokens: number, outputTokens: number, costUsd?: number): RunEventInput => ({
  type: "usage",
  agentId: "a",
  usage: { inputTokens, outputTokens, ...(costUsd !== undefined ? { costUsd } : {}) },
});

describe("meterUsage", () => {
  it("passes every event on, in order, and sums only the usage events", () => {
    const seen: RunEventInput[] = [];
    const meter = meterUsage((e) => seen.push(e), undefined);
    expect(meter.total()).toEqual({ inputTokens: 0, outputTokens: 0 });
    const log: RunEventInput = { type: "model_retry", agentId: "a", attempt: 1, delayMs: 0, reason: "r" };
    meter.emit(usage(10, 2, 0.5));
    meter.emit(log);
    meter.emit(usage(5, 1, 0.25));
    expect(seen).toEqual([usage(10, 2, 0.5), log, usage(5, 1, 0.25)]);
    expect(meter.total()).toEqual({ inputTokens: 15, outputTokens: 3, costUsd: 0.75 });
  });

  it("has no budget check without a budget", () => {
    expect(meterUsage(() => {}, undefined).canStart).toBeUndefined();
  });

  it("refuses new sub-agents once the budget is spent by the usage it metered", () => {
    const meter = meterUsage(() => {}, { kind: "tokens", amount: 100 });
    expect(meter.canStart?.()).toBeUndefined();
    meter.emit(usage(60, 39));
    expect(meter.canStart?.()).toBeUndefined();
    meter.emit({ type: "model_retry", agentId: "a", attempt: 1, delayMs: 0, reason: "r" });
    expect(meter.canStart?.()).toBeUndefined();
    meter.emit(usage(1, 0));
    expect(meter.canStart?.()).toBe("not started: the run's budget of 100 tokens (--budget) is spent (100 tokens used); raise --budget to do more");
  });
});
