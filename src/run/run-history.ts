// Reads runs back from the state directory for `agentwf runs`: each run's events are checked
// against the event schema, so a damaged or foreign file is reported, not trusted.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { RunEventSchema, type RunEvent } from "../events.js";
import { effectiveStatus, isResumable, readRunMeta, type RunMeta } from "./run-store.js";

export interface RunSummary {
  readonly runId: string;
  readonly dir: string;
  readonly task: string;
  readonly model: string;
  readonly startedAt: number | undefined;
  readonly status: string;
  readonly agents: number;
  readonly failedAgents: number;
  readonly tokens: number;
  readonly costUsd: number | undefined;
  readonly error: string | undefined;
  /** run.json, for runs recorded since it exists. */
  readonly meta: RunMeta | undefined;
  /** Whether `--resume` can continue it (any run not done and not running right now). */
  readonly resumable: boolean;
}

/** Parses one run's events.jsonl; unreadable lines are counted, not fatal. */
export async function readRunEvents(dir: string): Promise<{ events: RunEvent[]; badLines: number }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, "events.jsonl"), "utf8");
  } catch {
    return { events: [], badLines: 0 };
  }
  const events: RunEvent[] = [];
  let badLines = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = RunEventSchema.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
      else badLines += 1;
    } catch {
      badLines += 1;
    }
  }
  return { events, badLines };
}

export function summarizeRun(runId: string, dir: string, events: readonly RunEvent[]): RunSummary {
  const start = events.find((e) => e.type === "run_start");
  const end = events.findLast((e) => e.type === "run_end");
  const meta = readRunMeta(dir);
  // run.json is the truth about how a run stands; events are the fallback for older runs. A
  // resumed run's events hold every attempt: the last run_end is the latest one's.
  const status = meta !== undefined ? effectiveStatus(meta) : undefined;
  return {
    meta,
    resumable: status !== undefined && isResumable(status),
    runId,
    dir,
    task: start?.type === "run_start" ? start.task : "",
    model: start?.type === "run_start" ? start.model : "",
    startedAt: start?.time,
    // A run with no end event was killed before it could finish (or is still running).
    status: status ?? (end?.type === "run_end" ? end.status : "unfinished"),
    agents: end?.type === "run_end" ? end.agents : 0,
    failedAgents: end?.type === "run_end" ? end.failedAgents : 0,
    tokens: end?.type === "run_end" ? end.usage.inputTokens + end.usage.outputTokens : 0,
    costUsd: end?.type === "run_end" ? end.usage.costUsd : undefined,
    error: end?.type === "run_end" ? end.error : undefined,
  };
}

/** Lists the runs under the state directory, newest first. */
export async function listRuns(home: string): Promise<RunSummary[]> {
  const root = path.join(home, "runs");
  let ids: string[];
  try {
    ids = await readdir(root);
  } catch {
    return [];
  }
  const summaries = await Promise.all(
    ids.map(async (id) => {
      const dir = path.join(root, id);
      const { events } = await readRunEvents(dir);
      return summarizeRun(id, dir, events);
    }),
  );
  return summaries.sort((a, b) => b.runId.localeCompare(a.runId));
}
