// Runs one command as the leader of its own session and process group (execa's `detached`), so a
// timeout, a cancel or the end of the run kills everything it started, not just the shell: the
// group gets SIGKILL. Under bubblewrap the sandbox's own PID namespace adds a second net: when the
// sandbox's first process dies, the kernel kills every process left in the namespace, even one
// that moved itself to another group with setsid.
import { execa } from "execa";
import { constants } from "node:os";
import { formatDuration } from "../../text/duration.js";
import { createOutputCap, type OutputCapLimits } from "./output-cap.js";

export interface GroupRun {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly cap: OutputCapLimits;
  /** The caller's own set of running groups (a run's), for killing them all at its end. */
  readonly running?: Set<number>;
}

export type GroupEnd =
  | { readonly kind: "exited"; readonly exitCode: number }
  | { readonly kind: "signaled"; readonly signal: string }
  | { readonly kind: "timed-out" }
  | { readonly kind: "cancelled" }
  | { readonly kind: "failed-to-start"; readonly error: string };

export interface GroupResult {
  readonly end: GroupEnd;
  /** stdout and stderr interleaved as they came, capped. */
  readonly output: string;
  readonly outputBytes: number;
  readonly durationMs: number;
}

// Groups still running, killed when agentwf itself exits (a crash, a second Ctrl-C).
const live = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pid of live) killGroup(pid);
  });
}

/** Kills every group in `running` (a run's end). */
export function killGroups(running: Iterable<number>): void {
  for (const pid of running) killGroup(pid);
}

export async function runInProcessGroup(run: GroupRun, now: () => number = Date.now): Promise<GroupResult> {
  installExitHook();
  const started = now();
  const output = createOutputCap(run.cap);
  if (run.signal.aborted) return { end: { kind: "cancelled" }, output: "", outputBytes: 0, durationMs: 0 };
  const child = execa(run.file, [...run.args], {
    cwd: run.cwd,
    env: run.env,
    extendEnv: false,
    detached: true,
    stdin: "ignore",
    all: true,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  });
  const pid = child.pid;
  let why: "timed-out" | "cancelled" | undefined;
  const stop = (reason: "timed-out" | "cancelled") => {
    why ??= reason;
    if (pid !== undefined) killGroup(pid);
    // Without a sandbox, a process that left the group (setsid) can hold the pipes open; the call
    // ends now all the same.
    child.all?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  if (pid !== undefined) {
    live.add(pid);
    run.running?.add(pid);
  }
  const timer = setTimeout(() => stop("timed-out"), run.timeoutMs);
  const onAbort = () => stop("cancelled");
  run.signal.addEventListener("abort", onAbort, { once: true });
  child.all?.on("data", (chunk: Buffer) => output.push(chunk));
  try {
    const result = await child;
    const durationMs = Math.max(0, now() - started);
    const base = { output: output.text(), outputBytes: output.totalBytes, durationMs };
    if (why !== undefined) return { ...base, end: { kind: why } };
    if (result.failed && result.exitCode === undefined && result.signal === undefined) {
      return { ...base, end: { kind: "failed-to-start", error: String(result.shortMessage ?? result.message) } };
    }
    const killedBy: string | undefined = result.signal;
    if (killedBy !== undefined) return { ...base, end: { kind: "signaled", signal: killedBy } };
    return { ...base, end: { kind: "exited", exitCode: result.exitCode ?? 0 } };
  } finally {
    clearTimeout(timer);
    run.signal.removeEventListener("abort", onAbort);
    // The shell may have ended while something it started in the background still runs.
    if (pid !== undefined) {
      killGroup(pid);
      live.delete(pid);
      run.running?.delete(pid);
    }
  }
}

/** "exit code 137 (killed by SIGKILL)": a shell reports a child's fatal signal as 128 + its number. */
export function describeEnd(end: GroupEnd, timeoutMs: number): string {
  switch (end.kind) {
    case "exited": {
      const name = end.exitCode > 128 ? signalName(end.exitCode - 128) : undefined;
      return name !== undefined ? `exit code ${end.exitCode} (killed by ${name})` : `exit code ${end.exitCode}`;
    }
    case "signaled":
      return `killed by ${end.signal}`;
    case "timed-out":
      return `timed out after ${formatDuration(timeoutMs, "limit")}; the command and everything it started were killed (pass a larger timeout_ms, or run less at once)`;
    case "cancelled":
      return "cancelled; the command and everything it started were killed";
    case "failed-to-start":
      return `could not start: ${end.error}`;
    default: {
      const unreachable: never = end;
      return unreachable;
    }
  }
}

function signalName(n: number): string | undefined {
  return Object.entries(constants.signals).find(([, value]) => value === n)?.[0];
}
