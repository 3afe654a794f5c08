// What both `run` and `exec` set up before a workflow can reach sub-agents: the agent types (a bad
// file is a warning, not a failure), the workspace tools, the shared prompt context, and a
// `runAgent` that journals every result in the run store.
import { agentDirectories, loadAgentTypes, type AgentType } from "../agent/agent-types.js";
import { BUILTIN_AGENTS_DIR } from "../agent/prompt-files.js";
import { DEFAULT_SANDBOX, type SandboxMode } from "../agent/sandbox-mode.js";
import { readProjectInstructions, type PromptContext } from "../agent/system-prompt.js";
import type { Emit } from "../events.js";
import { createReadOnlyTools } from "../tools/read-only-tools.js";
import type { AgentTool } from "../tools/tool.js";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ApplyPatches, RunAgent } from "../workflow/types.js";
import type { ModelFactory } from "./model-factory.js";
import type { RunStore } from "./run-store.js";
import { createSubAgentRunner, type ToolsFor } from "./sub-agent-runner.js";
import { createWorktrees } from "./worktrees.js";

export interface SubAgentSetup {
  readonly agentTypes: ReadonlyMap<string, AgentType>;
  /** The parent's own tools: they look at the workspace and never change it. */
  readonly tools: readonly AgentTool[];
  readonly promptContext: PromptContext;
  readonly runAgent: RunAgent;
  /** `wf.applyPatches`: isolated agents' changes into the workspace (only with --sandbox workspace-write or wider). */
  readonly applyPatches: ApplyPatches;
}

/** Until a run offers more, every sandbox mode gets the read-only tools, confined to the root. */
export const readOnlyToolsFor: ToolsFor = ({ root }) => createReadOnlyTools(root);

export async function prepareSubAgents(options: {
  readonly cwd: string;
  readonly models: ModelFactory;
  readonly defaultModel: string;
  readonly emit: Emit;
  readonly store?: RunStore;
  readonly now?: () => number;
  /** The person's home: agent files under it are read too. Unset: none. */
  readonly home?: string;
  /** The run's `--sandbox`; agent types may narrow it, never widen it. */
  readonly sandbox?: SandboxMode;
  /** The tools a sub-agent gets in a sandbox mode, rooted at its workspace. */
  readonly toolsFor?: ToolsFor;
}): Promise<SubAgentSetup> {
  const now = options.now ?? Date.now;
  const sandbox = options.sandbox ?? DEFAULT_SANDBOX;
  const loaded = await loadAgentTypes(agentDirectories({ builtinDir: BUILTIN_AGENTS_DIR, workspace: options.cwd, home: options.home }));
  for (const error of loaded.errors) options.emit({ type: "warning", message: `agent file skipped: ${error}` });
  for (const note of loaded.notes) options.emit({ type: "warning", message: `agent file: ${note}` });
  const promptContext: PromptContext = {
    workspace: options.cwd,
    instructions: await readProjectInstructions(options.cwd, (message) => options.emit({ type: "warning", message })),
    date: new Date(now()).toISOString().slice(0, 10),
    sandbox,
  };
  // Worktrees live in the run's folder, beside its events and journal; a run without a store
  // (tests, --dry-run) gets a private temporary folder instead, made only when first needed.
  let scratch: Promise<string> | undefined;
  const runDir = async (): Promise<string> => options.store?.dir ?? (scratch ??= mkdtemp(path.join(os.tmpdir(), "agentwf-run-")));
  const worktrees = createWorktrees({ workspace: options.cwd, runDir });
  const runSubAgent = createSubAgentRunner({
    worktrees,
    agentTypes: loaded.agents,
    toolsFor: options.toolsFor ?? readOnlyToolsFor,
    sandbox,
    models: options.models,
    defaultModel: options.defaultModel,
    promptContext,
    emit: options.emit,
  });
  return {
    agentTypes: loaded.agents,
    tools: createReadOnlyTools(options.cwd),
    promptContext,
    async applyPatches(ids) {
      if (sandbox === "read-only") {
        throw new Error("wf.applyPatches changes the workspace, and this run is read-only; run with --sandbox workspace-write to apply patches");
      }
      return worktrees.apply(ids);
    },
    async runAgent(request, context) {
      const result = await runSubAgent(request, context);
      options.store?.journal({ agentId: context.agentId, request, result });
      return result;
    },
  };
}
