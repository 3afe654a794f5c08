// Claude Code's subagent files (.claude/agents/, ~/.claude/agents/), as code.claude.com/docs/en/
// sub-agents defines them: `name`, `description`, `tools` (comma-separated, inherits every tool when
// omitted), `disallowedTools`, `model` (an alias or `inherit`), `permissionMode`, `maxTurns`.
import { z } from "zod";
import { formatZodIssues } from "../../text/zod-issues.js";
import { AGENTWF_TOOLS } from "../tool-names.js";
import {
  AgentFileError,
  AgentName,
  MaxTurns,
  ToolList,
  ignoredKeysNote,
  keysOf,
  providerModel,
  resolveTools,
  type FormatReader,
} from "./agent-draft.js";

const Schema = z
  .object({
    name: AgentName,
    description: z.string().min(1),
    tools: ToolList.optional(),
    disallowedTools: ToolList.optional(),
    model: z.string().optional(),
    permissionMode: z.string().optional(),
    maxTurns: MaxTurns.optional(),
  })
  .loose();

// Keys that change only how Claude Code shows or schedules an agent: nothing to report.
const QUIET = ["color", "effort", "background"];

export const readClaudeFormat: FormatReader = (data) => {
  const parsed = Schema.safeParse(data);
  if (!parsed.success) throw new AgentFileError(formatZodIssues(parsed.error));
  const notes: string[] = [];
  const { name, description, tools, disallowedTools, model, permissionMode, maxTurns } = parsed.data;
  let granted = tools === undefined ? undefined : resolveTools(tools, notes);
  if (disallowedTools !== undefined) {
    // A denied tool is denied whole, patterns included: `Bash(rm *)` denied leaves no bash at all,
    // the narrower reading of a rule agentwf cannot apply to single commands.
    const denied = resolveTools(
      disallowedTools.map((t) => t.replace(/\(.*\)$/s, "")),
      [],
    );
    granted = (granted ?? [...AGENTWF_TOOLS]).filter((t) => !denied.includes(t));
  }
  const ignored = ignoredKeysNote(data, keysOf(Schema), QUIET);
  if (ignored !== undefined) notes.push(ignored);
  return {
    name,
    description,
    tools: granted,
    // Plan mode is Claude Code's read-only mode.
    sandbox: permissionMode === "plan" ? "read-only" : undefined,
    model: providerModel(model),
    maxTurns,
    notes,
  };
};
