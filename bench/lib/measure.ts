// Runs one command as a real process and measures it the way a person's machine would see it:
// wall time, CPU of the whole process tree (children included, from the shell's `times` once every
// child has been waited for), and peak resident memory of the tree (the sum over its processes,
// sampled from /proc). With `pty`, the command runs on a pseudo-terminal (util-linux `script`) of
// the given size, so an Ink UI draws as it would in a terminal.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface MeasureOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly pty?: { readonly cols: number; readonly rows: number };
  /** Stop the process (its whole group) once this is true of the output so far. */
  readonly stopWhen?: (output: string) => boolean;
  readonly timeoutMs?: number;
}

export interface Measured {
  readonly wallMs: number;
  /** User + system CPU of the command and every child it waited for; NaN when stopped early. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly exitCode: number | null;
  /** Milliseconds from the spawn to the moment stopWhen matched. */
  readonly stoppedAtMs?: number;
  readonly stdout: string;
  readonly stderr: string;
}

const WRAPPER = `#!/bin/bash
# Runs the command, then writes the CPU time of its children (bash's \`times\`) to a file.
if [ -n "$BENCH_PTY_SIZE" ]; then stty $BENCH_PTY_SIZE 2>/dev/null; fi
"$@"
status=$?
times > "$BENCH_TIMES_FILE"
exit $status
`;

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** "0m1.234s" → ms */
function parseClock(text: string): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text.trim());
  return match ? (Number(match[1]) * 60 + Number(match[2])) * 1000 : Number.NaN;
}

const PAGE = 4096;

/** Resident set of `root` and all its descendants, in bytes, from one pass over /proc. */
export function treeRssBytes(root: number, skipRoot = false): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(pid, Number(fields[1]));
      rss.set(pid, Number(fields[21]) * PAGE);
    } catch {
      // gone between the listing and the read
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parent) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (!(skipRoot && pid === root)) total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export async function measure(options: MeasureOptions): Promise<Measured> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-bench-run-"));
  const wrapper = path.join(dir, "wrap.sh");
  const timesFile = path.join(dir, "times");
  await writeFile(wrapper, WRAPPER, { mode: 0o755 });
  const env: Record<string, string> = { ...options.env, BENCH_TIMES_FILE: timesFile };
  let file: string;
  let argv: string[];
  if (options.pty !== undefined) {
    env.BENCH_PTY_SIZE = `cols ${options.pty.cols} rows ${options.pty.rows}`;
    env.TERM = env.TERM ?? "xterm-256color";
    file = "script";
    argv = ["-q", "-f", "-e", "-c", [wrapper, options.command, ...options.args].map(shellQuote).join(" "), "/dev/null"];
  } else {
    file = wrapper;
    argv = [options.command, ...options.args];
  }
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  let stoppedAtMs: number | undefined;
  const stop = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    if (stoppedAtMs === undefined && options.stopWhen?.(stdout)) {
      stoppedAtMs = performance.now() - started;
      stop();
    }
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  let peak = 0;
  const sample = () => {
    try {
      if (child.pid !== undefined) peak = Math.max(peak, treeRssBytes(child.pid, options.pty !== undefined));
    } catch {
      // no /proc (not Linux): peak memory stays unmeasured
    }
  };
  const sampler = setInterval(sample, 50);
  const timeout = setTimeout(stop, options.timeoutMs ?? 600_000);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    // `script` (util-linux) missing, for one: say so instead of waiting forever.
    child.on("error", (error) => {
      stderr += `could not start ${file}: ${error.message}${file === "script" ? " (the terminal benchmarks need util-linux's `script`)" : ""}\n`;
      resolve(null);
    });
  });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  clearTimeout(timeout);
  let cpuMs = Number.NaN;
  try {
    // Second line: the children's user and system time.
    const [user, system] = (await readFile(timesFile, "utf8")).trim().split("\n")[1]?.split(" ") ?? [];
    cpuMs = parseClock(user ?? "") + parseClock(system ?? "");
  } catch {
    // stopped before the wrapper could write it
  }
  await rm(dir, { recursive: true, force: true });
  return { wallMs, cpuMs, peakRssMb: peak / 1024 / 1024, exitCode, stoppedAtMs, stdout, stderr };
}
