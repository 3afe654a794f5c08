// Every tool of a run, by sandbox mode. The run's --sandbox sets the widest mode; an agent type
// may ask for a narrower one (config/sandbox-mode.ts), never a wider one, and gets the tools of
// that mode: a narrowed agent's bash is the read-only sandbox's, not the wider one's with fewer
// names. Every tool's output and error pass the secret scrubber before the model sees them.
import { narrowSandboxMode, toolNamesForMode, TOOL_NAMES, type SandboxMode } from "../config/sandbox-mode.js";
import type { EnvLike, SecretScrubber } from "../config/secret-env.js";
import { createWorkspaceGuard } from "../workspace/workspace-guard.js";
import { createBashTool, DEFAULT_BASH_LIMITS, type BashLimits } from "./bash.js";
import { createEditFileTool } from "./edit-file.js";
import { createGlobTool } from "./glob.js";
import { createGrepTool } from "./grep.js";
import { createListDirTool } from "./list-dir.js";
import { createReadFileTool } from "./read-file.js";
import { killGroups } from "./shell/process-group.js";
import { prepareShellSandbox, type ShellSandbox } from "./shell/shell-sandbox.js";
import type { AgentTool } from "./tool.js";
import { createWalkCache } from "./walk-cache.js";
import { createWorkspaceChanges, type WorkspaceChanges } from "./workspace-changes.js";
import { createWriteFileTool } from "./write-file.js";

export interface ToolBoxOptions {
  readonly workspace: string;
  /** The run's mode: the widest any agent gets. */
  readonly mode: SandboxMode;
  /** --network: bash may reach the network (read-only and workspace-write have none otherwise). */
  readonly network: boolean;
  /** The person allowed reading `.env*` files. */
  readonly allowDotEnv: boolean;
  readonly env: EnvLike;
  readonly scrub: SecretScrubber;
  /** Said once per problem: a sandbox that cannot start. */
  readonly warn: (message: string) => void;
  readonly bashLimits?: BashLimits;
  readonly scratchParent?: string;
}

export interface ToolBox {
  readonly mode: SandboxMode;
  /** Starts the run mode's sandbox check, so a problem is said at start; true when bash is offered. */
  prepare(): Promise<boolean>;
  /** The tools of `wanted` narrowed to the run's mode, then to `names` when given. */
  toolsFor(wanted?: SandboxMode, names?: readonly string[]): Promise<AgentTool[]>;
  /** Kills every command still running and removes the scratch layers (run end). */
  dispose(): void;
}

// A tool that can change the workspace says so after each call, whatever its outcome (a failed
// command may have written half of what it meant to): kept listings and pages are then not used.
function announcingWrites(tool: AgentTool, changes: WorkspaceChanges): AgentTool {
  return {
    ...tool,
    async run(raw, context) {
      try {
        return await tool.run(raw, context);
      } finally {
        changes.changed();
      }
    },
  };
}

function scrubbed(tool: AgentTool, scrub: SecretScrubber): AgentTool {
  return {
    ...tool,
    async run(raw, context) {
      const outcome = await tool.run(raw, context);
      return outcome.ok ? { ...outcome, output: scrub(outcome.output) } : { ok: false, error: scrub(outcome.error) };
    },
  };
}

export function createToolBox(options: ToolBoxOptions): ToolBox {
  const guard = createWorkspaceGuard(options.workspace);
  const access = { allowDotEnv: options.allowDotEnv };
  // One count of writes and one kept walk for the tools of this root: glob and grep share listings,
  // and every write tool (and bash where it can write) makes them look afresh.
  const changes = createWorkspaceChanges();
  const walk = createWalkCache({ changes });
  const snapshots = { changes };
  const looking = [
    createReadFileTool(guard, {}, access),
    createListDirTool(guard),
    createGlobTool(guard, {}, snapshots, walk),
    createGrepTool(guard, {}, access, snapshots, walk),
  ];
  const writing = [createEditFileTool(guard, access), createWriteFileTool(guard)].map((tool) => announcingWrites(tool, changes));
  const shells = new Map<SandboxMode, Promise<ShellSandbox | undefined>>();
  const ready: ShellSandbox[] = [];
  // This run's running commands: killed at its end, and only those.
  const running = new Set<number>();
  // A run can end before its sandbox check does: a sandbox ready after that is removed at once.
  let disposed = false;

  const shellFor = (mode: SandboxMode): Promise<ShellSandbox | undefined> => {
    let pending = shells.get(mode);
    if (pending === undefined) {
      pending = prepareShellSandbox({
        mode,
        workspace: guard.root,
        network: options.network,
        env: options.env,
        allowDotEnv: options.allowDotEnv,
        ...(options.scratchParent !== undefined ? { scratchParent: options.scratchParent } : {}),
      })
        .catch((error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message : String(error) }))
        .then((setup) => {
          if (setup.ok) {
            if (disposed) {
              setup.sandbox.dispose();
              return undefined;
            }
            ready.push(setup.sandbox);
            return setup.sandbox;
          }
          if (!disposed) options.warn(`bash is not offered in ${mode} mode: ${setup.reason}`);
          return undefined;
        });
      shells.set(mode, pending);
    }
    return pending;
  };
  const bashTools = new Map<SandboxMode, AgentTool | undefined>();

  return {
    mode: options.mode,
    async prepare() {
      return (await shellFor(options.mode)) !== undefined;
    },
    async toolsFor(wanted, names) {
      const mode = narrowSandboxMode(options.mode, wanted);
      const allowed = new Set<string>(toolNamesForMode(mode));
      if (names !== undefined) for (const name of [...allowed]) if (!names.includes(name)) allowed.delete(name);
      const tools = [...looking, ...writing].filter((tool) => allowed.has(tool.name));
      if (allowed.has(TOOL_NAMES.bash)) {
        if (!bashTools.has(mode)) {
          const shell = await shellFor(mode);
          const bash = shell === undefined ? undefined : createBashTool(shell, options.scrub, options.bashLimits ?? DEFAULT_BASH_LIMITS, running);
          // read-only commands write to a throw-away layer: the workspace itself never changes.
          bashTools.set(mode, bash === undefined || mode === "read-only" ? bash : announcingWrites(bash, changes));
        }
        const bash = bashTools.get(mode);
        if (bash !== undefined) tools.push(bash);
      }
      return tools.map((tool) => scrubbed(tool, options.scrub));
    },
    dispose() {
      disposed = true;
      killGroups(running);
      for (const shell of ready) shell.dispose();
    },
  };
}
