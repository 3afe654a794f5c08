// One folder per run under the state directory: events (JSONL), each workflow's code, the
// sub-agents' results (the journal), and the report. It holds tool output, file contents and
// prompts, so it is private to the person: folders 0700, files 0600, whatever the umask.
import { chmodSync, createWriteStream, fchmodSync, mkdirSync, openSync, type WriteStream } from "node:fs";
import { open } from "node:fs/promises";
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

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Creates `dir` and makes it 0700. A umask only removes bits, and an existing folder keeps the
 * mode it had, so the mode is set explicitly after creating.
 */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
}

/**
 * The state home and `runs/` in it, private. A state home that already existed keeps its mode:
 * AGENTWF_HOME may name a folder the person uses for more than agentwf; `runs/` at 0700 already
 * closes every run in it, including runs an earlier version left world-readable.
 */
function privateRunsRoot(home: string): string {
  const created = mkdirSync(home, { recursive: true, mode: PRIVATE_DIR });
  if (created !== undefined) chmodSync(home, PRIVATE_DIR);
  const runs = path.join(home, "runs");
  privateDir(runs);
  return runs;
}

/** Opens `file` for appending as a private file (an existing one is tightened). */
function privateAppendStream(file: string): WriteStream {
  const fd = openSync(file, "a", PRIVATE_FILE);
  fchmodSync(fd, PRIVATE_FILE);
  return createWriteStream(file, { fd });
}

/** Writes `text` to `file` as a private file, replacing what was there. */
async function writePrivateFile(file: string, text: string): Promise<void> {
  const handle = await open(file, "w", PRIVATE_FILE);
  try {
    await handle.chmod(PRIVATE_FILE);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

/** Creates the run's folder; throws if the state directory cannot be written. */
export function createRunStore(home: string, runId: string): RunStore {
  const dir = path.join(privateRunsRoot(home), runId);
  privateDir(dir);
  privateDir(path.join(dir, "workflows"));
  const events = privateAppendStream(path.join(dir, "events.jsonl"));
  const journal = privateAppendStream(path.join(dir, "journal.jsonl"));
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
      await writePrivateFile(file, code);
      return file;
    },
    async saveReport(report) {
      await writePrivateFile(path.join(dir, "report.md"), report);
    },
    async close() {
      await Promise.all([events, journal].map((s) => new Promise<void>((resolve) => s.end(resolve))));
    },
  };
}
