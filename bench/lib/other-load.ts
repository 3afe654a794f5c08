// How busy the machine was with work that is not the benchmark's own. The load average at the end
// of a run counts the benchmark's own processes (a peer's run just before), so it cries "busy" on
// an idle machine; what spoils wall times is CPU other processes took. On Linux that is the
// machine's busy time (/proc/stat) less this process and its reaped children (/proc/self/stat);
// elsewhere only the load average before the first benchmark is known.
import { readFileSync } from "node:fs";
import os from "node:os";

/** Clock ticks per second of /proc's figures: USER_HZ, 100 on every Linux architecture Node runs on. */
const USER_HZ = 100;

export interface LoadSample {
  readonly at: number;
  /** Seconds of CPU the whole machine spent busy, or undefined off Linux. */
  readonly machineBusy: number | undefined;
  /** Seconds of CPU this process and the children it has waited for spent. */
  readonly own: number | undefined;
  readonly loadAverage: number;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Busy seconds from /proc/stat's first line: everything but idle and iowait (guest time is already in user). */
export function machineBusySeconds(procStat: string): number | undefined {
  const line = procStat.split("\n", 1)[0];
  if (line === undefined || !line.startsWith("cpu ")) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

/** utime + stime + cutime + cstime of /proc/PID/stat, in seconds. The name field may hold spaces and parentheses. */
export function ownSeconds(procSelfStat: string): number | undefined {
  const close = procSelfStat.lastIndexOf(")");
  if (close < 0) return undefined;
  // After "pid (comm) ", fields start at state (field 3); utime is field 14, so index 11 here.
  const fields = procSelfStat.slice(close + 2).trim().split(/\s+/).map(Number);
  const ticks = fields.slice(11, 15);
  if (ticks.length < 4 || ticks.some((n) => !Number.isFinite(n))) return undefined;
  return ticks.reduce((a, b) => a + b, 0) / USER_HZ;
}

export function sampleLoad(): LoadSample {
  const stat = readOrUndefined("/proc/stat");
  const self = readOrUndefined("/proc/self/stat");
  return {
    at: performance.now(),
    machineBusy: stat === undefined ? undefined : machineBusySeconds(stat),
    own: self === undefined ? undefined : ownSeconds(self),
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

export interface OtherLoad {
  /** Share of all cores other processes kept busy between the samples (0–1), when /proc tells. */
  readonly otherShare: number | undefined;
  readonly loadAverageBefore: number;
}

export function otherLoad(before: LoadSample, after: LoadSample, cores: number): OtherLoad {
  const seconds = (after.at - before.at) / 1000;
  const parts = [before.machineBusy, after.machineBusy, before.own, after.own];
  if (seconds <= 0 || cores <= 0 || parts.some((p) => p === undefined)) return { otherShare: undefined, loadAverageBefore: before.loadAverage };
  const [busy0, busy1, own0, own1] = parts as number[];
  const others = busy1! - busy0! - (own1! - own0!);
  return { otherShare: Math.min(1, Math.max(0, others / (seconds * cores))), loadAverageBefore: before.loadAverage };
}
