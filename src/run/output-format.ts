// The machine-readable outputs: `--output-format json` (one object at the end) and `stream-json`
// (every event on its own line, then the same result object). This schema documents the result
// object; the CLI builds it as a typed value, and test/run/output-format.test.ts parses real
// output with it (events with RunEventSchema).
import { z } from "zod";
import { RunStatusSchema, UsageSchema } from "../events.js";

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
});
export type RunResult = z.infer<typeof RunResultSchema>;
