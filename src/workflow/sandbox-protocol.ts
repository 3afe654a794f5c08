// Messages between the CLI and its sandbox child process (JSON over the IPC channel). Both
// directions are checked: the child's messages carry text that came out of the isolate.
import { z } from "zod";
import type { Dialect } from "./dialect.js";
import type { Determinism, WorkflowLimits } from "./types.js";

const FailureKind = z.enum(["error", "memory", "cpu_time", "wall_time", "aborted", "result_too_large", "invalid_result", "deadlock"]);

export const ChildMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("agent"), id: z.number().int(), request: z.string() }),
  z.object({ type: z.literal("log"), text: z.string() }),
  z.object({ type: z.literal("phase"), title: z.string() }),
  z.object({
    type: z.literal("done"),
    outcome: z.discriminatedUnion("ok", [
      z.object({ ok: z.literal(true), result: z.string() }),
      z.object({ ok: z.literal(false), kind: FailureKind, error: z.string() }),
    ]),
  }),
]);
export type ChildMessage = z.infer<typeof ChildMessageSchema>;

export type ParentMessage =
  | {
      readonly type: "start";
      readonly code: string;
      readonly input?: unknown;
      readonly limits: WorkflowLimits;
      readonly dialect: Dialect;
      /** The run's budget in tokens, for the Claude dialect's `budget.total`. */
      readonly budgetTokens?: number;
      readonly determinism?: Determinism;
    }
  | { readonly type: "agent_result"; readonly id: number; readonly envelope: string };

export const ParentMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    code: z.string(),
    input: z.unknown().optional(),
    limits: z.record(z.string(), z.number()),
    determinism: z.object({ clockMs: z.number(), seed: z.string() }).optional(),
    dialect: z.enum(["main", "claude"]),
    budgetTokens: z.number().optional(),
  }),
  z.object({ type: z.literal("agent_result"), id: z.number().int(), envelope: z.string() }),
]);
