// The run's journal: one plain, serializable record per line of journal.jsonl, checked by zod
// when read back. It is what `--resume` replays, and its records are data only (no closures, no
// ids of this process), so a job queue on other machines could write them too (DESIGN.md,
// "Durable runs").
//   agent       a sub-agent's request, keyed, and how it ended
//   model_turn  one answer of the parent's model, keyed by the conversation that asked for it
//   approval    the code a person approved for a proposal (their edit, if any)
import { createHash } from "node:crypto";
import { z } from "zod";
import { addUsage, emptyUsage, UsageSchema, type Usage } from "../events.js";
import type { AgentRequest } from "../workflow/types.js";

const SubAgentOutcomeSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), value: z.unknown(), usage: UsageSchema, turns: z.number().int().optional() }),
  z.object({ ok: z.literal(false), error: z.string(), usage: UsageSchema, turns: z.number().int().optional(), halt: z.boolean().optional() }),
]);

const AgentRequestSchema = z.object({
  agent: z.string(),
  prompt: z.string(),
  description: z.string(),
  model: z.string().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
});

const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.string(),
  extra: z.record(z.string(), z.unknown()).optional(),
  functionExtra: z.record(z.string(), z.unknown()).optional(),
});

export const JournalEntrySchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("agent"),
    time: z.number(),
    /** requestKey(): what makes two requests the same sub-agent. */
    key: z.string(),
    /** 1 for the first request with this key in the run, 2 for the second identical one, … */
    occurrence: z.number().int().positive(),
    agentId: z.string(),
    agentType: z.string().optional(),
    model: z.string().optional(),
    request: AgentRequestSchema,
    result: SubAgentOutcomeSchema,
  }),
  z.object({
    kind: z.literal("model_turn"),
    time: z.number(),
    agentId: z.string(),
    key: z.string(),
    /** 1 for the first call with this key by this agent, … */
    occurrence: z.number().int().positive(),
    turn: z.object({
      text: z.string(),
      thinking: z.string(),
      toolCalls: z.array(ToolCallSchema),
      stopReason: z.enum(["stop", "tool_calls", "length"]),
    }),
    /** What the call cost when it was made (a replay costs nothing). */
    usage: UsageSchema.optional(),
  }),
  z.object({
    kind: z.literal("approval"),
    time: z.number(),
    /** textKey() of the code the parent proposed. */
    proposal: z.string(),
    /** The code that was approved and ran (the person's edit, or the proposal itself). */
    code: z.string(),
  }),
]);
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
export type AgentJournalEntry = Extract<JournalEntry, { kind: "agent" }>;
export type ModelTurnEntry = Extract<JournalEntry, { kind: "model_turn" }>;

/** JSON with object keys sorted at every level, so that equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const record = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
  });
}

export function textKey(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * What makes two sub-agent requests the same: agent type, model (the one the run would use when
 * the call names none), prompt and schema. The description is a label for the pane and changes
 * nothing the model sees, so a relabelled call still reuses its result.
 */
export function requestKey(request: AgentRequest, defaultModel: string): string {
  return textKey(canonicalJson({ agent: request.agent, model: request.model ?? defaultModel, prompt: request.prompt, schema: request.schema ?? null }));
}

/** Parses journal.jsonl; a torn last line (the process died mid-write) or a foreign line is skipped. */
export function parseJournal(text: string): { entries: JournalEntry[]; badLines: number } {
  const entries: JournalEntry[] = [];
  let badLines = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = JournalEntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
      else badLines += 1;
    } catch {
      badLines += 1;
    }
  }
  return { entries, badLines };
}

/** Counts occurrences of each key, the n-th call with a key getting n. */
export function occurrenceCounter(): (key: string) => number {
  const seen = new Map<string, number>();
  return (key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n;
  };
}

/**
 * What a resumed run may take from its journal instead of calling a model: finished sub-agents
 * (failed ones run again), the parent's answers, and approved code. Keyed by (key, occurrence), so
 * a failed or changed request anywhere does not invalidate the finished ones after it.
 */
export interface Replay {
  agent(key: string, occurrence: number): AgentJournalEntry | undefined;
  modelTurn(agentId: string, key: string, occurrence: number): ModelTurnEntry | undefined;
  approvedCode(proposal: string): string | undefined;
  readonly finishedAgents: number;
  /** What the journaled calls cost on earlier attempts: a budget counts it (usage-meter.ts). */
  readonly spent: Usage;
}

export function createReplay(entries: readonly JournalEntry[]): Replay {
  const agents = new Map<string, AgentJournalEntry>();
  const turns = new Map<string, ModelTurnEntry>();
  const approvals = new Map<string, string>();
  let spent = emptyUsage();
  for (const entry of entries) {
    switch (entry.kind) {
      case "agent":
        spent = addUsage(spent, entry.result.usage);
        if (entry.result.ok) agents.set(`${entry.key}#${entry.occurrence}`, entry);
        break;
      case "model_turn":
        if (entry.usage !== undefined) spent = addUsage(spent, entry.usage);
        turns.set(`${entry.agentId}#${entry.key}#${entry.occurrence}`, entry);
        break;
      case "approval":
        approvals.set(entry.proposal, entry.code);
        break;
      default: {
        const unreachable: never = entry;
        return unreachable;
      }
    }
  }
  return {
    agent: (key, occurrence) => agents.get(`${key}#${occurrence}`),
    modelTurn: (agentId, key, occurrence) => turns.get(`${agentId}#${key}#${occurrence}`),
    approvedCode: (proposal) => approvals.get(proposal),
    finishedAgents: agents.size,
    spent,
  };
}
