// Whether the process that wrote a run is still alive. A pid alone is not enough: after a crash or
// `kill -9` the number can be reused by an unrelated process, so on Linux the process's start
// time (field 22 of /proc/PID/stat, in clock ticks since boot) is kept beside it.
import { readFileSync } from "node:fs";

export interface ProcessIdentity {
  readonly pid: number;
  /** /proc start time; undefined where /proc is not available (macOS). */
  readonly startTicks?: number;
}

function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count after its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const value = Number(fields[19]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function currentProcess(): ProcessIdentity {
  const ticks = startTicks(process.pid);
  return ticks === undefined ? { pid: process.pid } : { pid: process.pid, startTicks: ticks };
}

/** True while the process `identity` names still runs (the same process, not a reused pid). */
export function isAlive(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch {
    // ESRCH: gone. EPERM: the pid now belongs to another user, so it is not our run's process.
    return false;
  }
  if (identity.startTicks === undefined) return true;
  const now = startTicks(identity.pid);
  return now === undefined || now === identity.startTicks;
}
