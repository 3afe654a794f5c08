// Agent types are markdown files with YAML front matter whose body is the system prompt. They are
// looked for in every ecosystem's folder, in the workspace first, then under the person's home,
// then among the built-ins (prompts/agents/); the first file to define a name wins. Each folder is
// read in its own ecosystem's format (formats/). A bad file is reported by name and the rest still
// load (gemini-cli's agentLoader habit); a missing folder loads nothing.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { WorkspaceReadError, readRegularFile } from "../workspace/regular-file.js";
import { readWorkspaceFile } from "../workspace/read-workspace-file.js";
import { WorkspacePathError, createWorkspaceGuard } from "../workspace/workspace-guard.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";
import { parseAgentFile } from "./agent-file.js";
import { AgentFileError } from "./formats/agent-draft.js";
import type { SandboxMode } from "./sandbox-mode.js";

export { AgentFileError };
export { DEFAULT_MAX_TURNS, parseAgentFile } from "./agent-file.js";

/** The ecosystem whose format a folder's files are read in. */
export type AgentFormat = "agentwf" | "claude" | "gemini" | "opencode" | "openhands";

export interface AgentType {
  readonly name: string;
  readonly description: string;
  /** Our tool names; undefined means every tool the run offers. */
  readonly tools: readonly string[] | undefined;
  /** The widest sandbox the agent may use; the run's `--sandbox` still bounds it. Undefined: the run's. */
  readonly sandbox: SandboxMode | undefined;
  readonly model: string | undefined;
  readonly maxTurns: number;
  readonly systemPrompt: string;
  /** The file it came from. */
  readonly source: string;
  readonly format: AgentFormat;
  /** What the file asked for and did not get (unknown keys, tools agentwf lacks), one line each. */
  readonly notes: readonly string[];
}

export interface AgentDirectory {
  readonly dir: string;
  readonly format: AgentFormat;
  /** How the folder is shown: `.claude/agents`, `~/.claude/agents`, `built-in`. */
  readonly label: string;
  /** The workspace the folder belongs to: its files are read through the workspace guard. Unset for the home and built-ins. */
  readonly workspace?: string;
}

// Where each ecosystem keeps its agent files, relative to a project (and, the same, to the home).
const PROJECT_FOLDERS: ReadonlyArray<readonly [string, AgentFormat]> = [
  [".agentwf/agents", "agentwf"],
  [".claude/agents", "claude"],
  [".gemini/agents", "gemini"],
  [".opencode/agents", "opencode"],
  [".opencode/agent", "opencode"],
  [".agents/agents", "openhands"],
  [".openhands/agents", "openhands"],
];

// Home folders that differ from the project ones: opencode and agentwf keep theirs under ~/.config.
const EXTRA_HOME_FOLDERS: ReadonlyArray<readonly [string, AgentFormat]> = [
  [".config/agentwf/agents", "agentwf"],
  [".config/opencode/agents", "opencode"],
  [".config/opencode/agent", "opencode"],
];

/** Where agent files are looked for, in precedence order: the first file to define a name wins. */
export function agentDirectories(options: { readonly builtinDir: string; readonly workspace: string; readonly home?: string }): AgentDirectory[] {
  const dirs: AgentDirectory[] = PROJECT_FOLDERS.map(([rel, format]) => ({
    dir: path.join(options.workspace, rel),
    format,
    label: rel,
    workspace: options.workspace,
  }));
  if (options.home !== undefined && options.home !== "") {
    const home = options.home;
    for (const [rel, format] of [...PROJECT_FOLDERS, ...EXTRA_HOME_FOLDERS]) dirs.push({ dir: path.join(home, rel), format, label: `~/${rel}` });
  }
  dirs.push({ dir: options.builtinDir, format: "agentwf", label: "built-in" });
  // A workspace that is the home (or holds it) would list one folder twice; the first, guarded, stays.
  const seen = new Set<string>();
  return dirs.filter((d) => {
    const key = path.resolve(d.dir);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface LoadedAgent extends AgentType {
  /** The folder's label (`.claude/agents`), for listings. */
  readonly folder: string;
}

export interface LoadedAgents {
  /** By name, in precedence order of the folders. */
  readonly agents: ReadonlyMap<string, LoadedAgent>;
  /** Files that were skipped, one line each naming the file. */
  readonly errors: readonly string[];
  /** What loaded files asked for and did not get, one line each naming the file. */
  readonly notes: readonly string[];
}

const MAX_AGENT_FILE_BYTES = 256 * 1024;
// A folder with thousands of files is no set of agents anyone wrote by hand; reading them all would
// cost start-up time and the parent's prompt, which lists every agent type.
export const MAX_AGENT_FILES_PER_FOLDER = 200;

const AGENT_FILE_CAP = { maxBytes: MAX_AGENT_FILE_BYTES, purpose: "an agent file" } as const;

/** Loads every agent type from the folders; a bad file becomes an error line, not a failure. */
export async function loadAgentTypes(dirs: readonly AgentDirectory[]): Promise<LoadedAgents> {
  const agents = new Map<string, LoadedAgent>();
  const errors: string[] = [];
  const notes: string[] = [];
  for (const { dir, format, label, workspace } of dirs) {
    // A project's agent folder is the repository's: it may be a symlink out, and its files FIFOs.
    let guard: WorkspaceGuard | undefined;
    let realDir = dir;
    if (workspace !== undefined) {
      try {
        guard = createWorkspaceGuard(workspace);
        realDir = await guard.resolve(dir);
      } catch (error) {
        if (error instanceof WorkspacePathError) errors.push(`${dir}: ${error.message}`);
        continue;
      }
    }
    let names: string[];
    try {
      names = (await readdir(realDir)).filter((n) => n.toLowerCase().endsWith(".md") && n.toLowerCase() !== "readme.md").sort();
    } catch {
      continue;
    }
    if (names.length > MAX_AGENT_FILES_PER_FOLDER) {
      errors.push(`${dir}: ${names.length} agent files; only the first ${MAX_AGENT_FILES_PER_FOLDER} by name are read`);
      names = names.slice(0, MAX_AGENT_FILES_PER_FOLDER);
    }
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        const bytes =
          guard === undefined
            ? await readRegularFile(file, file, AGENT_FILE_CAP)
            : await readWorkspaceFile(guard, path.join(realDir, name), AGENT_FILE_CAP);
        const { disabled, ...agent } = parseAgentFile(bytes.toString("utf8"), file, format);
        if (disabled || agents.has(agent.name)) continue;
        agents.set(agent.name, { ...agent, folder: label });
        for (const note of agent.notes) notes.push(`${file}: ${note}`);
      } catch (error) {
        const named = error instanceof AgentFileError || error instanceof WorkspaceReadError;
        errors.push(named ? error.message : `${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { agents, errors, notes };
}
