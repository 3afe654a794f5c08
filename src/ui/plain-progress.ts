// Line-oriented progress for when there is no live UI: one line per step, written to a stream it
// is given (stderr), colored only when that stream supports it (NO_COLOR / FORCE_COLOR honoured).
import { Chalk, type ChalkInstance } from "chalk";
import type { RunEvent } from "../events.js";
import { formatDuration } from "../text/duration.js";
import { stripForTerminal } from "../text/safe-text.js";
import { formatUsage } from "./format.js";

export interface PlainProgressOptions {
  readonly write: (line: string) => void;
  /** 0 = no color. */
  readonly colorLevel: 0 | 1 | 2 | 3;
}

/** Returns an event listener that prints progress lines. */
export function createPlainProgress(options: PlainProgressOptions): (event: RunEvent) => void {
  const c: ChalkInstance = new Chalk({ level: options.colorLevel });
  const descriptions = new Map<string, string>();
  const line = (tag: string, text: string) => options.write(`${c.dim(tag.padEnd(9))}${stripForTerminal(text)}\n`);
  return (event) => {
    switch (event.type) {
      case "run_start":
        line("agentwf", `run ${event.runId} · model ${event.model} · ${event.cwd}`);
        break;
      case "agent_queued":
        // A queued agent may end without ever starting (refused by --budget or --max-agents,
        // cancelled): its end line still needs the description it was queued with.
        descriptions.set(event.agentId, event.description);
        break;
      case "agent_start":
        descriptions.set(event.agentId, event.description);
        if (event.role === "sub") line("agent", `${event.agentId} ${c.cyan("start")} ${event.phase !== undefined ? `[${event.phase}] ` : ""}${event.description} (${event.agentType})`);
        break;
      case "agent_end": {
        if (event.agentId === "parent") break;
        const status = event.ok ? c.green("done ") : c.red("failed");
        const detail = event.ok ? "" : ` · ${event.error ?? ""}`;
        line("agent", `${event.agentId} ${status} ${descriptions.get(event.agentId) ?? ""} · ${formatDuration(event.durationMs, "measured")} · ${formatUsage(event.usage)}${detail}`);
        break;
      }
      case "tool_start":
        if (event.agentId === "parent") line("parent", event.summary);
        break;
      case "model_retry":
        line("retry", `${event.agentId} attempt ${event.attempt + 1} in ${formatDuration(event.delayMs, "measured")}: ${event.reason}`);
        break;
      case "workflow_invalid":
        line("workflow", `${event.workflowId} ${c.yellow("invalid")}, sent back to the model: ${event.diagnostics[0] ?? ""}${event.diagnostics.length > 1 ? ` (+${event.diagnostics.length - 1} more)` : ""}`);
        break;
      case "workflow_decision":
        line("workflow", `${event.workflowId} ${event.decision === "approve" ? c.green("approved") : c.yellow(event.decision === "reject" ? "rejected" : "stopped")}${event.reason ? `: ${event.reason}` : ""}`);
        break;
      case "workflow_estimate":
        line("workflow", `${event.workflowId} ${event.estimate.summary}${event.overThreshold ? c.yellow(` · past the threshold: ${event.overThreshold}`) : ""}`);
        break;
      case "run_paused":
        line("agentwf", c.yellow(`paused: ${event.reason}`));
        break;
      case "run_resumed":
        line("agentwf", c.green(`resumed: ${event.reason}`));
        break;
      case "workflow_start":
        line("workflow", `${event.workflowId} ${event.name} running`);
        break;
      case "workflow_log":
        line("log", `${event.workflowId}: ${event.message}`);
        break;
      case "workflow_phase":
        line("phase", `${event.workflowId}: ${event.title}`);
        break;
      case "workflow_end":
        line("workflow", `${event.workflowId} ${event.ok ? c.green("finished") : c.red("failed")} in ${formatDuration(event.durationMs, "measured")}${event.error ? `: ${event.error}` : ""}`);
        break;
      case "warning":
        line("warning", c.yellow(event.message));
        break;
      case "run_end": {
        const agents = `${event.agents} agent${event.agents === 1 ? "" : "s"}${event.failedAgents > 0 ? ` (${event.failedAgents} failed)` : ""}`;
        const status = event.status === "done" ? c.green("done") : c.red(event.status);
        line("agentwf", `${status} · ${agents} · ${formatUsage(event.usage)}`);
        break;
      }
      case "agent_text":
      case "agent_thinking":
      case "tool_end":
      case "usage":
      case "workflow_proposed":
        break;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  };
}
