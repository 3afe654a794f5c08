// The `runAgent` that workflows reach: resolves the agent type and model, gives the agent its
// tools, runs the loop, and reports start and end as events.
import { runAgentLoop } from "../agent/agent-loop.js";
import type { AgentType } from "../agent/agent-types.js";
import { subAgentSystemPrompt, type PromptContext } from "../agent/system-prompt.js";
import { ConfigError } from "../config/config-error.js";
import { addUsage, emptyUsage, type Emit } from "../events.js";
import type { AgentTool } from "../tools/tool.js";
import type { AgentResult, RunAgent } from "../workflow/types.js";
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
  readonly now?: () => number;
}

/** Creates the RunAgent function handed to the workflow sandbox. */
export function createSubAgentRunner(options: SubAgentRunnerOptions): RunAgent {
  const now = options.now ?? Date.now;
  return async (request, context): Promise<AgentResult> => {
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
    const started = now();
    emit({
      type: "agent_start",
      agentId: context.agentId,
      role: "sub",
      agentType: type.name,
      description: request.description,
      model: model.id,
      workflowId: context.workflowId,
    });
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
    let result: AgentResult;
    if (!outcome.ok) result = { ok: false, error: outcome.error, usage: outcome.usage };
    else if (checker === undefined || !checker.ok || request.schema === undefined) result = { ok: true, value: outcome.text, usage: outcome.usage };
    else {
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
      result = checked.ok
        ? { ok: true, value: checked.value, usage }
        : { ok: false, error: `the agent's answer is not the JSON its schema asks for, even after one repair: ${checked.error}`, usage };
    }
    emit({
      type: "agent_end",
      agentId: context.agentId,
      ok: result.ok,
      ...(result.ok ? {} : { error: result.error }),
      usage: result.usage,
      turns: outcome.turns,
      durationMs: now() - started,
    });
    return result;
  };
}
