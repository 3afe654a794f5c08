/** The header every script begins with: `export const meta = { … }`, a plain literal. */
interface WorkflowMeta {
  /** Short kebab-case name; a saved workflow runs under it. */
  name: string;
  /** One line, shown when the person approves the workflow and in `agentwf workflows`. */
  description: string;
  /** When to reach for this workflow (shown in the list of saved workflows). */
  whenToUse?: string;
  /** One entry per phase() title, in order; they group the sub-agents' panes. */
  phases?: Array<{ title: string; detail?: string; model?: string }>;
}

/** Options for one sub-agent. */
interface AgentOpts {
  /** Short label for the sub-agent's pane. */
  label?: string;
  /** Puts this agent in that phase's group (use inside pipeline()/parallel() stages). */
  phase?: string;
  /** JSON Schema: the agent answers JSON matching it, and the result is the parsed value. */
  schema?: object;
  /** provider/model override, e.g. "openai/gpt-4o-mini"; leave it out to use the run's model. */
  model?: string;
  /** Agent type, default "general-purpose". */
  agentType?: string;
  /** Accepted for compatibility; agentwf sets no reasoning effort. */
  effort?: "low" | "medium" | "high" | "xhigh" | "max";
  /** Accepted for compatibility but not honoured: the agent works in the workspace itself. */
  isolation?: "worktree";
}

interface Budget {
  /** The run's token budget (`--budget 500k-tokens`), or null when none was set. */
  readonly total: number | null;
  /** Output tokens this workflow's sub-agents have spent so far. */
  spent(): number;
  /** max(0, total - spent()), or Infinity without a budget. */
  remaining(): number;
}

/**
 * Runs one sub-agent on `prompt`; resolves with its final answer (a string, or the parsed JSON with
 * `schema`), or with null when the sub-agent failed. Throws once the run may start no more
 * sub-agents (--max-agents, --budget).
 */
declare function agent(prompt: string, opts?: AgentOpts): Promise<any>;
/** Runs the thunks concurrently and waits for all (a barrier); a thunk that throws gives null. At most 4,096 thunks. */
declare function parallel(thunks: Array<() => unknown>): Promise<any[]>;
/**
 * Runs each item through the stages with no barrier between stages; each stage gets
 * (previous result, original item, index). A stage that throws turns that item into null and
 * skips its later stages. At most 4,096 items.
 */
declare function pipeline<T>(items: T[], ...stages: Array<(prev: any, item: T, index: number) => unknown>): Promise<any[]>;
/** Starts a phase: later agent() calls are grouped under this title. */
declare function phase(title: string): void;
/** Writes a progress line to the run log (shown to the person, not to the model). */
declare function log(message: unknown): void;
/** The value given with `--args JSON` (or `agentwf exec --input JSON`); undefined without one. */
declare const args: any;
declare const budget: Budget;
