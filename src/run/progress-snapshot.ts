// Progress snapshots for `--output-format stream-json` (issue 11): after each event that changes
// what a dashboard shows (an agent starts, queues or ends, a workflow starts or ends, the run
// pauses or resumes), one `progress` line with the whole picture, so a reader can render the run
// from the last snapshot without replaying every event (like Claude Code's workflow_progress).
import { z } from "zod";
import { addUsage, emptyUsage, PauseCauseSchema, UsageSchema, type RunEvent, type Usage } from "../events.js";

const Counts = z.object({
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
});

export const ProgressSnapshotSchema = z.object({
  type: z.literal("progress"),
  /** The time of the event that caused it. */
  time: z.number(),
  runId: z.string(),
  /** `paused`: no new sub-agent starts (the person, --budget or a usage limit). */
  status: z.enum(["running", "paused"]),
  paused: z.object({ cause: PauseCauseSchema, reason: z.string() }).optional(),
  /** Sub-agents over the whole run so far. */
  agents: Counts,
  /** The workflow running now, with its own counts. */
  workflow: z.object({ id: z.string(), name: z.string() }).merge(Counts).optional(),
  /** Every sub-agent running now. */
  running: z.array(z.object({ agentId: z.string(), description: z.string(), agentType: z.string(), startedAt: z.number() })),
  usage: UsageSchema,
});
export type ProgressSnapshot = z.infer<typeof ProgressSnapshotSchema>;

type CountsValue = z.infer<typeof Counts>;
const zero = (): CountsValue => ({ done: 0, failed: 0, running: 0, queued: 0 });

export interface ProgressTracker {
  /** Takes one event; returns a snapshot when the event changed the picture. */
  update(event: RunEvent): ProgressSnapshot | undefined;
}

export function createProgressTracker(): ProgressTracker {
  let runId = "";
  let usage: Usage = emptyUsage();
  let paused: ProgressSnapshot["paused"];
  const totals = zero();
  let workflow: (CountsValue & { id: string; name: string }) | undefined;
  const running = new Map<string, ProgressSnapshot["running"][number]>();
  const queued = new Set<string>();

  const snapshot = (time: number): ProgressSnapshot => ({
    type: "progress",
    time,
    runId,
    status: paused === undefined ? "running" : "paused",
    ...(paused !== undefined ? { paused } : {}),
    agents: { ...totals, running: running.size, queued: queued.size },
    ...(workflow !== undefined ? { workflow: { ...workflow } } : {}),
    running: [...running.values()],
    usage,
  });

  return {
    update(event) {
      switch (event.type) {
        case "run_start":
          runId = event.runId;
          return snapshot(event.time);
        case "agent_queued":
          queued.add(event.agentId);
          if (workflow !== undefined) workflow.queued += 1;
          return snapshot(event.time);
        case "agent_start":
          if (event.role !== "sub") return undefined;
          if (queued.delete(event.agentId) && workflow !== undefined) workflow.queued -= 1;
          running.set(event.agentId, { agentId: event.agentId, description: event.description, agentType: event.agentType, startedAt: event.time });
          if (workflow !== undefined) workflow.running += 1;
          return snapshot(event.time);
        case "agent_end": {
          const wasRunning = running.delete(event.agentId);
          const wasQueued = queued.delete(event.agentId);
          if (!wasRunning && !wasQueued) return undefined;
          const key = event.ok ? "done" : "failed";
          totals[key] += 1;
          if (workflow !== undefined) {
            workflow[key] += 1;
            if (wasRunning) workflow.running -= 1;
            if (wasQueued) workflow.queued -= 1;
          }
          return snapshot(event.time);
        }
        case "workflow_start":
          workflow = { id: event.workflowId, name: event.name, ...zero() };
          return snapshot(event.time);
        case "workflow_end":
          workflow = undefined;
          return snapshot(event.time);
        case "run_paused":
          paused = { cause: event.cause, reason: event.reason };
          return snapshot(event.time);
        case "run_resumed":
          paused = undefined;
          return snapshot(event.time);
        case "usage":
          // Usage changes often (every model call); it rides along with the next snapshot.
          usage = addUsage(usage, event.usage);
          return undefined;
        default:
          return undefined;
      }
    },
  };
}
