// `agentwf agents --json`: the same listing as the table, as one JSON object a program can read.
// AgentsListSchema is the contract (README documents it; tests parse real output with it). Every
// string comes from files a repository wrote: the JSON keeps them exact, and escapeJsonText writes
// the characters a terminal would obey as \uXXXX, so printing the JSON is safe too.
import { z } from "zod";
import type { AgentFormat, LoadedAgent } from "../agent/agent-types.js";
import { SandboxModeSchema } from "../config/sandbox-mode.js";
import { escapeJsonText } from "../text/safe-text.js";

const FORMATS = ["agentwf", "claude", "gemini", "opencode", "openhands"] as const satisfies readonly AgentFormat[];

/** The tool whose file format an agent file is read in, by its own name. */
const ECOSYSTEMS: Record<AgentFormat, string> = {
  agentwf: "agentwf",
  claude: "Claude Code",
  gemini: "Gemini CLI",
  opencode: "opencode",
  openhands: "OpenHands",
};

export const AgentEntrySchema = z.object({
  name: z.string(),
  description: z.string(),
  /** Where it was found: agentwf's own built-ins, the workspace, or the person's home. */
  origin: z.enum(["built-in", "project", "home"]),
  /** The folder as the table shows it: `built-in`, `.claude/agents`, `~/.config/opencode/agents`. */
  folder: z.string(),
  /** The file it was read from. */
  source: z.string(),
  /** The format the file was read in, and the tool that defines that format. */
  format: z.enum(FORMATS),
  ecosystem: z.string(),
  /** agentwf tool names; null: every tool the run's sandbox offers. */
  tools: z.array(z.string()).nullable(),
  /** The widest sandbox the agent asks for; null: the run's --sandbox. */
  sandbox: SandboxModeSchema.nullable(),
  model: z.string().nullable(),
  maxTurns: z.number().int().positive(),
  /** What the file asked for and did not get (unknown keys, tools agentwf lacks). */
  notes: z.array(z.string()),
});
export type AgentEntry = z.infer<typeof AgentEntrySchema>;

export const AgentsListSchema = z.object({
  /** By name; a name defined in several folders is listed once, from the first folder (the one a workflow gets). */
  agents: z.array(AgentEntrySchema),
  /** Agent files that failed to load, one line each naming the file. */
  errors: z.array(z.string()),
});
export type AgentsList = z.infer<typeof AgentsListSchema>;

function originOf(folder: string): AgentEntry["origin"] {
  return folder === "built-in" ? "built-in" : folder.startsWith("~/") ? "home" : "project";
}

export function agentEntry(agent: LoadedAgent): AgentEntry {
  return {
    name: agent.name,
    description: agent.description,
    origin: originOf(agent.folder),
    folder: agent.folder,
    source: agent.source,
    format: agent.format,
    ecosystem: ECOSYSTEMS[agent.format],
    tools: agent.tools === undefined ? null : [...agent.tools],
    sandbox: agent.sandbox ?? null,
    model: agent.model ?? null,
    maxTurns: agent.maxTurns,
    notes: [...agent.notes],
  };
}

/** The listing as JSON text, checked against its schema before it is written. */
export function formatAgentsJson(agents: readonly LoadedAgent[], errors: readonly string[]): string {
  const list = AgentsListSchema.parse({ agents: agents.map(agentEntry), errors: [...errors] });
  return escapeJsonText(JSON.stringify(list, null, 2));
}
