// Gemini CLI's subagent files (.gemini/agents/, ~/.gemini/agents/), as gemini-cli's
// docs/core/subagents.md defines them: `name`, `description`, `kind` (local or remote), `tools` (a
// list; `*` is every tool, `mcp_*` MCP tools; omitted inherits every tool), `model`, `max_turns`.
import { z } from "zod";
import { formatZodIssues } from "../../text/zod-issues.js";
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
    kind: z.enum(["local", "remote"]).optional(),
    tools: ToolList.optional(),
    model: z.string().optional(),
    max_turns: MaxTurns.optional(),
  })
  .loose();

// Sampling and timing settings of Gemini CLI's own loop: nothing to report.
const QUIET = ["temperature", "timeout_mins", "display_name"];

export const readGeminiFormat: FormatReader = (data) => {
  const parsed = Schema.safeParse(data);
  if (!parsed.success) throw new AgentFileError(formatZodIssues(parsed.error));
  const { name, description, kind, tools, model, max_turns } = parsed.data;
  if (kind === "remote") throw new AgentFileError("kind: remote (an Agent-to-Agent service) is not supported; agentwf runs local agents only");
  const notes: string[] = [];
  const ignored = ignoredKeysNote(data, keysOf(Schema), QUIET);
  if (ignored !== undefined) notes.push(ignored);
  return {
    name,
    description,
    // `*` grants every tool, as if the list were omitted.
    tools: tools === undefined || tools.includes("*") ? undefined : resolveTools(tools, notes),
    sandbox: undefined,
    model: providerModel(model),
    maxTurns: max_turns,
    notes,
  };
};
