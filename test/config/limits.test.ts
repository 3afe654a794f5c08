import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/config-file.js";
import { DEFAULT_LIMITS, LIMITS, LIMIT_NAMES, NESTED_LIMIT_NAMES, formatLimit, limitHelp } from "../../src/config/limits.js";
import type { WorkflowLimits } from "../../src/workflow/types.js";

describe("the table of limits", () => {
  it.each(LIMIT_NAMES)("%s has its default inside its bounds", (name) => {
    const spec = LIMITS[name];
    expect(spec.min).toBeLessThanOrEqual(spec.default);
    expect(spec.default).toBeLessThanOrEqual(spec.max);
  });

  it("holds what the workflow room's limits need, which it is passed rather than importing", () => {
    // The annotation fails to compile when the table and WorkflowLimits drift apart.
    const passed: WorkflowLimits = DEFAULT_LIMITS;
    expect(Object.keys(passed).sort()).toEqual([...LIMIT_NAMES].sort());
    expect(DEFAULT_LIMITS).toEqual({
      concurrency: 8,
      maxAgents: 100,
      wallTimeMs: 3_600_000,
      memoryMb: 128,
      cpuTimeMs: 60_000,
      maxCodeBytes: 100_000,
      maxResultBytes: 1_000_000,
      maxLogBytes: 1_000_000,
      maxItemsPerCall: 4096,
      reduceInputChars: 200_000,
    });
  });

  it.each(NESTED_LIMIT_NAMES)("the config schema takes limits.%s from its min to its max and nothing past them", (name) => {
    const { min, max } = LIMITS[name];
    expect(ConfigSchema.safeParse({ limits: { [name]: min } }).success).toBe(true);
    expect(ConfigSchema.safeParse({ limits: { [name]: max } }).success).toBe(true);
    expect(ConfigSchema.safeParse({ limits: { [name]: max + 1 } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ limits: { [name]: min - 1 } }).success).toBe(false);
  });

  it("the config schema bounds concurrency by the table's ceiling of 64", () => {
    expect(ConfigSchema.safeParse({ concurrency: 64 }).success).toBe(true);
    expect(ConfigSchema.safeParse({ concurrency: 65 }).success).toBe(false);
  });

  it("writes the help text of the flags from the table", () => {
    expect(limitHelp("concurrency")).toBe("sub-agents running at once, 1 to 64 (default: 8)");
    expect(limitHelp("maxAgents")).toBe("sub-agents one workflow may start, 1 to 10000 (default: 100)");
    expect(limitHelp("wallTimeMs", ", e.g. 90s, 30m, 2h")).toBe("wall-clock limit per workflow, e.g. 90s, 30m, 2h (default: 1h)");
  });

  it("formats a value in its unit", () => {
    expect([formatLimit("memoryMb", 128), formatLimit("cpuTimeMs", 90_000), formatLimit("wallTimeMs", 1500), formatLimit("maxCodeBytes", 1024)]).toEqual([
      "128 MiB",
      "90s",
      "1500ms",
      "1024 bytes",
    ]);
  });
});
