// agentwf's own agent files (.agentwf/agents/, ~/.agentwf/agents/, the built-ins in prompts/agents/).
// Its keys are checked strictly: a misspelt `sandox: read-only` silently ignored would leave the
// agent with the run's wider mode, so an unknown key makes the file fail with one line instead.
import { z } from "zod";
import { formatZodIssues } from "../../text/zod-issues.js";
import { AgentFileError, AgentName, MaxTurns, Sandbox, ToolList, resolveTools, type FormatReader } from "./agent-draft.js";

const Schema = z
  .object({
    name: AgentName,
    description: z.string().min(1),
    tools: ToolList.optional(),
    sandbox: Sandbox.optional(),
    model: z.string().min(1).optional(),
    maxTurns: MaxTurns.optional(),
  })
  .strict();

export const readAgentwfFormat: FormatReader = (data) => {
  const parsed = Schema.safeParse(data);
  if (!parsed.success) throw new AgentFileError(formatZodIssues(parsed.error));
  const notes: string[] = [];
  const { name, description, tools, sandbox, model, maxTurns } = parsed.data;
  return {
    name,
    description,
    tools: tools === undefined ? undefined : resolveTools(tools, notes),
    sandbox,
    model: model?.trim(),
    maxTurns,
    notes,
  };
};
