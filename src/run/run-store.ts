// One folder per run under the state directory: run.json (what the run is and how it stands),
// events (JSONL), each workflow's code, the journal (journal.ts) and the report. It holds tool
// output, file contents and prompts, so it is private to the person: folders 0700, files 0600,
// whatever the umask.
//
// It is the one source of truth about a run, so it must survive anything: every line is written
// with one synchronous append (O_APPEND), so a `kill -9` loses at most the line being written and
// a reader skips that torn line; run.json is replaced by rename, never rewritten in place; a run's
// folder is created exclusively and held by a lock file naming the process, so two runs sharing
// one state directory never write into each other, and a resume cannot race a live run.
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { Env } from "../config/resolve-model.js";
import type { RunEvent } from "../events.js";
import { parseJournal, type JournalEntry } from "./journal.js";
import { currentProcess, isAlive, type ProcessIdentity } from "./process-identity.js";

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

/** Run ids are folder names: nothing that could leave the runs folder. */
export const RUN_ID = /^[\w.-]{1,100}$/;

/**
 * How a run stands in run.json. `running` with a process that is gone means the run was killed
 * (`kill -9`, a crash, a lost machine); every status but `done` can be resumed.
 */
export const StoredRunStatusSchema = z.enum(["running", "done", "failed", "rejected", "paused", "interrupted"]);
export type StoredRunStatus = z.infer<typeof StoredRunStatusSchema>;

export const RunMetaSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  /** `run` (a parent agent on a task) or `exec` (a workflow file). */
  command: z.enum(["run", "exec"]),
  task: z.string(),
  /** `exec`: the workflow file as the person named it, and its absolute path. */
  file: z.string().optional(),
  input: z.unknown().optional(),
  model: z.string(),
  agentModel: z.string().optional(),
  cwd: z.string(),
  /** When the run was first started (ms); workflows' Date.now() reads this on every resume too. */
  startedAt: z.number(),
  status: StoredRunStatusSchema,
  error: z.string().optional(),
  updatedAt: z.number(),
  /** The process that holds the run while it is `running`. */
  process: z.object({ pid: z.number().int(), startTicks: z.number().optional() }).optional(),
  /** How many times the run was resumed. */
  resumes: z.number().int().nonnegative().default(0),
});
export type RunMeta = z.infer<typeof RunMetaSchema>;
export type NewRunMeta = Omit<RunMeta, "v" | "runId" | "status" | "updatedAt" | "process" | "resumes" | "error">;

export interface RunStore {
  readonly runId: string;
  readonly dir: string;
  readonly meta: () => RunMeta;
  record(event: RunEvent): void;
  /** One journal record (journal.ts), appended and on disk before this returns. */
  journal(entry: JournalEntry): void;
  /** Replaces run.json's status atomically. */
  setStatus(status: StoredRunStatus, error?: string): void;
  saveWorkflow(workflowId: string, name: string, code: string): Promise<string>;
  saveReport(report: string): Promise<void>;
  /** Releases the run (its lock); appends are already on disk. */
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
function privateAppendFd(file: string): number {
  const fd = openSync(file, "a", PRIVATE_FILE);
  fchmodSync(fd, PRIVATE_FILE);
  return fd;
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

/** Replaces `file` whole: a reader sees the old text or the new, never half of one. */
function replaceFileSync(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: PRIVATE_FILE });
  chmodSync(temp, PRIVATE_FILE);
  renameSync(temp, file);
}

export class RunStoreError extends Error {
  override readonly name = "RunStoreError";
}

const LOCK = "lock";
const LockSchema = z.object({ pid: z.number().int(), startTicks: z.number().optional() });

/** Takes the run's lock file, or throws naming the live process that holds it. */
function takeLock(dir: string, runId: string, me: ProcessIdentity): void {
  const file = path.join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, "wx", PRIVATE_FILE);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder: ProcessIdentity | undefined;
    try {
      const parsed = LockSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
      if (parsed.success) holder = parsed.data;
    } catch {
      // A torn lock file: its writer died while writing it.
    }
    if (holder !== undefined && holder.pid !== me.pid && isAlive(holder)) {
      throw new RunStoreError(`run ${runId} is still running in process ${holder.pid}; wait for it, or stop it first`);
    }
    // The holder is gone (killed): its lock is stale.
    unlinkSync(file);
  }
  throw new RunStoreError(`run ${runId} could not be locked; another agentwf is taking it at the same moment`);
}

