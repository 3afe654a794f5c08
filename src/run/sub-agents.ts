// What both `run` and `exec` set up before a workflow can reach sub-agents: the agent types (a bad
// file is a warning, not a failure), the workspace tools, the shared prompt context, and a
// `runAgent` that journals every result in the run store and, on a resumed run, takes each
// finished one back from the journal instead of calling a model again.
import { agentDirectories, loadAgentTypes, type AgentType } from "../agent/agent-types.js";
import { BUILTIN_AGENTS_DIR } from "../agent/prompt-files.js";
import { readProjectInstructions, type PromptContext } from "../agent/system-prompt.js";
import { emptyUsage, type Emit } from "../events.js";
import { DEFAULT_SANDBOX_MODE, TOOL_NAMES, type SandboxMode } from "../config/sandbox-mode.js";
import { scrubDeep, type EnvLike, type SecretScrubber } from "../config/secret-env.js";
import { createToolBox, type ToolBox } from "../tools/tool-box.js";
import type { AgentTool } from "../tools/tool.js";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ApplyPatches, RunAgent } from "../workflow/types.js";
import { occurrenceCounter, requestKey, type Replay } from "./journal.js";
import type { ModelFactory } from "./model-factory.js";
import type { RunStore } from "./run-store.js";
import { createSubAgentRunner, type ToolsFor } from "./sub-agent-runner.js";
import { createWorktrees } from "./worktrees.js";

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
  /** Starts the shell sandbox's check (once), when it was not started with the setup. */
  checkShell(): void;
  readonly promptContext: PromptContext;
  readonly runAgent: RunAgent;
  /** `wf.applyPatches`: isolated agents' changes into the workspace (only with --sandbox workspace-write or wider). */
  readonly applyPatches: ApplyPatches;
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
  /** The person's home: agent files under it are read too. Unset: none. */
  readonly home?: string;
  /** The tools a sub-agent gets in a sandbox mode, rooted at its workspace. */
  readonly toolsFor?: ToolsFor;
  /** The run's first start (ms): the date in prompts, the same on every resume. */
  readonly today?: number;
  /** A resumed run's journal. */
  readonly replay?: Replay;
  /** Check the shell sandbox now (default), or leave it to `checkShell` or the first agent. */
  readonly checkShellNow?: boolean;
}): Promise<SubAgentSetup> {
  const now = options.now ?? Date.now;
  const sandbox = options.sandbox ?? DEFAULT_RUN_SANDBOX;
  const loaded = await loadAgentTypes(agentDirectories({ builtinDir: BUILTIN_AGENTS_DIR, workspace: options.cwd, home: options.home }));
  for (const error of loaded.errors) options.emit({ type: "warning", message: `agent file skipped: ${error}` });
  for (const note of loaded.notes) options.emit({ type: "warning", message: `agent file: ${note}` });
  const promptContext: PromptContext = {
    workspace: options.cwd,
    instructions: await readProjectInstructions(options.cwd, (message) => options.emit({ type: "warning", message })),
    date: new Date(options.today ?? now()).toISOString().slice(0, 10),
    sandbox: sandbox.mode,
  };
  const occurrences = occurrenceCounter();
  // A worktree agent's tools are rooted at its worktree: one box per root, all disposed at run end.
  const boxes = new Map<string, ToolBox>();
  const boxFor = (root: string): ToolBox => {
    let found = boxes.get(root);
    if (found === undefined) {
      found = createToolBox({
        workspace: root,
        mode: sandbox.mode,
        network: sandbox.network,
        allowDotEnv: sandbox.allowDotEnv,
        env: options.env ?? {},
        scrub: options.scrub ?? ((text) => text),
        warn: (message) => options.emit({ type: "warning", message }),
      });
      boxes.set(root, found);
    }
    return found;
  };
  const box = boxFor(options.cwd);
  // Checked at start, beside the rest of the start-up: where the sandbox cannot start, the run says
  // so once and bash is not offered (never run bare). Agents wait for the check when they start
  // (it runs once, whoever asks first).
  if (options.checkShellNow !== false) void box.prepare();
  const tools = await box.toolsFor("read-only", [TOOL_NAMES.readFile, TOOL_NAMES.listDir, TOOL_NAMES.glob, TOOL_NAMES.grep]);

  const toolsFor: ToolsFor = options.toolsFor ?? (({ sandbox: mode, root, tools: names }) => boxFor(root).toolsFor(mode, names));
  // Worktrees live in the run's folder, beside its events and journal; a run without a store
  // (tests, --dry-run) gets a private temporary folder instead, made only when first needed.
  let scratch: Promise<string> | undefined;
  const runDir = async (): Promise<string> => options.store?.dir ?? (scratch ??= mkdtemp(path.join(os.tmpdir(), "agentwf-run-")));
  const worktrees = createWorktrees({ workspace: options.cwd, runDir });
  const runSubAgent = createSubAgentRunner({
    worktrees,
    agentTypes: loaded.agents,
    toolsFor,
    sandbox: sandbox.mode,
    models: options.models,
    defaultModel: options.defaultModel,
    promptContext,
    emit: options.emit,
  });
  return {
    agentTypes: loaded.agents,
    tools,
    promptContext,
    dispose: () => {
      for (const each of boxes.values()) each.dispose();
    },
    checkShell: () => void box.prepare(),
    async applyPatches(ids) {
      if (sandbox.mode === "read-only") {
        throw new Error("wf.applyPatches changes the workspace, and this run is read-only; run with --sandbox workspace-write to apply patches");
      }
      return worktrees.apply(ids);
    },
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
      const entry = {
        kind: "agent" as const,
        time: now(),
        key,
        occurrence,
        agentId: context.agentId,
        ...(agentType !== undefined ? { agentType } : {}),
        ...(model !== undefined ? { model } : {}),
        request,
        result,
      };
      options.store?.journal(options.scrub === undefined ? entry : scrubDeep(entry, options.scrub));
      return result;
    },
  };
}
