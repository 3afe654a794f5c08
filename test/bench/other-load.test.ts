import { describe, expect, it } from "vitest";
import { machineBusySeconds, otherLoad, ownSeconds, type LoadSample } from "../../bench/lib/other-load.js";

describe("machineBusySeconds", () => {
  it("adds every busy column of /proc/stat's cpu line and leaves idle and iowait out", () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    expect(machineBusySeconds("cpu  1000 20 300 9000 50 4 6 70 0 0\ncpu0 1 2 3 4\n")).toBe(14);
  });
  it("answers undefined for text that is not /proc/stat", () => {
    expect(machineBusySeconds("intr 1 2 3\n")).toBeUndefined();
    expect(machineBusySeconds("cpu  a b c d\n")).toBeUndefined();
  });
});

describe("ownSeconds", () => {
  it("adds utime, stime, cutime and cstime, even when the command name holds spaces and parentheses", () => {
    const stat = "4242 (node (bench) x) S 1 4242 4242 0 -1 4194304 99 0 0 0 150 50 250 50 20 0 1 0 442 3133440 414";
    expect(ownSeconds(stat)).toBe(5);
  });
  it("answers undefined for a line without the name's closing parenthesis", () => {
    expect(ownSeconds("4242 node S 1")).toBeUndefined();
  });
});

describe("otherLoad", () => {
  const sample = (at: number, machineBusy: number | undefined, own: number | undefined): LoadSample => ({ at, machineBusy, own, loadAverage: 1.5 });
  it("is the machine's busy time less the benchmark's own, as a share of all cores", () => {
    // 10 s on 2 cores; the machine was busy 12 CPU-s, 9 of them the benchmark's own.
    expect(otherLoad(sample(0, 100, 5), sample(10_000, 112, 14), 2)).toEqual({ otherShare: 0.15, loadAverageBefore: 1.5 });
  });
  it("never goes below zero when the counters disagree by a tick", () => {
    expect(otherLoad(sample(0, 100, 5), sample(1_000, 101, 6.5), 2).otherShare).toBe(0);
  });
  it("leaves the share unknown off Linux, keeping the load average from before", () => {
    expect(otherLoad(sample(0, undefined, undefined), sample(1_000, undefined, undefined), 2)).toEqual({ otherShare: undefined, loadAverageBefore: 1.5 });
  });
});
