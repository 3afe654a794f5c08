// The `runAgent` that workflows reach: resolves the agent type and model, gives the agent its
// tools and runs the loop. It tells the scheduler when the agent starts (context.started); the
// scheduler writes the agent's start and end events, so every start has its end.
import { runAgentLoop } from "../agent/agent-loop.js";
import type { AgentType } from "../agent/agent-types.js";
import { subAgentSystemPrompt, type PromptContext } from "../agent/system-prompt.js";
import { ConfigError } from "../config/config-error.js";
import { addUsage, emptyUsage, type Emit } from "../events.js";
import type { AgentTool } from "../tools/tool.js";
import type { SubAgentOutcome, RunAgent } from "../workflow/types.js";
import type { ModelFactory } from "./model-factory.js";
import { checkAnswer, compileSchema, repairAnswer } from "./structured-answer.js";

export interface SubAgentRunnerOptions {
  readonly agentTypes: ReadonlyMap<string, AgentType>;
  /** Every tool sub-agents may have in this run; an agent type picks from these by name. */
  readonly tools: readonly AgentTool[];
  readonly models: ModelFactory;
  /** Used when neither the call nor the agent type names a model (`--agent-model`, else `--model`). */
  readonly defaultModel: string;
  readonly promptContext: PromptContext;
  readonly emit: Emit;
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
    const tools = type.tools === undefined ? options.tools : options.tools.filter((t) => type.tools?.includes(t.name));
    context.started({ agentType: type.name, model: model.id });
    const schemaNote =
      request.schema === undefined
        ? ""
        : `\n\nAnswer with JSON only (no prose, no code fence) that matches this JSON Schema:\n${JSON.stringify(request.schema)}`;
    const outcome = await runAgentLoop({
      agentId: context.agentId,
      model,
      systemPrompt: subAgentSystemPrompt(type, options.promptContext),
      prompt: request.prompt + schemaNote,
      tools,
      maxTurns: type.maxTurns,
      emit,
      signal: context.signal,
    });
    const { turns } = outcome;
    if (!outcome.ok) return { ok: false, error: outcome.error, usage: outcome.usage, turns, ...(outcome.kind === "rate_limit" ? { usageLimit: true } : {}) };
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
  };
}
