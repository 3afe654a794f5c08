// `bash`: one shell command in the run's sandbox (shell/). A timeout per call and a total per
// agent, output kept as head + tail, the whole process group killed on timeout, cancel and run
// end, and the exit code or signal told to the model in words.
import { z } from "zod";
import { TOOL_NAMES } from "../config/sandbox-mode.js";
import { formatDuration } from "../text/duration.js";
import { stripForTerminal } from "../text/safe-text.js";
import { describeEnd, runInProcessGroup } from "./shell/process-group.js";
import type { OutputCapLimits } from "./shell/output-cap.js";
import type { ShellSandbox } from "./shell/shell-sandbox.js";
import { defineTool, type AgentTool } from "./tool.js";

export interface BashLimits {
  /** Per call, unless the call asks for less (or more, up to maxCallMs). */
  readonly defaultCallMs: number;
  readonly maxCallMs: number;
  /** All of one agent's commands together. */
  readonly perAgentMs: number;
  readonly cap: OutputCapLimits;
}

export const DEFAULT_BASH_LIMITS: BashLimits = {
  defaultCallMs: 120_000,
  maxCallMs: 600_000,
  perAgentMs: 1_800_000,
  cap: { headBytes: 12_000, tailBytes: 12_000 },
};

const BashParams = z.object({
  command: z.string().min(1).describe("the shell command (bash -c)"),
  timeout_ms: z.number().int().positive().optional().describe("timeout for this command in milliseconds"),
});

function modeNote(sandbox: ShellSandbox): string {
  switch (sandbox.mode) {
    case "read-only":
      return sandbox.layersKept
        ? "The workspace is seen through a throw-away copy-on-write layer: commands may write (coverage reports, caches), but nothing reaches the real files, and what you wrote is kept only for your own later commands."
        : "The workspace is seen through a throw-away copy-on-write layer: commands may write (coverage reports, caches), but nothing reaches the real files, and each command starts from the real files again (chain steps with && in one command).";
    case "workspace-write":
      return "Only the workspace is writable (not .git/); writes are real.";
    case "danger-full-access":
      return "No sandbox: the command runs as the person.";
    default: {
      const unreachable: never = sandbox.mode;
      return unreachable;
    }
  }
}

export function createBashTool(sandbox: ShellSandbox, scrub: (text: string) => string, limits: BashLimits = DEFAULT_BASH_LIMITS, running?: Set<number>): AgentTool {
  const used = new Map<string, number>();
  return defineTool({
    name: TOOL_NAMES.bash,
    description: [
      `Runs a shell command in the workspace (cwd), in a sandbox (${sandbox.mode}). ${modeNote(sandbox)}`,
      sandbox.network ? "" : "There is no network.",
      `HOME and /tmp are empty and private; no keys or tokens are in the environment.`,
      `Timeout ${formatDuration(limits.defaultCallMs, "limit")} per command unless timeout_ms says otherwise (at most ${formatDuration(limits.maxCallMs, "limit")}), ${formatDuration(limits.perAgentMs, "limit")} for all your commands together.`,
      `Output (stdout and stderr together) is cut to its first ${limits.cap.headBytes} and last ${limits.cap.tailBytes} bytes; the exit code is on the first line.`,
    ]
      .filter((part) => part !== "")
      .join(" "),
    parameters: BashParams,
    summarize: (args) => (args.command.length > 80 ? `${args.command.slice(0, 79)}…` : args.command).replace(/\s+/g, " "),
    async execute(args, context) {
      const agentId = context.agentId ?? "agent";
      const spent = used.get(agentId) ?? 0;
      const left = limits.perAgentMs - spent;
      if (left <= 0) {
        return { ok: false, error: `your commands have used all of their ${formatDuration(limits.perAgentMs, "limit")} together; answer with what you have` };
      }
      const timeoutMs = Math.min(args.timeout_ms ?? limits.defaultCallMs, limits.maxCallMs, left);
      const command = sandbox.command(args.command, agentId);
      const result = await runInProcessGroup({
        file: command.file,
        args: command.args,
        cwd: sandbox.workspace,
        env: sandbox.env,
        timeoutMs,
        signal: context.signal,
        cap: limits.cap,
        ...(running !== undefined ? { running } : {}),
      });
      used.set(agentId, spent + result.durationMs);
      // Secrets first (a terminal-safe pass could split a key), then what a terminal would obey.
      const output = stripForTerminal(scrub(result.output));
      const status = describeEnd(result.end, timeoutMs);
      const body = output === "" ? "(no output)" : output;
      if (result.end.kind === "failed-to-start") return { ok: false, error: status };
      return { ok: true, output: `${status}\n${body}` };
    },
  });
}
