// Where a `run` or `exec` is recorded: a new folder in the run store, or, with `--resume ID`, the
// earlier run's folder taken back with its journal. Also the one place that spells the command
// that resumes a run, so every message and `agentwf runs` give the same one.
import path from "node:path";
import type { Env } from "../config/resolve-model.js";
import { createReplay, type Replay } from "../run/journal.js";
import { createNewRunStore, newRunId, openRunForResume, readRunMeta, RUN_ID, RunStoreError, stateHome, type RunMeta, type RunStore } from "../run/run-store.js";
import type { CliIO } from "./cli-io.js";
import { CliError, EXIT } from "./exit-codes.js";

export interface RunRecord {
  readonly runId: string;
  readonly store: RunStore | undefined;
  readonly replay: Replay | undefined;
  /** The run's first start, kept across resumes. */
  readonly startedAt: number | undefined;
  /** One line for the person when the record could not be kept or read in full. */
  readonly warnings: readonly string[];
}

export interface RecordRequest {
  readonly command: "run" | "exec";
  readonly task: string;
  readonly file?: string;
  readonly input?: unknown;
  readonly model: string;
  readonly agentModel?: string;
  readonly cwd: string;
  readonly resume?: string;
}

/** The command that continues run `meta`, quoted for a POSIX shell. */
export function resumeCommand(meta: Pick<RunMeta, "runId" | "command" | "file">): string {
  const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);
  return meta.command === "exec" ? `agentwf exec ${quote(meta.file ?? "FILE")} --resume ${meta.runId}` : `agentwf run --resume ${meta.runId}`;
}

/** run.json of the run `--resume ID` names, checked to be one this command can continue. */
export function resumeTarget(env: Env, id: string, command: "run" | "exec"): RunMeta {
  if (!RUN_ID.test(id)) throw new CliError(`--resume takes a run id as agentwf runs lists it, not "${id}"`, EXIT.usage);
  const home = stateHome(env);
  const meta = readRunMeta(path.join(home, "runs", id));
  if (meta === undefined) throw new CliError(`no resumable run "${id}" under ${home}; see agentwf runs`, EXIT.usage);
  if (meta.command !== command) throw new CliError(`run ${id} was started by agentwf ${meta.command}; resume it with: ${resumeCommand(meta)}`, EXIT.usage);
  return meta;
}

export function openRunRecord(request: RecordRequest, env: Env, now: () => number): RunRecord {
  const home = stateHome(env);
  if (request.resume !== undefined) {
    try {
      const resumed = openRunForResume(home, request.resume, now);
      const warnings = resumed.badLines > 0 ? [`agentwf: ${resumed.badLines} line(s) of the journal could not be read (a write cut short); those sub-agents run again`] : [];
      return { runId: resumed.store.runId, store: resumed.store, replay: createReplay(resumed.journal), startedAt: resumed.previous.startedAt, warnings };
    } catch (error) {
      if (error instanceof RunStoreError) throw new CliError(error.message, EXIT.usage);
      throw new CliError(`run ${request.resume} could not be opened: ${(error as Error).message}`, EXIT.usage);
    }
  }
  try {
    const store = createNewRunStore(home, {
      command: request.command,
      task: request.task,
      file: request.file,
      input: request.input,
      model: request.model,
      agentModel: request.agentModel,
      cwd: request.cwd,
      startedAt: now(),
    });
    return { runId: store.runId, store, replay: undefined, startedAt: store.meta().startedAt, warnings: [] };
  } catch (error) {
    return { runId: newRunId(), store: undefined, replay: undefined, startedAt: undefined, warnings: [`agentwf: warning: this run is not recorded: ${(error as Error).message}`] };
  }
}

/**
 * With `--resume ID`, the earlier run's model, sub-agents' model and workspace, unless the person
 * names them again: a resumed run asks for what the first one asked, so its finished sub-agents
 * match. Other flags (a higher --budget, more --concurrency) apply as given.
 */
export function withResumedDefaults(rawFlags: unknown, io: Pick<CliIO, "env">, command: "run" | "exec"): { flags: unknown; resumed: RunMeta | undefined } {
  const flags = (rawFlags ?? {}) as Record<string, unknown>;
  if (typeof flags.resume !== "string") return { flags: rawFlags, resumed: undefined };
  const resumed = resumeTarget(io.env, flags.resume, command);
  return {
    flags: {
      ...flags,
      model: flags.model ?? resumed.model,
      agentModel: flags.agentModel ?? resumed.agentModel,
      cwd: flags.cwd ?? resumed.cwd,
    },
    resumed,
  };
}
