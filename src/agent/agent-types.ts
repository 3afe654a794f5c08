// Agent types are markdown files with YAML front matter; the body is the system prompt. Built-ins
// come from prompts/agents/, a project adds its own in .agentwf/agents/, and files in the
// .claude/agents/ and .agents/agents/ formats are read too. A bad file is reported by name and the
// rest still load (gemini-cli's agentLoader habit); a missing directory loads nothing.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { SandboxMode } from "../config/sandbox-mode.js";
import { formatZodIssues } from "../text/zod-issues.js";
import { WorkspaceReadError, readRegularFile } from "../workspace/regular-file.js";
import { readWorkspaceFile } from "../workspace/read-workspace-file.js";
import { WorkspacePathError, createWorkspaceGuard } from "../workspace/workspace-guard.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";

export interface AgentType {
  readonly name: string;
  readonly description: string;
  /** Tool names; undefined means every tool the run allows. */
  readonly tools: readonly string[] | undefined;
  readonly model: string | undefined;
  readonly maxTurns: number;
  /** A tighter sandbox than the run's for this agent type; never a wider one (config/sandbox-mode.ts). */
  readonly sandbox?: SandboxMode;
  readonly systemPrompt: string;
  /** The file it came from. */
  readonly source: string;
}

export const DEFAULT_MAX_TURNS = 30;

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

const ToolList = z.union([
  z.array(z.string()),
  // Claude Code writes `tools: Read, Grep, Glob`.
  z.string().transform((text) => text.split(",").map((t) => t.trim()).filter((t) => t !== "")),
]);

const OwnFrontMatter = z
  .object({
    name: z.string().regex(NAME, "use letters, digits, - and _ (at most 64)"),
    description: z.string().min(1),
    tools: ToolList.optional(),
    model: z.string().min(1).optional(),
    maxTurns: z.number().int().min(1).max(500).optional(),
  })
  .strict();

// Other tools' formats carry keys of their own (`color`, `permissionMode`…): read what we know.
const ForeignFrontMatter = OwnFrontMatter.loose();

// Claude Code's tool names, mapped to ours; tools we do not have are dropped.
const CLAUDE_TOOLS: Readonly<Record<string, string>> = {
  Read: "read_file",
  LS: "list_dir",
  Glob: "glob",
  Grep: "grep",
  Bash: "bash",
  Edit: "edit_file",
  MultiEdit: "edit_file",
  Write: "write_file",
};

export class AgentFileError extends Error {
  override readonly name = "AgentFileError";
}

/** Parses one agent file's text. */
export function parseAgentFile(text: string, source: string, format: "own" | "foreign"): AgentType {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (match === null) throw new AgentFileError(`${source}: no front matter; start the file with a --- block holding name and description`);
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? "");
  } catch (error) {
    throw new AgentFileError(`${source}: front matter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const schema = format === "own" ? OwnFrontMatter : ForeignFrontMatter;
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) throw new AgentFileError(`${source}: ${formatZodIssues(parsed.error)}`);
  const body = (match[2] ?? "").trim();
  if (body === "") throw new AgentFileError(`${source}: the system prompt (the text after the front matter) is empty`);
  const tools = parsed.data.tools?.map((t) => CLAUDE_TOOLS[t] ?? t);
  // Claude Code's `model: sonnet|opus|haiku|inherit` names no provider; such agents use the run's model.
  const model = parsed.data.model !== undefined && parsed.data.model.includes("/") ? parsed.data.model : undefined;
  return {
    name: parsed.data.name,
    description: parsed.data.description,
    tools: tools === undefined ? undefined : [...new Set(tools)],
    model,
    maxTurns: parsed.data.maxTurns ?? DEFAULT_MAX_TURNS,
    systemPrompt: body,
    source,
  };
}

export interface AgentDirectory {
  readonly dir: string;
  readonly format: "own" | "foreign";
  /** The workspace the directory belongs to: its files are read through the workspace guard. Unset for built-ins. */
  readonly workspace?: string;
}

/** Where agent files are looked for, lowest precedence first: later ones override by name. */
export function agentDirectories(builtinDir: string, workspace: string): AgentDirectory[] {
  return [
    { dir: builtinDir, format: "own" },
    { dir: path.join(workspace, ".claude", "agents"), format: "foreign", workspace },
    { dir: path.join(workspace, ".agents", "agents"), format: "foreign", workspace },
    { dir: path.join(workspace, ".agentwf", "agents"), format: "own", workspace },
  ];
}

export interface LoadedAgents {
  readonly agents: ReadonlyMap<string, AgentType>;
  readonly errors: readonly string[];
}

const MAX_AGENT_FILE_BYTES = 256 * 1024;

const AGENT_FILE_CAP = { maxBytes: MAX_AGENT_FILE_BYTES, purpose: "an agent file" } as const;

/** Loads every agent type from the directories; a bad file becomes an error line, not a failure. */
export async function loadAgentTypes(dirs: readonly AgentDirectory[]): Promise<LoadedAgents> {
  const agents = new Map<string, AgentType>();
  const errors: string[] = [];
  for (const { dir, format, workspace } of dirs) {
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
      names = (await readdir(realDir)).filter((n) => n.endsWith(".md")).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        const bytes =
          guard === undefined
            ? await readRegularFile(file, file, AGENT_FILE_CAP)
            : await readWorkspaceFile(guard, path.join(realDir, name), AGENT_FILE_CAP);
        const agent = parseAgentFile(bytes.toString("utf8"), file, format);
        agents.set(agent.name, agent);
      } catch (error) {
        const named = error instanceof AgentFileError || error instanceof WorkspaceReadError;
        errors.push(named ? error.message : `${file}: ${(error as Error).message}`);
      }
    }
  }
  return { agents, errors };
}
