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
    const meter = meterUsage((e) => seen.push(e));
    expect(meter.total()).toEqual({ inputTokens: 0, outputTokens: 0 });
    const log: RunEventInput = { type: "model_retry", agentId: "a", attempt: 1, delayMs: 0, reason: "r" };
    meter.emit(usage(10, 2, 0.5));
    meter.emit(log);
    meter.emit(usage(5, 1, 0.25));
    expect(seen).toEqual([usage(10, 2, 0.5), log, usage(5, 1, 0.25)]);
    expect(meter.total()).toEqual({ inputTokens: 15, outputTokens: 3, costUsd: 0.75 });
  });
});
