// The real sandbox for tests: bubblewrap as installed (.ci/run installs it), a bash tool of a
// mode over a temporary workspace, and a hash of a whole tree to prove it did not change.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstat, readFile, readdir, readlink } from "node:fs/promises";
import path from "node:path";
import type { SandboxMode } from "../../../src/config/sandbox-mode.js";
import { createSecretScrubber, secretValues, type EnvLike } from "../../../src/config/secret-env.js";
import type { BashLimits } from "../../../src/tools/bash.js";
import { createToolBox, type ToolBox } from "../../../src/tools/tool-box.js";
import type { AgentTool, ToolOutcome } from "../../../src/tools/tool.js";

/** Whether bwrap is installed; when it is, every sandbox test must pass (no skipping a broken sandbox). */
export const HAS_BWRAP = spawnSync("bwrap", ["--version"]).status === 0;

export interface BashHarness {
  readonly box: ToolBox;
  readonly tools: AgentTool[];
  readonly warnings: string[];
  bash(command: string, options?: { timeoutMs?: number; signal?: AbortSignal; agentId?: string }): Promise<ToolOutcome>;
}

export async function bashIn(workspace: string, mode: SandboxMode, options: { network?: boolean; env?: EnvLike; limits?: BashLimits; scratchParent?: string } = {}): Promise<BashHarness> {
  const env = options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8" };
  const warnings: string[] = [];
  const box = createToolBox({
    workspace,
    mode,
    network: options.network ?? false,
    allowDotEnv: false,
    env,
    scrub: createSecretScrubber(secretValues(env)),
    warn: (message) => warnings.push(message),
    ...(options.limits !== undefined ? { bashLimits: options.limits } : {}),
    ...(options.scratchParent !== undefined ? { scratchParent: options.scratchParent } : {}),
  });
  await box.prepare();
  const tools = await box.toolsFor();
  return {
    box,
    tools,
    warnings,
    async bash(command, run = {}) {
      const tool = tools.find((t) => t.name === "bash");
      if (tool === undefined) throw new Error(`no bash tool: ${warnings.join("; ")}`);
      const args = { command, ...(run.timeoutMs !== undefined ? { timeout_ms: run.timeoutMs } : {}) };
      return tool.run(JSON.stringify(args), { signal: run.signal ?? new AbortController().signal, agentId: run.agentId ?? "agent-1" });
    },
  };
}

/** The output of a successful call, or the error as a thrown failure (so a test shows it). */
export function outputOf(outcome: ToolOutcome): string {
  if (!outcome.ok) throw new Error(`the tool failed: ${outcome.error}`);
  return outcome.output;
}

/** One hash over every path, type, mode and content of a tree (symlinks by their target). */
export async function hashTree(root: string): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (dir: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const full = path.join(dir, name);
      const info = await lstat(full);
      hash.update(`${path.relative(root, full)}\0${info.mode}\0`);
      if (info.isSymbolicLink()) hash.update(`link:${await readlink(full)}\0`);
      else if (info.isDirectory()) await walk(full);
      else hash.update(await readFile(full));
    }
  };
  await walk(root);
  return hash.digest("hex");
}

/** Processes whose command line holds `marker`, seen from outside every sandbox. */
export async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // A zombie has exited; only its parent's bookkeeping is left.
    if (cmdline.split("\0").includes(marker) && !/^\d+ \(.*\) Z /.test(stat)) found.push(Number(entry));
  }
  return found;
}

/** Waits until no live process holds `marker` (a SIGKILLed process takes a moment to exit), or gives up. */
export async function untilGone(marker: string, attempts = 200): Promise<number[]> {
  let left = await processesWith(marker);
  for (let i = 0; i < attempts && left.length > 0; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    left = await processesWith(marker);
  }
  return left;
}
