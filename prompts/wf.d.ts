/** Options for one sub-agent. */
interface AgentOptions {
  /** Agent type, default "general-purpose". */
  agent?: string;
  /** Short label for the sub-agent's pane in the terminal. */
  description?: string;
  /** provider/model override, e.g. "openai/gpt-4o-mini". */
  model?: string;
  /** JSON Schema: the agent answers JSON matching it, and the result is the parsed value. */
  schema?: object;
  /**
   * "worktree": the agent works in its own git worktree (a snapshot of the workspace as the person
   * left it: uncommitted changes and untracked files included, ignored files such as node_modules
   * not there), so agents that edit in parallel never trample each other.
   * The result is then an IsolatedResult; apply its patch with wf.applyPatches. Only agents that
   * may write get a worktree (the run needs --sandbox workspace-write); for the others `patch` is null.
   */
  isolation?: "worktree";
}

/** One isolated agent's changes. */
interface Patch {
  /** Names the patch for wf.applyPatches (the agent's id). */
  id: string;
  /** Changed paths, relative to the repository root. */
  files: string[];
  /** Unified diff; cut with a marker past 64 KB (the whole patch is kept in the run folder). */
  diff: string;
}

/** What wf.runAgent (and each item of wf.mapAgents) gives with { isolation: "worktree" }. */
interface IsolatedResult {
  /** The agent's answer (the parsed JSON with `schema`). */
  value: any;
  /** Its changes, or null when it changed nothing. */
  patch: Patch | null;
}

/** What wf.applyPatches did: each patch is applied whole, or kept and reported. */
interface ApplyReport {
  /** Ids of the patches now in the workspace. */
  applied: string[];
  /** Patches that did not apply (another patch changed the same lines first): nothing of them was written. */
  conflicts: Array<{ id: string; files: string[]; error: string; patchFile: string; worktree?: string }>;
}

interface MapOptions<T> extends Omit<AgentOptions, "description"> {
  /** Sub-agents of this call running at once (the global limit still applies). */
  maxConcurrency?: number;
  description?: string | ((item: T, index: number) => string);
  /** Give per-item {ok: true, value} | {ok: false, error} instead of throwing when an item fails. */
  settle?: boolean;
}

interface Wf {
  /** Runs one sub-agent on `prompt`; resolves with its final answer (a string, or the parsed JSON with `schema`). */
  runAgent(prompt: string, options?: AgentOptions): Promise<any>;
  /**
   * One sub-agent per item, in parallel; results in item order. A string prompt may use {item}
   * and {index} (objects are JSON-serialized). If any item fails and `settle` is not set, rejects
   * with one error that names every failed index and its message.
   */
  mapAgents<T>(items: T[], prompt: string | ((item: T, index: number) => string), options?: MapOptions<T>): Promise<any[]>;
  /** One sub-agent that merges `items` (serialized to JSON; truncated with a visible marker past a size budget). */
  reduceAgent(items: unknown, prompt: string, options?: AgentOptions): Promise<any>;
  /** Runs each item through the stages with no barrier between stages; a failing stage turns that item into null. */
  pipeline<T>(items: T[], ...stages: Array<(value: any, item: T, index: number) => unknown>): Promise<any[]>;
  /**
   * Applies isolated agents' patches to the workspace, one by one in the order given, each whole or
   * not at all. Takes IsolatedResults (as runAgent/mapAgents return them, `settle` wrappers too),
   * Patches or patch ids; null and unchanged results are skipped. Never loses work: a patch that
   * no longer applies is listed in `conflicts`, and its file and worktree are kept.
   */
  applyPatches(results: unknown[] | unknown): Promise<ApplyReport>;
  /** Flattens one level. */
  flatten<T>(values: Array<T | T[]>): T[];
  /** Writes to the run log (shown to the person, not to you). */
  log(...args: unknown[]): void;
  /**
   * The input given with `agentwf exec --input` (JSON). Typed `any`, not `unknown`: workflows are
   * JavaScript, which has no cast to narrow an `unknown` with.
   */
  readonly input: any;
}

/** The workflow's entry point; its return value is the workflow's result. */
declare function main(wf: Wf): Promise<unknown>;