function openStore(dir: string, initial: RunMeta, clock: () => number): RunStore {
  let meta = initial;
  const metaFile = path.join(dir, "run.json");
  const writeMeta = (next: RunMeta) => {
    meta = next;
    replaceFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  };
  writeMeta(meta);
  const events = privateAppendFd(path.join(dir, "events.jsonl"));
  const journal = privateAppendFd(path.join(dir, "journal.jsonl"));
  // A full disk must not end the run: the store is a record, not the product. The first failure
  // is reported once as a warning line by whoever reads the record; later ones are dropped.
  let closed = false;
  const append = (fd: number, line: string) => {
    if (closed) return;
    try {
      writeSync(fd, line);
    } catch {
      // ENOSPC and the like
    }
  };
  return {
    runId: meta.runId,
    dir,
    meta: () => meta,
    record(event) {
      // Streamed deltas are the live view; the record keeps whole answers (in the journal).
      if (event.type === "agent_text" || event.type === "agent_thinking") return;
      append(events, `${JSON.stringify(event)}\n`);
    },
    journal(entry) {
      append(journal, `${JSON.stringify(entry)}\n`);
    },
    setStatus(status, error) {
      const { process: holder, error: _old, ...rest } = meta;
      try {
        writeMeta({ ...rest, status, updatedAt: clock(), ...(error !== undefined ? { error } : {}), ...(status === "running" && holder ? { process: holder } : {}) });
      } catch {
        // As above: the record must not end the run.
      }
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
      if (closed) return;
      closed = true;
      closeSync(events);
      closeSync(journal);
      try {
        unlinkSync(path.join(dir, LOCK));
      } catch {
        // already gone
      }
    },
  };
}

/**
 * Creates a new run's folder (exclusively: an id already taken throws) and holds it; throws if
 * the state directory cannot be written.
 */
export function createRunStore(home: string, runId: string, meta: Partial<NewRunMeta> = {}, clock: () => number = Date.now): RunStore {
  const dir = path.join(privateRunsRoot(home), runId);
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new RunStoreError(`run id ${runId} is taken`);
    throw error;
  }
  chmodSync(dir, PRIVATE_DIR);
  privateDir(path.join(dir, "workflows"));
  const me = currentProcess();
  takeLock(dir, runId, me);
  const now = clock();
  return openStore(
    dir,
    {
      v: 1,
      runId,
      command: meta.command ?? "run",
      task: meta.task ?? "",
      model: meta.model ?? "",
      cwd: meta.cwd ?? "",
      startedAt: meta.startedAt ?? now,
      ...(meta.file !== undefined ? { file: meta.file } : {}),
      ...(meta.input !== undefined ? { input: meta.input } : {}),
      ...(meta.agentModel !== undefined ? { agentModel: meta.agentModel } : {}),
      status: "running",
      updatedAt: now,
      process: me,
      resumes: 0,
    },
    clock,
  );
}

/** A new run under a fresh id: another run that took the same id a moment earlier is left alone. */
export function createNewRunStore(home: string, meta: NewRunMeta, makeId: () => string = newRunId, clock: () => number = Date.now): RunStore {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return createRunStore(home, makeId(), meta, clock);
    } catch (error) {
      if (!(error instanceof RunStoreError) || attempt >= 20) throw error;
    }
  }
}

/** Reads run.json; undefined when it is missing or not ours. */
export function readRunMeta(dir: string): RunMeta | undefined {
  try {
    const parsed = RunMetaSchema.safeParse(JSON.parse(readFileSync(path.join(dir, "run.json"), "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** How the run stands for a person: `killed` when it says running but its process is gone. */
export function effectiveStatus(meta: RunMeta): StoredRunStatus | "killed" {
  if (meta.status !== "running") return meta.status;
  return meta.process !== undefined && isAlive(meta.process) ? "running" : "killed";
}

export const isResumable = (status: StoredRunStatus | "killed"): boolean => status !== "done" && status !== "running";

export interface ResumedRun {
  readonly store: RunStore;
  /** run.json as it was before this resume took the run. */
  readonly previous: RunMeta;
  readonly journal: readonly JournalEntry[];
  /** Journal lines that could not be read (a torn last line after a kill). */
  readonly badLines: number;
}

/** Takes an earlier run back to continue it; throws a RunStoreError a person can act on. */
export function openRunForResume(home: string, runId: string, clock: () => number = Date.now): ResumedRun {
  if (!RUN_ID.test(runId)) throw new RunStoreError(`"${runId}" is not a run id; see agentwf runs`);
  const dir = path.join(home, "runs", runId);
  const previous = readRunMeta(dir);
  if (previous === undefined) throw new RunStoreError(`no resumable run "${runId}" under ${home} (no run.json); see agentwf runs`);
  if (previous.status === "done") throw new RunStoreError(`run ${runId} is done; its report: agentwf runs show ${runId}`);
  const me = currentProcess();
  takeLock(dir, runId, me);
  let text = "";
  try {
    text = readFileSync(path.join(dir, "journal.jsonl"), "utf8");
  } catch {
    // no journal yet: nothing finished
  }
  const { entries, badLines } = parseJournal(text);
  privateDir(path.join(dir, "workflows"));
  const { error: _error, ...rest } = previous;
  const store = openStore(dir, { ...rest, status: "running", updatedAt: clock(), process: me, resumes: previous.resumes + 1 }, clock);
  return { store, previous, journal: entries, badLines };
}
