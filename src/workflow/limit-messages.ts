// What each limit says when it stops a workflow: which limit, its value, and how to raise it.
import { formatDuration } from "../text/duration.js";
import type { WorkflowFailureKind, WorkflowLimits } from "./types.js";

const formatMs = (ms: number): string => formatDuration(ms, "limit");

export function limitMessage(kind: WorkflowFailureKind, limits: WorkflowLimits): string {
  switch (kind) {
    case "memory":
      return `the workflow used more than its ${limits.memoryMb} MiB of memory and was stopped; keep less data in the workflow (let sub-agents hold the detail), or raise limits.memoryMb in your config file (~/.config/agentwf/config.json)`;
    case "cpu_time":
      return `the workflow's own code used more than ${formatMs(limits.cpuTimeMs)} of CPU time and was stopped; remove busy loops (waiting on sub-agents is not counted), or raise limits.cpuTimeMs in your config file (~/.config/agentwf/config.json)`;
    case "wall_time":
      return `the workflow ran longer than its wall-clock limit of ${formatMs(limits.wallTimeMs)} and was stopped (--timeout); raise --timeout or give it less to do`;
    case "aborted":
      return "the workflow was cancelled";
    case "deadlock":
      return "main is waiting for a promise that nothing can settle (no sub-agent is running and the workflow has no timers); await only wf calls and promises built from them";
    case "error":
    case "result_too_large":
    case "invalid_result":
      return "";
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}
