// The one event union of a run. The UI, the plain progress renderer, the run store (JSONL) and
// `--output-format stream-json` all consume this stream, so every payload is plain, serializable
// data. The zod schemas are the edge: they check events read back from disk (`runs show`,
// `--resume`) and are the documented shape of stream-json.
import { z } from "zod";

export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative().optional(),
  /** USD, only when the model's price is known. */
  costUsd: z.number().nonnegative().optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0 });

/**
 * Adds two usages; cost stays unknown unless both sides know it, since a partial sum would
 * understate what was spent. A side that used no tokens (the empty usage) costs nothing.
 */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  const cached = (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0);
  if (cached > 0) sum.cachedInputTokens = cached;
  const costA = costOf(a);
  const costB = costOf(b);
  if (costA !== undefined && costB !== undefined && (a.costUsd !== undefined || b.costUsd !== undefined)) sum.costUsd = costA + costB;
  return sum;
}

function costOf(usage: Usage): number | undefined {
  return usage.costUsd ?? (usage.inputTokens === 0 && usage.outputTokens === 0 ? 0 : undefined);
}

const AgentRole = z.enum(["parent", "sub"]);
export type AgentRole = z.infer<typeof AgentRole>;

/** `paused`: a budget or a server's usage limit stopped new sub-agents; resumable with more budget. */
export const RunStatusSchema = z.enum(["done", "failed", "rejected", "interrupted", "paused"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

const base = { time: z.number() };

const CountRangeSchema = z.object({ min: z.number().nonnegative(), max: z.number().nonnegative().nullable() });

/** What a workflow is projected to start and cost, before it runs (run/cost-estimate.ts). */
export const CostEstimateSchema = z.object({
  /** Sub-agents the workflow starts; `max` null: the code decides at run time. */
  agents: CountRangeSchema,
  /** Why the count's maximum is unknown, one line each. */
  unknowns: z.array(z.string()),
  /** The most it can start whatever the code does (--max-agents). */
  agentCap: z.number().int().positive(),
  /** Input and output tokens over all its sub-agents; `max` uses the cap when the count is unknown. */
  tokens: z.object({ min: z.number().nonnegative(), max: z.number().nonnegative() }),
  /** USD, when the sub-agents' model has a known price; null otherwise. */
  usd: z.object({ min: z.number().nonnegative(), max: z.number().nonnegative() }).nullable(),
  model: z.string(),
  /** The same in one line for people: "projected: 3 sub-agents · 6k–170k tokens · $0.01–$0.06". */
  summary: z.string(),
});
export type CostEstimate = z.infer<typeof CostEstimateSchema>;

/** Why new sub-agents stopped starting: the person (`p`), `--budget`, or a server's usage limit. */
export const PauseCauseSchema = z.enum(["person", "budget", "usage_limit"]);
export type PauseCause = z.infer<typeof PauseCauseSchema>;

export const RunEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run_start"),
    ...base,
    runId: z.string(),
    task: z.string(),
    model: z.string(),
    cwd: z.string(),
  }),
  z.object({
    type: z.literal("run_end"),
    ...base,
    runId: z.string(),
    status: RunStatusSchema,
    error: z.string().optional(),
    usage: UsageSchema,
    agents: z.number().int().nonnegative(),
    failedAgents: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal("agent_start"),
    ...base,
    agentId: z.string(),
    role: AgentRole,
    agentType: z.string(),
    description: z.string(),
    model: z.string(),
    workflowId: z.string().optional(),
    /** The progress group of a workflow's sub-agent (phase() or agent's `phase` option). */
    phase: z.string().optional(),
  }),
  /** A sub-agent waits for a free slot (the concurrency limit); agent_start follows when it runs. */
  z.object({ type: z.literal("agent_queued"), ...base, agentId: z.string(), workflowId: z.string(), description: z.string(), phase: z.string().optional() }),
  z.object({ type: z.literal("agent_text"), ...base, agentId: z.string(), delta: z.string() }),
  z.object({ type: z.literal("agent_thinking"), ...base, agentId: z.string(), delta: z.string() }),
  z.object({
    type: z.literal("agent_end"),
    ...base,
    agentId: z.string(),
    ok: z.boolean(),
    error: z.string().optional(),
    usage: UsageSchema,
    turns: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal("tool_start"),
    ...base,
    agentId: z.string(),
    callId: z.string(),
    tool: z.string(),
    /** A one-line rendering of the arguments, for panes and progress lines. */
    summary: z.string(),
  }),
  z.object({
    type: z.literal("tool_end"),
    ...base,
    agentId: z.string(),
    callId: z.string(),
    tool: z.string(),
    ok: z.boolean(),
    summary: z.string(),
  }),
  z.object({
    type: z.literal("model_retry"),
    ...base,
    agentId: z.string(),
    attempt: z.number().int().positive(),
    delayMs: z.number().nonnegative(),
    reason: z.string(),
  }),
  z.object({ type: z.literal("usage"), ...base, agentId: z.string(), usage: UsageSchema }),
  z.object({
    type: z.literal("workflow_proposed"),
    ...base,
    workflowId: z.string(),
    name: z.string(),
    code: z.string(),
  }),
  z.object({
    type: z.literal("workflow_invalid"),
    ...base,
    workflowId: z.string(),
    diagnostics: z.array(z.string()),
  }),
  z.object({
    type: z.literal("workflow_decision"),
    ...base,
    workflowId: z.string(),
    decision: z.enum(["approve", "reject", "stop"]),
    reason: z.string().optional(),
  }),
  /** The projection shown before the workflow runs; `overThreshold` says why it must be confirmed. */
  z.object({
    type: z.literal("workflow_estimate"),
    ...base,
    workflowId: z.string(),
    estimate: CostEstimateSchema,
    overThreshold: z.string().optional(),
  }),
  z.object({ type: z.literal("workflow_start"), ...base, workflowId: z.string(), name: z.string() }),
  /** No new sub-agent starts until run_resumed; running ones finish. `spentUsd`/`spentTokens`: the run so far. */
  z.object({
    type: z.literal("run_paused"),
    ...base,
    cause: PauseCauseSchema,
    reason: z.string(),
    spentUsd: z.number().nonnegative().optional(),
    spentTokens: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal("run_resumed"), ...base, cause: PauseCauseSchema, reason: z.string() }),
  z.object({ type: z.literal("workflow_log"), ...base, workflowId: z.string(), message: z.string() }),
  /** A Claude Code–format script called phase(title): later sub-agents are grouped under it. */
  z.object({ type: z.literal("workflow_phase"), ...base, workflowId: z.string(), title: z.string() }),
  z.object({
    type: z.literal("workflow_end"),
    ...base,
    workflowId: z.string(),
    ok: z.boolean(),
    error: z.string().optional(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({ type: z.literal("warning"), ...base, message: z.string() }),
]);

export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent["type"];

/** An event as emitted, before the sink stamps it with the time. */
export type RunEventInput = RunEvent extends infer E ? (E extends { time: number } ? Omit<E, "time"> : never) : never;

/** Where events go. Emitting never throws and never waits. */
export type Emit = (event: RunEventInput) => void;

/** Fans one emitted event out to several consumers, stamped once with the clock. */
export function createEventBus(now: () => number = Date.now): {
  emit: Emit;
  subscribe(listener: (event: RunEvent) => void): () => void;
} {
  const listeners = new Set<(event: RunEvent) => void>();
  return {
    emit(input) {
      const event = { ...input, time: now() } as RunEvent;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A consumer's bug must not stop the run or starve the other consumers.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
