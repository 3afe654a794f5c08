// One folder per run under the state directory: events (JSONL), each workflow's code, the
// sub-agents' results (the journal), and the report.
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Env } from "../config/resolve-model.js";
import type { RunEvent } from "../events.js";
import type { AgentRequest, SubAgentOutcome } from "../workflow/types.js";

/** `$AGENTWF_HOME`, else `$XDG_STATE_HOME/agentwf`, else `~/.local/state/agentwf`. */
export function stateHome(env: Env): string {
  if (env.AGENTWF_HOME) return path.resolve(env.AGENTWF_HOME);
  const xdg = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), ".local", "state");
  return path.join(xdg, "agentwf");
}

/** A sortable, readable run id: 20261124-113501-a1b2. */
export function newRunId(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = Math.floor(random() * 0xffff).toString(16).padStart(4, "0");
  return `${stamp}-${suffix}`;
}

export interface RunStore {
  readonly runId: string;
  readonly dir: string;
  record(event: RunEvent): void;
  /** One sub-agent's request and result, for `runs show` and, later, resuming. */
  journal(entry: { agentId: string; request: AgentRequest; result: SubAgentOutcome }): void;
  saveWorkflow(workflowId: string, name: string, code: string): Promise<string>;
  saveReport(report: string): Promise<void>;
  close(): Promise<void>;
}

/** Creates the run's folder; throws if the state directory cannot be written. */
export function createRunStore(home: string, runId: string): RunStore {
  const dir = path.join(home, "runs", runId);
  mkdirSync(path.join(dir, "workflows"), { recursive: true });
  const events: WriteStream = createWriteStream(path.join(dir, "events.jsonl"), { flags: "a" });
  const journal: WriteStream = createWriteStream(path.join(dir, "journal.jsonl"), { flags: "a" });
  // A full disk must not end the run: the store is a record, not the product.
  events.on("error", () => {});
  journal.on("error", () => {});
  return {
    runId,
    dir,
    record(event) {
      // Streamed deltas are the live view; the record keeps whole answers (in the journal).
      if (event.type === "agent_text" || event.type === "agent_thinking") return;
      events.write(`${JSON.stringify(event)}\n`);
    },
    journal(entry) {
      journal.write(`${JSON.stringify(entry)}\n`);
    },
    async saveWorkflow(workflowId, name, code) {
      const safe = name.replace(/[^a-zA-Z0-9_-]+/g, "-").slice(0, 60) || "workflow";
      const file = path.join(dir, "workflows", `${workflowId}-${safe}.js`);
      await writeFile(file, code);
      return file;
    },
    async saveReport(report) {
      await writeFile(path.join(dir, "report.md"), report);
    },
    async close() {
      await Promise.all([events, journal].map((s) => new Promise<void>((resolve) => s.end(resolve))));
    },
  };
}
