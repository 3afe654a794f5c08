// What both `run` and `exec` set up before a workflow can reach sub-agents: the agent types (a bad
// file is a warning, not a failure), the workspace tools, the shared prompt context, and a
// `runAgent` that journals every result in the run store.
import { agentDirectories, loadAgentTypes, type AgentType } from "../agent/agent-types.js";
import { BUILTIN_AGENTS_DIR } from "../agent/prompt-files.js";
import { readAgentsMd, type PromptContext } from "../agent/system-prompt.js";
import type { Emit } from "../events.js";
import { DEFAULT_SANDBOX_MODE, TOOL_NAMES, type SandboxMode } from "../config/sandbox-mode.js";
import { scrubDeep, type EnvLike, type SecretScrubber } from "../config/secret-env.js";
import { createToolBox } from "../tools/tool-box.js";
import type { AgentTool } from "../tools/tool.js";
import type { RunAgent } from "../workflow/types.js";
import type { ModelFactory } from "./model-factory.js";
import type { RunStore } from "./run-store.js";
import { createSubAgentRunner } from "./sub-agent-runner.js";

/** What the run's tools may do: --sandbox, --network and the person's `.env` setting. */
export interface RunSandbox {
  readonly mode: SandboxMode;
  readonly network: boolean;
  readonly allowDotEnv: boolean;
}

export const DEFAULT_RUN_SANDBOX: RunSandbox = { mode: DEFAULT_SANDBOX_MODE, network: false, allowDotEnv: false };

export interface SubAgentSetup {
  readonly agentTypes: ReadonlyMap<string, AgentType>;
  /** The parent's tools: it looks, it does not run commands or write (its sub-agents do). */
  readonly tools: readonly AgentTool[];
  /** Kills commands still running and removes the sandbox's scratch layers. */
  dispose(): void;
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
  readonly sandbox?: RunSandbox;
  /** The person's environment: tools' processes get an allow-listed part of it. */
  readonly env?: EnvLike;
  /** Removes known key values from tool output before a model sees it. */
  readonly scrub?: SecretScrubber;
}): Promise<SubAgentSetup> {
  const now = options.now ?? Date.now;
  const loaded = await loadAgentTypes(agentDirectories(BUILTIN_AGENTS_DIR, options.cwd));
  for (const error of loaded.errors) options.emit({ type: "warning", message: `agent file skipped: ${error}` });
  const promptContext: PromptContext = {
    workspace: options.cwd,
    agentsMd: await readAgentsMd(options.cwd, (message) => options.emit({ type: "warning", message })),
    date: new Date(now()).toISOString().slice(0, 10),
  };
  const sandbox = options.sandbox ?? DEFAULT_RUN_SANDBOX;
  const box = createToolBox({
    workspace: options.cwd,
    mode: sandbox.mode,
    network: sandbox.network,
    allowDotEnv: sandbox.allowDotEnv,
    env: options.env ?? {},
    scrub: options.scrub ?? ((text) => text),
    warn: (message) => options.emit({ type: "warning", message }),
  });
  // Checked at start, beside the rest of the start-up: where the sandbox cannot start, the run says
  // so once and bash is not offered (never run bare). Agents wait for the check when they start.
  void box.prepare();
  const tools = await box.toolsFor("read-only", [TOOL_NAMES.readFile, TOOL_NAMES.listDir, TOOL_NAMES.glob, TOOL_NAMES.grep]);
  const runSubAgent = createSubAgentRunner({
    agentTypes: loaded.agents,
    toolsFor: (type) => box.toolsFor(type.sandbox, type.tools),
    models: options.models,
    defaultModel: options.defaultModel,
    promptContext,
    emit: options.emit,
  });
  return {
    agentTypes: loaded.agents,
    tools,
    promptContext,
    dispose: () => box.dispose(),
    async runAgent(request, context) {
      const result = await runSubAgent(request, context);
      const entry = { agentId: context.agentId, request, result };
      options.store?.journal(options.scrub === undefined ? entry : scrubDeep(entry, options.scrub));
      return result;
    },
  };
}
