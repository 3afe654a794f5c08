// What both `run` and `exec` set up before a workflow can reach sub-agents: the agent types (a bad
// file is a warning, not a failure), the workspace tools, the shared prompt context, and a
// `runAgent` that journals every result in the run store and, on a resumed run, takes each
// finished one back from the journal instead of calling a model again.
import { agentDirectories, loadAgentTypes, type AgentType } from "../agent/agent-types.js";
import { BUILTIN_AGENTS_DIR } from "../agent/prompt-files.js";
import { readAgentsMd, type PromptContext } from "../agent/system-prompt.js";
import { emptyUsage, type Emit } from "../events.js";
import { createReadOnlyTools } from "../tools/read-only-tools.js";
import type { AgentTool } from "../tools/tool.js";
import type { RunAgent } from "../workflow/types.js";
import { occurrenceCounter, requestKey, type Replay } from "./journal.js";
import type { ModelFactory } from "./model-factory.js";
import type { RunStore } from "./run-store.js";
import { createSubAgentRunner } from "./sub-agent-runner.js";

export interface SubAgentSetup {
  readonly agentTypes: ReadonlyMap<string, AgentType>;
  readonly tools: readonly AgentTool[];
  readonly promptContext: PromptContext;
  readonly runAgent: RunAgent;
}

export async function prepareSubAgents(options: {
  readonly cwd: string;
  readonly models: ModelFactory;
  readonly defaultModel: string;
  readonly emit: Emit;
  readonly store?: RunStore;
  readonly now?: () => number;
  /** The run's first start (ms): the date in prompts, the same on every resume. */
  readonly today?: number;
  /** A resumed run's journal. */
  readonly replay?: Replay;
}): Promise<SubAgentSetup> {
  const now = options.now ?? Date.now;
  const loaded = await loadAgentTypes(agentDirectories(BUILTIN_AGENTS_DIR, options.cwd));
  for (const error of loaded.errors) options.emit({ type: "warning", message: `agent file skipped: ${error}` });
  const promptContext: PromptContext = {
    workspace: options.cwd,
    agentsMd: await readAgentsMd(options.cwd, (message) => options.emit({ type: "warning", message })),
    date: new Date(options.today ?? now()).toISOString().slice(0, 10),
  };
  const tools = createReadOnlyTools(options.cwd);
  const occurrences = occurrenceCounter();
  const runSubAgent = createSubAgentRunner({
    agentTypes: loaded.agents,
    tools,
    models: options.models,
    defaultModel: options.defaultModel,
    promptContext,
    emit: options.emit,
  });
  return {
    agentTypes: loaded.agents,
    tools,
    promptContext,
    async runAgent(request, context) {
      // Counted when the request reaches a slot: slots are granted in dispatch order, so the n-th
      // identical request of a workflow is the n-th here on every run of the same code.
      const key = requestKey(request, options.defaultModel);
      const occurrence = occurrences(key);
      const done = options.replay?.agent(key, occurrence);
      if (done !== undefined && done.result.ok) {
        context.started({ agentType: done.agentType ?? request.agent, model: `${done.model ?? options.defaultModel} (from the journal)` });
        // Nothing was spent this time: the usage was paid by the run that finished it.
        return { ok: true, value: done.result.value, usage: emptyUsage(), turns: done.result.turns };
      }
      let agentType: string | undefined;
      let model: string | undefined;
      const result = await runSubAgent(request, {
        ...context,
        started(info) {
          agentType = info.agentType;
          model = info.model;
          context.started(info);
        },
      });
      options.store?.journal({
        kind: "agent",
        time: now(),
        key,
        occurrence,
        agentId: context.agentId,
        ...(agentType !== undefined ? { agentType } : {}),
        ...(model !== undefined ? { model } : {}),
        request,
        result,
      });
      return result;
    },
  };
}
