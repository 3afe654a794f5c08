// What both `run` and `exec` set up before a workflow can reach sub-agents: the agent types (a bad
// file is a warning, not a failure), the workspace tools, the shared prompt context, and a
// `runAgent` that journals every result in the run store.
import { agentDirectories, loadAgentTypes, type AgentType } from "../agent/agent-types.js";
import { BUILTIN_AGENTS_DIR } from "../agent/prompt-files.js";
import { readAgentsMd, type PromptContext } from "../agent/system-prompt.js";
import type { Emit } from "../events.js";
import { createReadOnlyTools } from "../tools/read-only-tools.js";
import type { AgentTool } from "../tools/tool.js";
import type { RunAgent } from "../workflow/types.js";
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
}): Promise<SubAgentSetup> {
  const now = options.now ?? Date.now;
  const loaded = await loadAgentTypes(agentDirectories(BUILTIN_AGENTS_DIR, options.cwd));
  for (const error of loaded.errors) options.emit({ type: "warning", message: `agent file skipped: ${error}` });
  const promptContext: PromptContext = {
    workspace: options.cwd,
    agentsMd: await readAgentsMd(options.cwd, (message) => options.emit({ type: "warning", message })),
    date: new Date(now()).toISOString().slice(0, 10),
  };
  const tools = createReadOnlyTools(options.cwd);
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
      const result = await runSubAgent(request, context);
      options.store?.journal({ agentId: context.agentId, request, result });
      return result;
    },
  };
}
