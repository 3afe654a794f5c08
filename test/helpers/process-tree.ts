// Which processes a test's CLI started, read from /proc (Linux), so a test can check that none is
// left behind. Waiting is on the processes themselves (polled), never on a fixed delay.
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, state: fields[0] ?? "?", ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, their children, …). */
export function descendants(root: number): number[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is Stat => s !== undefined);
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const s of all) {
      if (s.ppid === parent && !found.includes(s.pid)) {
        found.push(s.pid);
        frontier.push(s.pid);
      }
    }
  }
  return found;
}

/** True while `pid` runs (a zombie waiting to be reaped has already ended). */
export function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== "Z" && stat.state !== "X";
}

/** Resolves once none of `pids` runs; rejects after `limitMs` naming those still running. */
export async function waitUntilGone(pids: readonly number[], limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const alive = pids.filter(isRunning);
    if (alive.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still running: ${alive.join(", ")}`);
    await delay(25);
  }
}
