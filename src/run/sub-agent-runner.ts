// The `runAgent` that workflows reach: resolves the agent type and model, gives the agent its
// tools and runs the loop. It tells the scheduler when the agent starts (context.started); the
// scheduler writes the agent's start and end events, so every start has its end.
import { runAgentLoop } from "../agent/agent-loop.js";
import type { AgentType } from "../agent/agent-types.js";
import { narrowSandbox, type SandboxMode } from "../agent/sandbox-mode.js";
import { subAgentSystemPrompt, type PromptContext } from "../agent/system-prompt.js";
import { WRITE_TOOLS, type ToolName } from "../agent/tool-names.js";
import { ConfigError } from "../config/config-error.js";
import { addUsage, emptyUsage, type Emit } from "../events.js";
import type { AgentTool } from "../tools/tool.js";
import type { Model } from "../model/types.js";
import type { AgentRequest, PatchInfo, RunAgent, RunAgentContext, SubAgentOutcome } from "../workflow/types.js";
import type { ModelFactory } from "./model-factory.js";
import type { Worktree, Worktrees } from "./worktrees.js";
import { checkAnswer, compileSchema, repairAnswer } from "./structured-answer.js";

/** Where a sub-agent's tools work, and how far: its sandbox mode and its workspace root. */
export interface ToolScope {
  readonly sandbox: SandboxMode;
  readonly root: string;
  /** The agent type's tool names (undefined: all); a provider may build only these. */
  readonly tools: readonly string[] | undefined;
}

/** The tools a run offers in one scope; the runner still keeps only those the agent type names. */
export type ToolsFor = (scope: ToolScope) => readonly AgentTool[] | Promise<readonly AgentTool[]>;

export interface SubAgentRunnerOptions {
  readonly agentTypes: ReadonlyMap<string, AgentType>;
  readonly toolsFor: ToolsFor;
  /** The run's `--sandbox`: the widest any sub-agent gets. */
  readonly sandbox: SandboxMode;
  readonly models: ModelFactory;
  /** Used when neither the call nor the agent type names a model (`--agent-model`, else `--model`). */
  readonly defaultModel: string;
  readonly promptContext: PromptContext;
  readonly emit: Emit;
  /** Where agents with `isolation: "worktree"` get their own checkout; unset: isolation fails. */
  readonly worktrees?: Worktrees;
}

/**
 * The tools an agent type gets: those it names among what the run offers in its scope. A read-only
 * agent never gets a write tool, even from a tool provider that offered one by mistake.
 */
export function toolsOf(type: AgentType, offered: readonly AgentTool[], sandbox: SandboxMode): AgentTool[] {
  return offered.filter(
    (t) => (type.tools === undefined || type.tools.includes(t.name)) && !(sandbox === "read-only" && WRITE_TOOLS.includes(t.name as ToolName)),
  );
}

/** Creates the RunAgent function handed to the workflow sandbox. */
export function createSubAgentRunner(options: SubAgentRunnerOptions): RunAgent {
  return async (request, context): Promise<SubAgentOutcome> => {
    const { emit } = options;
    const type = options.agentTypes.get(request.agent);
    if (type === undefined) {
      const known = [...options.agentTypes.keys()].sort().join(", ");
      return { ok: false, error: `unknown agent type "${request.agent}"; available: ${known}`, usage: emptyUsage() };
    }
    const spec = request.model ?? type.model ?? options.defaultModel;
    let model;
    try {
      model = options.models(spec);
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : String(error);
      return { ok: false, error: `model "${spec}": ${message}`, usage: emptyUsage() };
    }
    const checker = request.schema === undefined ? undefined : compileSchema(request.schema);
    if (checker !== undefined && !checker.ok) return { ok: false, error: checker.error, usage: emptyUsage() };
    const sandbox = narrowSandbox(options.sandbox, type.sandbox);
    // A read-only agent can change nothing, so isolating it would only cost a checkout.
    const isolated = request.isolation === "worktree";
    let worktree: Worktree | undefined;
    if (isolated && sandbox !== "read-only") {
      if (options.worktrees === undefined) return { ok: false, error: 'isolation "worktree" is not available in this run', usage: emptyUsage() };
      try {
        worktree = await options.worktrees.create(context.agentId);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error), usage: emptyUsage() };
      }
    }
    const root = worktree?.root ?? options.promptContext.workspace;
    const tools = toolsOf(type, await options.toolsFor({ sandbox, root, tools: type.tools }), sandbox);
    context.started({ agentType: type.name, model: model.id });
    const answer = await answerOf({ request, type, model, checker, tools, emit, context, systemPrompt: subAgentSystemPrompt(type, { ...options.promptContext, workspace: root, sandbox }) });
    if (!isolated) return answer;
    let patch: PatchInfo | null = null;
    try {
      patch = worktree === undefined ? null : await worktree.finish();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, error: `${answer.ok ? "" : `${answer.error}; `}${why}; the agent's worktree is kept at ${worktree?.path ?? "?"}`, usage: answer.usage, turns: answer.turns };
    }
    if (!answer.ok) {
      // The work is never lost: a failed agent's changes stay as a patch the workflow can still apply.
      const kept = patch === null ? "" : `; its changes to ${patch.files.length} file(s) are kept as patch "${patch.id}" (wf.applyPatches(["${patch.id}"]) applies them)`;
      return { ...answer, error: `${answer.error}${kept}` };
    }
    return { ...answer, value: { value: answer.value, patch } };
  };
}

interface AnswerInput {
  readonly request: AgentRequest;
  readonly type: AgentType;
  readonly model: Model;
  readonly checker: ReturnType<typeof compileSchema> | undefined;
  readonly tools: readonly AgentTool[];
  readonly emit: Emit;
  readonly context: RunAgentContext;
  readonly systemPrompt: string;
}

/** Runs the loop to the agent's answer: its text, or the JSON its schema asks for (one repair allowed). */
async function answerOf(input: AnswerInput): Promise<SubAgentOutcome> {
  const { request, type, model, checker, emit, context } = input;
  const schemaNote =
    request.schema === undefined
      ? ""
      : `\n\nAnswer with JSON only (no prose, no code fence) that matches this JSON Schema:\n${JSON.stringify(request.schema)}`;
  const outcome = await runAgentLoop({
    agentId: context.agentId,
    model,
    systemPrompt: input.systemPrompt,
    prompt: request.prompt + schemaNote,
    tools: input.tools,
    maxTurns: type.maxTurns,
    emit,
    signal: context.signal,
  });
  const { turns } = outcome;
  if (!outcome.ok) return { ok: false, error: outcome.error, usage: outcome.usage, turns, ...(outcome.kind === "usage_limit" ? { usageLimit: true } : {}) };
  if (checker === undefined || !checker.ok || request.schema === undefined) return { ok: true, value: outcome.text, usage: outcome.usage, turns };
  let checked = checkAnswer(outcome.text, checker.check);
  let usage = outcome.usage;
  if (!checked.ok) {
    const repaired = await repairAnswer({
      model,
      agentId: context.agentId,
      schema: request.schema,
      answer: outcome.text,
      problem: checked.error,
      check: checker.check,
      emit,
      signal: context.signal,
    });
    usage = addUsage(usage, repaired.usage);
    checked = repaired.result;
  }
  return checked.ok
    ? { ok: true, value: checked.value, usage, turns }
    : { ok: false, error: `the agent's answer is not the JSON its schema asks for, even after one repair: ${checked.error}`, usage, turns };
}
