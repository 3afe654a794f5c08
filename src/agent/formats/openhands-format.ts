// OpenHands' file-based agents (.agents/agents/, .openhands/agents/ and the same under the home), as
// software-agent-sdk's subagent/schema.py reads them: `name` (default: the file name), `description`,
// `tools` (one name or a list, default none), `model` (`inherit` or an OpenHands LLM profile name),
// `max_iteration_per_run`. Files in Claude Code's style are common in the shared .agents/ folder, so
// a comma-separated tool list and Claude's tool names are read too.
import { z } from "zod";
import { formatZodIssues } from "../../text/zod-issues.js";
import {
  AgentFileError,
  AgentName,
  MaxTurns,
  ToolList,
  ignoredKeysNote,
  keysOf,
  resolveTools,
  type FormatReader,
} from "./agent-draft.js";

const Schema = z
  .object({
    name: AgentName.optional(),
    description: z.string().optional(),
    tools: ToolList.optional(),
    model: z.string().optional(),
    max_iteration_per_run: MaxTurns.optional(),
  })
  .loose();

// Display and confirmation settings of OpenHands' own loop: nothing to report.
const QUIET = ["color", "permission_mode"];

export const readOpenHandsFormat: FormatReader = (data, stem) => {
  const parsed = Schema.safeParse(data);
  if (!parsed.success) throw new AgentFileError(formatZodIssues(parsed.error));
  const { name, description, tools, model, max_iteration_per_run } = parsed.data;
  const notes: string[] = [];
  const named = AgentName.safeParse(name ?? stem);
  if (!named.success) throw new AgentFileError(`name "${name ?? stem}" (from the ${name === undefined ? "file name" : "front matter"}): use letters, digits, - and _ (at most 64)`);
  if (model !== undefined && model !== "inherit") notes.push(`model "${model}" is an OpenHands LLM profile; the run's model is used`);
  const ignored = ignoredKeysNote(data, keysOf(Schema), QUIET);
  if (ignored !== undefined) notes.push(ignored);
  return {
    name: named.data,
    description: description?.trim() ?? "",
    // OpenHands gives an agent without a tools list no tools at all.
    tools: resolveTools(tools ?? [], notes),
    sandbox: undefined,
    model: undefined,
    maxTurns: max_iteration_per_run,
    notes,
  };
};
