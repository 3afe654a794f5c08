// The machine-readable outputs: `--output-format json` (one object at the end) and `stream-json`
// (every event on its own line, each change followed by a progress snapshot, then the same result
// object). Every shape is a zod schema exported from here: RunEventSchema, ProgressSnapshotSchema,
// RunResultSchema, and StreamJsonLineSchema for any line; the CLI builds them as typed values,
// and the tests parse real output with them.
import { z } from "zod";
import { CostEstimateSchema, RunEventSchema, RunStatusSchema, UsageSchema } from "../events.js";
import { ProgressSnapshotSchema } from "./progress-snapshot.js";

export { CostEstimateSchema, ProgressSnapshotSchema, RunEventSchema };

export const RunResultSchema = z.object({
  type: z.literal("result"),
  runId: z.string(),
  status: RunStatusSchema,
  report: z.string().optional(),
  error: z.string().optional(),
  usage: UsageSchema,
  agents: z.number().int().nonnegative(),
  failedAgents: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** Each workflow's projection (sub-agents, tokens, USD) before it ran. */
  estimates: z.array(z.object({ workflowId: z.string(), estimate: CostEstimateSchema })).optional(),
  /** A paused run: what it had spent; resume it with a higher --budget than this. */
  spent: z.object({ usd: z.number().nonnegative(), tokens: z.number().int().nonnegative() }).optional(),
  /** A paused or interrupted run: the command that continues it. */
  resume: z.string().optional(),
});
export type RunResult = z.infer<typeof RunResultSchema>;

/** One line of `--output-format stream-json`: an event, a progress snapshot, or the final result. */
export const StreamJsonLineSchema = z.union([RunEventSchema, ProgressSnapshotSchema, RunResultSchema]);
export type StreamJsonLine = z.infer<typeof StreamJsonLineSchema>;
