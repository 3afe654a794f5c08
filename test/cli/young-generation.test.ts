import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { capYoungGeneration, hasGrowthFactorFlag, youngGenerationGovernor, type YoungGenerationHeap } from "../../src/cli/young-generation.js";

const MB = 1024 * 1024;

/** A heap whose new space reports the sizes given, one per look, and records the flags set. */
function fakeHeap(sizes: Array<number | undefined>) {
  const flags: string[] = [];
  let next = 0;
  const heap: YoungGenerationHeap = {
    newSpaceBytes: () => sizes[Math.min(next++, sizes.length - 1)],
    setFlags: (text) => void flags.push(text),
  };
  return { heap, flags };
}

describe("youngGenerationGovernor", () => {
  it("stops the new space's growth once it reaches the ceiling, and only once", () => {
    const { heap, flags } = fakeHeap([1 * MB, 4 * MB, 8 * MB, 8 * MB, 6 * MB]);
    const governor = youngGenerationGovernor(heap, 8 * MB);
    for (let i = 0; i < 5; i += 1) governor.check();
    expect(flags).toEqual(["--semi-space-growth-factor=1"]);
  });

  it("lets it grow again when V8 has shrunk it below half the ceiling, and stops it again at the ceiling", () => {
    const { heap, flags } = fakeHeap([16 * MB, 3 * MB, 2 * MB, 8 * MB]);
    const governor = youngGenerationGovernor(heap, 8 * MB);
    for (let i = 0; i < 4; i += 1) governor.check();
    expect(flags).toEqual(["--semi-space-growth-factor=1", "--semi-space-growth-factor=2", "--semi-space-growth-factor=1"]);
  });

  it("does nothing where V8 reports no new space, and survives a V8 that refuses the flag", () => {
    const quiet = fakeHeap([undefined, undefined]);
    const governor = youngGenerationGovernor(quiet.heap, 8 * MB);
    governor.check();
    governor.check();
    expect(quiet.flags).toEqual([]);
    const refusing: YoungGenerationHeap = {
      newSpaceBytes: () => 9 * MB,
      setFlags: () => {
        throw new Error("unrecognized flag");
      },
    };
    expect(() => youngGenerationGovernor(refusing, 8 * MB).check()).not.toThrow();
  });

  it("looks at once when started, so a process already past the ceiling stops growing", () => {
    const { heap, flags } = fakeHeap([32 * MB]);
    const stop = capYoungGeneration(heap, 8 * MB);
    stop();
    expect(flags).toEqual(["--semi-space-growth-factor=1"]);
  });

  it("this Node reports its new space under the name the governor reads", () => {
    expect(v8.getHeapSpaceStatistics().map((space) => space.space_name)).toContain("new_space");
  });
});

describe("hasGrowthFactorFlag", () => {
  it("is true for the V8 lines of Node 22, 24 and 26, where the flag was measured, and false otherwise", () => {
    expect(hasGrowthFactorFlag("12.4.254.21-node.57")).toBe(true);
    expect(hasGrowthFactorFlag("13.6.233.17-node.63")).toBe(true);
    expect(hasGrowthFactorFlag("14.6.202.34-node.40")).toBe(true);
    expect(hasGrowthFactorFlag("15.0.1-node.1")).toBe(false);
    expect(hasGrowthFactorFlag("11.3.244.8-node.25")).toBe(false);
    expect(hasGrowthFactorFlag("")).toBe(false);
  });

  it("this Node's V8 is one of them (else the cap is silently off on a supported Node)", () => {
    expect(hasGrowthFactorFlag(process.versions.v8)).toBe(true);
  });

  it("on a V8 not known to have the flag, the cap sets nothing, however large the new space", () => {
    const { heap, flags } = fakeHeap([64 * MB]);
    const stop = capYoungGeneration(heap, 8 * MB, "15.0.1-node.1");
    stop();
    expect(flags).toEqual([]);
  });
});
