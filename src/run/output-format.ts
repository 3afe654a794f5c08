// The machine-readable outputs: `--output-format json` (one object at the end) and `stream-json`
// (every event on its own line, then the same result object). This schema documents the result
// object; the CLI builds it as a typed value, and test/run/output-format.test.ts parses real
// output with it (events with RunEventSchema).
import { z } from "zod";
import { CostEstimateSchema, RunStatusSchema, UsageSchema } from "../events.js";

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
