// A ceiling on V8's young generation in the CLI's process. With many sub-agents streaming at once,
// many young objects live through a scavenge (requests in flight), and V8 answers by doubling the
// new space, up to 128 MB on 64-bit Node: at 1,000 agents and -c 64 that was most of the CLI's
// peak, while its live heap was under 40 MB (issue 13, benchmark 5). `--max-semi-space-size` would
// bound it, but only when given as node starts, and the launcher runs the CLI in its own process
// (no relaunch, issue 8). The growth factor, however, V8 reads each time it grows the new space,
// so it can be changed at run time: once the new space reaches the ceiling it is set to 1 (no more
// growth), and back to V8's default of 2 if V8 has shrunk the space well below it, so a busy
// phase after a quiet one is not stuck with a tiny young generation.
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";

/** The new space's size at which growth stops: at 1,000 agents and -c 64 the tree's peak fell from
 * 346–369 to 283–315 MB (bench/findings.md), with no CPU difference beyond the machine's noise; a
 * 1 MB young generation (growth stopped from the start) cost 12–19 % more CPU. */
export const YOUNG_GENERATION_CEILING_BYTES = 8 * 1024 * 1024;
/** V8's own growth factor (`--semi-space-growth-factor`, default 2 on Node 22 to 26). */
const V8_DEFAULT_GROWTH = 2;

export interface YoungGenerationHeap {
  /** Bytes of V8's new space now, or undefined if this V8 does not report it. */
  newSpaceBytes(): number | undefined;
  /** v8.setFlagsFromString. */
  setFlags(flags: string): void;
}

export interface YoungGenerationGovernor {
  /** Looks at the new space once and stops or allows its growth. */
  check(): void;
}

export function youngGenerationGovernor(heap: YoungGenerationHeap, ceilingBytes: number): YoungGenerationGovernor {
  let growing = true;
  const setGrowth = (factor: number): void => {
    try {
      heap.setFlags(`--semi-space-growth-factor=${factor}`);
    } catch {
      // Only more memory without it.
    }
  };
  return {
    check() {
      const size = heap.newSpaceBytes();
      if (size === undefined) return;
      if (growing && size >= ceilingBytes) {
        growing = false;
        setGrowth(1);
      } else if (!growing && size < ceilingBytes / 2) {
        growing = true;
        setGrowth(V8_DEFAULT_GROWTH);
      }
    },
  };
}

/**
 * Whether this V8 is one known to have `--semi-space-growth-factor` (measured on Node 22, 24 and
 * 26: V8 12, 13 and 14). V8 answers an unknown flag by printing "Error: unrecognized flag" on
 * stderr, not by throwing, and mid-run that line would land on the person's live view; so on a V8
 * not known here the young generation is left to V8 (only more memory).
 */
export function hasGrowthFactorFlag(v8Version: string): boolean {
  const major = Number(v8Version.split(".", 1)[0]);
  return Number.isInteger(major) && major >= 12 && major <= 14;
}

const processHeap: YoungGenerationHeap = {
  newSpaceBytes: () => v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size,
  setFlags: (flags) => v8.setFlagsFromString(flags),
};

/** Keeps this process's young generation near the ceiling for as long as it runs; never holds it open. */
export function capYoungGeneration(heap: YoungGenerationHeap = processHeap, ceilingBytes = YOUNG_GENERATION_CEILING_BYTES, v8Version = process.versions.v8): () => void {
  if (!hasGrowthFactorFlag(v8Version)) return () => {};
  const governor = youngGenerationGovernor(heap, ceilingBytes);
  governor.check();
  // After each collection, since V8 resizes the new space only then: a timer looking every 100 ms
  // let it double twice between two looks under load (a 315 MB peak in one run of ten).
  const observer = new PerformanceObserver(() => governor.check());
  try {
    observer.observe({ entryTypes: ["gc"] });
  } catch {
    return () => {};
  }
  return () => observer.disconnect();
}
